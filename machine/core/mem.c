/* Memory slow paths, the protection lookaside cache and the decode cache.
 *
 * The interpreter's fast path is a software-TLB hit (exec.c).  Everything
 * else lands here: filling the TLB from the board's RAM map (and, on the
 * peer machine, from the protection unit's rights), misaligned and
 * page-crossing accesses, MMIO, and keeping decoded code coherent with
 * stores (a page holding decoded code never gets a write-TLB entry, so the
 * first store to it comes here and invalidates the code).
 */
#include "core/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_PAGES_MAX 2048    /* decoded pages kept before the cache is flushed */

static inline unsigned tlb_index(uint64_t a) { return (a >> PAGE_SHIFT) & (TLB_SIZE - 1); }

static void set_flush(struct tlb_set *t)
{
    for (unsigned i = 0; i < TLB_SIZE; i++)
        t->r[i].tag = t->w[i].tag = t->itag[i] = TLB_INVALID;
}

void tlb_flush(struct hart *h)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        set_flush(&h->sets[s]);
}

/* --- which RAM pages hold decoded code --- */

static uint8_t *code_mark(struct hart *h, uint64_t paddr)
{
    uint64_t n = (paddr - h->code_mark_base) >> PAGE_SHIFT;
    return n < h->code_mark_pages ? &h->code_mark[n] : NULL;
}

/* Translation for the board's and the debugger's accesses: no faults. */
static bool translate_quiet(struct hart *h, uint64_t va, unsigned access, uint64_t *pa)
{
    uint64_t cause = h->exc_cause, tval = h->exc_tval;
    bool ok = mmu_translate(h, va, access, pa);
    h->exc_cause = cause, h->exc_tval = tval;
    return ok;
}

/* --- the decode cache: pages of decoded slots, hashed by physical page --- */

static unsigned cpage_hash(struct hart *h, uint64_t paddr)
{
    return (unsigned)((paddr >> PAGE_SHIFT) * 0x9e3779b1u) & h->cpages_mask;
}

static void cpage_reset_slots(struct code_page *cp)
{
    for (unsigned i = 0; i < SLOTS_PER_PAGE; i++)
        cp->slot[i].impl = core_decode_impl;
    cp->slot[SLOTS_PER_PAGE].impl = cp->slot[SLOTS_PER_PAGE + 1].impl = core_page_end_impl;
}

static void code_cache_flush(struct hart *h)
{
    for (unsigned i = 0; i <= h->cpages_mask; i++) {
        struct code_page *cp = h->cpages[i], *next;
        for (; cp; cp = next) {
            next = cp->next;
            uint8_t *m = code_mark(h, cp->paddr);
            if (m) *m = 0;
            free(cp);
        }
        h->cpages[i] = NULL;
    }
    h->cpages_used = 0;
    for (unsigned s = 0; s < TLB_SETS; s++)
        for (unsigned i = 0; i < TLB_SIZE; i++)
            h->sets[s].itag[i] = TLB_INVALID;
}

/* Decoded pages are per (physical page, virtual page): a pc is derived
 * from the slot, so one physical page mapped twice is decoded twice. */
static struct code_page *cpage_find(struct hart *h, uint64_t paddr, uint64_t vaddr, uint32_t private_space,
                                    bool ram_direct)
{
    for (struct code_page *cp = h->cpages[cpage_hash(h, paddr)]; cp; cp = cp->next)
        if (cp->paddr == paddr && cp->vaddr == vaddr && cp->private_space == private_space &&
            cp->ram_direct == ram_direct)
            return cp;
    return NULL;
}

/* May code decoded now go straight to RAM for its data?  Without a
 * protection unit, when data addresses are physical (see mmu_context). */
static bool data_is_physical(const struct hart *h)
{
    if (!h->ram_fast_size)
        return false;
    return h->prot ? h->data_direct : mmu_context(h, PROT_R) < 16;
}

/* A code space's fetch cache holds pages decoded one way or the other:
 * direct data access has a set of its own. */
#define DIRECT_SET 0x80000000u

/* A page is about to hold decoded code: stores to it must now take the slow
 * path, so drop every write-TLB entry that points into it. */
