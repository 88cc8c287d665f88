/* virtio-net (device id 1) on a host packet descriptor: a TAP interface
 * (virtio_net_open_tap) or, in tests, one end of a SOCK_SEQPACKET pair.
 * Each read() of the descriptor is one Ethernet frame, each write() sends
 * one.  Queue 0 receives, queue 1 transmits; the board calls
 * virtio_net_poll() between slices to bring in frames. */
#ifndef PEERLESS_VIRTIO_NET_H
#define PEERLESS_VIRTIO_NET_H

#include "dev/virtio_mmio.h"

#define VIRTIO_ID_NET          1
#define VIRTIO_NET_F_MAC       5
#define VIRTIO_NET_F_STATUS    16
#define VIRTIO_NET_HDR_BYTES   12    /* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define VIRTIO_NET_MAX_FRAME   65550

struct virtio_net;

/* Open the TAP interface `ifname` (IFF_TAP | IFF_NO_PI), non-blocking.
 * Returns the descriptor, or -1 with a message in err. */
int virtio_net_open_tap(const char *ifname, char *err, size_t errlen);

/* The device takes ownership of fd. */
struct virtio_net *virtio_net_new(int fd, const uint8_t mac[6], struct dma_port dma, struct irq_line irq);
void virtio_net_free(struct virtio_net *n);
struct virtio_mmio *virtio_net_transport(struct virtio_net *n);
int virtio_net_fd(const struct virtio_net *n);
/* Deliver waiting host frames into the receive queue while it has buffers. */
void virtio_net_poll(struct virtio_net *n);

#endif
