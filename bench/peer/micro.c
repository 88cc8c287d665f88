/* Micro-benchmarks of the peer machine's protection operations, measured
 * from inside the guest: a gate call and return, a normal call and
 * return, a grant plus revoke, an interrupt's entry and exit, creating
 * spaces and making grants, and a load/store loop before and after a
 * million spaces and two million grants exist.
 *
 * Each measurement reads the instret, cycle and time CSRs before and after
 * a loop of many iterations and prints one line:
 *
 *     op NAME ITERATIONS INSTRET CYCLES TICKS [ACCESSES]
 *
 * (totals over the loop; TICKS of the 10 MHz time CSR, i.e. 100 ns of
 * host time each; ACCESSES: loads and stores the loop made, for the access
 * loops).  bench/peer/micro.py turns them into per-operation figures.  The
 * program checks every result it can (the callee's return values, grant
 * and revoke results, the handler's count) and exits non-zero if one is
 * wrong, so a broken operation cannot pass as a fast one.
 */
#include <stdio.h>
#include <stdlib.h>
#include "peer_rt.h"

#define CALLS        200000     /* iterations of each per-operation loop */
#define CALLS_AFTER  50         /* the same, in a space holding a million grants */
#define SPACES       1000000    /* spaces created */
#define GRANTS       1000000    /* grants made in each of the two ways */
#define TOUCH_WORDS  2048       /* 16 KiB: the access loop's buffer */
#define TOUCH_REPS   256        /* passes over it: 1 Mi loads + 1 Mi stores */

/* A window of the address space no memory backs, for the page-sized
 * grants: rights are bookkeeping, whatever lies at the address, and
 * distinct pages keep the grants from merely overlapping. */
#define GRANT_WINDOW_A 0x0000010000000000UL   /* one page to each new space */
#define GRANT_WINDOW_B 0x0000020000000000UL   /* pages to one space */

struct counters { uint64_t instret, cycles, ticks; };

static inline __attribute__((always_inline)) struct counters counters_now(void)
{
    struct counters c;
    __asm__ volatile("rdinstret %0\n\trdcycle %1\n\trdtime %2"
                     : "=r"(c.instret), "=r"(c.cycles), "=r"(c.ticks) :: "memory");
    return c;
}

/* ------------------------------------------------------------------ */
/* The other space ("lib"): an empty callee and an access loop.        */
/* ------------------------------------------------------------------ */

PEER_BSS(lib) uint64_t lib_buf[TOUCH_WORDS];
PEER_BSS(lib) uint64_t lib_touch_gate;
PEER_BSS(lib) struct counters lib_touch_counters[2];

/* The access loop both spaces run: one pass over the buffer to warm the
 * caches, then TOUCH_REPS timed passes of load, add, store.  The counters
 * are read inside the loop's own space, so a gate call into it is not
 * part of the figure.  Always inlined, so each space runs a copy in its
 * own pages; the empty asm keeps the compiler from making it a call. */
static inline __attribute__((always_inline)) void touch(volatile uint64_t *buf, struct counters *c)
{
    for (uint64_t r = 0; r <= TOUCH_REPS; r++) {
        if (r == 1)
            c[0] = counters_now();
        for (uint64_t i = 0; i < TOUCH_WORDS; i++) {
            buf[i] = buf[i] + i;
            __asm__ volatile("");
        }
    }
    c[1] = counters_now();
}

PEER_TEXT(lib) long lib_inc(long a) { return a + 1; }

PEER_TEXT(lib) long lib_touch(void)
{
    touch(lib_buf, lib_touch_counters);
    return 0;
}

/* Init, on the spawn thread inside lib: make both gates. */
PEER_TEXT(lib) uint64_t lib_init(uint64_t arg)
{
    (void)arg;
    long touch_gate = pl_make_gate((uint64_t)lib_touch, PL_GATE_OWN_DATA, 256, peer_read_gp(), 0);
    if (touch_gate < 0)
        return 0;
    lib_touch_gate = (uint64_t)touch_gate;
    long inc_gate = pl_make_gate((uint64_t)lib_inc, PL_GATE_OWN_DATA, 64, peer_read_gp(), 0);
    return inc_gate < 0 ? 0 : (uint64_t)inc_gate;
}
PEER_SPAWN_ENTRY(lib, lib_start, lib_init)

/* ------------------------------------------------------------------ */
/* The root: measurements.                                             */
/* ------------------------------------------------------------------ */

static uint8_t spawn_stack[4096] __attribute__((aligned(16)));
static uint64_t root_buf[TOUCH_WORDS];
static uint8_t lent_page[4096] __attribute__((aligned(4096)));
static uint32_t space_ids[SPACES];
static volatile uint64_t soft_irqs;

static void report(const char *name, uint64_t iterations, struct counters t0, struct counters t1,
                   uint64_t accesses)
{
    printf("op %s %lu %lu %lu %lu", name, (unsigned long)iterations,
           (unsigned long)(t1.instret - t0.instret), (unsigned long)(t1.cycles - t0.cycles),
           (unsigned long)(t1.ticks - t0.ticks));
    if (accesses)
        printf(" %lu", (unsigned long)accesses);
    printf("\n");
}

static void fail(const char *what, long value)
{
    printf("micro: FAILED: %s (%ld)\n", what, value);
    exit(1);
}

__attribute__((noipa)) static long root_inc(long a) { return a + 1; }

__attribute__((noinline)) static void root_touch(struct counters *c) { touch(root_buf, c); }

/* The software interrupt's handler: lower the source and return. */
static long on_soft_irq(long source)
{
    peer_timer_soft(0);
    soft_irqs++;
    return source;
}

