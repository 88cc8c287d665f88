/* virtio-console: queue 0 receives (host to guest), queue 1 transmits.
 * No features are offered, so there is no multiport control queue and the
 * configuration space (cols, rows, max_nr_ports, emerg_wr) reads as zero. */
#include "dev/virtio_console.h"

#include <stdlib.h>
#include <unistd.h>

enum { RXQ = 0, TXQ = 1 };
#define TX_CHUNK 4096

struct virtio_console {
    struct virtio_mmio *t;
    int out_fd;
    struct virtq_chain chain;
};

static bool config_read(void *dev, uint64_t off, int size, uint64_t *val)
{
    *val = 0;
    return true;
}

static bool config_write(void *dev, uint64_t off, int size, uint64_t val) { return true; }

static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return;                  /* the host side is gone: output is lost, as on a UART */
        p += w, n -= (size_t)w;
    }
}

static void transmit(struct virtio_console *c)
{
    uint8_t buf[TX_CHUNK];
    while (virtio_pop(c->t, TXQ, &c->chain) == 1) {
        for (uint64_t off = 0; off < c->chain.read_len; off += TX_CHUNK) {
            uint64_t n = c->chain.read_len - off < TX_CHUNK ? c->chain.read_len - off : TX_CHUNK;
            if (!virtio_chain_read(c->t, &c->chain, off, buf, n))
                break;
            write_all(c->out_fd, buf, (size_t)n);
        }
        virtio_push(c->t, &c->chain, 0);
    }
}

static void notify(void *dev, int q)
{
    if (q == TXQ)
        transmit(dev);
}

bool virtio_console_can_receive(struct virtio_console *c) { return virtio_queue_has_buffer(c->t, RXQ); }

bool virtio_console_receive(struct virtio_console *c, const uint8_t *buf, size_t n)
{
    if (virtio_pop(c->t, RXQ, &c->chain) != 1)
        return false;
    uint64_t len = n < c->chain.write_len ? n : c->chain.write_len;
    bool ok = virtio_chain_write(c->t, &c->chain, 0, buf, len);
    virtio_push(c->t, &c->chain, ok ? (uint32_t)len : 0);
    return true;
}

static const struct virtio_device_ops console_ops = {
    .device_id = VIRTIO_ID_CONSOLE, .features = 0, .num_queues = 2,
    .config_read = config_read, .config_write = config_write, .notify = notify,
};

struct virtio_console *virtio_console_new(int out_fd, struct dma_port dma, struct irq_line irq)
{
    struct virtio_console *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->t = virtio_mmio_new(&console_ops, c, dma, irq);
    if (!c->t) {
        free(c);
        return NULL;
    }
    c->out_fd = out_fd;
    return c;
}

void virtio_console_free(struct virtio_console *c)
{
    if (!c)
        return;
    virtio_mmio_free(c->t);
    free(c);
}

struct virtio_mmio *virtio_console_transport(struct virtio_console *c) { return c->t; }
