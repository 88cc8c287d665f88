/* virtio-net.  No offloads are offered, so every header the driver sends
 * is ignored after its 12 bytes, and every header we deliver is zero but
 * for num_buffers = 1.  A frame that does not fit the receive chain is
 * dropped (and the chain returned empty), as a NIC drops an oversized one;
 * frames wait in the host descriptor while the guest has no buffers. */
#include "dev/virtio_net.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { RXQ = 0, TXQ = 1 };

struct virtio_net {
    struct virtio_mmio *t;
    int fd;
    uint8_t mac[6];
    uint8_t frame[VIRTIO_NET_HDR_BYTES + VIRTIO_NET_MAX_FRAME];
    struct virtq_chain chain;
};

int virtio_net_open_tap(const char *ifname, char *err, size_t errlen)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (strlen(ifname) >= sizeof ifr.ifr_name) {
        snprintf(err, errlen, "TAP interface name '%s' is too long", ifname);
        return -1;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        snprintf(err, errlen, "cannot attach to TAP interface '%s': %s", ifname, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static bool config_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    struct virtio_net *n = dev;
    /* mac[6] at 0, status (le16, bit 0 = link up) at 6. */
    uint8_t cfg[8] = { n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], 1, 0 };
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        if (off + i < sizeof cfg)
            v |= (uint64_t)cfg[off + i] << (8 * i);
    *val = v;
    return true;
}

static bool config_write(void *dev, uint64_t off, int size, uint64_t val) { return true; }

static void transmit(struct virtio_net *n)
{
    struct virtq_chain *c = &n->chain;
    while (virtio_pop(n->t, TXQ, c) == 1) {
        uint64_t len = c->read_len;
        if (len > VIRTIO_NET_HDR_BYTES && len <= sizeof n->frame &&
            virtio_chain_read(n->t, c, 0, n->frame, len)) {
            /* A full host queue drops the frame, as a busy link would. */
            ssize_t w = write(n->fd, n->frame + VIRTIO_NET_HDR_BYTES, len - VIRTIO_NET_HDR_BYTES);
            (void)w;
        }
        virtio_push(n->t, c, 0);
    }
}

void virtio_net_poll(struct virtio_net *n)
{
    struct virtq_chain *c = &n->chain;
    while (virtio_queue_has_buffer(n->t, RXQ)) {
        ssize_t len = read(n->fd, n->frame + VIRTIO_NET_HDR_BYTES, VIRTIO_NET_MAX_FRAME);
        if (len <= 0)
            return;                  /* nothing waiting (EAGAIN), or the peer is gone */
        if (virtio_pop(n->t, RXQ, c) != 1)
            return;
        memset(n->frame, 0, VIRTIO_NET_HDR_BYTES);
        n->frame[10] = 1;            /* num_buffers */
        uint64_t total = VIRTIO_NET_HDR_BYTES + (uint64_t)len;
        bool fits = total <= c->write_len && virtio_chain_write(n->t, c, 0, n->frame, total);
        virtio_push(n->t, c, fits ? (uint32_t)total : 0);
    }
}

static void notify(void *dev, int q)
{
    struct virtio_net *n = dev;
    if (q == TXQ)
        transmit(n);
    else if (q == RXQ)
        virtio_net_poll(n);          /* new buffers: frames may be waiting for them */
}

static const struct virtio_device_ops net_ops = {
    .device_id = VIRTIO_ID_NET,
    .features = 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS,
    .num_queues = 2,
    .config_read = config_read, .config_write = config_write, .notify = notify,
};

struct virtio_net *virtio_net_new(int fd, const uint8_t mac[6], struct dma_port dma, struct irq_line irq)
{
    struct virtio_net *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->t = virtio_mmio_new(&net_ops, n, dma, irq);
    if (!n->t) {
        free(n);
        return NULL;
    }
    n->fd = fd;
    memcpy(n->mac, mac, 6);
    return n;
}

void virtio_net_free(struct virtio_net *n)
{
    if (!n)
        return;
    virtio_mmio_free(n->t);
    close(n->fd);
    free(n);
}

struct virtio_mmio *virtio_net_transport(struct virtio_net *n) { return n->t; }
int virtio_net_fd(const struct virtio_net *n) { return n->fd; }
