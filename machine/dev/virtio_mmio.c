/* The virtio-mmio transport and split virtqueues.  Ring fields are
 * little-endian in guest memory; they are assembled byte by byte so the
 * code does not depend on the host's byte order. */
#include "dev/virtio_mmio.h"

#include <stdlib.h>
#include <string.h>

struct virtqueue {
    uint32_t num;                  /* size the driver chose (power of 2) */
    bool ready;
    uint64_t desc, avail, used;    /* guest physical addresses of the rings */
    uint16_t last_avail;           /* next avail entry the device takes */
    uint16_t used_idx;             /* next used entry the device fills */
};

struct virtio_mmio {
    const struct virtio_device_ops *ops;
    void *dev;
    struct dma_port dma;
    struct irq_line irq;
    uint32_t device_features_sel, driver_features_sel, queue_sel;
    uint64_t driver_features;
    uint32_t status, int_status, config_generation;
    struct virtqueue q[VIRTIO_MAX_QUEUES];
};

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

static void update_irq(struct virtio_mmio *t) { irq_set(&t->irq, t->int_status != 0); }

static void interrupt(struct virtio_mmio *t, uint32_t why)
{
    t->int_status |= why;
    update_irq(t);
}

void virtio_needs_reset(struct virtio_mmio *t)
{
    if (t->status & VIRTIO_STATUS_NEEDS_RESET)
        return;
    t->status |= VIRTIO_STATUS_NEEDS_RESET;
    if (t->status & VIRTIO_STATUS_DRIVER_OK)
        interrupt(t, VIRTIO_INT_CONFIG);
}

void virtio_config_changed(struct virtio_mmio *t)
{
    t->config_generation++;
    if (t->status & VIRTIO_STATUS_DRIVER_OK)
        interrupt(t, VIRTIO_INT_CONFIG);
}

static void reset(struct virtio_mmio *t)
{
    t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
    t->driver_features = 0;
    t->status = t->int_status = 0;
    memset(t->q, 0, sizeof t->q);
    update_irq(t);
    if (t->ops->reset)
        t->ops->reset(t->dev);
}

static uint64_t offered(const struct virtio_mmio *t)
{
    return t->ops->device_id ? t->ops->features | 1ull << VIRTIO_F_VERSION_1 : 0;
}

static struct virtqueue *selected(struct virtio_mmio *t)
{
    return t->queue_sel < (uint32_t)t->ops->num_queues ? &t->q[t->queue_sel] : NULL;
}

bool virtio_queue_live(const struct virtio_mmio *t, int q)
{
    return q >= 0 && q < t->ops->num_queues && t->q[q].ready &&
           (t->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET)) == VIRTIO_STATUS_DRIVER_OK;
}

/* --- registers --- */

static bool reg_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct virtio_mmio *t = o;
    if (off >= VIRTIO_MMIO_CONFIG) {
        if (!t->ops->config_read || !t->ops->device_id) {
            *val = 0;
            return true;
        }
        return t->ops->config_read(t->dev, off - VIRTIO_MMIO_CONFIG, size, val);
    }
    if (size != 4 || (off & 3))
        return false;
    struct virtqueue *q = selected(t);
    uint64_t v = 0;
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE: v = VIRTIO_MMIO_MAGIC; break;
    case VIRTIO_MMIO_VERSION_REG: v = VIRTIO_MMIO_VERSION; break;
    case VIRTIO_MMIO_DEVICE_ID: v = t->ops->device_id; break;
    case VIRTIO_MMIO_VENDOR_ID: v = VIRTIO_MMIO_VENDOR; break;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        v = t->device_features_sel < 2 ? (uint32_t)(offered(t) >> (32 * t->device_features_sel)) : 0;
        break;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: v = q ? VIRTIO_QUEUE_MAX : 0; break;
    case VIRTIO_MMIO_QUEUE_READY: v = q && q->ready; break;
    case VIRTIO_MMIO_INTERRUPT_STATUS: v = t->int_status; break;
    case VIRTIO_MMIO_STATUS: v = t->status; break;
    case VIRTIO_MMIO_SHM_LEN_LOW: case VIRTIO_MMIO_SHM_LEN_HIGH: v = 0xffffffff; break;   /* no shared memory */
    case VIRTIO_MMIO_SHM_BASE_LOW: case VIRTIO_MMIO_SHM_BASE_HIGH: v = 0xffffffff; break;
    case VIRTIO_MMIO_CONFIG_GENERATION: v = t->config_generation; break;
    default: v = 0; break;       /* write-only and reserved registers */
    }
    *val = v;
    return true;
}

