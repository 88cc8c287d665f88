/* Delegation to S mode: medeleg for ecall, illegal instructions and
 * breakpoints; mideleg for the supervisor software interrupt (through sip
 * and mip), the supervisor timer interrupt (through Sstc's stimecmp and
 * through mip.STIP) and the supervisor external interrupt (mip.SEIP);
 * which interrupts are taken in which mode, and their priority. */
#include "priv.h"
TEST_NAME("priv_deleg")

#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_SEIP (1 << IRQ_SEI)
#define S_IRQS (MIP_SSIP | MIP_STIP | MIP_SEIP)

/* t3 holds sstatus as the S handler saw it: SPP of the trapped mode. */
#define CHECK_SPP(num, mode) \
        li CHECK_NUM, num; srli a7, t3, 8; andi a7, a7, 1; CHECK_IMM(a7, mode)

        .data
        .balign 8
svec_entry: .dword 0    /* which stvec entry an interrupt came through */

        .text
/* S-mode vector table: each interrupt entry records its number and goes
 * on to the runtime's S handler. */
        .balign 256
        .option push
        .option norvc
svectors:
        j test_strap_entry
        j svec_ssi
        j test_strap_entry
        j test_strap_entry
        j test_strap_entry
        j svec_sti
        j test_strap_entry
        j test_strap_entry
        j test_strap_entry
        j svec_sei
        .option pop
svec_ssi:
        addi sp, sp, -16; sd t0, 0(sp); li t0, 1; j svec_record
svec_sti:
        addi sp, sp, -16; sd t0, 0(sp); li t0, 5; j svec_record
svec_sei:
        addi sp, sp, -16; sd t0, 0(sp); li t0, 9
svec_record:
        sd t1, 8(sp)
        la t1, svec_entry
        sd t0, 0(t1)
        ld t0, 0(sp); ld t1, 8(sp); addi sp, sp, 16
        j test_strap_entry

        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        PMP_ALLOW_ALL
        csrw satp, zero
        csrw mie, zero
        csrci mstatus, MSTATUS_MIE
        li a0, VIRT_CLINT_MTIMECMP(0)               /* no machine timer interrupt */
        li a1, -1
        sd a1, 0(a0)
        la t0, test_strap_entry
        csrw stvec, t0

        TEST_SECTION("medeleg")
        li a0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | (1 << CAUSE_BREAKPOINT)
        csrw medeleg, a0
        TEST_STRAP(1, CAUSE_ECALL_U, ENTER_U; 1: ecall)
        la a0, 1b
        CHECK_EQ(t1, a0)                            /* sepc = the ecall */
        CHECK_SPP(2, 0)
        li CHECK_NUM, 3
        CHECK_IMM(t2, 0)
        TEST_STRAP(4, CAUSE_ILLEGAL, ENTER_U; 1: csrr a0, sstatus)
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 5
        CHECK_IMM(t2, 0x10002573)                   /* stval = the instruction */
        CHECK_SPP(6, 0)
        /* An illegal instruction in S is delegated to S itself. */
        TEST_STRAP(7, CAUSE_ILLEGAL, ENTER_S; csrr a0, mscratch)
        CHECK_SPP(8, 1)
        TEST_STRAP(9, CAUSE_BREAKPOINT, ENTER_U; 1: ebreak)
        la a0, 1b
        CHECK_EQ(t1, a0)
        TEST_STRAP(10, CAUSE_BREAKPOINT, ENTER_S; .option push; .option rvc; 1: c.ebreak; .option pop)
        la a0, 1b
        CHECK_EQ(t1, a0)
        /* The S trap sets SPIE from SIE and clears SIE. */
        li a0, MSTATUS_SIE
        csrs mstatus, a0
        TEST_STRAP(11, CAUSE_BREAKPOINT, ENTER_S; ebreak)
        li CHECK_NUM, 12
        andi a0, t3, MSTATUS_SIE | MSTATUS_SPIE
        CHECK_IMM(a0, MSTATUS_SPIE)
        /* Traps in M are never delegated. */
        TEST_TRAP(13, CAUSE_ILLEGAL, csrr a0, 0x7ff)
        TEST_TRAP(14, CAUSE_BREAKPOINT, ebreak)
        /* Not delegated: ecall from S goes to M. */
        TEST_TRAP(15, CAUSE_ECALL_S, ENTER_S; ecall)
        li CHECK_NUM, 16                            /* scause untouched by M traps */
        csrw scause, zero
        TEST_TRAP(16, CAUSE_ECALL_U, csrw medeleg, zero; ENTER_U; ecall)
        csrr a0, scause
        CHECK_IMM(a0, 0)
        /* ecall from S delegated: handled in S; return to M through an
         * access fault, which stays with M. */
        li CHECK_NUM, 17
        li a0, 1 << CAUSE_ECALL_S
        csrw medeleg, a0
        la t5, 2f; la t6, strap_resume; sd t5, 0(t6)
        la t5, 3f; la t6, trap_resume; sd t5, 0(t6)
        ENTER_S