static void mark_code(struct hart *h, uint64_t paddr, uint8_t *host)
{
    uint8_t *m = code_mark(h, paddr);
    if (!m || *m)
        return;
    *m = 1;
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_entry *w = h->sets[s].w;
        for (unsigned i = 0; i < TLB_SIZE; i++)
            if (w[i].tag != TLB_INVALID && (uint8_t *)(uintptr_t)((w[i].tag & PAGE_MASK) + w[i].addend) == host)
                w[i].tag = TLB_INVALID;
    }
}

static bool fault(struct hart *h, uint64_t cause, uint64_t addr, unsigned missing)
{
    h->exc_cause = cause;
    h->exc_tval = addr;
    h->exc_missing = missing;
    return false;
}

struct code_page *code_lookup(struct hart *h, uint64_t pc)
{
    uint64_t vpage = pc & PAGE_MASK, ppage;
    uint32_t private_space = 0;
    if (!mmu_translate(h, vpage, PROT_X, &ppage)) {
        h->exc_tval = pc;
        h->exc_missing = 0;
        return NULL;
    }
    uint8_t *host = h->bus.ram_page(h->bus.ctx, ppage);
    if (!host) {
        /* Rights come first: without X there, that is what is missing. */
        bool x = !h->prot || h->prot->check(h->prot_ctx, h, h->code_space, pc, 2, PROT_X);
        fault(h, EXC_INSN_ACCESS, pc, x ? 0 : PROT_X);
        return NULL;
    }
    if (h->prot) {
        /* Execute right over the whole page: the decoded page can be shared.
         * Over part of it: decode privately for this code space, checking
         * each instruction as it is decoded. */
        unsigned r = h->prot->page_rights(h->prot_ctx, h, h->code_space, vpage, PROT_X);
        if (!(r & PROT_X)) {
            if (!h->prot->check(h->prot_ctx, h, h->code_space, pc, 2, PROT_X)) {
                fault(h, EXC_INSN_ACCESS, pc, PROT_X);
                return NULL;
            }
            private_space = h->code_space;
        }
    }
    bool direct = data_is_physical(h);
    struct code_page *cp = cpage_find(h, ppage, vpage, private_space, direct);
    if (!cp) {
        if (h->cpages_used >= CODE_PAGES_MAX)
            code_cache_flush(h);
        cp = malloc(sizeof *cp);
        if (!cp) {
            fprintf(stderr, "peerless: out of host memory for decoded code\n");
            exit(70);
        }
        cp->vaddr = vpage;
        cp->paddr = ppage;
        cp->private_space = private_space;
        cp->ram_direct = direct;
        cp->host = host;
        cpage_reset_slots(cp);
        unsigned b = cpage_hash(h, ppage);
        cp->next = h->cpages[b];
        h->cpages[b] = cp;
        h->cpages_used++;
        mark_code(h, ppage, host);
    }
    h->cycle_base += h->cost.tlb_miss;
    if (!private_space) {
        unsigned i = tlb_index(pc);
        h->c->itag[i] = vpage;
        h->c->ipage[i] = cp;
    }
    return cp;
}

bool code_fetch_raw(struct hart *h, struct code_page *cp, uint64_t pc, uint32_t *raw)
{
    unsigned off = pc & (PAGE_SIZE - 1);
    uint16_t lo, hi = 0;
    mark_code(h, cp->paddr, cp->host);
    memcpy(&lo, cp->host + off, 2);
    int len = insn_length(lo);
    if (len == 4) {
        if (off + 2 < PAGE_SIZE) {
            memcpy(&hi, cp->host + off + 2, 2);
        } else {
            /* Straddles a page: the next page must be fetchable too, and a
             * store to it must invalidate this instruction (see invalidate). */
            uint64_t next;
            if (!mmu_translate(h, (pc + 2) & PAGE_MASK, PROT_X, &next)) {
                h->exc_tval = pc + 2;
                h->exc_missing = 0;
                return false;
            }
            uint8_t *host = h->bus.ram_page(h->bus.ctx, next);
            if (!host)
                return fault(h, EXC_INSN_ACCESS, pc + 2, 0);
            if (h->prot && !cp->private_space && !h->prot->check(h->prot_ctx, h, h->code_space, pc + 2, 2, PROT_X))
                return fault(h, EXC_INSN_ACCESS, pc + 2, PROT_X);
            mark_code(h, next, host);
            memcpy(&hi, host, 2);
        }
    }
    if (cp->private_space && !h->prot->check(h->prot_ctx, h, cp->private_space, pc, len, PROT_X))
        return fault(h, EXC_INSN_ACCESS, pc, PROT_X);
    *raw = lo | (uint32_t)hi << 16;
    return true;
}

