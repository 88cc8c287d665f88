/* virtio-console (device id 3), a single port without the multiport
 * feature: what Linux shows as /dev/hvc0.  Output goes to a host file
 * descriptor; the board pushes host input in while the guest has buffers. */
#ifndef PEERLESS_VIRTIO_CONSOLE_H
#define PEERLESS_VIRTIO_CONSOLE_H

#include "dev/virtio_mmio.h"

#define VIRTIO_ID_CONSOLE 3

struct virtio_console;

struct virtio_console *virtio_console_new(int out_fd, struct dma_port dma, struct irq_line irq);
void virtio_console_free(struct virtio_console *c);
struct virtio_mmio *virtio_console_transport(struct virtio_console *c);
/* Does the guest have a receive buffer for input now? */
bool virtio_console_can_receive(struct virtio_console *c);
/* Deliver n bytes (1 <= n) into one receive buffer; bytes past its size
 * are dropped, as a full FIFO drops them.  False if there was none. */
bool virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n);

#endif
