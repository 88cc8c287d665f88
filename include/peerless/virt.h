/* The conventional `virt` board: its address map, as guest programs see it.
 *
 * Compatible with QEMU's riscv64 `virt` machine for the devices listed here.
 * This header is the one source of truth: the emulator's board wires its
 * devices at these addresses and guest code finds them here.
 */
#ifndef PEERLESS_VIRT_H
#define PEERLESS_VIRT_H

/* SiFive test finisher: write one of the codes below to end the run. */
#define VIRT_TEST_BASE        0x00100000UL
#define VIRT_TEST_SIZE        0x1000UL
#define VIRT_TEST_FAIL        0x3333   /* (code << 16) | FAIL: exit with code */
#define VIRT_TEST_PASS        0x5555   /* exit 0 */
#define VIRT_TEST_RESET       0x7777   /* reset the machine */

/* Core-local interruptor: software and timer interrupts for each hart. */
#define VIRT_CLINT_BASE       0x02000000UL
#define VIRT_CLINT_SIZE       0x10000UL
#define VIRT_CLINT_MSIP(h)    (VIRT_CLINT_BASE + 4UL * (h))
#define VIRT_CLINT_MTIMECMP(h) (VIRT_CLINT_BASE + 0x4000UL + 8UL * (h))
#define VIRT_CLINT_MTIME      (VIRT_CLINT_BASE + 0xbff8UL)
#define VIRT_TIMEBASE_HZ      10000000UL   /* mtime ticks per second */

/* Platform-level interrupt controller. */
#define VIRT_PLIC_BASE        0x0c000000UL
#define VIRT_PLIC_SIZE        0x600000UL
#define VIRT_PLIC_NSOURCES    96

/* ns16550a UART: 8-bit registers, byte stride, input clock 3.6864 MHz. */
#define VIRT_UART0_BASE       0x10000000UL
#define VIRT_UART0_SIZE       0x100UL
#define VIRT_UART0_IRQ        10

/* virtio-mmio transports: slot n at BASE + n * STRIDE, PLIC source 1 + n. */
#define VIRT_VIRTIO_BASE      0x10001000UL
#define VIRT_VIRTIO_STRIDE    0x1000UL
#define VIRT_VIRTIO_SLOTS     8
#define VIRT_VIRTIO_IRQ(n)    (1 + (n))

/* Main memory. */
#define VIRT_DRAM_BASE        0x80000000UL
#define VIRT_DRAM_DEFAULT_SIZE (128UL << 20)

#endif
