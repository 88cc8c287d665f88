/* The runtime itself: reset state, printf, a space made and entered
 * through peer_spawn, and a first gate call. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

static uint8_t lib_stack[4096] __attribute__((aligned(16)));

int main(void)
{
    printf("boot: reset state\n");
    CHECK_EQ(pl_self(), PEER_ROOT_SPACE);
    CHECK_EQ(pl_code_space(), PEER_ROOT_SPACE);
    CHECK_EQ(peer_thread_current(), PEER_BOOT_THREAD);
    CHECK_EQ(pl_status(), 0);
    CHECK_EQ(peer_irq_level(), 0);
    /* Grant 1: every right everywhere, including the gate window. */
    CHECK_EQ(pl_query(PEER_DRAM_BASE), PL_RIGHTS);
    CHECK_EQ(pl_query(0), PL_RIGHTS);
    CHECK_EQ(pl_query(PEER_GATE_ADDR(5)), PL_RIGHTS);
    CHECK_EQ(pl_query(~0UL), PL_RIGHTS);
    CHECK_EQ(peer_space_live(), 1);
    CHECK_EQ(peer_space_grant_count(PEER_ROOT_SPACE), 1);

    printf("boot: a space\n");
    struct peer_image img = PEER_IMAGE(lib);
    CHECK(img.text_lo % PEER_PAGE_SIZE == 0 && img.text_hi > img.text_lo);
    CHECK(img.data_lo >= img.text_hi && img.data_hi > img.data_lo);
    long lib = peer_space_new(&img);
    CHECK(lib > 1);
    CHECK_EQ(peer_space_live(), 2);
    CHECK_EQ(peer_space_grant_count(lib), 3);

    int ok;
    uint64_t gate = peer_spawn(lib, lib_start, 0x7700, lib_stack, sizeof lib_stack, &ok);
    CHECK(ok);
    printf("boot: gate at 0x%lx\n", (unsigned long)gate);
    CHECK(gate > PEER_GATE_RETURN && gate < PEER_GATE_BASE + PEER_GATE_STRIDE * PEER_GATE_MAX);
    CHECK_EQ(gate % PEER_GATE_STRIDE, 0);
    /* The spawn's loan of the thread controller is gone; the space holds
     * its image and G|P on its own gate. */
    CHECK_EQ(peer_space_grant_count(lib), 4);
    CHECK_EQ(peer_thread_current(), PEER_BOOT_THREAD);

    printf("boot: gate calls\n");
    EXPECT_RETURN(pl_call(gate, AG_ECHO, 41), 42);
    EXPECT_RETURN(pl_call(gate, AG_SELF, 0), lib);
    EXPECT_RETURN(pl_call(gate, AG_SELF, 1), lib);
    EXPECT_RETURN(pl_call(gate, AG_TP), 0x7700);
    EXPECT_RETURN(pl_call(gate, AG_QUERY, img.text_lo), PL_X);
    EXPECT_RETURN(pl_call(gate, AG_QUERY, img.data_lo), PL_R | PL_W);
    EXPECT_RETURN(pl_call(gate, AG_QUERY, gate), PL_G | PL_P);
    EXPECT_RETURN(pl_call(gate, AG_QUERY, PEER_THREADCTL), 0);
    /* The callee runs on this thread's stack, below this sp. */
    uint64_t sp = peer_read_sp();
    long callee_sp = pl_call(gate, AG_SP);
    CHECK_EQ(pl_status(), 0);
    CHECK((uint64_t)callee_sp < sp && (uint64_t)callee_sp > sp - 4096);
    CHECK_EQ(pl_self(), PEER_ROOT_SPACE);
    printf("boot: ok (%d checks)\n", ptest_checks);
    return 0;
}
