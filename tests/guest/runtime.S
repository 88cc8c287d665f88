/* Start-up, printing, trap handling and exits shared by the assembly tests
 * (see test.h).  Machine mode only; the UART is used polled. */
#include "test.h"


        .section .text.start, "ax"
        .globl _start
_start:
        .option push
        .option norelax
        la gp, __global_pointer$
        .option pop
        la sp, test_stack_top
        la t0, test_trap_entry
        csrw mtvec, t0
        li t0, 1 << 13                  /* mstatus.FS = Initial: FP usable */
        csrs mstatus, t0
        csrwi fcsr, 0
        li CHECK_NUM, 0
        call test_main
        la a0, test_name
        call test_puts
        la a0, msg_pass
        call test_puts
        li t0, VIRT_TEST_BASE
        li t1, VIRT_TEST_PASS
        sw t1, 0(t0)
1:      j 1b

        .text
/* a0 = character.  The transmitter is not polled (LSR.THRE): both QEMU's
 * and peerless's UART accept bytes at once, and keeping the output path to
 * a single store keeps every test independent of the UART's register
 * model (the device tests check that).  Clobbers t0. */
        .globl test_putc
test_putc:
        li t0, VIRT_UART0_BASE
        sb a0, 0(t0)
        ret

/* a0 = NUL-terminated string.  Clobbers a0, a1, t0, t1. */
        .globl test_puts
test_puts:
        mv a1, a0
        mv a2, ra
1:      lbu a0, 0(a1)
        beqz a0, 2f
        call test_putc
        addi a1, a1, 1
        j 1b
2:      mv ra, a2
        ret

/* a0 = value, printed as 0x followed by 16 hex digits.  Clobbers a0-a3, t0, t1. */
        .globl test_puthex
test_puthex:
        mv a1, a0
        mv a3, ra
        li a0, '0'
        call test_putc
        li a0, 'x'
        call test_putc
        li a2, 60
1:      srl a0, a1, a2
        andi a0, a0, 15
        addi a0, a0, '0'
        li t0, '9'
        ble a0, t0, 2f
        addi a0, a0, 'a' - '0' - 10
2:      call test_putc
        addi a2, a2, -4
        bgez a2, 1b
        mv ra, a3
        ret

/* a0 = section string.  Prints "<test name>: <section>\n"; preserves all
 * registers except a0 and ra (the TEST_SECTION macro saves those). */
        .globl test_print_section
test_print_section:
        addi sp, sp, -64
        sd ra, 0(sp); sd a1, 8(sp); sd a2, 16(sp); sd a3, 24(sp)
        sd t0, 32(sp); sd t1, 40(sp); sd a0, 48(sp)
        la a0, test_name
        call test_puts
        la a0, msg_colon
        call test_puts
        ld a0, 48(sp)
        call test_puts
        li a0, '\n'
        call test_putc
        ld ra, 0(sp); ld a1, 8(sp); ld a2, 16(sp); ld a3, 24(sp)
        ld t0, 32(sp); ld t1, 40(sp)
        addi sp, sp, 64
        ret

/* Failure paths: print why, then exit through the finisher with the check
 * number as the exit code.  t5 = value got, t6 = value expected. */
        .globl test_fail_values
test_fail_values:
        mv s0, t5
        mv s1, t6
        call fail_header
        la a0, msg_got
        call test_puts
        mv a0, s0
        call test_puthex
        la a0, msg_expected
        call test_puts
        mv a0, s1
        call test_puthex
        li a0, '\n'
        call test_putc
        j test_exit_fail

        .globl test_fail_no_trap
test_fail_no_trap:
        call fail_header
        la a0, msg_no_trap
        call test_puts
        j test_exit_fail

/* Prints "<name>: FAIL check <n>". */
fail_header:
        mv s2, ra
        la a0, test_name
        call test_puts
        la a0, msg_fail
        call test_puts
        mv a0, CHECK_NUM
        call test_puthex
        mv ra, s2
        ret

/* Exit code = check number, kept within 1..253 so that the low byte seen
 * by the host is never 0 (254 is reserved for unexpected traps). */
        .globl test_exit_fail
test_exit_fail:
        mv a0, CHECK_NUM
        li t0, 253
        bleu a0, t0, 1f
        mv a0, t0
1:      bnez a0, 2f
        li a0, 253
2:      mv t0, a0
test_exit_code:
        slli t0, t0, 16
        li t1, VIRT_TEST_FAIL
        or t0, t0, t1
        li t1, VIRT_TEST_BASE
        sw t0, 0(t1)
3:      j 3b

/* Default trap handler (direct mode).  If a test armed trap_resume, record
 * the trap and continue there; otherwise report an unexpected trap. */
        .align 2
        .globl test_trap_entry
