/* The virtual clock (--icount 100: one 10 MHz mtime tick per instruction),
 * on virt in M mode.  Checks, with exit status 0 if all hold:
 *   1. mtime advances exactly one tick per instruction retired (status 1
 *      if not): 11 between two reads with ten instructions between them;
 *   2. a timer interrupt is taken where its deadline falls, not a slice of
 *      instructions later: the handler finds mtime at most 8 past
 *      mtimecmp (status 2), for each of the interrupts a loop of 200000
 *      instructions takes with mtimecmp 1000 ahead each time;
 *   3. there were such interrupts (status 3).
 * Run twice, it retires the same number of instructions (tests/cli/run.sh). */
#include <peerless/virt.h>

#define PERIOD 1000

    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li s0, VIRT_CLINT_MTIME
    ld s1, 0(s0)
    .rept 10
    nop
    .endr
    ld s2, 0(s0)
    sub s2, s2, s1
    li t0, 11
    li a0, 1
    bne s2, t0, fail

    li s3, 0                        /* interrupts taken */
    li s4, VIRT_CLINT_MTIMECMP(0)
    ld t0, 0(s0)
    addi t0, t0, PERIOD
    sd t0, 0(s4)
    li t0, 0x80                     /* MTIE */
    csrs mie, t0
    csrsi mstatus, 0x8              /* MIE */
    li t1, 100000
1:  addi t1, t1, -1
    bnez t1, 1b
    csrci mstatus, 0x8
    li a0, 3
    beqz s3, fail
    li t0, VIRT_TEST_BASE
    li t1, VIRT_TEST_PASS
    sw t1, 0(t0)
2:  j 2b

fail:                               /* exit status a0 */
    slli a0, a0, 16
    li t0, VIRT_TEST_FAIL
    or a0, a0, t0
    li t0, VIRT_TEST_BASE
    sw a0, 0(t0)
3:  j 3b

    .balign 4
trap:
    ld t2, 0(s0)                    /* now */
    ld t3, 0(s4)                    /* the deadline */
    sub t2, t2, t3
    li t3, 8
    li a0, 2
    bgtu t2, t3, fail
    addi s3, s3, 1
    ld t3, 0(s4)
    addi t3, t3, PERIOD
    sd t3, 0(s4)
    mret
