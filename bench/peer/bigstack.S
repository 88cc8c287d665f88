/* main for a benchmark built for the peer machine: runs the benchmark's
 * own main (renamed bench_main with -Dmain=bench_main) on a 1 MiB stack.
 *
 * Why: lib/peer's crt0 gives the boot thread the 64 KiB stack that
 * lib/peer/peer.ld reserves, and recursion's Ackermann(3, 10) recurses
 * about 8000 deep — several hundred KiB.  In the root space nothing stops
 * a stack overflow (the root holds every right), so it silently overwrites
 * the program's code.  On virt, picolibc's stack is the top of RAM.
 * Like crt0, we tell the thread controller where the stack is, so the
 * thread's stack region is the one in use.
 */
#include <peerless/peer.h>

#define BENCH_STACK_SIZE (1024 * 1024)

/* Whole pages: the thread's stack region is where the hunk rule applies,
 * and a page only partly inside it takes the machine's slow, exactly
 * checked path for every access (a neighbouring table shared the last
 * page once and ran twice as slow). */
    .bss
    .balign 4096
bench_stack_lo:
    .skip BENCH_STACK_SIZE
bench_stack_hi:

    .text
    .globl main
main:
    addi    sp, sp, -16
    sd      ra, 8(sp)
    sd      s0, 0(sp)
    mv      s0, sp

    /* THREAD_SET_STACK(PEER_BOOT_THREAD, bench_stack_lo, bench_stack_hi). */
    li      t0, PEER_THREADCTL
    li      t1, PEER_BOOT_THREAD
    sd      t1, THREADCTL_ARG(0)(t0)
    la      t1, bench_stack_lo
    sd      t1, THREADCTL_ARG(1)(t0)
    la      t1, bench_stack_hi
    sd      t1, THREADCTL_ARG(2)(t0)
    li      t1, THREAD_SET_STACK
    sd      t1, THREADCTL_CMD(t0)

    la      sp, bench_stack_hi
    call    bench_main
    mv      sp, s0
    ld      s0, 0(sp)
    ld      ra, 8(sp)
    addi    sp, sp, 16
    ret
