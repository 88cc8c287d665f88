/* Memory slow paths and the decode cache.
 *
 * The interpreter's fast path is a software-TLB hit (exec.c).  Everything
 * else lands here: filling the TLB from the board's RAM map, misaligned and
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

void tlb_flush(struct hart *h)
{
    for (unsigned i = 0; i < TLB_SIZE; i++) {
        h->rtlb[i].tag = h->wtlb[i].tag = TLB_INVALID;
        h->itlb_tag[i] = TLB_INVALID;
    }
}

/* --- which RAM pages hold decoded code --- */

static uint8_t *code_mark(struct hart *h, uint64_t paddr)
{
    uint64_t n = (paddr - h->code_mark_base) >> PAGE_SHIFT;
    return n < h->code_mark_pages ? &h->code_mark[n] : NULL;
}

/* Translation (none yet: the bare machine maps virtual = physical). */
static inline uint64_t translate(struct hart *h, uint64_t vaddr) { return vaddr; }

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
    for (unsigned i = 0; i < TLB_SIZE; i++)
        h->itlb_tag[i] = TLB_INVALID;
}

static struct code_page *cpage_find(struct hart *h, uint64_t paddr)
{
    for (struct code_page *cp = h->cpages[cpage_hash(h, paddr)]; cp; cp = cp->next)
        if (cp->paddr == paddr)
            return cp;
    return NULL;
}

/* A page is about to hold decoded code: stores to it must now take the slow
 * path, so drop every write-TLB entry that points into it. */
static void mark_code(struct hart *h, uint64_t paddr, uint8_t *host)
{
    uint8_t *m = code_mark(h, paddr);
    if (!m || *m)
        return;
    *m = 1;
    for (unsigned i = 0; i < TLB_SIZE; i++)
        if (h->wtlb[i].tag != TLB_INVALID && (uint8_t *)(uintptr_t)((h->wtlb[i].tag & PAGE_MASK) + h->wtlb[i].addend) == host)
            h->wtlb[i].tag = TLB_INVALID;
}

struct code_page *code_lookup(struct hart *h, uint64_t pc)
{
    uint64_t vpage = pc & PAGE_MASK, ppage = translate(h, vpage);
    struct code_page *cp = cpage_find(h, ppage);
    if (!cp) {
        uint8_t *host = h->bus.ram_page(h->bus.ctx, ppage);
        if (!host) {
            h->exc_cause = EXC_INSN_ACCESS;
            h->exc_tval = pc;
            return NULL;
        }
        if (h->cpages_used >= CODE_PAGES_MAX)
            code_cache_flush(h);
        cp = malloc(sizeof *cp);
        if (!cp) {
            fprintf(stderr, "peerless: out of host memory for decoded code\n");
            exit(70);
        }
        cp->vaddr = vpage;
        cp->paddr = ppage;
        cp->host = host;
        cpage_reset_slots(cp);
        unsigned b = cpage_hash(h, ppage);
        cp->next = h->cpages[b];
        h->cpages[b] = cp;
        h->cpages_used++;
        mark_code(h, ppage, host);
    }
    unsigned i = tlb_index(pc);
    h->itlb_tag[i] = vpage;
    h->itlb_page[i] = cp;
    return cp;
}

bool code_fetch_raw(struct hart *h, struct code_page *cp, uint64_t pc, uint32_t *raw)
{
    unsigned off = pc & (PAGE_SIZE - 1);
    uint16_t lo, hi = 0;
    mark_code(h, cp->paddr, cp->host);
    memcpy(&lo, cp->host + off, 2);
    if (insn_length(lo) == 4) {
        if (off + 2 < PAGE_SIZE) {
            memcpy(&hi, cp->host + off + 2, 2);
        } else {
            /* Straddles a page: the next page must be fetchable too, and a
             * store to it must invalidate this instruction (see invalidate). */
            uint64_t next = translate(h, (pc + 2) & PAGE_MASK);
            uint8_t *host = h->bus.ram_page(h->bus.ctx, next);
            if (!host) {
                h->exc_cause = EXC_INSN_ACCESS;
                h->exc_tval = pc + 2;
                return false;
            }
            mark_code(h, next, host);
            memcpy(&hi, host, 2);
        }
    }
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
    struct code_page *cp = cpage_find(h, ppage);
    if (cp)
        cpage_reset_slots(cp);
    struct code_page *prev = cpage_find(h, ppage - PAGE_SIZE);
    if (prev)
        prev->slot[SLOTS_PER_PAGE - 1].impl = core_decode_impl;
}

