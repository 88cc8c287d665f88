/* mem: owns free RAM (the pool and the program slots) and hands it out as
 * grants.  Each region is a grant from mem with R|W|X|P to the space that
 * asked for it; that space may grant it on, and MEM_FREE revokes mem's
 * grant, which takes every grant derived from it along (cascading).
 * Every region is charged to a space against that space's quota, so no
 * space can exhaust memory for the others. */
#include "kern.h"

#define MAX_REGIONS 256
#define MAX_ACCOUNTS 64
#define DEFAULT_QUOTA (8UL << 20)

struct region {
    uint64_t base, size;
    long grant;        /* mem's grant to the holder */
    uint64_t charged;  /* the space it counts against */
};
struct account { uint64_t space, used, quota; };

static struct region regions[MAX_REGIONS];
static struct account accounts[MAX_ACCOUNTS];

static struct account *account(uint64_t space, int make)
{
    struct account *empty = 0;
    for (int i = 0; i < MAX_ACCOUNTS; i++) {
        if (accounts[i].space == space)
            return &accounts[i];
        if (!accounts[i].space && !empty)
            empty = &accounts[i];
    }
    if (make && empty) {
        empty->space = space;
        empty->used = 0;
        empty->quota = DEFAULT_QUOTA;
    }
    return make ? empty : 0;
}

static int overlaps(uint64_t base, uint64_t size)
{
    for (int i = 0; i < MAX_REGIONS; i++)
        if (regions[i].size && base < regions[i].base + regions[i].size && regions[i].base < base + size)
            return 1;
    return 0;
}

/* First fit in the pool, page granular. */
static uint64_t find_free(uint64_t size)
{
    uint64_t at = KMEM_POOL_BASE;
    while (at + size <= KMEM_POOL_END) {
        int moved = 0;
        for (int i = 0; i < MAX_REGIONS; i++)
            if (regions[i].size && at < regions[i].base + regions[i].size && regions[i].base < at + size) {
                at = regions[i].base + regions[i].size;
                moved = 1;
            }
        if (!moved)
            return at;
    }
    return 0;
}

static long mem_alloc(uint64_t charged, uint64_t base, uint64_t size, uint64_t holder)
{
    size = (size + PEER_PAGE_SIZE - 1) & ~(PEER_PAGE_SIZE - 1);
    if (!size || !charged || !holder)
        return KE_INVAL;
    struct account *a = account(charged, 1);
    if (!a || a->used + size > a->quota)
        return KE_NOMEM;
    if (base) {
        uint64_t end = KPROG_SLOT_BASE + KPROG_SLOTS * KPROG_SLOT_SIZE;
        if (base & (PEER_PAGE_SIZE - 1) || base < KMEM_POOL_BASE || base + size > end)
            return KE_INVAL;
        if (overlaps(base, size))
            return KE_BUSY;
    } else if (!(base = find_free(size))) {
        return KE_NOMEM;
    }
    struct region *r = 0;
    for (int i = 0; i < MAX_REGIONS && !r; i++)
        if (!regions[i].size)
            r = &regions[i];
    if (!r)
        return KE_NOMEM;
    long g = pl_grant(holder, base, size, PL_R | PL_W | PL_X | PL_P);
    if (g < 0)
        return g;
    r->base = base;
    r->size = size;
    r->grant = g;
    r->charged = charged;
    a->used += size;
    return (long)base;
}

static void release(struct region *r)
{
    pl_revoke(r->grant);   /* and everything granted from it */
    struct account *a = account(r->charged, 0);
    if (a)
        a->used -= r->size;
    r->size = 0;
}

static long mem_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case MEM_ALLOC: return mem_alloc((uint64_t)a1, (uint64_t)a2, (uint64_t)a3, (uint64_t)a4);
    case MEM_FREE:
        for (int i = 0; i < MAX_REGIONS; i++)
            if (regions[i].size && regions[i].base == (uint64_t)a1) {
                release(&regions[i]);
                return 0;
            }
        return KE_NOENT;
    case MEM_RECLAIM: {
        long bytes = 0;
        for (int i = 0; i < MAX_REGIONS; i++)
            if (regions[i].size && regions[i].charged == (uint64_t)a1) {
                bytes += (long)regions[i].size;
                release(&regions[i]);
            }
        struct account *a = account((uint64_t)a1, 0);
        if (a)
            a->space = 0;
        return bytes;
    }
    case MEM_QUOTA: {
        struct account *a = account((uint64_t)a1, 1);
        if (!a)
            return KE_NOMEM;
        a->quota = (uint64_t)a2;
        return 0;
    }
    case MEM_USED: {
        struct account *a = account((uint64_t)a1, 0);
        return a ? (long)a->used : 0;
    }
    case MEM_FREE_BYTES: {
        long used = 0;
        for (int i = 0; i < MAX_REGIONS; i++)
            if (regions[i].size && regions[i].base < KMEM_POOL_END)
                used += (long)regions[i].size;
        return (long)(KMEM_POOL_END - KMEM_POOL_BASE) - used;
    }
    case MEM_GRANT_ID:
        for (int i = 0; i < MAX_REGIONS; i++)
            if (regions[i].size && regions[i].base == (uint64_t)a1)
                return regions[i].grant;
        return KE_NOENT;
    }
    return KE_INVAL;
}

static void init(struct kinit *m)
{
    long g = pl_make_gate((uint64_t)mem_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
}
KINIT_ENTRY(mem, init)