static void set_half(uint64_t *field, bool high, uint32_t v)
{
    *field = high ? (*field & 0xffffffffull) | (uint64_t)v << 32 : (*field & ~0xffffffffull) | v;
}

static void write_status(struct virtio_mmio *t, uint32_t v)
{
    if (v == 0) {
        reset(t);
        return;
    }
    /* FEATURES_OK sticks only if the driver accepted what a modern device
     * requires and nothing that was not offered. */
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        uint64_t f = t->driver_features;
        if ((f & ~offered(t)) || !(f & 1ull << VIRTIO_F_VERSION_1))
            v &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
    }
    t->status = (v & 0xff & ~(uint32_t)VIRTIO_STATUS_NEEDS_RESET) | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

static bool reg_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct virtio_mmio *t = o;
    if (off >= VIRTIO_MMIO_CONFIG) {
        if (!t->ops->config_write || !t->ops->device_id)
            return true;
        return t->ops->config_write(t->dev, off - VIRTIO_MMIO_CONFIG, size, val);
    }
    if (size != 4 || (off & 3))
        return false;
    uint32_t v = (uint32_t)val;
    struct virtqueue *q = selected(t);
    /* Queue layout may change only while the queue is not ready. */
    bool layout = q && !q->ready;
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (t->driver_features_sel < 2 && !(t->status & VIRTIO_STATUS_FEATURES_OK))
            set_half(&t->driver_features, t->driver_features_sel == 1, v);
        break;
    case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = v; break;
    case VIRTIO_MMIO_QUEUE_NUM:
        /* A size that is not a power of two up to the maximum is refused
         * by leaving the queue unusable (num 0). */
        if (layout)
            q->num = v && v <= VIRTIO_QUEUE_MAX && !(v & (v - 1)) ? v : 0;
        break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (q) {
            q->ready = (v & 1) && q->num;
            if (q->ready) {
                q->last_avail = 0;
                q->used_idx = 0;
            }
        }
        break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        if (layout) set_half(&q->desc, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW: case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        if (layout) set_half(&q->avail, off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW: case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        if (layout) set_half(&q->used, off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, v);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        if (virtio_queue_live(t, (int)(v & 0xffff)) && t->ops->notify)
            t->ops->notify(t->dev, (int)(v & 0xffff));
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        t->int_status &= ~v;
        update_irq(t);
        break;
    case VIRTIO_MMIO_STATUS: write_status(t, v); break;
    case VIRTIO_MMIO_SHM_SEL: break;
    default: break;              /* read-only and reserved registers */
    }
    return true;
}

/* --- virtqueues --- */

static bool dma_read(struct virtio_mmio *t, uint64_t addr, void *buf, uint64_t n)
{
    if (t->dma.read(t->dma.ctx, addr, buf, n))
        return true;
    virtio_needs_reset(t);
    return false;
}

static bool dma_write(struct virtio_mmio *t, uint64_t addr, const void *buf, uint64_t n)
{
    if (t->dma.write(t->dma.ctx, addr, buf, n))
        return true;
    virtio_needs_reset(t);
    return false;
}

/* The avail ring's index, or -1 if it cannot be read. */
static int avail_idx(struct virtio_mmio *t, struct virtqueue *q)
{
    uint8_t b[2];
    return dma_read(t, q->avail + 2, b, 2) ? le16(b) : -1;
}

bool virtio_queue_has_buffer(struct virtio_mmio *t, int q)
{
    if (!virtio_queue_live(t, q))
        return false;
    int idx = avail_idx(t, &t->q[q]);
    return idx >= 0 && (uint16_t)idx != t->q[q].last_avail;
}

static int malformed(struct virtio_mmio *t)
{
    virtio_needs_reset(t);
    return -1;
}

