/* The entropy source: 8-byte reads of RNG_DATA give distinct random
 * values; every other access is refused. */
#include "unit.h"
#include "dev/rng.h"

#include <peerless/peer.h>

int main(void)
{
    struct rng *g = rng_new();
    CHECK(g != NULL);
    struct mmio_region r = rng_mmio(g, PEER_RNG);
    CHECK_EQ(r.base, PEER_RNG);
    CHECK_EQ(r.size, 0x1000);

    /* 100 reads, across several refills of its 256-byte buffer: all
     * distinct, about half the bits set (6400 fair bits: 3200 +- 40). */
    uint64_t v[100];
    int ones = 0, distinct = 1;
    for (int i = 0; i < 100; i++) {
        CHECK(r.read(r.opaque, RNG_DATA, 8, &v[i]));
        ones += __builtin_popcountll(v[i]);
        for (int j = 0; j < i; j++)
            distinct &= v[i] != v[j];
    }
    CHECK(distinct);
    CHECK(ones > 3200 - 400 && ones < 3200 + 400);

    uint64_t x = 0;
    CHECK(!r.read(r.opaque, RNG_DATA, 4, &x));
    CHECK(!r.read(r.opaque, RNG_DATA, 1, &x));
    CHECK(!r.read(r.opaque, 8, 8, &x));
    CHECK(!r.write(r.opaque, RNG_DATA, 8, 0));
    rng_free(g);
    return unit_report("rng");
}