/* The empty loop: what every per-operation loop costs besides its body. */
static void measure_loop(void)
{
    struct counters t0 = counters_now();
    for (long i = 0; i < CALLS; i++)
        __asm__ volatile("");
    struct counters t1 = counters_now();
    report("loop", CALLS, t0, t1, 0);
}

/* Calls of fn(a) = a + 1 in a loop: the same loop (an indirect call)
 * whether fn is a function or a gate, so only the target differs. */
__attribute__((noipa)) static void measure_calls(const char *name, long (*fn)(long), long calls)
{
    long acc = 0;
    struct counters t0 = counters_now();
    for (long i = 0; i < calls; i++)
        acc = fn(acc);
    struct counters t1 = counters_now();
    if (acc != calls || pl_status() != 0)
        fail("calls returned a wrong sum", acc);
    report(name, calls, t0, t1, 0);
}

static void measure_grant_revoke(const char *name, long space, long calls)
{
    long bad = 0;
    struct counters t0 = counters_now();
    for (long i = 0; i < calls; i++) {
        long g = pl_grant((uint64_t)space, (uint64_t)lent_page, sizeof lent_page, PL_R | PL_W);
        bad |= pl_revoke(g) | (g <= 0);
    }
    struct counters t1 = counters_now();
    if (bad)
        fail("a grant or revoke failed", bad);
    report(name, calls, t0, t1, 0);
}

static void measure_interrupt(void)
{
    long handler = pl_make_gate((uint64_t)on_soft_irq, PL_GATE_OWN_DATA, 1024, peer_read_gp(), peer_read_tp());
    if (handler <= 0)
        fail("no gate for the interrupt handler", handler);
    peer_timer_soft(0);
    peer_irq_config(IRQ_SRC_SOFT, (uint64_t)handler, 1);
    soft_irqs = 0;
    struct counters t0 = counters_now();
    for (long i = 0; i < CALLS; i++)
        peer_timer_soft(1);        /* taken at the next instruction boundary */
    struct counters t1 = counters_now();
    peer_irq_config(IRQ_SRC_SOFT, 0, 0);
    if (soft_irqs != CALLS)
        fail("interrupts taken", (long)soft_irqs);
    report("interrupt", CALLS, t0, t1, 0);
}

/* The load/store loop, in the root and in lib (through a gate). */
static void measure_access(const char *when)
{
    char name[32];
    const uint64_t accesses = 2UL * TOUCH_WORDS * TOUCH_REPS;
    struct counters c[2];

    root_touch(c);
    snprintf(name, sizeof name, "access_root_%s", when);
    report(name, 1, c[0], c[1], accesses);

    ((long (*)(void))lib_touch_gate)();
    if (pl_status() != 0)
        fail("the access loop in lib was unwound", pl_status());
    snprintf(name, sizeof name, "access_lib_%s", when);
    report(name, 1, lib_touch_counters[0], lib_touch_counters[1], accesses);
}

static void create_spaces(void)
{
    struct counters t0 = counters_now();
    for (long i = 0; i < SPACES; i++) {
        long id = peer_space_create();
        if (id <= 0)
            fail("SPACE_CREATE", id);
        space_ids[i] = (uint32_t)id;
    }
    struct counters t1 = counters_now();
    report("space_create", SPACES, t0, t1, 0);
}

/* One page to each of the new spaces. */
static void grant_to_many(void)
{
    struct counters t0 = counters_now();
    for (long i = 0; i < GRANTS; i++) {
        long g = pl_grant(space_ids[i % SPACES], GRANT_WINDOW_A + 4096UL * (uint64_t)i, 4096, PL_R | PL_W);
        if (g <= 0)
            fail("grant to a new space", g);
    }
    struct counters t1 = counters_now();
    report("grant_many_spaces", GRANTS, t0, t1, 0);
}

/* Many pages to one space: lib, whose access loop is measured. */
static void grant_to_one(long space)
{
    struct counters t0 = counters_now();
    for (long i = 0; i < GRANTS; i++) {
        long g = pl_grant((uint64_t)space, GRANT_WINDOW_B + 4096UL * (uint64_t)i, 4096, PL_R | PL_W);
        if (g <= 0)
            fail("grant to lib", g);
    }
    struct counters t1 = counters_now();
    report("grant_one_space", GRANTS, t0, t1, 0);
}

int main(void)
{
    struct peer_image image = PEER_IMAGE(lib);
    long lib = peer_space_new(&image);
    if (lib <= 1)
        fail("creating space lib", lib);
    int ok;
    uint64_t inc_gate = peer_spawn((uint64_t)lib, lib_start, 0, spawn_stack, sizeof spawn_stack, &ok);
    if (!ok || !inc_gate || !lib_touch_gate)
        fail("spawning lib", (long)inc_gate);

    measure_loop();
    measure_calls("call", root_inc, CALLS);
    measure_calls("gate", (long (*)(long))inc_gate, CALLS);
    measure_grant_revoke("grant_revoke", lib, CALLS);
    measure_interrupt();

    measure_access("before");
    create_spaces();
    grant_to_many();
    grant_to_one(lib);
    printf("live spaces %ld, grants held by lib %ld\n", peer_space_live(), peer_space_grant_count((uint64_t)lib));
    measure_access("after");
    /* And the operations a space with a million grants makes. */
    measure_calls("gate_after", (long (*)(long))inc_gate, CALLS_AFTER);
    measure_grant_revoke("grant_revoke_after", lib, CALLS_AFTER);
    return 0;
}
