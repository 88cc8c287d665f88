/* Section 5, PASS: rights lent for one call.  The callee has them during
 * the call and neither it nor anyone it granted them to keeps them after;
 * a pass the caller cannot grant makes the call fail; an armed pass goes
 * with the next call, and never to a call the arming space did not make. */
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

extern char lib_load_insn[], lib2_load_insn[], lib3_load_insn[], lib_store_insn[];

static volatile uint64_t buf[8] __attribute__((aligned(64))) = { 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58 };
static volatile uint64_t secret[8] __attribute__((aligned(64))) = { 0x5ec };
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint8_t stack_c[4096] __attribute__((aligned(16)));
static long A, B, C;
static uint64_t ga, gb, gc;

static __attribute__((noinline)) void stack_pass(void)
{
    volatile uint64_t local[4] = { 0x61, 0x62, 0x63, 0x64 };
    uint64_t l = (uint64_t)local;
    CHECK_EQ(pl_pass(l, sizeof local, PL_R | PL_W), 0);
    EXPECT_RETURN(pl_call(ga, AG_STORE, l + 8, 0x6262), 0);
    CHECK_EQ(local[1], 0x6262);       /* above the hunk: kept, not zeroed */
    CHECK_EQ(pl_pass(l, sizeof local, PL_R), 0);
    EXPECT_RETURN(pl_call(ga, AG_LOAD, l + 16), 0x63);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, l), PL_FAULT_LOAD, (uint64_t)lib_load_insn, l, PL_R, A);
}

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2), ic = PEER_IMAGE(lib3);
    ga = ptest_spawn(&ia, lib_start, 0, stack_a, &A);
    gb = ptest_spawn(&ib, lib2_start, 0, stack_b, &B);
    gc = ptest_spawn(&ic, lib3_start, 0, stack_c, &C);
    CHECK(pl_call(gb, AG_GRANT, A, gb, 8, PL_G) > 0);   /* A may call B */
    CHECK(pl_call(gc, AG_GRANT, B, gc, 8, PL_G) > 0);   /* B may call C */
    uint64_t p = (uint64_t)buf;

    printf("pass: rights for one call\n");
    CHECK_EQ(pl_pass(p, 64, PL_R | PL_W), 0);
    EXPECT_RETURN(pl_call(ga, AG_STORE, p, 0x5151), 0);
    CHECK_EQ(buf[0], 0x5151);
    CHECK_EQ(pl_pass(p, 64, PL_R), 0);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, p + 8), PL_R);
    /* Gone after the call, and not carried to the next one. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib_load_insn, p, PL_R, A);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, p), 0);
    CHECK_EQ(pl_pass(p, 16, PL_R), 0);
    EXPECT_RETURN(pl_call(ga, AG_LOAD, p + 8), 0x52);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, p + 8), PL_FAULT_LOAD, (uint64_t)lib_load_insn, p + 8, PL_R, A);
    /* Exactly the passed range and rights. */
    CHECK_EQ(pl_pass(p, 16, PL_R), 0);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, p + 16), PL_FAULT_LOAD, (uint64_t)lib_load_insn, p + 16, PL_R, A);
    CHECK_EQ(pl_pass(p, 16, PL_R), 0);
    EXPECT_FAULT(pl_call(ga, AG_STORE, p, 0), PL_FAULT_STORE, (uint64_t)lib_store_insn, p, PL_W, A);
    CHECK_EQ(buf[0], 0x5151);
    /* PASS checks its descriptor's form. */
    CHECK_EQ(pl_pass(p, 0, PL_R), PL_E_INVAL);
    CHECK_EQ(pl_pass(p, 8, 0x80), PL_E_INVAL);

    printf("pass: the caller's stack\n");
    stack_pass();

    printf("pass: re-granting a pass does not make it last\n");
    CHECK_EQ(pl_pass(p, 64, PL_R | PL_P), 0);
    long g_ab = pl_call(ga, AG_GRANT, B, p, 64, PL_R | PL_P);
    CHECK_EQ(pl_status(), 0);
    CHECK(g_ab > 0);
    EXPECT_FAULT(pl_call(gb, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib2_load_insn, p, PL_R, B);
    EXPECT_RETURN(pl_call(ga, AG_REVOKE, g_ab), PL_E_GRANT);   /* already gone */
    /* A chain: A grants to B, which grants to C, all during the call. */
    CHECK_EQ(pl_pass(p, 64, PL_R | PL_P), 0);
    long g_bc = pl_call(ga, AG_GRANT2, B, C, p, 64, PL_R | PL_P, gb);
    CHECK_EQ(pl_status(), 0);
    CHECK_EQ(lib_status, 0);
    CHECK(lib_granted > 0 && g_bc > 0);
    EXPECT_FAULT(pl_call(gb, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib2_load_insn, p, PL_R, B);
    EXPECT_FAULT(pl_call(gc, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib3_load_insn, p, PL_R, C);
    /* A pass passed on: root -> A -> B. */
    CHECK_EQ(pl_pass(p, 64, PL_R | PL_P), 0);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, p, 64, PL_R, gb, AG_LOAD, p + 24), 0x54);
    CHECK_EQ(lib_status, 0);
    EXPECT_FAULT(pl_call(gb, AG_LOAD, p + 24), PL_FAULT_LOAD, (uint64_t)lib2_load_insn, p + 24, PL_R, B);

    printf("pass: a callee passes part of its hunk\n");
    EXPECT_RETURN(pl_call(ga, AG_PASS_STACK, gb), 0x3334);
    CHECK_EQ(lib_status, 0);

    printf("pass: passes that cannot be granted\n");
    /* A holds nothing at secret. */
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, (uint64_t)secret, 8, PL_R, gb, AG_LOAD, (uint64_t)secret), 0);
    CHECK_EQ(lib_status, PL_FAULT_GATE);
    /* It was discarded: A's next call goes through, with no pass. */
    EXPECT_RETURN(pl_call(ga, AG_CALL, gb, AG_ECHO, 4), 5);
    CHECK_EQ(lib_status, 0);
    /* More rights than held, a larger range than held, no P. */
    long g = pl_grant(A, p, 32, PL_R | PL_P);
    CHECK(g > 0);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, p, 32, PL_R | PL_W, gb, AG_ECHO, 1), 0);
    CHECK_EQ(lib_status, PL_FAULT_GATE);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, p, 40, PL_R, gb, AG_ECHO, 1), 0);
    CHECK_EQ(lib_status, PL_FAULT_GATE);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, p, 32, PL_R, gb, AG_ECHO, 1), 2);
    CHECK_EQ(lib_status, 0);
    CHECK_EQ(pl_revoke(g), 0);
    g = pl_grant(A, p, 32, PL_R);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, p, 32, PL_R, gb, AG_ECHO, 1), 0);
    CHECK_EQ(lib_status, PL_FAULT_GATE);
    CHECK_EQ(pl_revoke(g), 0);

    printf("pass: a pass armed and not used\n");
    /* A arms a pass over the root's secret (which it does not hold) and
     * returns; the root's next call must not carry it: B gets nothing. */
    EXPECT_RETURN(pl_call(ga, AG_PASS, (uint64_t)secret, 64, PL_R), 0);
    EXPECT_FAULT(pl_call(gb, AG_LOAD, (uint64_t)secret), PL_FAULT_LOAD, (uint64_t)lib2_load_insn,
                 (uint64_t)secret, PL_R, B);
    /* Same with a pass A could grant: it is A's to use, on A's calls. */
    g = pl_grant(A, p, 64, PL_R | PL_P);
    EXPECT_RETURN(pl_call(ga, AG_PASS, p, 64, PL_R), 0);
    EXPECT_FAULT(pl_call(gb, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib2_load_insn, p, PL_R, B);
    CHECK_EQ(pl_revoke(g), 0);
    /* An unwound call discards its pass too. */
    CHECK_EQ(pl_pass(p, 64, PL_R), 0);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, (uint64_t)secret), PL_FAULT_LOAD, (uint64_t)lib_load_insn,
                 (uint64_t)secret, PL_R, A);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, p), PL_FAULT_LOAD, (uint64_t)lib_load_insn, p, PL_R, A);
    CHECK_EQ(secret[0], 0x5ec);
    printf("pass: ok (%d checks)\n", ptest_checks);
    return 0;
}
