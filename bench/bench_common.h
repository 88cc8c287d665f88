/* Helpers shared by the benchmark programs: a deterministic pseudo-random
 * generator (so every run does the same work and prints the same checksum)
 * and a checksum mixer.  Nothing here reads a clock: a benchmark's output
 * must be identical on every emulator, so the runner can compare it.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>

/* xorshift64: full period over nonzero states, three shifts per draw. */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* Folds a value into a running checksum; order-sensitive, so a result
 * computed in the wrong order changes the checksum too. */
static inline uint64_t bench_mix(uint64_t sum, uint64_t v)
{
    sum ^= v + 0x9e3779b97f4a7c15ULL + (sum << 6) + (sum >> 2);
    return sum;
}

#endif
