/* The counters page's PLB_HITS, exactly: a gate into lib whose entry makes
 * N loads and N stores to one page of lib's data in a loop that stays in
 * one code page.  Once lib's pages are cached each call is N * 2 hits and
 * no misses; the first call misses at most for the load, the store and
 * the fetch at the entry.  Then other spaces run until lib's cache set has
 * gone to one of them: the hits it held are still lib's. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

#ifndef N
#define N 1000
#endif

#define OTHERS 9        /* spaces enough to take every cache set the hart has */

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_o[OTHERS][4096] __attribute__((aligned(16)));

PEER_BSS(lib) uint64_t lib_cells[2];

/* A gate entry: a0 the address, a1 the count (>= 1); returns a0 as it
 * came.  Touches nothing else. */
PEER_TEXT(lib) __attribute__((naked, aligned(64))) void lib_loads(void)
{
    __asm__ volatile("1: ld t0, 0(a0)\n"
                     "   sd t0, 8(a0)\n"
                     "   addi a1, a1, -1\n"
                     "   bnez a1, 1b\n"
                     "   ret\n");
}

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a;
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);
    long g = pl_call(ga, AG_GATE, (uint64_t)lib_loads, PL_GATE_OWN_DATA, 64, 0);
    CHECK(g > 0);

    printf("plbhits: lookups of lib's protection cache, counted exactly\n");
    for (int call = 0; call < 3; call++) {
        uint64_t h0 = counter(a, COUNTERS_PLB_HITS), m0 = counter(a, COUNTERS_PLB_MISSES);
        EXPECT_RETURN(pl_call((uint64_t)g, (uint64_t)lib_cells, N), (long)lib_cells);
        uint64_t hits = counter(a, COUNTERS_PLB_HITS) - h0, misses = counter(a, COUNTERS_PLB_MISSES) - m0;
        printf("  call %d: %lu hits, %lu misses\n", call, (unsigned long)hits, (unsigned long)misses);
        if (call == 0) {
            CHECK(misses <= 3);
            CHECK(hits <= 2 * N && hits >= 2 * N - 2);
        } else {                 /* everything lib touches is cached by now */
            CHECK_EQ(misses, 0);
            CHECK_EQ(hits, 2 * N);
        }
    }
    /* More spaces of the same code, each called once: lib's set changes hands. */
    uint64_t before = counter(a, COUNTERS_PLB_HITS);
    for (int i = 0; i < OTHERS; i++) {
        long o;
        uint64_t go = ptest_spawn(&ia, lib_start, 0, stack_o[i], &o);
        EXPECT_RETURN(pl_call(go, AG_ECHO, i), i + 1);
    }
    CHECK_EQ(counter(a, COUNTERS_PLB_HITS), before);
    uint64_t h0 = counter(a, COUNTERS_PLB_HITS), m0 = counter(a, COUNTERS_PLB_MISSES);
    EXPECT_RETURN(pl_call((uint64_t)g, (uint64_t)lib_cells, N), (long)lib_cells);
    uint64_t hits = counter(a, COUNTERS_PLB_HITS) - h0, misses = counter(a, COUNTERS_PLB_MISSES) - m0;
    printf("  after the others: %lu hits, %lu misses\n", (unsigned long)hits, (unsigned long)misses);
    CHECK_EQ(misses, 3);           /* a fresh set: the fetch at the entry, the load and the store */
    CHECK_EQ(hits, 2 * N - 2);
    CHECK_EQ(counter(999999, COUNTERS_PLB_HITS), 0);      /* no such space: zero */
    printf("plbhits: ok (%d checks)\n", ptest_checks);
    return 0;
}