void hart_code_written(struct hart *h, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    for (uint64_t p = addr & PAGE_MASK; p <= ((addr + len - 1) & PAGE_MASK); p += PAGE_SIZE)
        invalidate_code(h, p);
}

/* --- data accesses --- */

static bool fault(struct hart *h, uint64_t cause, uint64_t addr)
{
    h->exc_cause = cause;
    h->exc_tval = addr;
    return false;
}

/* One access that stays within a page. */
static bool load_in_page(struct hart *h, uint64_t addr, int size, uint64_t *val)
{
    uint64_t pa = translate(h, addr);
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (host) {
        struct tlb_entry *e = &h->rtlb[tlb_index(addr)];
        e->tag = addr & PAGE_MASK;
        e->addend = (uintptr_t)host - (addr & PAGE_MASK);
        *val = 0;
        memcpy(val, host + (pa & (PAGE_SIZE - 1)), size);
        return true;
    }
    h->event = 1;
    if (!h->bus.mmio_read(h->bus.ctx, pa, size, val))
        return fault(h, EXC_LOAD_ACCESS, addr);
    if (size < 8)
        *val &= (1ull << (8 * size)) - 1;
    return true;
}

static bool store_in_page(struct hart *h, uint64_t addr, int size, uint64_t val)
{
    uint64_t pa = translate(h, addr);
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (host) {
        uint8_t *m = code_mark(h, pa & PAGE_MASK);
        if (m && *m) {
            memcpy(host + (pa & (PAGE_SIZE - 1)), &val, size);
            invalidate_code(h, pa & PAGE_MASK);
            return true;
        }
        struct tlb_entry *e = &h->wtlb[tlb_index(addr)];
        e->tag = addr & PAGE_MASK;
        e->addend = (uintptr_t)host - (addr & PAGE_MASK);
        memcpy(host + (pa & (PAGE_SIZE - 1)), &val, size);
        if (h->res_addr != ~0ull && (h->res_addr & ~7ull) == (addr & ~7ull))
            h->res_addr = ~0ull;
        return true;
    }
    h->event = 1;
    if (!h->bus.mmio_write(h->bus.ctx, pa, size, val))
        return fault(h, EXC_STORE_ACCESS, addr);
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
    /* Crosses a page: both sides must be RAM, so that a fault writes nothing. */
    for (int i = 0; i < size; i++)
        if (!h->bus.ram_page(h->bus.ctx, translate(h, addr + i) & PAGE_MASK))
            return fault(h, EXC_STORE_ACCESS, addr + i);
    for (int i = 0; i < size; i++)
        store_in_page(h, addr + i, 1, (val >> (8 * i)) & 0xff);
    return true;
}

void *mem_atomic_ptr(struct hart *h, uint64_t addr, int size, bool write)
{
    if (addr & (size - 1)) {
        fault(h, write ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED, addr);
        return NULL;
    }
    uint64_t pa = translate(h, addr);
    uint8_t *host = h->bus.ram_page(h->bus.ctx, pa & PAGE_MASK);
    if (!host) {
        fault(h, write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, addr);
        return NULL;
    }
    if (write)
        invalidate_code(h, pa & PAGE_MASK);
    return host + (pa & (PAGE_SIZE - 1));
}

/* --- debug and board access (no TLB fills, no MMIO side effects) --- */

bool hart_read_mem(struct hart *h, uint64_t addr, void *buf, unsigned n)
{
    uint8_t *out = buf;
    while (n) {
        uint64_t pa = translate(h, addr);
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
        uint64_t pa = translate(h, addr);
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
}

void code_cache_free(struct hart *h)
{
    code_cache_flush(h);
    free(h->cpages);
    free(h->code_mark);
    h->cpages = NULL;
    h->code_mark = NULL;
}
