/* The libc Argon2 needs and the kernel does not have (it links no libc:
 * kernel/README.md): malloc and free, over an arena in sec's own pages,
 * and sprintf for its PHC strings.  Argon2's sources are compiled with
 * -Dmalloc=sec_malloc -Dfree=sec_free -Dsprintf=sec_sprintf (sec.mk), so
 * these names stay sec's and clash with no other space's.
 *
 * The allocator is first fit over a list of blocks in address order, each
 * with a header giving its size and whether it is free; free merges a block
 * with a free neighbour after it, and the walk merges runs of free blocks
 * it meets.  Argon2 asks for one big block (its memory, m KiB) and a few
 * small ones per hash, so the list stays short.  Freed memory is wiped:
 * Argon2's blocks are derived from passwords. */
#include "sec.h"

#define ARENA_SIZE ((size_t)SEC_M_KIB * 1024 + 64 * 1024)
#define ALIGN 16

struct block {
    size_t size;   /* bytes, header included; a multiple of ALIGN */
    size_t free;
};

static uint8_t arena[ARENA_SIZE] __attribute__((aligned(ALIGN)));
static int ready;
static size_t used;

static struct block *next(struct block *b)
{
    uint8_t *n = (uint8_t *)b + b->size;
    return n < arena + ARENA_SIZE ? (struct block *)n : 0;
}

void *sec_malloc(size_t n)
{
    if (!ready) {
        struct block *all = (struct block *)arena;
        all->size = ARENA_SIZE;
        all->free = 1;
        ready = 1;
    }
    if (n == 0 || n > ARENA_SIZE)
        return 0;
    size_t need = (n + sizeof(struct block) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    for (struct block *b = (struct block *)arena; b; b = next(b)) {
        if (!b->free)
            continue;
        for (struct block *m = next(b); m && m->free; m = next(b))
            b->size += m->size;
        if (b->size < need)
            continue;
        if (b->size - need >= sizeof(struct block) + ALIGN) {
            struct block *rest = (struct block *)((uint8_t *)b + need);
            rest->size = b->size - need;
            rest->free = 1;
            b->size = need;
        }
        b->free = 0;
        used += b->size;
        return b + 1;
    }
    return 0;
}

void sec_free(void *p)
{
    if (!p)
        return;
    struct block *b = (struct block *)p - 1;
    wipe(p, b->size - sizeof *b);
    used -= b->size;
    b->free = 1;
    struct block *n = next(b);
    if (n && n->free)
        b->size += n->size;
}

size_t sec_arena_used(void)
{
    return used;
}

/* Argon2 formats decimal numbers with it (encoding.c). */
int sec_sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvfmt(buf, 30, fmt, ap);   /* only "%lu" into its char tmp[30] */
    va_end(ap);
    return n;
}