/* Code in the physical page was overwritten: forget what was decoded from it
 * (and the last slot of the page before, which may straddle into it). */
static void invalidate_code(struct hart *h, uint64_t ppage)
{
    uint8_t *m = code_mark(h, ppage);
    if (!m || !*m)
        return;
    *m = 0;   /* marked again when something here is decoded again */
    for (struct code_page *cp = h->cpages[cpage_hash(h, ppage)]; cp; cp = cp->next)
        if (cp->paddr == ppage)
            cpage_reset_slots(cp);
    for (struct code_page *cp = h->cpages[cpage_hash(h, ppage - PAGE_SIZE)]; cp; cp = cp->next)
        if (cp->paddr == ppage - PAGE_SIZE)
            cp->slot[SLOTS_PER_PAGE - 1].impl = core_decode_impl;
}

void hart_code_written(struct hart *h, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    for (uint64_t p = addr & PAGE_MASK; p <= ((addr + len - 1) & PAGE_MASK); p += PAGE_SIZE)
        invalidate_code(h, p);
}

/* --- environments and their cached rights --- */

static struct tlb_set *set_for(struct hart *h, uint32_t space)
{
    struct tlb_set *lru = &h->sets[0];
    for (unsigned s = 0; s < TLB_SETS; s++) {
        if (h->sets[s].space == space) {
            h->sets[s].last_use = ++h->set_clock;
            return &h->sets[s];
        }
        if (h->sets[s].last_use < lru->last_use)
            lru = &h->sets[s];
    }
    set_flush(lru);
    if (lru->hits && h->prot && h->prot->plb_hits)
        h->prot->plb_hits(h->prot_ctx, lru->space & ~DIRECT_SET, lru->hits);
    lru->hits = 0;
    lru->space = space;
    lru->last_use = ++h->set_clock;
    return lru;
}

void hart_set_env(struct hart *h, uint32_t code_space, uint32_t data_space)
{
    h->code_space = code_space;
    h->data_space = data_space;
    h->d = set_for(h, data_space);
    /* The data space's set was just used, so this cannot evict it. */
    if (h->prot && h->data_direct)
        h->c = set_for(h, code_space | DIRECT_SET);
    else
        h->c = code_space == data_space ? h->d : set_for(h, code_space);
}

uint64_t hart_plb_hits(const struct hart *h, uint32_t space)
{
    uint64_t n = 0;
    for (unsigned s = 0; s < TLB_SETS; s++)
        if ((h->sets[s].space & ~DIRECT_SET) == space)
            n += h->sets[s].hits;
    return n;
}

void hart_flush_rights(struct hart *h)
{
    tlb_flush(h);
    /* Pages decoded for one code space checked X as they were decoded. */
    for (unsigned i = 0; i <= h->cpages_mask; i++)
        for (struct code_page *cp = h->cpages[i]; cp; cp = cp->next)
            if (cp->private_space)
                cpage_reset_slots(cp);
}

static void forget_page(struct tlb_set *t, uint64_t page)
{
    unsigned i = tlb_index(page);
    if ((t->r[i].tag & PAGE_MASK) == page)
        t->r[i].tag = TLB_INVALID;
    if ((t->w[i].tag & PAGE_MASK) == page)
        t->w[i].tag = TLB_INVALID;
    if (t->itag[i] == page)
        t->itag[i] = TLB_INVALID;
}

