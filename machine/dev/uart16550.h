/* ns16550a UART, register-compatible with QEMU's `serial` device.
 *
 * Transmitted bytes are written straight to a host file descriptor (no
 * buffering, so they interleave correctly with other writers of that fd).
 * Received bytes are pushed in by the board, which polls its host input and
 * asks uart_rx_room() how many bytes the UART can take now.
 */
#ifndef PEERLESS_UART16550_H
#define PEERLESS_UART16550_H

#include "dev/device.h"

struct uart16550;

/* out_fd receives the transmitted bytes; irq is the interrupt output. */
struct uart16550 *uart_new(int out_fd, struct irq_line irq);
void uart_free(struct uart16550 *u);

/* The register window: 8 byte-wide registers (any access size works on the
 * low byte, as in QEMU); offsets 8 and above fault. */
#define UART_MMIO_SIZE 0x100
struct mmio_region uart_mmio(struct uart16550 *u, uint64_t base);

/* Host input.  uart_rx_room() is how many bytes the receiver accepts now
 * (16 minus the FIFO fill with the FIFO on, 0 or 1 with it off);
 * pushing beyond that sets the overrun error bit and drops the byte. */
int uart_rx_room(const struct uart16550 *u);
void uart_push_input(struct uart16550 *u, uint8_t byte);

#endif
