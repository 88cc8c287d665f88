/* Start-up code of a C program on the peer machine (thread 1, root space).
 *
 * The ELF loader has placed code and initialised data at their run
 * addresses, so there is nothing to copy; we zero the .bss sections, give
 * the boot thread its stack region (the hunk rule needs it before any gate
 * call), call main and report main's return value through the test
 * finisher.
 */
#include <peerless/peer.h>

    .section .text.start, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      tp, __tls_base
    la      sp, __stack_hi

    /* Zero the root's .bss and each space's .bss. */
    la      a0, __bss_start
    la      a1, __bss_end
    call    zero_range
    la      a0, __lib_bss_start
    la      a1, __lib_bss_end
    call    zero_range
    la      a0, __lib2_bss_start
    la      a1, __lib2_bss_end
    call    zero_range
    la      a0, __lib3_bss_start
    la      a1, __lib3_bss_end
    call    zero_range

    /* THREAD_SET_STACK(PEER_BOOT_THREAD, __stack_lo, __stack_hi). */
    li      t0, PEER_THREADCTL
    li      t1, PEER_BOOT_THREAD
    sd      t1, THREADCTL_ARG0(t0)
    la      t1, __stack_lo
    sd      t1, THREADCTL_ARG0+8(t0)
    la      t1, __stack_hi
    sd      t1, THREADCTL_ARG0+16(t0)
    li      t1, THREAD_SET_STACK
    sd      t1, THREADCTL_CMD(t0)

    /* The FPU is always on (no mstatus.FS on the peer machine). */
    li      a0, 0
    li      a1, 0
    li      a2, 0
    call    main
    tail    _exit

/* zero_range(a0 = start, a1 = end): both 8-byte aligned. */
zero_range:
    bgeu    a0, a1, 2f
1:  sd      zero, 0(a0)
    addi    a0, a0, 8
    bltu    a0, a1, 1b
2:  ret
