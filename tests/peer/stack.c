/* Section 7.3, the hunk rule, and the stack check of 6.1: a callee may use
 * the stack below its caller's sp and nothing above it; what it leaves
 * there is zeroed before the caller runs again; a gate whose stack need
 * does not fit is refused. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT

extern char lib_load_insn[], lib_store_insn[], lib2_load_insn[];
PEER_BSS(lib) volatile uint64_t lib_counter;

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));

/* A frame of its own, so that its locals sit above the sp of its calls. */
static __attribute__((noinline)) void caller_frames(uint64_t ga, long a)
{
    volatile uint64_t secret[2] = { 0xc0ffee, 0xc0ffef };
    uint64_t top = peer_read_sp();   /* the hunk top of the calls below */
    uint64_t s = (uint64_t)secret;
    CHECK(s >= top);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, s), PL_FAULT_LOAD, (uint64_t)lib_load_insn, s, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, s + 8, 0xbad), PL_FAULT_STORE, (uint64_t)lib_store_insn, s + 8, PL_W, a);
    CHECK_EQ(secret[0], 0xc0ffee);
    CHECK_EQ(secret[1], 0xc0ffef);
    /* The boundary is the caller's sp exactly. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, top), PL_FAULT_LOAD, (uint64_t)lib_load_insn, top, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, top - 4), PL_FAULT_LOAD, (uint64_t)lib_load_insn, top - 4, PL_R, a);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, top - 8), PL_R | PL_W);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, top), 0);
    /* (Well below its own frame, which starts at top.) */
    EXPECT_RETURN(pl_call(ga, AG_STORE, top - 2048, 0x77), 0);
    /* What it stored below the caller's sp is gone after the return. */
    CHECK_EQ(*(volatile uint64_t *)(top - 2048), 0);
}

/* Called back through a gate of the root's: reads one word (0: its own stack). */
static long root_probe(uint64_t addr)
{
    volatile uint64_t local = 0;
    return addr ? (long)*(volatile uint64_t *)addr : (long)local;
}

int main(void)
{
    long a, b;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2);
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);
    uint64_t gb = ptest_spawn(&ib, lib2_start, 0, stack_b, &b);

    printf("stack: the callee cannot reach the caller's frames\n");
    caller_frames(ga, a);

    printf("stack: the callee's leftovers are zeroed\n");
    {
        long buf = pl_call(ga, AG_SCRIBBLE);
        CHECK_EQ(pl_status(), 0);
        volatile uint64_t *p = (volatile uint64_t *)buf;
        uint64_t nonzero = 0;
        for (int i = 0; i < 128; i++)
            nonzero |= p[i];
        CHECK_EQ(nonzero, 0);
        /* Also when the call is unwound by a fault (it scribbles first). */
        long buf2 = pl_call(ga, AG_SCRIBBLE);
        CHECK_EQ(buf2, buf);
    }
    {
        /* A nested callee's leftovers are zeroed before its caller runs
         * again: lib2 scribbles, lib calls it and reports what it sees
         * there (lib may read that part of the stack by the hunk rule). */
        CHECK(pl_grant(a, gb, 8, PL_G) > 0);
        long buf = pl_call(ga, AG_CALL, gb, AG_SCRIBBLE);
        CHECK_EQ(pl_status(), 0);
        CHECK_EQ(lib_status, 0);
        volatile uint64_t *p = (volatile uint64_t *)buf;
        uint64_t nonzero = 0;
        for (int i = 0; i < 128; i++)
            nonzero |= p[i];
        CHECK_EQ(nonzero, 0);
    }

    printf("stack: the callee's stack pointer cannot reach up\n");
    {
        /* lib2 tries to read lib's frame (above its hunk top) in a nested call. */
        uint64_t sp_a = (uint64_t)pl_call(ga, AG_SP);   /* about lib's sp in a call from here */
        CHECK_EQ(pl_status(), 0);
        long r = pl_call(ga, AG_CALL, gb, AG_LOAD, sp_a + 8);
        EXPECT_RETURN(r, 0);
        CHECK_EQ(lib_status, PL_FAULT_LOAD);
        CHECK_EQ(lib_fault.cause, PL_FAULT_LOAD);
        CHECK_EQ(lib_fault.pc, (uint64_t)lib2_load_insn);
        CHECK_EQ(lib_fault.addr, sp_a + 8);
        CHECK_EQ(lib_fault.space, b);
    }

    printf("stack: a callback into the caller's space cannot see the callee's hunk\n");
    {
        /* The root holds every right over this memory, the stack included;
         * yet called back by lib, it may not read lib's frame: inside the
         * running thread's stack region only the hunk rule and passes count. */
        struct pl_gate d = { (uint64_t)root_probe, peer_read_gp(), peer_read_tp(), PL_GATE_OWN_DATA, 256 };
        long probe = pl_gate(&d);
        CHECK(probe > 0);
        CHECK(pl_grant(a, probe, 8, PL_G) > 0);
        uint64_t sp_a = (uint64_t)pl_call(ga, AG_SP);
        long r = pl_call(ga, AG_CALL, probe, sp_a + 8);
        EXPECT_RETURN(r, 0);
        CHECK_EQ(lib_status, PL_FAULT_LOAD);
        CHECK_EQ(lib_fault.addr, sp_a + 8);
        CHECK_EQ(lib_fault.missing, PL_R);
        CHECK_EQ(lib_fault.space, PEER_ROOT_SPACE);
        /* Below its own hunk top the root may use the stack as usual. */
        CHECK_EQ(pl_call(ga, AG_CALL, probe, 0), 0);
        CHECK_EQ(lib_status, 0);
    }

    printf("stack: a gate needing more stack than there is\n");
    {
        long big = pl_call(ga, AG_GATE, (uint64_t)lib_agent, PL_GATE_OWN_DATA, 1UL << 30, 0);
        CHECK(big > 0);
        lib_counter = 0;
        long r = pl_call(big, AG_STORE, (uint64_t)&lib_counter, 1);
        EXPECT_FAULT(r, PL_FAULT_STACK, ANY, ANY, ANY, ANY);
        CHECK_EQ(lib_counter, 0);   /* the callee never ran */
        /* The stack region is [__stack_lo, __stack_hi): a need of exactly
         * the room below sp fits. */
        extern char __stack_lo[];
        uint64_t room = peer_read_sp() - (uint64_t)__stack_lo;
        long fits = pl_call(ga, AG_GATE, (uint64_t)lib_agent, PL_GATE_OWN_DATA, room - 256, 0);
        CHECK(fits > 0);
        EXPECT_RETURN(pl_call(fits, AG_STORE, (uint64_t)&lib_counter, 2), 0);
        CHECK_EQ(lib_counter, 2);
        /* Without a stack region no gate call can be made at all... but
         * then the root cannot be unwound to report it; see threads.c. */
    }
    printf("stack: ok (%d checks)\n", ptest_checks);
    return 0;
}