int virtio_pop(struct virtio_mmio *t, int qn, struct virtq_chain *c)
{
    if (!virtio_queue_live(t, qn))
        return 0;
    struct virtqueue *q = &t->q[qn];
    int idx = avail_idx(t, q);
    if (idx < 0)
        return -1;
    uint16_t waiting = (uint16_t)((uint16_t)idx - q->last_avail);
    if (waiting == 0)
        return 0;
    if (waiting > q->num)          /* the driver cannot have more out than the ring holds */
        return malformed(t);
    uint8_t b[16];
    if (!dma_read(t, q->avail + 4 + 2ull * (q->last_avail % q->num), b, 2))
        return -1;
    uint16_t head = le16(b);
    if (head >= q->num)
        return malformed(t);
    q->last_avail++;

    c->queue = qn;
    c->head = head;
    c->nread = c->nwrite = 0;
    c->read_len = c->write_len = 0;
    uint16_t i = head;
    /* A chain visits at most num descriptors; one more means a loop. */
    for (uint32_t n = 0;; n++) {
        if (n >= q->num)
            return malformed(t);
        if (!dma_read(t, q->desc + 16ull * i, b, 16))
            return -1;
        uint64_t addr = le64(b);
        uint32_t len = le32(b + 8);
        uint16_t flags = le16(b + 12), next = le16(b + 14);
        if (flags & VIRTQ_DESC_F_INDIRECT)   /* not offered */
            return malformed(t);
        if (flags & VIRTQ_DESC_F_WRITE) {
            c->write_len += len;
            c->nwrite++;
        } else {
            if (c->nwrite)                   /* readable after writable */
                return malformed(t);
            c->read_len += len;
            c->nread++;
        }
        if (c->read_len + c->write_len > VIRTIO_CHAIN_MAX_BYTES)
            return malformed(t);
        c->seg[n] = (struct virtq_seg){ addr, len };
        if (!(flags & VIRTQ_DESC_F_NEXT))
            break;
        if (next >= q->num)
            return malformed(t);
        i = next;
    }
    return 1;
}

/* Copy between buf and bytes [off, off+n) of segments seg[0..nseg). */
static bool chain_copy(struct virtio_mmio *t, const struct virtq_seg *seg, int nseg, uint64_t total,
                       uint64_t off, uint8_t *buf, uint64_t n, bool to_guest)
{
    if (off > total || n > total - off)
        return false;
    for (int s = 0; s < nseg && n; s++) {
        if (off >= seg[s].len) {
            off -= seg[s].len;
            continue;
        }
        uint64_t chunk = seg[s].len - off < n ? seg[s].len - off : n;
        if (seg[s].addr + off < seg[s].addr) {          /* wraps around */
            virtio_needs_reset(t);
            return false;
        }
        bool ok = to_guest ? dma_write(t, seg[s].addr + off, buf, chunk)
                           : dma_read(t, seg[s].addr + off, buf, chunk);
        if (!ok)
            return false;
        buf += chunk, n -= chunk, off = 0;
    }
    return n == 0;
}

bool virtio_chain_read(struct virtio_mmio *t, const struct virtq_chain *c, uint64_t off, void *buf, uint64_t n)
{
    return chain_copy(t, c->seg, c->nread, c->read_len, off, buf, n, false);
}

bool virtio_chain_write(struct virtio_mmio *t, const struct virtq_chain *c, uint64_t off, const void *buf, uint64_t n)
{
    return chain_copy(t, c->seg + c->nread, c->nwrite, c->write_len, off, (uint8_t *)buf, n, true);
}

void virtio_push(struct virtio_mmio *t, const struct virtq_chain *c, uint32_t written)
{
    if (!virtio_queue_live(t, c->queue))
        return;
    struct virtqueue *q = &t->q[c->queue];
    uint8_t elem[8], idx[2], flags[2];
    put32(elem, c->head);
    put32(elem + 4, written);
    if (!dma_write(t, q->used + 4 + 8ull * (q->used_idx % q->num), elem, 8))
        return;
    q->used_idx++;
    put16(idx, q->used_idx);
    if (!dma_write(t, q->used + 2, idx, 2) || !dma_read(t, q->avail, flags, 2))
        return;
    if (!(le16(flags) & VIRTQ_AVAIL_F_NO_INTERRUPT))
        interrupt(t, VIRTIO_INT_USED_BUFFER);
}

uint64_t virtio_driver_features(const struct virtio_mmio *t) { return t->driver_features; }
uint8_t virtio_status(const struct virtio_mmio *t) { return (uint8_t)t->status; }

struct virtio_mmio *virtio_mmio_new(const struct virtio_device_ops *ops, void *dev,
                                    struct dma_port dma, struct irq_line irq)
{
    if (ops->num_queues < 0 || ops->num_queues > VIRTIO_MAX_QUEUES)
        return NULL;
    struct virtio_mmio *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ops = ops;
    t->dev = dev;
    t->dma = dma;
    t->irq = irq;
    return t;
}

void virtio_mmio_free(struct virtio_mmio *t) { free(t); }
void virtio_mmio_reset(struct virtio_mmio *t) { reset(t); }

struct mmio_region virtio_mmio_region(struct virtio_mmio *t, uint64_t base)
{
    return (struct mmio_region){ "virtio-mmio", base, VIRTIO_MMIO_SIZE, t, reg_read, reg_write };
}
