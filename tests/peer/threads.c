/* Sections 7 and 9.2: threads.  Each has its own registers, spillet,
 * stack region and gate status; THREAD_SWITCH resumes a thread exactly
 * where it left; the hunk rule follows the running thread. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

extern char lib_load_insn[];

/* A second init for lib: leaves a value on its own thread's stack. */
PEER_TEXT(lib) uint64_t lib_probe_init(uint64_t arg)
{
    volatile uint64_t local[2] = { arg, arg + 1 };
    uint64_t addr;
    __asm__("mv %0, %1" : "=r"(addr) : "r"(local));
    return addr;
}
PEER_SPAWN_ENTRY(lib, lib_probe_start, lib_probe_init)

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_p[4096] __attribute__((aligned(16)));
static uint8_t stack_t2[8192] __attribute__((aligned(16)));
static volatile uint64_t secret = 0x5ec;
static volatile long t2_count, t2_current, t2_arg, t2_result, t2_status;
static volatile uint64_t ga;

/* Thread 2's code, in the root space.  A fresh thread has only pc, sp
 * and a0: gp and tp are ours to set. */
static void t2_main(long arg)
{
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop\nla tp, __tls_base");
    t2_arg = arg;
    for (;;) {
        t2_count++;
        t2_current = (long)peer_thread_current();
        if (t2_count == 2) {
            t2_result = pl_call(ga, AG_LOAD, (uint64_t)&secret);
            t2_status = pl_status();
        }
        peer_thread_switch(PEER_BOOT_THREAD);
    }
}

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a = peer_space_new(&ia);
    CHECK(a > 1);
    int ok;
    ga = peer_spawn(a, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);

    printf("threads: create and switch\n");
    uint64_t lo = (uint64_t)stack_t2, hi = lo + sizeof stack_t2;
    long t = peer_thread_create((uint64_t)t2_main, hi, lo, hi, PEER_ROOT_SPACE, PEER_ROOT_SPACE, 0xa0);
    CHECK(t > PEER_BOOT_THREAD);
    CHECK_EQ(peer_thread_state(t), THREAD_READY);
    CHECK_EQ(peer_thread_state(PEER_BOOT_THREAD), THREAD_RUNNING);
    CHECK_EQ(t2_count, 0);
    volatile uint64_t mine = 0x11;
    peer_thread_switch(t);
    CHECK_EQ(t2_count, 1);
    CHECK_EQ(t2_current, t);
    CHECK_EQ(t2_arg, 0xa0);
    CHECK_EQ(peer_thread_current(), PEER_BOOT_THREAD);
    CHECK_EQ(peer_thread_state(t), THREAD_READY);
    CHECK_EQ(mine, 0x11);

    printf("threads: each its own gate status and fault record\n");
    EXPECT_RETURN(pl_call(ga, AG_ECHO, 1), 2);
    peer_thread_switch(t);                     /* its call faults */
    CHECK_EQ(t2_count, 2);
    CHECK_EQ(t2_result, 0);
    CHECK_EQ(t2_status, PL_FAULT_LOAD);
    CHECK_EQ(pl_status(), 0);                  /* ours is untouched */
    struct pl_fault f = { 0 };
    CHECK_EQ(peer_thread_fault(t, &f), 0);
    CHECK_EQ(f.cause, PL_FAULT_LOAD);
    CHECK_EQ(f.pc, (uint64_t)lib_load_insn);
    CHECK_EQ(f.addr, (uint64_t)&secret);
    CHECK_EQ(f.space, a);
    CHECK_EQ(f.thread, t);
    CHECK_EQ(secret, 0x5ec);
    peer_thread_switch(t);
    CHECK_EQ(t2_count, 3);

    printf("threads: stop\n");
    CHECK_EQ(peer_thread_stop(t), 0);
    CHECK_EQ(peer_thread_state(t), THREAD_STOPPED);
    CHECK(peer_thread_stop(PEER_BOOT_THREAD) < 0);   /* not the running one */
    CHECK_EQ(peer_thread_state(PEER_BOOT_THREAD), THREAD_RUNNING);
    CHECK(peer_thread_state(0x7fffffff) < 0);

    printf("threads: the hunk rule follows the running thread\n");
    uint64_t left = peer_spawn(a, lib_probe_start, 0x7e57, stack_p, sizeof stack_p, &ok);
    CHECK(ok);
    CHECK(left >= (uint64_t)stack_p && left < (uint64_t)stack_p + sizeof stack_p);
    CHECK_EQ(*(volatile uint64_t *)left, 0x7e57);
    /* On thread 1, lib has no right over that thread's stack. */
    EXPECT_FAULT(pl_call(ga, AG_LOAD, left), PL_FAULT_LOAD, (uint64_t)lib_load_insn, left, PL_R, a);
    EXPECT_RETURN(pl_call(ga, AG_QUERY, left), 0);
    /* Nor over thread 2's. */
    EXPECT_RETURN(pl_call(ga, AG_QUERY, lo + 64), 0);
    printf("threads: ok (%d checks)\n", ptest_checks);
    return 0;
}
