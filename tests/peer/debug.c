/* Sections 9.2 and 10: what a debugger and a stack walker get.  FRAMES
 * describes the running thread's spillet; THREAD_STEP runs another thread
 * one instruction at a time (a gate call into a space not asked for is one
 * step); THREAD_GETREG/SETREG read and change its registers. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t stack_t[4096] __attribute__((aligned(16)));
static struct pl_frame_info frames[8];
static volatile long depth;
static volatile uint64_t probe_sp;
static uint64_t ga;

/* Called back by lib through a gate of the root's: walks the spillet. */
static long frames_probe(void)
{
    probe_sp = peer_read_sp();
    depth = pl_frames(frames, 8);
    return depth;
}

/* The debuggee: a few known instructions, then a gate call, then more. */
extern char dbg_start[], dbg_after_li[], dbg_call[], dbg_after_call[];
__asm__(".text\n.globl dbg_start, dbg_after_li, dbg_call, dbg_after_call\n"
        "dbg_start:\n"
        "  li a0, 11\n"
        "  li a1, 22\n"
        "dbg_after_li:\n"
        "  mv a2, s1\n"            /* s1 holds the gate address (set by SETREG) */
        "dbg_call:\n"
        "  jalr a2\n"
        "dbg_after_call:\n"
        "  addi a0, a0, 100\n"
        "1: j 1b\n");

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a = peer_space_new(&ia);
    CHECK(a > 1);
    int ok;
    ga = peer_spawn(a, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);

    printf("debug: a stack walk through the spillet\n");
    struct pl_gate d = { (uint64_t)frames_probe, peer_read_gp(), peer_read_tp(), PL_GATE_OWN_DATA, 256 };
    long probe = pl_gate(&d);
    CHECK(probe > 0);
    CHECK(pl_grant(a, probe, 8, PL_G) > 0);
    uint64_t my_sp = peer_read_sp();
    CHECK_EQ(pl_call(ga, AG_CALL, probe), 2);
    CHECK_EQ(lib_status, 0);
    CHECK_EQ(depth, 2);
    /* innermost: lib called the root back */
    CHECK_EQ(frames[0].kind, PL_FRAME_CALL);
    CHECK_EQ(frames[0].caller_code, a);
    CHECK_EQ(frames[0].caller_data, a);
    CHECK_EQ(frames[0].callee_code, PEER_ROOT_SPACE);
    CHECK_EQ(frames[0].gate, probe);
    /* outermost: the root called lib */
    CHECK_EQ(frames[1].caller_code, PEER_ROOT_SPACE);
    CHECK_EQ(frames[1].callee_code, a);
    CHECK_EQ(frames[1].callee_data, a);
    CHECK_EQ(frames[1].gate, ga);
    /* hunks nest: the root's, then lib's, then the root's again */
    CHECK(frames[1].hunk_top <= my_sp && frames[1].hunk_top > my_sp - 256);
    CHECK(frames[0].hunk_top < frames[1].hunk_top);
    CHECK(probe_sp <= frames[0].hunk_top);
    /* No frames outside a call. */
    CHECK_EQ(pl_frames(frames, 8), 0);
    /* The records are written with the caller's rights. */
    EXPECT_RETURN(pl_call(ga, AG_CALL, probe), 2);

    printf("debug: single steps\n");
    uint64_t lo = (uint64_t)stack_t, hi = lo + sizeof stack_t;
    long t = peer_thread_create((uint64_t)dbg_start, hi, lo, hi, PEER_ROOT_SPACE, PEER_ROOT_SPACE, 0);
    CHECK(t > PEER_BOOT_THREAD);
    CHECK_EQ(peer_thread_getreg(t, 64), (uint64_t)dbg_start);
    CHECK_EQ(peer_thread_step(t, 0), 0);
    CHECK_EQ(peer_thread_getreg(t, 10), 11);
    uint64_t pc1 = peer_thread_getreg(t, 64);
    CHECK(pc1 > (uint64_t)dbg_start && pc1 < (uint64_t)dbg_after_li);
    CHECK_EQ(peer_thread_step(t, 0), 0);
    CHECK_EQ(peer_thread_getreg(t, 11), 22);
    CHECK_EQ(peer_thread_getreg(t, 64), (uint64_t)dbg_after_li);
    CHECK_EQ(peer_thread_state(t), THREAD_READY);
    CHECK_EQ(peer_thread_getreg(t, 65), PEER_ROOT_SPACE);
    /* Registers can be changed: a0 and s1 (the gate to call). */
    CHECK_EQ(peer_thread_setreg(t, 10, 5), 0);
    CHECK_EQ(peer_thread_setreg(t, 9, ga), 0);
    CHECK_EQ(peer_thread_getreg(t, 9), ga);
    CHECK_EQ(peer_thread_getreg(t, 0), 0);
    CHECK_EQ(peer_thread_step(t, PEER_ROOT_SPACE), 0);        /* mv a2, s1 */
    CHECK_EQ(peer_thread_getreg(t, 64), (uint64_t)dbg_call);
    /* a1 = AG_ECHO (1): lib returns a0 + 1.  Stepping in the root's space,
     * the whole call into lib is one step. */
    CHECK_EQ(peer_thread_setreg(t, 10, AG_ECHO), 0);
    CHECK_EQ(peer_thread_setreg(t, 11, 41), 0);
    CHECK_EQ(peer_thread_step(t, PEER_ROOT_SPACE), 0);
    CHECK_EQ(peer_thread_getreg(t, 64), (uint64_t)dbg_after_call);
    CHECK_EQ(peer_thread_getreg(t, 10), 42);
    CHECK_EQ(peer_thread_getreg(t, 65), PEER_ROOT_SPACE);
    /* Stepping any space stops inside lib, after the jump. */
    CHECK_EQ(peer_thread_setreg(t, 64, (uint64_t)dbg_after_li), 0);
    CHECK_EQ(peer_thread_step(t, 0), 0);                      /* mv a2, s1 (s1 kept by the call) */
    CHECK_EQ(peer_thread_step(t, 0), 0);                      /* jalr, through the gate */
    CHECK_EQ(peer_thread_getreg(t, 65), a);                   /* now in lib */
    CHECK_EQ(peer_thread_step(t, 0), 0);                      /* lib's first instruction */
    CHECK_EQ(peer_thread_getreg(t, 65), a);
    /* The running thread cannot be stepped or read. */
    CHECK_EQ(peer_thread_step(PEER_BOOT_THREAD, 0), PL_E_INVAL);
    CHECK_EQ(peer_thread_getreg(PEER_BOOT_THREAD, 10), PL_E_INVAL);

    printf("debug: a fault while stepping stops only that thread\n");
    long t2 = peer_thread_create(0x1000, hi, lo, hi, PEER_ROOT_SPACE, PEER_ROOT_SPACE, 0);
    CHECK(t2 > t);
    CHECK_EQ(peer_thread_step(t2, 0), PL_FAULT_EXC(1));       /* no memory at 0x1000 */
    CHECK_EQ(peer_thread_state(t2), THREAD_FAULTED);
    struct pl_fault f;
    CHECK_EQ(peer_thread_fault(t2, &f), 0);
    CHECK_EQ(f.pc, 0x1000);
    printf("debug: ok (%d checks)\n", ptest_checks);
    return 0;
}
