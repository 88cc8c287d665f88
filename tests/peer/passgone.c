/* Section 5 and 9.1: a call's pass whose callee space is destroyed during
 * the call.  The destruction takes the pass with the space's other grants;
 * when the call is unwound later, nothing else may be revoked in its name
 * (the machine once revoked whatever grant had reused the pass's memory:
 * here, a grant made to B in between). */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT

static volatile uint64_t buf[8] __attribute__((aligned(64))) = { 0x71 };
static volatile uint64_t other[8] __attribute__((aligned(64))) = { 0x72 };
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static long A, B;
static uint64_t ga, gb;
static long granted_b[16];

/* Called back by A during the root's call into A (with its pass): destroy
 * A, then make grants to B, which may reuse the freed pass's memory. */
static long destroy_a(long op)
{
    (void)op;
    CHECK_EQ(peer_space_destroy(A), 0);
    for (int i = 0; i < 16; i++)
        granted_b[i] = pl_grant(B, (uint64_t)other, 64, PL_R);
    return 7;
}

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2);
    ga = ptest_spawn(&ia, lib_start, 0, stack_a, &A);
    gb = ptest_spawn(&ib, lib2_start, 0, stack_b, &B);
    long cb = pl_make_gate((uint64_t)destroy_a, PL_GATE_OWN_DATA, 2048, peer_read_gp(), peer_read_tp());
    CHECK(cb > 0);
    CHECK(pl_grant(A, (uint64_t)cb, 8, PL_G) > 0);

    printf("passgone: the callee's space destroyed during a call with a pass\n");
    CHECK_EQ(pl_pass((uint64_t)buf, 64, PL_R | PL_W), 0);
    pl_call(ga, AG_CALL, cb, 1);
    /* Back in A's code, whose space is gone: the call is unwound. */
    CHECK_EQ(pl_status(), PL_FAULT_FETCH);
    for (int i = 0; i < 16; i++)
        CHECK(granted_b[i] > 0);
    /* Every grant made to B in between is still there. */
    EXPECT_RETURN(pl_call(gb, AG_QUERY, (uint64_t)other), PL_R);
    CHECK_EQ(peer_space_grant_count(B) >= 16 + 1, 1);
    EXPECT_RETURN(pl_call(gb, AG_LOAD, (uint64_t)other), 0x72);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(pl_revoke(granted_b[i]), 0);
    printf("passgone: ok (%d checks)\n", ptest_checks);
    return 0;
}
