/* Section 4: a space reaches only what it was granted.  The attacker
 * (space lib) tries to read, write and jump into the victim's (lib2) and
 * the root's memory; every attempt must be stopped, reported with the
 * exact cause, pc, address, missing right and space, and leave the
 * victim's data as it was.  Also: instructions no space may execute. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT
#define AGENT lib2
#include "agent.h"
#undef AGENT

extern char lib_load_insn[], lib_store_insn[], lib_amo_insn[], lib_load32_insn[];
extern char lib_insn_0[], lib_insn_1[], lib_insn_2[], lib_insn_3[], lib_insn_4[], lib_insn_5[];

PEER_DATA(lib2) volatile uint64_t victim[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };
static volatile uint64_t root_secret = 0x5ec7e75ec7e7;
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_b[4096] __attribute__((aligned(16)));

static void victim_intact(void)
{
    CHECK_EQ(victim[0], 0x1111);
    CHECK_EQ(victim[1], 0x2222);
    CHECK_EQ(victim[2], 0x3333);
    CHECK_EQ(victim[3], 0x4444);
    CHECK_EQ(root_secret, 0x5ec7e75ec7e7);
}

int main(void)
{
    long a, b;
    struct peer_image ia = PEER_IMAGE(lib), ib = PEER_IMAGE(lib2);
    uint64_t ga = ptest_spawn(&ia, lib_start, 0, stack_a, &a);
    uint64_t gb = ptest_spawn(&ib, lib2_start, 0, stack_b, &b);
    (void)gb;
    uint64_t v = (uint64_t)victim;

    printf("access: loads, stores and fetches outside the grants\n");
    EXPECT_FAULT(pl_call(ga, AG_LOAD, v), PL_FAULT_LOAD, (uint64_t)lib_load_insn, v, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, v + 8, 0xbad), PL_FAULT_STORE, (uint64_t)lib_store_insn, v + 8, PL_W, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, (uint64_t)&root_secret), PL_FAULT_LOAD, (uint64_t)lib_load_insn,
                 (uint64_t)&root_secret, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, (uint64_t)&root_secret, 0), PL_FAULT_STORE, (uint64_t)lib_store_insn,
                 (uint64_t)&root_secret, PL_W, a);
    victim_intact();
    /* Jumps into the other space's code, the root's code, and data. */
    uint64_t fn_b = (uint64_t)lib2_agent, fn_root = (uint64_t)main;
    EXPECT_FAULT(pl_call(ga, AG_JUMP, fn_b), PL_FAULT_FETCH, fn_b, fn_b, PL_X, a);
    EXPECT_FAULT(pl_call(ga, AG_JUMP, fn_root), PL_FAULT_FETCH, fn_root, fn_root, PL_X, a);
    EXPECT_FAULT(pl_call(ga, AG_JUMP, v), PL_FAULT_FETCH, v, v, PL_X, a);
    /* Where nothing is, the missing right is what counts. */
    EXPECT_FAULT(pl_call(ga, AG_JUMP, 0x76), PL_FAULT_FETCH, 0x76, 0x76, PL_X, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, 0x2000000), PL_FAULT_LOAD, (uint64_t)lib_load_insn, 0x2000000, PL_R, a);
    /* Its own data is not code either. */
    EXPECT_FAULT(pl_call(ga, AG_JUMP, ia.data_lo), PL_FAULT_FETCH, ia.data_lo, ia.data_lo, PL_X, a);
    /* The fault record names the code space and thread too. */
    {
        pl_call(ga, AG_LOAD, v);
        struct pl_fault f;
        CHECK_EQ(pl_faultinfo(&f), 0);
        CHECK_EQ(f.code_space, a);
        CHECK_EQ(f.thread, PEER_BOOT_THREAD);
    }
    victim_intact();

    printf("access: exactly the granted bytes\n");
    long g = pl_grant(a, v, 8, PL_R);
    CHECK(g > 0);
    EXPECT_RETURN(pl_call(ga, AG_LOAD, v), 0x1111);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, v), PL_R);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, v + 8), 0);
    EXPECT_RETURN(pl_call(ga, AG_LOAD32, v + 4), 0);
    /* An access needs its right at every byte: 8 bytes at v+4 reach v+8. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, v + 4), PL_FAULT_LOAD, (uint64_t)lib_load_insn, v + 4, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, v + 8), PL_FAULT_LOAD, (uint64_t)lib_load_insn, v + 8, PL_R, a);
    /* R is not W; an AMO needs both. */
    EXPECT_FAULT(pl_call(ga, AG_STORE, v, 0xbad), PL_FAULT_STORE, (uint64_t)lib_store_insn, v, PL_W, a);
    EXPECT_FAULT(pl_call(ga, AG_AMOADD, v, 1), PL_FAULT_STORE, (uint64_t)lib_amo_insn, v, PL_W, a);
    /* Rights only add up: a second, overlapping grant of W. */
    long g2 = pl_grant(a, v, 16, PL_W);
    CHECK(g2 > 0);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, v), PL_R | PL_W);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, v + 8), PL_W);
    EXPECT_RETURN(pl_call(ga, AG_AMOADD, v, 0x10), 0x1111);
    CHECK_EQ(victim[0], 0x1121);
    EXPECT_RETURN(pl_call(ga, AG_STORE, v + 8, 0x2323), 0);
    CHECK_EQ(victim[1], 0x2323);
    /* W alone does not read. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, v + 8), PL_FAULT_LOAD, (uint64_t)lib_load_insn, v + 8, PL_R, a);
    CHECK_EQ(pl_revoke(g2), 0);
    CHECK_EQ(pl_revoke(g), 0);
    victim[0] = 0x1111;
    victim[1] = 0x2222;
    /* After the revocation, nothing. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, v), PL_FAULT_LOAD, (uint64_t)lib_load_insn, v, PL_R, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, v + 8, 0), PL_FAULT_STORE, (uint64_t)lib_store_insn, v + 8, PL_W, a);
    victim_intact();

    printf("access: X on code grants fetch, not load\n");
    EXPECT_FAULT(pl_call(ga, AG_LOAD, ia.text_lo), PL_FAULT_LOAD, (uint64_t)lib_load_insn, ia.text_lo, PL_R, a);
    /* A grant of X on the other space's code lets it run there. */
    g = pl_grant(a, ib.text_lo, ib.text_hi - ib.text_lo, PL_X);
    CHECK(g > 0);
    EXPECT_RETURN(pl_call(ga, AG_JUMP, (uint64_t)lib2_nop), 0x600d);
    /* ... and nothing else. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, (uint64_t)lib2_nop), PL_FAULT_LOAD, (uint64_t)lib_load_insn,
                 (uint64_t)lib2_nop, PL_R, a);
    CHECK_EQ(pl_revoke(g), 0);

    printf("access: instructions no space executes\n");
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_CSRR_MSTATUS), PL_FAULT_EXC(2), (uint64_t)lib_insn_0, ANY, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_MRET), PL_FAULT_EXC(2), (uint64_t)lib_insn_1, ANY, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_SRET), PL_FAULT_EXC(2), (uint64_t)lib_insn_2, ANY, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_SFENCE), PL_FAULT_EXC(2), (uint64_t)lib_insn_3, ANY, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_ECALL), PL_FAULT_EXC(8), (uint64_t)lib_insn_4, ANY, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_INSN, INSN_EBREAK), PL_FAULT_EXC(3), (uint64_t)lib_insn_5, ANY, ANY, a);
    /* Misaligned AMO on its own data. */
    EXPECT_FAULT(pl_call(ga, AG_AMOADD, ia.data_lo + 4092, 1), PL_FAULT_EXC(6), (uint64_t)lib_amo_insn, ANY, ANY, a);
    /* The user-level counters and fcsr are readable. */
    pl_call(ga, AG_INSN, INSN_RDCYCLE);
    CHECK_EQ(pl_status(), 0);
    pl_call(ga, AG_INSN, INSN_RDTIME);
    CHECK_EQ(pl_status(), 0);
    pl_call(ga, AG_INSN, INSN_RDINSTRET);
    CHECK_EQ(pl_status(), 0);
    pl_call(ga, AG_INSN, INSN_FRCSR);
    CHECK_EQ(pl_status(), 0);
    victim_intact();
    printf("access: ok (%d checks)\n", ptest_checks);
    return 0;
}
