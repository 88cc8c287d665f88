/* The copy engine.  A transfer reads the whole source first and writes the
 * destination only if that succeeded, so a refused transfer writes nothing. */
#include "dev/dmaengine.h"

#include <peerless/peer.h>
#include <stdlib.h>

#define MAX_COPY (16u << 20)   /* one transfer at most */

enum { STATUS_DONE = 0, STATUS_REFUSED = 1 };

struct dmaengine {
    struct dma_port port;
    struct irq_line irq;
    uint64_t src, dst, len, status;
};

static void go(struct dmaengine *e)
{
    uint8_t *buf = e->len && e->len <= MAX_COPY ? malloc(e->len) : NULL;
    bool ok = buf && e->port.read(e->port.ctx, e->src, buf, e->len) &&
              e->port.write(e->port.ctx, e->dst, buf, e->len);
    free(buf);
    e->status = ok ? STATUS_DONE : STATUS_REFUSED;
    irq_set(&e->irq, 1);
}

static bool reg_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct dmaengine *e = o;
    if (size != 8 || (off & 7))
        return false;
    switch (off) {
    case DMAENG_SRC: *val = e->src; return true;
    case DMAENG_DST: *val = e->dst; return true;
    case DMAENG_LEN: *val = e->len; return true;
    case DMAENG_GO: case DMAENG_IRQ_ACK: *val = 0; return true;
    case DMAENG_STATUS: *val = e->status; return true;
    }
    return false;
}

static bool reg_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct dmaengine *e = o;
    if (size != 8 || (off & 7))
        return false;
    switch (off) {
    case DMAENG_SRC: e->src = val; return true;
    case DMAENG_DST: e->dst = val; return true;
    case DMAENG_LEN: e->len = val; return true;
    case DMAENG_GO: if (val & 1) go(e); return true;
    case DMAENG_STATUS: return true;
    case DMAENG_IRQ_ACK: if (val & 1) irq_set(&e->irq, 0); return true;
    }
    return false;
}

struct dmaengine *dmaengine_new(struct dma_port port, struct irq_line irq)
{
    struct dmaengine *e = calloc(1, sizeof *e);
    if (e) {
        e->port = port;
        e->irq = irq;
    }
    return e;
}

void dmaengine_free(struct dmaengine *e) { free(e); }

struct mmio_region dmaengine_mmio(struct dmaengine *e, uint64_t base)
{
    return (struct mmio_region){ "dmaengine", base, 0x1000, e, reg_read, reg_write };
}
