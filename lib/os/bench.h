/* What the kernel's benchmark programs (kbench, fsbench) share: the
 * counters they read around an operation (the instret, cycle and time
 * CSRs) and the line they print for it, which bench/ parses:
 *   op NAME ITERATIONS INSTRET CYCLES TICKS */
#ifndef PEERLESS_OS_BENCH_H
#define PEERLESS_OS_BENCH_H

#include <stdint.h>
#include <stdio.h>

struct counters { uint64_t instret, cycles, ticks; };

static inline __attribute__((always_inline)) struct counters counters_now(void)
{
    struct counters c;
    __asm__ volatile("rdinstret %0\n\trdcycle %1\n\trdtime %2"
                     : "=r"(c.instret), "=r"(c.cycles), "=r"(c.ticks) :: "memory");
    return c;
}

static inline void report(const char *name, long n, struct counters t0, struct counters t1)
{
    printf("op %s %ld %lu %lu %lu\n", name, n, (unsigned long)(t1.instret - t0.instret),
           (unsigned long)(t1.cycles - t0.cycles), (unsigned long)(t1.ticks - t0.ticks));
}

#endif
