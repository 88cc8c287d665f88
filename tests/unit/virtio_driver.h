/* A tiny virtio driver for the unit tests: guest RAM as a host array
 * behind a dma_port, and one split virtqueue per queue laid out in it. */
#ifndef VIRTIO_DRIVER_H
#define VIRTIO_DRIVER_H

#include "dev/virtio_mmio.h"

#include <string.h>

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1u << 20)
#define QSIZE    16

static uint8_t ram[RAM_SIZE];
static int irq_level;

static bool ram_read(void *ctx, uint64_t a, void *buf, uint64_t n)
{
    if (a < RAM_BASE || a - RAM_BASE > RAM_SIZE || n > RAM_SIZE - (a - RAM_BASE))
        return false;
    memcpy(buf, ram + (a - RAM_BASE), n);
    return true;
}

static bool ram_write(void *ctx, uint64_t a, const void *buf, uint64_t n)
{
    if (a < RAM_BASE || a - RAM_BASE > RAM_SIZE || n > RAM_SIZE - (a - RAM_BASE))
        return false;
    memcpy(ram + (a - RAM_BASE), buf, n);
    return true;
}

static void set_irq(void *ctx, int n, int level) { irq_level = level; }

static const struct dma_port test_dma = { ram_read, ram_write, NULL };
static const struct irq_line test_irq = { set_irq, NULL, 0 };

/* Guest-side ring addresses of queue q. */
static uint64_t desc_addr(int q) { return RAM_BASE + 0x4000ull * q; }
static uint64_t avail_addr(int q) { return desc_addr(q) + 0x1000; }
static uint64_t used_addr(int q) { return desc_addr(q) + 0x2000; }
static uint8_t *at(uint64_t a) { return ram + (a - RAM_BASE); }

static uint32_t rd32(struct mmio_region *r, uint64_t off)
{
    uint64_t v = 0;
    r->read(r->opaque, off, 4, &v);
    return (uint32_t)v;
}

static void wr32(struct mmio_region *r, uint64_t off, uint32_t v) { r->write(r->opaque, off, 4, v); }

static uint16_t get16(uint64_t a) { return (uint16_t)(at(a)[0] | at(a)[1] << 8); }
static uint32_t get32(uint64_t a) { return get16(a) | (uint32_t)get16(a + 2) << 16; }
static void set16(uint64_t a, uint16_t v) { at(a)[0] = (uint8_t)v; at(a)[1] = (uint8_t)(v >> 8); }
static void set32(uint64_t a, uint32_t v) { set16(a, (uint16_t)v); set16(a + 2, (uint16_t)(v >> 16)); }
static void set64(uint64_t a, uint64_t v) { set32(a, (uint32_t)v); set32(a + 4, (uint32_t)(v >> 32)); }

/* The driver's initialisation sequence (virtio 3.1.1); true if FEATURES_OK stuck. */
static bool driver_init(struct mmio_region *r, int nqueues, uint64_t features)
{
    memset(ram, 0, sizeof ram);
    wr32(r, VIRTIO_MMIO_STATUS, 0);
    wr32(r, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    for (int sel = 0; sel < 2; sel++) {
        wr32(r, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
        wr32(r, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> (32 * sel)));
    }
    wr32(r, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if (!(rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        return false;
    for (int q = 0; q < nqueues; q++) {
        wr32(r, VIRTIO_MMIO_QUEUE_SEL, q);
        wr32(r, VIRTIO_MMIO_QUEUE_NUM, QSIZE);
        wr32(r, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc_addr(q));
        wr32(r, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc_addr(q) >> 32));
        wr32(r, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail_addr(q));
        wr32(r, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail_addr(q) >> 32));
        wr32(r, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used_addr(q));
        wr32(r, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used_addr(q) >> 32));
        wr32(r, VIRTIO_MMIO_QUEUE_READY, 1);
    }
    wr32(r, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
    return true;
}

/* Descriptor i of queue q. */
static void set_desc(int q, int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint64_t d = desc_addr(q) + 16ull * i;
    set64(d, addr);
    set32(d + 8, len);
    set16(d + 12, flags);
    set16(d + 14, next);
}

/* Offer the chain starting at `head` and notify. */
static void offer(struct mmio_region *r, int q, uint16_t head)
{
    uint16_t idx = get16(avail_addr(q) + 2);
    set16(avail_addr(q) + 4 + 2 * (idx % QSIZE), head);
    set16(avail_addr(q) + 2, (uint16_t)(idx + 1));
    wr32(r, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

static uint16_t used_idx(int q) { return get16(used_addr(q) + 2); }
static uint32_t used_len(int q, int slot) { return get32(used_addr(q) + 4 + 8 * slot + 4); }
static uint32_t used_id(int q, int slot) { return get32(used_addr(q) + 4 + 8 * slot); }

#endif