void hart_flush_space_range(struct hart *h, uint32_t space, uint64_t lo, uint64_t hi)
{
    uint64_t first = lo & PAGE_MASK, pages = hi > first ? ((hi - first - 1) >> PAGE_SHIFT) + 1 : 0;
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_set *t = &h->sets[s];
        if (t->space != space)
            continue;
        if (pages < TLB_SIZE / 4) {            /* a small range: visit its pages' slots */
            for (uint64_t n = 0; n < pages; n++)
                forget_page(t, first + (n << PAGE_SHIFT));
            continue;
        }
        for (unsigned i = 0; i < TLB_SIZE; i++) {
            if (t->r[i].tag != TLB_INVALID && (t->r[i].tag | (PAGE_SIZE - 1)) >= lo && (t->r[i].tag & PAGE_MASK) < hi)
                t->r[i].tag = TLB_INVALID;
            if (t->w[i].tag != TLB_INVALID && (t->w[i].tag | (PAGE_SIZE - 1)) >= lo && (t->w[i].tag & PAGE_MASK) < hi)
                t->w[i].tag = TLB_INVALID;
            if (t->itag[i] != TLB_INVALID && (t->itag[i] | (PAGE_SIZE - 1)) >= lo && t->itag[i] < hi)
                t->itag[i] = TLB_INVALID;
        }
    }
}

void hart_attach_prot(struct hart *h, const struct prot_ops *ops, void *ctx)
{
    h->prot = ops;
    h->prot_ctx = ctx;
    tlb_flush(h);
}

/* --- data accesses --- */

/* May the data space make this access?  Fills *cache with whether the
 * right covers the whole page (so the TLB may remember it). */
static bool allowed(struct hart *h, uint64_t addr, unsigned n, unsigned right, bool *cache)
{
    *cache = true;
    if (!h->prot)
        return true;
    unsigned r = h->prot->page_rights(h->prot_ctx, h, h->data_space, addr & PAGE_MASK, right);
    if (r & right)
        return true;
    *cache = false;
    return h->prot->check(h->prot_ctx, h, h->data_space, addr, n, right);
}

/* One access that stays within a page. */
static bool load_in_page(struct hart *h, uint64_t addr, int size, uint64_t *val)
{
    bool cache;
    if (!allowed(h, addr, size, PROT_R, &cache))
        return fault(h, EXC_LOAD_ACCESS, addr, PROT_R);
    uint64_t pa;
    if (!mmu_translate(h, addr, PROT_R, &pa)) {
        h->exc_missing = 0;
        return false;
    }
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (host) {
        h->cycle_base += h->cost.tlb_miss;
        if (cache) {
            struct tlb_entry *e = &h->d->r[tlb_index(addr)];
            e->tag = addr & PAGE_MASK;
            e->addend = (uintptr_t)host - (addr & PAGE_MASK);
        }
        *val = 0;
        memcpy(val, host + (pa & (PAGE_SIZE - 1)), size);
        return true;
    }
    h->event = 1;
    if (!h->bus.mmio_read(h->bus.ctx, pa, size, val))
        return fault(h, EXC_LOAD_ACCESS, addr, 0);
    if (size < 8)
        *val &= (1ull << (8 * size)) - 1;
    return true;
}

static bool store_in_page(struct hart *h, uint64_t addr, int size, uint64_t val)
{
    bool cache;
    if (!allowed(h, addr, size, PROT_W, &cache))
        return fault(h, EXC_STORE_ACCESS, addr, PROT_W);
    uint64_t pa;
    if (!mmu_translate(h, addr, PROT_W, &pa)) {
        h->exc_missing = 0;
        return false;
    }
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (host) {
        uint8_t *m = code_mark(h, pa & PAGE_MASK);
        if (m && *m) {
            memcpy(host + (pa & (PAGE_SIZE - 1)), &val, size);
            invalidate_code(h, pa & PAGE_MASK);
            return true;
        }
        h->cycle_base += h->cost.tlb_miss;
        if (cache) {
            struct tlb_entry *e = &h->d->w[tlb_index(addr)];
            e->tag = addr & PAGE_MASK;
            e->addend = (uintptr_t)host - (addr & PAGE_MASK);
        }
        memcpy(host + (pa & (PAGE_SIZE - 1)), &val, size);
        if (h->res_addr != ~0ull && (h->res_addr & ~7ull) == (addr & ~7ull))
            h->res_addr = ~0ull;
        return true;
    }
    h->event = 1;
    if (!h->bus.mmio_write(h->bus.ctx, pa, size, val))
        return fault(h, EXC_STORE_ACCESS, addr, 0);
    return true;
}

