/* Section 6, PL_GATE_CALLER_DATA: a shared library (lib3) whose gate runs
 * its code on each caller's data space, gp and tp.  It reaches what its
 * caller holds — and only that. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT
#define AGENT lib3
#include "agent.h"
#undef AGENT

extern char lib3_load_insn[];
PEER_DATA(lib) volatile uint64_t a_data[2] = { 0xaaaa, 0xaaab };
PEER_DATA(lib2) volatile uint64_t b_data[2] = { 0xbbbb, 0xbbbc };

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint8_t stack_l[4096] __attribute__((aligned(16)));

int main(void)
{
    long a, b, l;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2), il = PEER_IMAGE(lib3);
    uint64_t ga = ptest_spawn(&ia, lib_start, 0x7a, stack_a, &a);
    uint64_t gb = ptest_spawn(&ib, lib2_start, 0x7b, stack_b, &b);
    uint64_t gl = ptest_spawn(&il, lib3_start, 0x71, stack_l, &l);
    /* The library's shared gate, made by the library, G for A and B. */
    long gs = pl_call(gl, AG_GATE, (uint64_t)lib3_agent, PL_GATE_CALLER_DATA, 2048, 0);
    CHECK(gs > 0);
    CHECK(pl_call(gl, AG_GRANT, a, gs, 8, PL_G) > 0);
    CHECK(pl_call(gl, AG_GRANT, b, gs, 8, PL_G) > 0);
    uint64_t pa = (uint64_t)a_data, pb = (uint64_t)b_data;

    printf("shlib: the library runs on A's data\n");
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_LOAD, pa), 0xaaaa);
    CHECK_EQ(lib_status, 0);
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_STORE, pa + 8, 0xa1a1), 0);
    CHECK_EQ(a_data[1], 0xa1a1);
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_SELF, 0), a);   /* data space: the caller */
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_SELF, 1), l);   /* code space: the library */
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_TP), 0x7a);     /* the caller's tp */
    EXPECT_RETURN(pl_call(ga, AG_CALL, gs, AG_QUERY, pa), PL_R | PL_W);

    printf("shlib: ... and on B's, which cannot reach A's\n");
    EXPECT_RETURN(pl_call(gb, AG_CALL, gs, AG_LOAD, pb), 0xbbbb);
    EXPECT_RETURN(pl_call(gb, AG_CALL, gs, AG_SELF, 0), b);
    EXPECT_RETURN(pl_call(gb, AG_CALL, gs, AG_TP), 0x7b);
    EXPECT_RETURN(pl_call(gb, AG_CALL, gs, AG_LOAD, pa), 0);
    CHECK_EQ(lib2_status, PL_FAULT_LOAD);
    CHECK_EQ(lib2_fault.pc, (uint64_t)lib3_load_insn);
    CHECK_EQ(lib2_fault.addr, pa);
    CHECK_EQ(lib2_fault.missing, PL_R);
    CHECK_EQ(lib2_fault.space, b);
    CHECK_EQ(lib2_fault.code_space, l);
    EXPECT_RETURN(pl_call(gb, AG_CALL, gs, AG_STORE, pa, 0xbad), 0);
    CHECK_EQ(lib2_status, PL_FAULT_STORE);
    CHECK_EQ(a_data[0], 0xaaaa);

    printf("shlib: the library's own data space is not its callers'\n");
    EXPECT_FAULT(pl_call(gl, AG_LOAD, pa), PL_FAULT_LOAD, (uint64_t)lib3_load_insn, pa, PL_R, l);
    EXPECT_RETURN(pl_call(gl, AG_TP), 0x71);
    /* Its code is not callers' code: A cannot jump into it. */
    EXPECT_FAULT(pl_call(ga, AG_JUMP, (uint64_t)lib3_nop), PL_FAULT_FETCH, (uint64_t)lib3_nop,
                 (uint64_t)lib3_nop, PL_X, a);
    /* The root calls it too: its data space is then the root's. */
    EXPECT_RETURN(pl_call(gs, AG_LOAD, pb + 8), 0xbbbc);
    EXPECT_RETURN(pl_call(gs, AG_SELF, 0), PEER_ROOT_SPACE);
    CHECK_EQ(b_data[0], 0xbbbb);
    printf("shlib: ok (%d checks)\n", ptest_checks);
    return 0;
}
