/* Section 9: a control page is used by whoever holds W on it (R to read),
 * with 64-bit accesses to listed registers only. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

extern char lib_load_insn[], lib_store_insn[], lib_load32_insn[], lib_store32_insn[];
static uint8_t stack_a[4096] __attribute__((aligned(16)));

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a = peer_space_new(&ia);
    CHECK(a > 1);
    int ok;
    uint64_t ga = peer_spawn(a, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);
    long live = peer_space_live();
    peer_timer_set_cmp(~0UL);

    printf("control: no rights, no use\n");
    const uint64_t pages[] = { PEER_SPACECTL, PEER_THREADCTL, PEER_IRQCTL, PEER_TIMER, PEER_DMACTL, PEER_DMAENGINE };
    for (unsigned i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        uint64_t reg = pages[i] + 8;
        EXPECT_FAULT(pl_call(ga, AG_STORE, reg, 1), PL_FAULT_STORE, (uint64_t)lib_store_insn, reg, PL_W, a);
        EXPECT_FAULT(pl_call(ga, AG_LOAD, reg), PL_FAULT_LOAD, (uint64_t)lib_load_insn, reg, PL_R, a);
    }
    uint64_t cmd = PEER_SPACECTL + SPACECTL_CMD;
    EXPECT_FAULT(pl_call(ga, AG_STORE, cmd, SPACE_CREATE), PL_FAULT_STORE, (uint64_t)lib_store_insn, cmd, PL_W, a);
    CHECK_EQ(peer_space_live(), live);
    uint64_t cmp = PEER_TIMER + TIMER_CMP;
    EXPECT_FAULT(pl_call(ga, AG_STORE, cmp, 0), PL_FAULT_STORE, (uint64_t)lib_store_insn, cmp, PL_W, a);
    CHECK_EQ(peer_ctl_read(PEER_TIMER, TIMER_CMP), ~0UL);

    printf("control: R reads, W writes\n");
    long g = pl_grant(a, PEER_SPACECTL, PEER_PAGE_SIZE, PL_R);
    CHECK(g > 0);
    uint64_t live_reg = PEER_SPACECTL + SPACECTL_LIVE;
    EXPECT_RETURN(pl_call(ga, AG_LOAD, live_reg), live);
    EXPECT_FAULT(pl_call(ga, AG_STORE, cmd, SPACE_CREATE), PL_FAULT_STORE, (uint64_t)lib_store_insn, cmd, PL_W, a);
    CHECK_EQ(peer_space_live(), live);
    CHECK_EQ(pl_revoke(g), 0);
    g = pl_grant(a, PEER_SPACECTL, PEER_PAGE_SIZE, PL_R | PL_W);
    CHECK(g > 0);
    EXPECT_RETURN(pl_call(ga, AG_STORE, cmd, SPACE_CREATE), 0);
    long made = pl_call(ga, AG_LOAD, PEER_SPACECTL + SPACECTL_RESULT);
    CHECK(made > a);
    CHECK_EQ(peer_space_live(), live + 1);
    CHECK_EQ(peer_space_destroy(made), 0);

    printf("control: only 64-bit accesses to listed registers\n");
    EXPECT_FAULT(pl_call(ga, AG_STORE32, cmd, SPACE_CREATE), PL_FAULT_CONTROL, (uint64_t)lib_store32_insn, cmd, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD32, live_reg), PL_FAULT_CONTROL, (uint64_t)lib_load32_insn, live_reg, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_STORE, PEER_SPACECTL + 0x800, 1), PL_FAULT_CONTROL, (uint64_t)lib_store_insn,
                 PEER_SPACECTL + 0x800, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, PEER_SPACECTL + 0x800), PL_FAULT_CONTROL, (uint64_t)lib_load_insn,
                 PEER_SPACECTL + 0x800, ANY, a);
    EXPECT_FAULT(pl_call(ga, AG_LOAD, PEER_SPACECTL + 4), PL_FAULT_CONTROL, (uint64_t)lib_load_insn,
                 PEER_SPACECTL + 4, ANY, a);
    CHECK_EQ(peer_space_live(), live);

    printf("control: a partial grant covers only its registers\n");
    CHECK(pl_grant(a, PEER_TIMER + TIMER_NOW, 8, PL_R) > 0);
    long now = pl_call(ga, AG_LOAD, PEER_TIMER + TIMER_NOW);
    CHECK_EQ(pl_status(), 0);
    CHECK(now > 0 && (uint64_t)now <= peer_timer_now());
    EXPECT_FAULT(pl_call(ga, AG_LOAD, cmp), PL_FAULT_LOAD, (uint64_t)lib_load_insn, cmp, PL_R, a);

    printf("control: a lent page is gone when revoked\n");
    CHECK_EQ(pl_revoke(g), 0);
    EXPECT_FAULT(pl_call(ga, AG_STORE, cmd, SPACE_CREATE), PL_FAULT_STORE, (uint64_t)lib_store_insn, cmd, PL_W, a);
    CHECK_EQ(peer_space_live(), live);
    printf("control: ok (%d checks)\n", ptest_checks);
    return 0;
}