bool mem_load_slow(struct hart *h, uint64_t addr, int size, uint64_t *val)
{
    if ((addr & (PAGE_SIZE - 1)) + size <= PAGE_SIZE)
        return load_in_page(h, addr, size, val);
    /* Crosses a page: byte by byte, little-endian. */
    uint64_t v = 0;
    for (int i = 0; i < size; i++) {
        uint64_t b;
        if (!load_in_page(h, addr + i, 1, &b))
            return false;
        v |= b << (8 * i);
    }
    *val = v;
    return true;
}

bool mem_store_slow(struct hart *h, uint64_t addr, int size, uint64_t val)
{
    if ((addr & (PAGE_SIZE - 1)) + size <= PAGE_SIZE)
        return store_in_page(h, addr, size, val);
    /* Crosses a page: both sides must be writable RAM, so that a fault
     * writes nothing. */
    for (int i = 0; i < size; i++) {
        bool cache;
        uint64_t pa;
        if (!allowed(h, addr + i, 1, PROT_W, &cache))
            return fault(h, EXC_STORE_ACCESS, addr + i, PROT_W);
        if (!mmu_translate(h, addr + i, PROT_W, &pa)) {
            h->exc_missing = 0;
            return false;
        }
        if (!h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK))
            return fault(h, EXC_STORE_ACCESS, addr + i, 0);
    }
    for (int i = 0; i < size; i++)
        store_in_page(h, addr + i, 1, (val >> (8 * i)) & 0xff);
    return true;
}

void *mem_atomic_ptr(struct hart *h, uint64_t addr, int size, bool write)
{
    if (addr & (size - 1)) {
        fault(h, write ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED, addr, 0);
        return NULL;
    }
    bool cache;
    if (!allowed(h, addr, size, PROT_R, &cache)) {
        fault(h, write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, addr, PROT_R);
        return NULL;
    }
    if (write && !allowed(h, addr, size, PROT_W, &cache)) {
        fault(h, EXC_STORE_ACCESS, addr, PROT_W);
        return NULL;
    }
    uint64_t pa;
    if (!mmu_translate(h, addr, write ? PROT_W : PROT_R, &pa)) {
        h->exc_missing = 0;
        return NULL;
    }
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (!host) {
        fault(h, write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, addr, 0);
        return NULL;
    }
    if (write)
        invalidate_code(h, pa & PAGE_MASK);
    return host + (pa & (PAGE_SIZE - 1));
}

/* --- debug and board access (no rights, no TLB fills, no MMIO) --- */

bool hart_read_mem(struct hart *h, uint64_t addr, void *buf, unsigned n)
{
    uint8_t *out = buf;
    while (n) {
        uint64_t pa;
        if (!translate_quiet(h, addr, PROT_R, &pa))
            return false;
        unsigned off = pa & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
        if (!host)
            return false;
        memcpy(out, host + off, chunk);
        out += chunk, addr += chunk, n -= chunk;
    }
    return true;
}

bool hart_write_mem(struct hart *h, uint64_t addr, const void *buf, unsigned n)
{
    const uint8_t *in = buf;
    while (n) {
        uint64_t pa;
        if (!translate_quiet(h, addr, PROT_W, &pa))
            return false;
        unsigned off = pa & (PAGE_SIZE - 1), chunk = PAGE_SIZE - off < n ? PAGE_SIZE - off : n;
        uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
        if (!host)
            return false;
        memcpy(host + off, in, chunk);
        invalidate_code(h, pa & PAGE_MASK);
        in += chunk, addr += chunk, n -= chunk;
    }
    return true;
}

void code_cache_init(struct hart *h, uint64_t ram_base, uint64_t ram_size)
{
    h->cpages_mask = 4095;
    h->cpages = calloc(h->cpages_mask + 1, sizeof *h->cpages);
    h->code_mark_base = ram_base;
    h->code_mark_pages = ram_size >> PAGE_SHIFT;
    h->code_mark = calloc(h->code_mark_pages ? h->code_mark_pages : 1, 1);
    if (!h->cpages || !h->code_mark) {
        fprintf(stderr, "peerless: out of host memory\n");
        exit(70);
    }
    tlb_flush(h);
    h->d = h->c = &h->sets[0];
    h->sets[0].space = 0;
}

void code_cache_free(struct hart *h)
{
    code_cache_flush(h);
    free(h->cpages);
    free(h->code_mark);
    h->cpages = NULL;
    h->code_mark = NULL;
}
