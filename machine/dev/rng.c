/* The entropy source: RNG_DATA reads 64 bits from the host's getrandom,
 * taken from a small buffer refilled 256 bytes at a time (one system call
 * per 32 reads). */
#include "dev/rng.h"

#include <peerless/peer.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct rng {
    uint8_t pool[256];
    size_t used;   /* bytes of pool already handed out */
};

static bool refill(struct rng *r)
{
    size_t got = 0;
    while (got < sizeof r->pool) {
        ssize_t n = getrandom(r->pool + got, sizeof r->pool - got, 0);
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    r->used = 0;
    return true;
}

static bool rng_read(void *opaque, uint64_t off, int size, uint64_t *val)
{
    struct rng *r = opaque;
    if (off != RNG_DATA || size != 8)
        return false;
    if (r->used + 8 > sizeof r->pool && !refill(r))
        return false;
    memcpy(val, r->pool + r->used, 8);
    memset(r->pool + r->used, 0, 8);   /* handed out once only */
    r->used += 8;
    return true;
}

static bool rng_write(void *opaque, uint64_t off, int size, uint64_t val)
{
    return false;
}

struct rng *rng_new(void)
{
    struct rng *r = calloc(1, sizeof *r);
    if (r)
        r->used = sizeof r->pool;   /* filled on the first read */
    return r;
}

void rng_free(struct rng *r)
{
    free(r);
}

struct mmio_region rng_mmio(struct rng *r, uint64_t base)
{
    return (struct mmio_region){
        .name = "rng", .base = base, .size = RNG_MMIO_SIZE, .opaque = r,
        .read = rng_read, .write = rng_write,
    };
}
