/* The counters page: per-space and per-gate counts that guests can read. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

static uint8_t stack_a[4096] __attribute__((aligned(16)));

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a;
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);

    printf("counters: calls, instructions, faults\n");
    uint64_t calls0 = counter(a, COUNTERS_CALLS), insns0 = counter(a, COUNTERS_INSNS);
    uint64_t faults0 = counter(a, COUNTERS_FAULTS);
    peer_ctl_write(PEER_COUNTERS, COUNTERS_GATE, ga);
    uint64_t gcalls0 = peer_ctl_read(PEER_COUNTERS, COUNTERS_GATE_CALLS);
    for (int i = 0; i < 10; i++)
        EXPECT_RETURN(pl_call(ga, AG_ECHO, i), i + 1);
    CHECK_EQ(counter(a, COUNTERS_CALLS) - calls0, 10);
    CHECK_EQ(peer_ctl_read(PEER_COUNTERS, COUNTERS_GATE_CALLS) - gcalls0, 10);
    uint64_t insns = counter(a, COUNTERS_INSNS) - insns0;
    CHECK(insns >= 10 * 3 && insns < 10 * 200);          /* the agent's dispatch, ten times */
    /* the root's own count grows while it runs */
    uint64_t r0 = counter(PEER_ROOT_SPACE, COUNTERS_INSNS);
    uint64_t r1 = counter(PEER_ROOT_SPACE, COUNTERS_INSNS);
    CHECK(r1 > r0);
    /* a fault in lib is counted against lib */
    long r = pl_call(ga, AG_LOAD, 0x1000);
    CHECK_EQ(r, 0);
    CHECK(pl_status() != 0);
    CHECK_EQ(counter(a, COUNTERS_FAULTS) - faults0, 1);
    CHECK(counter(a, COUNTERS_PLB_MISSES) > 0);
    CHECK(peer_ctl_read(PEER_COUNTERS, COUNTERS_CYCLES) > 0);
    CHECK_EQ(counter(999999, COUNTERS_INSNS), 0);        /* no such space: zeros */
    printf("counters: ok (%d checks)\n", ptest_checks);
    return 0;
}
