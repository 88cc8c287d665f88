/* The boot ELF's entry: thread 1 in the root space.  Give the thread its
 * stack region (gate calls need it) and run boot_main, which never returns
 * (boot's thread ends as sched's idle thread). */
#include <peerless/peer.h>

    .section .text.start, "ax"
    .globl _start
_start:
    la      sp, boot_stack_hi
    li      t0, PEER_THREADCTL
    li      t1, PEER_BOOT_THREAD
    sd      t1, THREADCTL_ARG0(t0)
    la      t1, boot_stack_lo
    sd      t1, THREADCTL_ARG0+8(t0)
    la      t1, boot_stack_hi
    sd      t1, THREADCTL_ARG0+16(t0)
    li      t1, THREAD_SET_STACK
    sd      t1, THREADCTL_CMD(t0)
    li      gp, 0
    li      tp, 0
    call    boot_main
1:  j       1b

    .section .bss.boot_stack, "aw", @nobits
    .balign 16
    .globl boot_stack_lo, boot_stack_hi
boot_stack_lo:
    .space  65536
boot_stack_hi:
