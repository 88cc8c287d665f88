/* SiFive PLIC.  Each source has a gateway for a level-triggered wire: while
 * the wire is high and the source is not claimed, it is pending; a claim
 * clears pending until the matching completion, after which a still-high
 * wire makes it pending again.  Claim picks the highest priority among
 * enabled pending sources with priority > 0 (ties go to the lowest id);
 * the context's output is high while such a source exceeds its threshold. */
#include "dev/plic.h"

#include <stdlib.h>

struct plic_context {
    uint32_t *enable;          /* nwords bitmap */
    uint32_t threshold;
    int out_level;             /* last level driven, -1 before the first */
    struct irq_line out;
};

struct plic {
    int nsources, ncontexts, nwords;
    uint32_t *priority;        /* per source */
    uint32_t *level;           /* input wires, bitmap */
    uint32_t *pending;         /* bitmap */
    uint32_t *claimed;         /* bitmap */
    uint32_t *valid;           /* bitmap of sources that exist (not 0) */
    struct plic_context *ctx;
};

static bool bit(const uint32_t *map, int i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

static void set_bit(uint32_t *map, int i, bool v)
{
    if (v)
        map[i / 32] |= 1u << (i % 32);
    else
        map[i / 32] &= ~(1u << (i % 32));
}

/* The best claimable source for context `c`: 0 if none. */
static int best_source(const struct plic *p, int c, uint32_t *prio_out)
{
    const struct plic_context *cx = &p->ctx[c];
    int best = 0;
    uint32_t best_prio = 0;
    for (int w = 0; w < p->nwords; w++) {
        uint32_t cand = p->pending[w] & ~p->claimed[w] & cx->enable[w];
        while (cand) {
            int src = w * 32 + __builtin_ctz(cand);
            cand &= cand - 1;
            if (p->priority[src] > best_prio) {
                best = src;
                best_prio = p->priority[src];
            }
        }
    }
    if (prio_out)
        *prio_out = best_prio;
    return best;
}

static void update(struct plic *p)
{
    for (int c = 0; c < p->ncontexts; c++) {
        struct plic_context *cx = &p->ctx[c];
        uint32_t prio;
        int level = best_source(p, c, &prio) != 0 && prio > cx->threshold;
        if (level != cx->out_level) {
            cx->out_level = level;
            irq_set(&cx->out, level);
        }
    }
}

void plic_set_irq(struct plic *p, int src, int level)
{
    if (src <= 0 || src >= p->nsources)
        return;
    set_bit(p->level, src, level != 0);
    if (level == 0)
        set_bit(p->pending, src, false);
    else if (!bit(p->claimed, src))
        set_bit(p->pending, src, true);
    update(p);
}

static void irq_line_set(void *ctx, int n, int level)
{
    plic_set_irq(ctx, n, level);
}

struct irq_line plic_source_line(struct plic *p, int src)
{
    return (struct irq_line){ .set = irq_line_set, .ctx = p, .n = src };
}

static uint32_t claim(struct plic *p, int c)
{
    int src = best_source(p, c, NULL);
    if (src) {
        set_bit(p->pending, src, false);
        set_bit(p->claimed, src, true);
        update(p);
    }
    return (uint32_t)src;
}

static void complete(struct plic *p, int c, uint32_t src)
{
    /* A completion for a source not enabled in this context is ignored,
     * as the PLIC specification says. */
    if (src == 0 || src >= (uint32_t)p->nsources || !bit(p->ctx[c].enable, (int)src))
        return;
    set_bit(p->claimed, (int)src, false);
    if (bit(p->level, (int)src))
        set_bit(p->pending, (int)src, true);
    update(p);
}

static uint32_t clamp_priority(uint64_t v)
{
    return (uint32_t)(v & PLIC_MAX_PRIORITY);
}

static bool plic_read(void *opaque, uint64_t off, int size, uint64_t *val)
{
    struct plic *p = opaque;
    if (size != 4 || (off & 3))
        return false;
    *val = 0;
    if (off < PLIC_PENDING_OFF) {
        uint64_t src = off / 4;
        if (src < (uint64_t)p->nsources)
            *val = p->priority[src];
    } else if (off < PLIC_ENABLE_OFF) {
        uint64_t w = (off - PLIC_PENDING_OFF) / 4;
        if (w < (uint64_t)p->nwords)
            *val = p->pending[w];
    } else if (off < PLIC_CONTEXT_OFF) {
        uint64_t c = (off - PLIC_ENABLE_OFF) / 0x80;
        uint64_t w = (off - PLIC_ENABLE_OFF) % 0x80 / 4;
        if (c < (uint64_t)p->ncontexts && w < (uint64_t)p->nwords)
            *val = p->ctx[c].enable[w];
    } else {
        uint64_t c = (off - PLIC_CONTEXT_OFF) / 0x1000;
        uint64_t reg = (off - PLIC_CONTEXT_OFF) % 0x1000;
        if (c < (uint64_t)p->ncontexts) {
            if (reg == 0)
                *val = p->ctx[c].threshold;
            else if (reg == PLIC_CLAIM_OFF)
                *val = claim(p, (int)c);
        }
    }
    return true;
}

static bool plic_write(void *opaque, uint64_t off, int size, uint64_t val)
{
    struct plic *p = opaque;
    if (size != 4 || (off & 3))
        return false;
    if (off < PLIC_PENDING_OFF) {
        uint64_t src = off / 4;
        if (src > 0 && src < (uint64_t)p->nsources) {
            p->priority[src] = clamp_priority(val);
            update(p);
        }
    } else if (off < PLIC_ENABLE_OFF) {
        /* pending bits are read-only */
    } else if (off < PLIC_CONTEXT_OFF) {
        uint64_t c = (off - PLIC_ENABLE_OFF) / 0x80;
        uint64_t w = (off - PLIC_ENABLE_OFF) % 0x80 / 4;
        if (c < (uint64_t)p->ncontexts && w < (uint64_t)p->nwords) {
            p->ctx[c].enable[w] = (uint32_t)val & p->valid[w];
            update(p);
        }
    } else {
        uint64_t c = (off - PLIC_CONTEXT_OFF) / 0x1000;
        uint64_t reg = (off - PLIC_CONTEXT_OFF) % 0x1000;
        if (c < (uint64_t)p->ncontexts) {
            if (reg == 0) {
                p->ctx[c].threshold = clamp_priority(val);
                update(p);
            } else if (reg == PLIC_CLAIM_OFF) {
                complete(p, (int)c, (uint32_t)val);
            }
        }
    }
    return true;
}

void plic_free(struct plic *p)
{
    if (!p)
        return;
    if (p->ctx)
        for (int c = 0; c < p->ncontexts; c++)
            free(p->ctx[c].enable);
    free(p->ctx);
    free(p->priority);
    free(p->level);
    free(p->pending);
    free(p->claimed);
    free(p->valid);
    free(p);
}

struct plic *plic_new(int nsources, int ncontexts)
{
    if (nsources < 2 || nsources > PLIC_MAX_SOURCES || ncontexts < 1 || ncontexts > PLIC_MAX_CONTEXTS)
        return NULL;
    struct plic *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->nsources = nsources;
    p->ncontexts = ncontexts;
    p->nwords = (nsources + 31) / 32;
    size_t nw = (size_t)p->nwords;
    p->priority = calloc((size_t)nsources, sizeof *p->priority);
    p->level = calloc(nw, sizeof(uint32_t));
    p->pending = calloc(nw, sizeof(uint32_t));
    p->claimed = calloc(nw, sizeof(uint32_t));
    p->valid = calloc(nw, sizeof(uint32_t));
    p->ctx = calloc((size_t)ncontexts, sizeof *p->ctx);
    if (!p->priority || !p->level || !p->pending || !p->claimed || !p->valid || !p->ctx) {
        plic_free(p);
        return NULL;
    }
    for (int c = 0; c < ncontexts; c++) {
        p->ctx[c].enable = calloc(nw, sizeof(uint32_t));
        if (!p->ctx[c].enable) {
            plic_free(p);
            return NULL;
        }
        p->ctx[c].out_level = -1;
    }
    for (int s = 1; s < nsources; s++)
        set_bit(p->valid, s, true);
    update(p);
    return p;
}

void plic_connect(struct plic *p, int ctx, struct irq_line out)
{
    if (ctx < 0 || ctx >= p->ncontexts)
        return;
    p->ctx[ctx].out = out;
    p->ctx[ctx].out_level = -1;
    update(p);
}

struct mmio_region plic_mmio(struct plic *p, uint64_t base)
{
    return (struct mmio_region){
        .name = "plic", .base = base, .size = PLIC_MMIO_SIZE, .opaque = p,
        .read = plic_read, .write = plic_write,
    };
}