test_trap_entry:
        csrw mscratch, t0
        la t0, trap_save
        sd t1, 0(t0)
        csrr t1, mcause
        sd t1, 8(t0)   /* trap_cause */
        csrr t1, mepc
        sd t1, 16(t0)   /* trap_epc */
        csrr t1, mtval
        sd t1, 24(t0)   /* trap_tval */
        ld t1, 32(t0)   /* trap_count */
        addi t1, t1, 1
        sd t1, 32(t0)   /* trap_count */
        csrr t1, mstatus
        sd t1, 48(t0)   /* trap_mstatus: MPP says which mode trapped */
        ld t1, 40(t0)   /* trap_resume */
        beqz t1, unexpected_trap
        csrw mepc, t1
        sd zero, 40(t0)   /* trap_resume */
        li t1, 3 << 11  /* resume in M mode whichever mode trapped */
        csrs mstatus, t1
        li t1, 1 << 17  /* and with MPRV clear: mret leaves MPP = U */
        csrc mstatus, t1
        ld t1, 0(t0)
        csrr t0, mscratch
        mret

unexpected_trap:
        la sp, test_stack_top
        call fail_header
        la a0, msg_trap
        call test_puts
        csrr a0, mcause
        call test_puthex
        la a0, msg_mepc
        call test_puts
        csrr a0, mepc
        call test_puthex
        la a0, msg_mtval
        call test_puts
        csrr a0, mtval
        call test_puthex
        li a0, '\n'
        call test_putc
        li t0, 254
        j test_exit_code

/* Supervisor trap handler for the tests of delegation (priv.h): like the
 * machine one, it records scause/sepc/stval/sstatus in strap_* and resumes
 * in S mode at strap_resume, with SIE cleared (so that a delegated
 * interrupt whose source is still pending does not fire again). */
        .align 2
        .globl test_strap_entry
test_strap_entry:
        csrw sscratch, t0
        la t0, strap_save
        sd t1, 0(t0)
        csrr t1, scause
        sd t1, 8(t0)    /* strap_cause */
        csrr t1, sepc
        sd t1, 16(t0)   /* strap_epc */
        csrr t1, stval
        sd t1, 24(t0)   /* strap_tval */
        ld t1, 32(t0)
        addi t1, t1, 1
        sd t1, 32(t0)   /* strap_count */
        csrr t1, sstatus
        sd t1, 48(t0)   /* strap_sstatus */
        ld t1, 40(t0)   /* strap_resume */
        beqz t1, unexpected_strap
        csrw sepc, t1
        sd zero, 40(t0)
        li t1, 1 << 8   /* SPP = S */
        csrs sstatus, t1
        li t1, 1 << 5   /* SPIE = 0 */
        csrc sstatus, t1
        ld t1, 0(t0)
        csrr t0, sscratch
        sret

unexpected_strap:
        la sp, test_stack_top
        call fail_header
        la a0, msg_strap
        call test_puts
        csrr a0, scause
        call test_puthex
        la a0, msg_mepc
        call test_puts
        csrr a0, sepc
        call test_puthex
        la a0, msg_mtval
        call test_puts
        csrr a0, stval
        call test_puthex
        li a0, '\n'
        call test_putc
        li t0, 254
        j test_exit_code

        .section .rodata
msg_strap:    .asciz ": unexpected S-mode trap scause="
msg_pass:     .asciz ": PASS\n"
msg_colon:    .asciz ": "
msg_fail:     .asciz ": FAIL check "
msg_got:      .asciz ": got "
msg_expected: .asciz ", expected "
msg_no_trap:  .asciz ": expected a trap, none taken\n"
msg_trap:     .asciz ": unexpected trap mcause="
msg_mepc:     .asciz " mepc="
msg_mtval:    .asciz " mtval="

        .data
        .align 3
        .globl trap_save, trap_cause, trap_epc, trap_tval, trap_count, trap_resume, trap_mstatus
trap_save:   .dword 0
trap_cause:  .dword 0
trap_epc:    .dword 0
trap_tval:   .dword 0
trap_count:  .dword 0
/* Where the handler resumes after an expected trap; 0 = none expected. */
trap_resume: .dword 0
trap_mstatus: .dword 0
        .globl strap_save, strap_cause, strap_epc, strap_tval, strap_count, strap_resume, strap_sstatus
strap_save:   .dword 0
strap_cause:  .dword 0
strap_epc:    .dword 0
strap_tval:   .dword 0
strap_count:  .dword 0
strap_resume: .dword 0
strap_sstatus: .dword 0

        .bss
        .align 4
test_stack:  .space 16384
        .globl test_stack_top
test_stack_top:
