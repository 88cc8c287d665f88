/* SiFive CLINT.  The register layout and access rules follow QEMU's
 * riscv_aclint (which `virt` uses in CLINT mode): msip words take only
 * 4-byte accesses, mtimecmp and mtime take 4- or 8-byte accesses, and
 * unimplemented offsets read as zero. */
#include "dev/clint.h"

#include <stdlib.h>

struct clint_hart {
    uint64_t mtimecmp;
    bool msip;
    int mtip;                 /* last level driven on the MTIP line */
    struct irq_line msip_line, mtip_line;
};

struct clint {
    int nharts;
    uint64_t (*now)(void *ctx);
    void *now_ctx;
    uint64_t mtime_offset;    /* mtime = now() + offset (mod 2^64) */
    struct clint_hart *harts;
};

uint64_t clint_mtime(struct clint *c)
{
    return c->now(c->now_ctx) + c->mtime_offset;
}

static void update_mtip(struct clint *c, struct clint_hart *h, uint64_t mtime)
{
    int level = mtime >= h->mtimecmp;
    if (level != h->mtip) {
        h->mtip = level;
        irq_set(&h->mtip_line, level);
    }
}

void clint_update(struct clint *c)
{
    uint64_t mtime = clint_mtime(c);
    for (int i = 0; i < c->nharts; i++)
        update_mtip(c, &c->harts[i], mtime);
}

uint64_t clint_next_deadline(struct clint *c)
{
    uint64_t now = c->now(c->now_ctx);
    uint64_t mtime = now + c->mtime_offset;
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < c->nharts; i++) {
        uint64_t cmp = c->harts[i].mtimecmp;
        uint64_t at;
        if (cmp <= mtime)
            at = now;
        else if (cmp - mtime > UINT64_MAX - now)
            at = UINT64_MAX;          /* beyond the end of the time base */
        else
            at = now + (cmp - mtime);
        if (at < best)
            best = at;
    }
    return best;
}

/* Replace the 4-byte half at byte `off` (0 or 4) of a 64-bit register, or
 * the whole register for an 8-byte access. */
static uint64_t merge(uint64_t old, uint64_t off, int size, uint64_t val)
{
    if (size == 8)
        return val;
    int shift = (int)(off & 4) * 8;
    uint64_t mask = 0xffffffffULL << shift;
    return (old & ~mask) | ((val & 0xffffffffULL) << shift);
}

static uint64_t extract(uint64_t reg, uint64_t off, int size)
{
    return size == 8 ? reg : (reg >> ((off & 4) * 8)) & 0xffffffffULL;
}

static bool access_ok(uint64_t off, int size)
{
    return (size == 4 || size == 8) && (off & (uint64_t)(size - 1)) == 0;
}

static bool clint_read(void *opaque, uint64_t off, int size, uint64_t *val)
{
    struct clint *c = opaque;
    if (!access_ok(off, size))
        return false;
    *val = 0;
    if (off < CLINT_MTIMECMP_OFF) {
        if (size != 4)
            return false;
        uint64_t hart = off / 4;
        if (hart < (uint64_t)c->nharts)
            *val = c->harts[hart].msip;
    } else if (off >= CLINT_MTIME_OFF && off < CLINT_MTIME_OFF + 8) {
        *val = extract(clint_mtime(c), off, size);
    } else if (off < CLINT_MTIME_OFF) {
        uint64_t hart = (off - CLINT_MTIMECMP_OFF) / 8;
        if (hart < (uint64_t)c->nharts)
            *val = extract(c->harts[hart].mtimecmp, off, size);
    }
    return true;
}

static bool clint_write(void *opaque, uint64_t off, int size, uint64_t val)
{
    struct clint *c = opaque;
    if (!access_ok(off, size))
        return false;
    if (off < CLINT_MTIMECMP_OFF) {
        if (size != 4)
            return false;
        uint64_t hart = off / 4;
        if (hart < (uint64_t)c->nharts) {
            struct clint_hart *h = &c->harts[hart];
            h->msip = val & 1;
            irq_set(&h->msip_line, h->msip);
        }
    } else if (off >= CLINT_MTIME_OFF && off < CLINT_MTIME_OFF + 8) {
        uint64_t now = c->now(c->now_ctx);
        uint64_t mtime = merge(now + c->mtime_offset, off, size, val);
        c->mtime_offset = mtime - now;
        clint_update(c);
    } else if (off < CLINT_MTIME_OFF) {
        uint64_t hart = (off - CLINT_MTIMECMP_OFF) / 8;
        if (hart < (uint64_t)c->nharts) {
            struct clint_hart *h = &c->harts[hart];
            h->mtimecmp = merge(h->mtimecmp, off, size, val);
            update_mtip(c, h, clint_mtime(c));
        }
    }
    return true;
}

struct clint *clint_new(int nharts, uint64_t (*now)(void *ctx), void *ctx)
{
    if (nharts < 1 || nharts > CLINT_MAX_HARTS || !now)
        return NULL;
    struct clint *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->harts = calloc((size_t)nharts, sizeof *c->harts);
    if (!c->harts) {
        free(c);
        return NULL;
    }
    c->nharts = nharts;
    c->now = now;
    c->now_ctx = ctx;
    /* mtimecmp resets to 0, as in QEMU, so MTIP is pending until the guest
     * programs a compare value; the line is driven on the first update. */
    for (int i = 0; i < nharts; i++)
        c->harts[i].mtip = -1;
    return c;
}

void clint_free(struct clint *c)
{
    if (c) {
        free(c->harts);
        free(c);
    }
}

void clint_connect(struct clint *c, int hart, struct irq_line msip, struct irq_line mtip)
{
    if (hart < 0 || hart >= c->nharts)
        return;
    struct clint_hart *h = &c->harts[hart];
    h->msip_line = msip;
    h->mtip_line = mtip;
    irq_set(&h->msip_line, h->msip);
    h->mtip = -1;
    update_mtip(c, h, clint_mtime(c));
}

struct mmio_region clint_mmio(struct clint *c, uint64_t base)
{
    return (struct mmio_region){
        .name = "clint", .base = base, .size = CLINT_MMIO_SIZE, .opaque = c,
        .read = clint_read, .write = clint_write,
    };
}
