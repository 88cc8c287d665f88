/* Section 8.1: fault gates.  A supervising space (lib2) handles the faults
 * of another (lib): it repairs a missing right by granting it and lets the
 * faulting load retry, skips a store, and emulates an instruction the
 * machine does not have with FRAME_GET/FRAME_SET.  And a fault gate on the
 * root catches forged returns: a jump to the return gate with no frame,
 * and a second return after the frame is gone. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT

extern char lib_load_insn[], lib_store_insn[], lib_emul_insn[];

/* The supervisor's record of the last fault it handled. */
PEER_BSS(lib2) volatile long sup_count, sup_cause, sup_pc, sup_addr, sup_missing, sup_frame_pc, sup_grant;
PEER_BSS(lib2) volatile long sup_client, sup_self;

PEER_TEXT(lib2) long lib2_fault_handler(long cause, long pc, long addr, long missing)
{
    sup_count++;
    sup_cause = cause;
    sup_pc = pc;
    sup_addr = addr;
    sup_missing = missing;
    sup_frame_pc = pl_frame_get(PL_FRAME_PC);
    sup_self = (long)pl_self();
    if (cause == PL_FAULT_LOAD) {
        /* Repair: grant the page; the load retries. */
        sup_grant = pl_grant(sup_client, addr & ~4095L, 4096, PL_R);
    } else if (cause == PL_FAULT_EXC(2)) {
        /* Emulate "a0 = a0 * a1" and go past it. */
        long x = pl_frame_get(10), y = pl_frame_get(11);
        pl_frame_set(10, x * y);
        pl_frame_set(PL_FRAME_PC, pc + 4);
    } else {
        pl_frame_set(PL_FRAME_PC, pc + 4);   /* skip it */
    }
    return 0;
}

/* The root's own fault handler: a forged return becomes a return to
 * where the jump came from, with a0 = 0xf0f0. */
static volatile long rf_count, rf_cause, rf_pc, rf_addr, rf_missing;
static long root_fault_handler(long cause, long pc, long addr, long missing)
{
    rf_count++;
    rf_cause = cause;
    rf_pc = pc;
    rf_addr = addr;
    rf_missing = missing;
    uint64_t ra = (uint64_t)pl_frame_get(1);
    pl_frame_set(10, 0xf0f0);
    pl_frame_set(PL_FRAME_PC, ra);
    return 0;
}

static volatile uint64_t zpage[512] __attribute__((aligned(4096)));
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));

int main(void)
{
    long a, s;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2);
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);
    uint64_t gs = ptest_spawn(&ib, lib2_start, 0, stack_b, &s);
    for (int i = 0; i < 512; i++)
        zpage[i] = 0x2000 + i;
    sup_client = a;
    CHECK(pl_grant(s, (uint64_t)zpage, 4096, PL_R | PL_P) > 0);
    long gf = pl_call(gs, AG_GATE, (uint64_t)lib2_fault_handler, PL_GATE_OWN_DATA, 2048, 0);
    CHECK(gf > 0);
    CHECK_EQ(peer_space_set_fault(a, gf), 0);

    printf("faultgate: repairing a missing right\n");
    uint64_t z3 = (uint64_t)&zpage[3];
    EXPECT_RETURN(pl_call(ga, AG_LOAD, z3), 0x2003);
    CHECK_EQ(sup_count, 1);
    CHECK_EQ(sup_cause, PL_FAULT_LOAD);
    CHECK_EQ(sup_pc, (uint64_t)lib_load_insn);
    CHECK_EQ(sup_frame_pc, (uint64_t)lib_load_insn);
    CHECK_EQ(sup_addr, z3);
    CHECK_EQ(sup_missing, PL_R);
    CHECK_EQ(sup_self, s);
    CHECK(sup_grant > 0);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, z3), PL_R);
    /* Now held: no fault the second time. */
    EXPECT_RETURN(pl_call(ga, AG_LOAD, z3 + 8), 0x2004);
    CHECK_EQ(sup_count, 1);

    printf("faultgate: skipping a store\n");
    EXPECT_RETURN(pl_call(ga, AG_STORE, z3, 0xbad), 0);
    CHECK_EQ(sup_count, 2);
    CHECK_EQ(sup_cause, PL_FAULT_STORE);
    CHECK_EQ(sup_pc, (uint64_t)lib_store_insn);
    CHECK_EQ(sup_missing, PL_W);
    CHECK_EQ(zpage[3], 0x2003);

    printf("faultgate: emulating an instruction\n");
    EXPECT_RETURN(pl_call(ga, AG_EMUL, 6, 7), 42);
    CHECK_EQ(sup_count, 3);
    CHECK_EQ(sup_cause, PL_FAULT_EXC(2));
    CHECK_EQ(sup_pc, (uint64_t)lib_emul_insn);
    EXPECT_RETURN(pl_call(ga, AG_EMUL, -3, 5), -15);
    CHECK_EQ(sup_count, 4);

    printf("faultgate: FRAME_GET/SET only in the handler\n");
    CHECK_EQ(pl_frame_get(10), PL_E_GATE);
    CHECK_EQ(pl_frame_set(10, 1), PL_E_GATE);
    EXPECT_RETURN(pl_call(ga, AG_FRAME_GET, 10), PL_E_GATE);
    EXPECT_RETURN(pl_call(gs, AG_FRAME_GET, 10), PL_E_GATE);

    printf("faultgate: without the fault gate, the call is unwound\n");
    CHECK_EQ(peer_space_set_fault(a, 0), 0);
    uint64_t other = (uint64_t)&stack_b[64];
    EXPECT_FAULT(pl_call(ga, AG_LOAD, other), PL_FAULT_LOAD, (uint64_t)lib_load_insn, other, PL_R, a);
    CHECK_EQ(sup_count, 4);

    printf("faultgate: forged returns\n");
    long gr = pl_make_gate((uint64_t)root_fault_handler, PL_GATE_OWN_DATA, 2048, peer_read_gp(), peer_read_tp());
    CHECK(gr > 0);
    CHECK_EQ(peer_space_set_fault(PEER_ROOT_SPACE, gr), 0);
    long r = ((long (*)(void))PEER_GATE_RETURN)();
    CHECK_EQ(r, 0xf0f0);
    CHECK_EQ(rf_count, 1);
    CHECK_EQ(rf_cause, PL_FAULT_RETURN);
    CHECK_EQ(rf_addr, PEER_GATE_RETURN);
    printf("  record: pc 0x%lx missing 0x%lx\n", (unsigned long)rf_pc, (unsigned long)rf_missing);
    /* Return twice: after a real call and return, the frame is gone. */
    EXPECT_RETURN(pl_call(ga, AG_ECHO, 1), 2);
    r = ((long (*)(void))PEER_GATE_RETURN)();
    CHECK_EQ(r, 0xf0f0);
    CHECK_EQ(rf_count, 2);
    CHECK_EQ(rf_cause, PL_FAULT_RETURN);
    CHECK_EQ(peer_space_set_fault(PEER_ROOT_SPACE, 0), 0);
    CHECK_EQ(zpage[3], 0x2003);
    printf("faultgate: ok (%d checks)\n", ptest_checks);
    return 0;
}
