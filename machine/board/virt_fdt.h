/* The device tree of the `virt` board, built at boot with libfdt: what
 * OpenSBI and Linux learn about the machine, laid out as QEMU's virt. */
#ifndef PEERLESS_VIRT_FDT_H
#define PEERLESS_VIRT_FDT_H

#include <stddef.h>
#include <stdint.h>

/* Where boot images go, as QEMU puts them. */
#define VIRT_KERNEL_OFFSET     0x200000UL    /* kernel at RAM + 2 MiB (OpenSBI's FW_JUMP_ADDR) */
#define VIRT_UART_CLOCK_HZ     3686400

struct virt_fdt_info {
    uint64_t ram_base, ram_size;
    int nvirtio;                   /* virtio-mmio slots to describe */
    const char *bootargs;          /* NULL: none */
    uint64_t initrd_start, initrd_end;   /* both 0: no initrd */
};

/* Write the flattened tree into buf (packed).  Returns its size, or -1 if
 * it does not fit or libfdt failed. */
int virt_fdt_build(void *buf, size_t size, const struct virt_fdt_info *info);

#endif