1:      ecall
        j test_fail_no_trap
2:      li a1, 0x90000000
        ld a1, 0(a1)
        j test_fail_no_trap
3:      la t6, trap_cause; ld t0, 0(t6)
        CHECK_IMM(t0, 5)
        li CHECK_NUM, 18
        la t6, strap_cause; ld t0, 0(t6)
        CHECK_IMM(t0, CAUSE_ECALL_S)
        li CHECK_NUM, 19
        la t6, strap_epc; ld t1, 0(t6)
        la a0, 1b
        CHECK_EQ(t1, a0)
        csrw medeleg, zero

        TEST_SECTION("software interrupt")
        li a0, S_IRQS
        csrw mideleg, a0
        csrw mie, a0
        /* Set through sip in S with SIE = 1: taken at once in S. */
        TEST_STRAP(20, CAUSE_INTERRUPT | IRQ_SSI, ENTER_S; csrsi sstatus, MSTATUS_SIE; csrsi sip, MIP_SSIP; 1: j test_fail_no_trap)
        la a0, 1b
        CHECK_EQ(t1, a0)                            /* sepc = the next instruction */
        CHECK_SPP(21, 1)
        li CHECK_NUM, 22                            /* still pending */
        csrr a0, mip
        andi a0, a0, MIP_SSIP
        CHECK_IMM(a0, MIP_SSIP)
        /* Pending S interrupt: never taken in M, even with MIE and SIE. */
        li CHECK_NUM, 23
        csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
        nop
        nop
        csrci mstatus, MSTATUS_MIE | MSTATUS_SIE
        /* In S with SIE = 0: not taken. */
        TEST_TRAP(24, CAUSE_ECALL_S, ENTER_S; nop; nop; ecall)
        /* In U: taken whatever SIE is. */
        TEST_STRAP(25, CAUSE_INTERRUPT | IRQ_SSI, ENTER_U; 1: nop)
        la a0, 1b
        CHECK_EQ(t1, a0)
        CHECK_SPP(26, 0)
        /* sie.SSIE clear: not taken in U either. */
        csrci sie, MIP_SSIP
        TEST_TRAP(27, CAUSE_ECALL_U, ENTER_U; nop; ecall)
        csrsi sie, MIP_SSIP
        csrci mip, MIP_SSIP
        /* Not delegated: an M-level trap, taken from S, never from M while
         * MIE = 0. */
        li a0, MIP_SSIP
        csrc mideleg, a0
        csrs mip, a0
        li CHECK_NUM, 28
        nop
        nop
        TEST_TRAP(29, CAUSE_INTERRUPT | IRQ_SSI, ENTER_S; csrci sstatus, MSTATUS_SIE; 1: j test_fail_no_trap)
        csrci mip, MIP_SSIP
        li a0, MIP_SSIP
        csrs mideleg, a0

        TEST_SECTION("timer interrupt")
        /* Without Sstc's STCE, M drives STIP through mip. */
        csrw menvcfg, zero
        li a0, MIP_STIP
        csrs mip, a0
        li CHECK_NUM, 30
        csrr a1, sip
        CHECK_IMM(a1, MIP_STIP)
        TEST_STRAP(31, CAUSE_INTERRUPT | IRQ_STI, ENTER_U; nop)
        csrc mip, a0
        /* stimecmp is illegal in S without menvcfg.STCE, or without
         * mcounteren.TM. */
        li a0, 2
        csrw mcounteren, a0
        TEST_TRAP(32, CAUSE_ILLEGAL, ENTER_S; csrr a0, stimecmp)
        li a0, MENVCFG_STCE
        csrw menvcfg, a0
        csrw mcounteren, zero
        TEST_TRAP(33, CAUSE_ILLEGAL, ENTER_S; csrr a0, stimecmp)
        li a0, 2
        csrw mcounteren, a0
        /* With STCE, STIP = (time >= stimecmp). */
        li a0, -1
        csrw stimecmp, a0
        li CHECK_NUM, 34
        csrr a1, mip
        andi a1, a1, MIP_STIP
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 35                            /* and M cannot write it */
        li a0, MIP_STIP
        csrs mip, a0
        csrr a1, mip
        andi a1, a1, MIP_STIP
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 36
        csrw stimecmp, zero
        csrr a1, mip
        andi a1, a1, MIP_STIP
        CHECK_IMM(a1, MIP_STIP)
        li a0, -1
        csrw stimecmp, a0
        /* S arms its own timer; it fires in S once SIE is set. */
        TEST_STRAP(37, CAUSE_INTERRUPT | IRQ_STI, ENTER_S; csrr a0, time; addi a0, a0, 100; csrw stimecmp, a0; csrsi sstatus, MSTATUS_SIE; 1: j 1b)
        li CHECK_NUM, 38                            /* the handler saw time >= stimecmp */
        csrr a1, stimecmp
        csrr a2, time
        bltu a2, a1, test_fail_values
        li a0, -1
        csrw stimecmp, a0
        csrw menvcfg, zero
        csrw mcounteren, zero

        TEST_SECTION("external interrupt")
        li a0, MIP_SEIP
        csrs mip, a0
        li CHECK_NUM, 40
        csrr a1, sip
        CHECK_IMM(a1, MIP_SEIP)
        TEST_STRAP(41, CAUSE_INTERRUPT | IRQ_SEI, ENTER_S; csrsi sstatus, MSTATUS_SIE; nop)
        /* sip.SEIP is read-only: clearing it from S changes nothing (SIE
         * is 0 again after the handler, so it stays pending). */
        TEST_TRAP(42, CAUSE_ECALL_S, ENTER_S; li a0, MIP_SEIP; csrc sip, a0; ecall)
        li CHECK_NUM, 43
        csrr a1, mip
        andi a1, a1, MIP_SEIP
        CHECK_IMM(a1, MIP_SEIP)
        li a0, MIP_SEIP
        csrc mip, a0

        TEST_SECTION("vectored stvec")
        /* Interrupt i goes to base + 4*i, exceptions to base. */
        la a0, svectors + 1
        csrw stvec, a0
        li a0, 1 << CAUSE_ECALL_U
        csrw medeleg, a0
        li a0, MIP_SSIP
        csrs mip, a0
        la a1, svec_entry
        sd zero, 0(a1)
        TEST_STRAP(45, CAUSE_INTERRUPT | IRQ_SSI, ENTER_U; nop)
        la a1, svec_entry
        ld a0, 0(a1)
        CHECK_IMM(a0, 1)
        li a0, MIP_SSIP
        csrc mip, a0
        li a0, MIP_STIP
        csrs mip, a0
        TEST_STRAP(46, CAUSE_INTERRUPT | IRQ_STI, ENTER_U; nop)
        la a1, svec_entry
        ld a0, 0(a1)
        CHECK_IMM(a0, 5)
        li a0, MIP_STIP
        csrc mip, a0
        sd zero, 0(a1)
        TEST_STRAP(47, CAUSE_ECALL_U, ENTER_U; ecall)
        la a1, svec_entry
        ld a0, 0(a1)
        CHECK_IMM(a0, 0)
        csrw medeleg, zero
        la t0, test_strap_entry
        csrw stvec, t0
        li CHECK_NUM, 48                            /* stvec mode 2 and 3 are reserved: QEMU ignores them */
        csrr s0, stvec
        la a0, svectors + 2
        csrw stvec, a0
        csrr a1, stvec
        CHECK_EQ(a1, s0)

        TEST_SECTION("priority")
        /* An M interrupt wins over pending S ones, whatever their order. */
        li a0, MIP_SSIP
        csrs mip, a0
        li a0, 1 << IRQ_MSI
        csrs mie, a0
        li a1, VIRT_CLINT_MSIP(0)
        li a2, 1
        sw a2, 0(a1)
        TEST_TRAP(53, CAUSE_INTERRUPT | IRQ_MSI, ENTER_U; nop)
        /* MSI > MTI. */
        li a0, 1 << IRQ_MTI
        csrs mie, a0
        li a1, VIRT_CLINT_MTIMECMP(0)
        sd zero, 0(a1)
        TEST_TRAP(54, CAUSE_INTERRUPT | IRQ_MSI, ENTER_U; nop)
        li a1, VIRT_CLINT_MSIP(0)
        sw zero, 0(a1)
        TEST_TRAP(55, CAUSE_INTERRUPT | IRQ_MTI, ENTER_U; nop)
        li a1, VIRT_CLINT_MTIMECMP(0)
        li a2, -1
        sd a2, 0(a1)
        TEST_STRAP(56, CAUSE_INTERRUPT | IRQ_SSI, ENTER_U; nop)
        li a0, MIP_SSIP
        csrc mip, a0
        csrw mie, zero
        csrw mideleg, zero

        ld ra, 0(sp)
        addi sp, sp, 16
        ret
