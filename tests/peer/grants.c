/* Section 5: GRANT, REVOKE, DROP, GRANT_ALL and SPACE_DESTROY.  Three
 * spaces (A = lib, B = lib2, C = lib3) pass rights over a page of the
 * root's along chains; every attempt to grant without P, more than held
 * or a larger range is refused, and every revocation reaches all that was
 * derived from the revoked grant. */
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

extern char lib_load_insn[], lib2_load_insn[], lib3_load_insn[], lib2_store_insn[];

static volatile uint64_t page[512] __attribute__((aligned(4096)));
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));
static uint8_t stack_c[4096] __attribute__((aligned(16)));
static long A, B, C;
static uint64_t ga, gb, gc;

#define W(i) ((uint64_t)&page[i])   /* address of word i */

/* Space s (through gate g) can or cannot load word i. */
static void can_read(uint64_t g, int i)
{
    EXPECT_RETURN(pl_call(g, AG_LOAD, W(i)), page[i]);
}
static void cannot_read(uint64_t g, long space, const char *insn, int i)
{
    EXPECT_FAULT(pl_call(g, AG_LOAD, W(i)), PL_FAULT_LOAD, (uint64_t)insn, W(i), PL_R, space);
}

static long grant_by(uint64_t g, long to, uint64_t base, uint64_t len, uint64_t rights)
{
    long r = pl_call(g, AG_GRANT, to, base, len, rights);
    CHECK_EQ(pl_status(), 0);
    return r;
}

int main(void)
{
    for (int i = 0; i < 512; i++)
        page[i] = 0x1000 + i;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2), ic = PEER_IMAGE(lib3);
    ga = ptest_spawn(&ia, lib_start, 0, stack_a, &A);
    gb = ptest_spawn(&ib, lib2_start, 0, stack_b, &B);
    gc = ptest_spawn(&ic, lib3_start, 0, stack_c, &C);

    printf("grants: no P, no granting on\n");
    long g_nop = pl_grant(A, W(0), 16 * 8, PL_R);
    CHECK(g_nop > 0);
    can_read(ga, 0);
    CHECK_EQ(grant_by(ga, B, W(0), 8, PL_R), PL_E_RIGHTS);
    cannot_read(gb, B, lib2_load_insn, 0);
    /* Nor passing it on a call. */
    CHECK(grant_by(gb, A, gb, 8, PL_G) > 0);
    EXPECT_RETURN(pl_call(ga, AG_PASS_CALL, W(0), 8, PL_R, gb, AG_LOAD, W(0)), 0);
    CHECK_EQ(lib_status, PL_FAULT_GATE);   /* B never ran; A was told */

    printf("grants: not more rights, not a larger range, not two grants' union\n");
    long g_a1 = pl_grant(A, W(16), 16 * 8, PL_R | PL_P);
    long g_a2 = pl_grant(A, W(32), 16 * 8, PL_R | PL_P);
    CHECK(g_a1 > g_nop && g_a2 > g_a1);   /* ids grow: never reused */
    CHECK_EQ(grant_by(ga, B, W(16), 8, PL_R | PL_W), PL_E_RIGHTS);
    CHECK_EQ(grant_by(ga, B, W(16), 8, PL_R | PL_X), PL_E_RIGHTS);
    CHECK_EQ(grant_by(ga, B, W(16), 17 * 8, PL_R), PL_E_RIGHTS);
    CHECK_EQ(grant_by(ga, B, W(15), 8 + 1, PL_R), PL_E_RIGHTS);
    CHECK_EQ(grant_by(ga, B, W(8), 16 * 8, PL_R), PL_E_RIGHTS);    /* half without P */
    CHECK_EQ(grant_by(ga, B, W(24), 16 * 8, PL_R), PL_E_RIGHTS);   /* union of two: no */
    cannot_read(gb, B, lib2_load_insn, 16);
    cannot_read(gb, B, lib2_load_insn, 32);
    /* Errors of form. */
    CHECK_EQ(grant_by(ga, B, W(16), 0, PL_R), PL_E_INVAL);
    CHECK_EQ(grant_by(ga, B, ~0UL - 7, 16, PL_R), PL_E_INVAL);
    CHECK_EQ(grant_by(ga, B, W(16), 8, PL_R | 0x20), PL_E_INVAL);
    CHECK_EQ(grant_by(ga, 0x7fff0000, W(16), 8, PL_R), PL_E_SPACE);
    CHECK_EQ(pl_grant(A, W(0), 8, 0x40), PL_E_INVAL);
    /* A range up to the very end of the address space is fine. */
    long g_end = pl_grant(A, ~0UL - 4095, 4096, PL_R);
    CHECK(g_end > 0);
    CHECK_EQ(pl_revoke(g_end), 0);
    /* Granting to oneself is allowed. */
    long g_self = grant_by(ga, A, W(16), 8, PL_R);
    CHECK(g_self > 0);
    /* Nothing leaked to B. */
    cannot_read(gb, B, lib2_load_insn, 16);

    printf("grants: a chain root -> A -> B -> C\n");
    long g_ab = grant_by(ga, B, W(16), 8 * 8, PL_R | PL_P);
    CHECK(g_ab > 0);
    can_read(gb, 16);
    cannot_read(gb, B, lib2_load_insn, 24);                          /* outside */
    EXPECT_FAULT(pl_call(gb, AG_STORE, W(16), 0), PL_FAULT_STORE, (uint64_t)lib2_store_insn, W(16), PL_W, B);
    CHECK_EQ(page[16], 0x1010);
    long g_bc = grant_by(gb, C, W(18), 2 * 8, PL_R | PL_P);
    CHECK(g_bc > 0);
    can_read(gc, 18);
    can_read(gc, 19);
    cannot_read(gc, C, lib3_load_insn, 17);
    long g_ca = grant_by(gc, A, W(19), 8, PL_R);   /* back to A: a fourth link */
    CHECK(g_ca > 0);
    CHECK_EQ(peer_space_grant_count(C), 4 + 1);   /* image (3), its gate, g_bc */

    /* Only the granter revokes; only the grantee drops. */
    CHECK_EQ(pl_call(gb, AG_REVOKE, g_a1), PL_E_GRANT);
    CHECK_EQ(pl_call(gc, AG_REVOKE, g_ab), PL_E_GRANT);
    CHECK_EQ(pl_call(ga, AG_REVOKE, g_bc), PL_E_GRANT);
    CHECK_EQ(pl_call(ga, AG_DROP, g_bc), PL_E_GRANT);
    CHECK_EQ(pl_revoke(g_bc), PL_E_GRANT);     /* not even the root */
    CHECK_EQ(pl_call(gb, AG_DROP, g_a1), PL_E_GRANT);
    CHECK_EQ(pl_revoke(0x7fffffffffff), PL_E_GRANT);
    can_read(gc, 18);

    printf("grants: revoking the middle link\n");
    CHECK_EQ(pl_call(ga, AG_REVOKE, g_ab), 0);
    cannot_read(gb, B, lib2_load_insn, 16);
    cannot_read(gc, C, lib3_load_insn, 18);
    can_read(ga, 16);                               /* A keeps its own */
    CHECK_EQ(pl_call(gb, AG_REVOKE, g_bc), PL_E_GRANT);   /* gone already */
    CHECK_EQ(peer_space_grant_count(C), 4);
    /* g_ca went with it: A still reads word 19 through g_a1, but the
     * grant id is dead. */
    CHECK_EQ(pl_call(ga, AG_DROP, g_ca), PL_E_GRANT);

    printf("grants: revoking the root link\n");
    g_ab = grant_by(ga, B, W(16), 8 * 8, PL_R | PL_P);
    g_bc = grant_by(gb, C, W(18), 2 * 8, PL_R | PL_P);
    g_ca = grant_by(gc, A, W(40), 8, PL_R);   /* fails: C holds nothing there */
    CHECK_EQ(g_ca, PL_E_RIGHTS);
    can_read(gc, 18);
    CHECK_EQ(pl_revoke(g_a1), 0);
    cannot_read(gc, C, lib3_load_insn, 18);
    cannot_read(gb, B, lib2_load_insn, 16);
    cannot_read(ga, A, lib_load_insn, 17);        /* g_self came from g_a1 too */
    cannot_read(ga, A, lib_load_insn, 16);
    can_read(ga, 32);                             /* g_a2 untouched */

    printf("grants: dropping\n");
    g_a1 = pl_grant(A, W(16), 16 * 8, PL_R | PL_P);
    g_ab = grant_by(ga, B, W(16), 8 * 8, PL_R | PL_P);
    g_bc = grant_by(gb, C, W(18), 2 * 8, PL_R | PL_P);
    CHECK(g_a1 > 0 && g_ab > 0 && g_bc > 0);
    CHECK_EQ(pl_call(gc, AG_DROP, g_bc), 0);
    cannot_read(gc, C, lib3_load_insn, 18);
    can_read(gb, 18);
    g_bc = grant_by(gb, C, W(18), 2 * 8, PL_R | PL_P);
    CHECK_EQ(pl_call(gb, AG_DROP, g_ab), 0);
    cannot_read(gb, B, lib2_load_insn, 18);
    cannot_read(gc, C, lib3_load_insn, 18);
    can_read(ga, 18);

    printf("grants: GRANT_ALL\n");
    /* A holds with P: g_a1, g_a2, G|P on its gate (and g_nop, its image
     * without P).  A mask of R|G gives B three grants: R on g_a1's and
     * g_a2's ranges, G on A's gate. */
    long n = pl_call(ga, AG_GRANT_ALL, B, PL_R | PL_G);
    CHECK_EQ(pl_status(), 0);
    CHECK_EQ(n, 3);
    can_read(gb, 16);
    can_read(gb, 40);
    cannot_read(gb, B, lib2_load_insn, 0);          /* g_nop had no P */
    EXPECT_RETURN(pl_call(gb, AG_QUERY, W(16)), PL_R);   /* the mask took P away */
    CHECK_EQ(grant_by(gb, C, W(16), 8, PL_R), PL_E_RIGHTS);
    EXPECT_RETURN(pl_call(gb, AG_CALL, ga, AG_ECHO, 9), 10);   /* G on A's gate */
    CHECK_EQ(lib2_status, 0);
    /* A snapshot: what A receives later does not follow. */
    long g_a3 = pl_grant(A, W(64), 8 * 8, PL_R | PL_P);
    CHECK(g_a3 > 0);
    cannot_read(gb, B, lib2_load_insn, 64);
    /* And derived: revoking g_a1 takes B's copy. */
    CHECK_EQ(pl_revoke(g_a1), 0);
    cannot_read(gb, B, lib2_load_insn, 16);
    can_read(gb, 40);

    printf("grants: destroying a space\n");
    CHECK(pl_grant(B, W(40), 8, PL_R | PL_P) > 0);
    g_bc = grant_by(gb, C, W(40), 8, PL_R);        /* made by B, on to C */
    CHECK(g_bc > 0);
    can_read(gc, 40);
    CHECK(grant_by(gb, C, gb, 8, PL_G) > 0);        /* C may call B */
    EXPECT_RETURN(pl_call(gc, AG_CALL, gb, AG_ECHO, 1), 2);
    long live = peer_space_live();
    CHECK_EQ(peer_space_destroy(B), 0);
    CHECK_EQ(peer_space_live(), live - 1);
    CHECK(peer_space_grant_count(B) < 0);
    cannot_read(gc, C, lib3_load_insn, 40);         /* what B made went */
    EXPECT_RETURN(pl_call(gc, AG_QUERY, gb), 0);    /* with G over its gates */
    /* The call is C's fault: C's own call from the root is unwound. */
    EXPECT_FAULT(pl_call(gc, AG_CALL, gb, AG_ECHO, 1), PL_FAULT_GATE, gb, gb, PL_G, C);
    /* The root still has G there, but the gate is gone: the root calls it
     * from inside A, so that the fault has a frame to unwind. */
    CHECK(pl_grant(A, gb, 8, PL_G) > 0);
    EXPECT_FAULT(pl_call(ga, AG_CALL, gb, AG_ECHO, 1), PL_FAULT_GATE, gb, gb, ANY, A);
    CHECK(peer_space_destroy(PEER_ROOT_SPACE) < 0);
    CHECK_EQ(peer_space_destroy(B), PL_E_SPACE);
    CHECK_EQ(pl_grant(B, W(0), 8, PL_R), PL_E_SPACE);
    can_read(ga, 40);
    printf("grants: ok (%d checks)\n", ptest_checks);
    return 0;
}
