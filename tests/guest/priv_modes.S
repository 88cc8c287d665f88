/* Privilege modes without translation: mret to S and U (MPP), sret to U and
 * S (SPP), ecall causes from each mode, illegal M-CSR accesses and
 * privileged instructions from lower modes, mstatus.TSR/TW/TVM, WFI in U,
 * counters gated by mcounteren/scounteren, and sstatus/sie/sip as views of
 * the machine registers. */
#include "priv.h"
TEST_NAME("priv_modes")

/* Nothing is mapped here on `virt` with 128 MiB of RAM. */
#define UNMAPPED 0x90000000

/* t0 <- MPP recorded by the last trap to M. */
#define LAST_MPP \
        la t6, trap_mstatus; ld t0, 0(t6); srli t0, t0, 11; andi t0, t0, 3

        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        PMP_ALLOW_ALL
        csrw satp, zero
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        la t0, test_strap_entry
        csrw stvec, t0

        TEST_SECTION("mret to S and U, ecall causes")
        TEST_TRAP(1, CAUSE_ECALL_S, ENTER_S; 1: ecall)
        la a0, 1b
        CHECK_EQ(t1, a0)                            /* mepc = the ecall */
        li CHECK_NUM, 2
        LAST_MPP
        CHECK_IMM(t0, PRV_S)
        TEST_TRAP(3, CAUSE_ECALL_U, ENTER_U; 1: ecall)
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 4
        LAST_MPP
        CHECK_IMM(t0, PRV_U)
        li CHECK_NUM, 5                             /* mtval is 0 for ecall */
        CHECK_IMM(t2, 0)
        TEST_TRAP(6, CAUSE_ECALL_M, ecall)          /* MPP forced back to M by the runtime */
        li CHECK_NUM, 7
        LAST_MPP
        CHECK_IMM(t0, PRV_M)
        /* mret to M with MPP = M leaves MPP = M (the least privileged
         * supported mode is U, so MPP becomes U after an mret). */
        li CHECK_NUM, 8
        ENTER_MODE(PRV_M)
        csrr a0, mstatus
        srli a0, a0, 11
        andi a0, a0, 3
        CHECK_IMM(a0, PRV_U)
        TEST_SECTION("illegal from S and U")
        TEST_TRAP(10, CAUSE_ILLEGAL, ENTER_S; 1: csrr a0, mstatus)
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 11
        LAST_MPP
        CHECK_IMM(t0, PRV_S)
        TEST_TRAP(12, CAUSE_ILLEGAL, ENTER_S; csrw mscratch, zero)
        TEST_TRAP(13, CAUSE_ILLEGAL, ENTER_S; csrr a0, medeleg)
        TEST_TRAP(14, CAUSE_ILLEGAL, ENTER_S; csrr a0, mhartid)
        TEST_TRAP(15, CAUSE_ILLEGAL, ENTER_S; csrr a0, pmpcfg0)
        TEST_TRAP(16, CAUSE_ILLEGAL, ENTER_U; csrr a0, mstatus)
        TEST_TRAP(17, CAUSE_ILLEGAL, ENTER_U; csrr a0, sstatus)
        TEST_TRAP(18, CAUSE_ILLEGAL, ENTER_U; csrw sscratch, a0)
        TEST_TRAP(19, CAUSE_ILLEGAL, ENTER_U; csrr a0, satp)
        TEST_TRAP(20, CAUSE_ILLEGAL, ENTER_S; 1: mret)
        la a0, 1b
        CHECK_EQ(t1, a0)
        TEST_TRAP(21, CAUSE_ILLEGAL, ENTER_U; mret)
        TEST_TRAP(22, CAUSE_ILLEGAL, ENTER_U; sret)
        TEST_TRAP(23, CAUSE_ILLEGAL, ENTER_U; sfence.vma)
        TEST_TRAP(24, CAUSE_ILLEGAL, ENTER_U; wfi)  /* WFI in U is illegal (QEMU: always, with S present) */
        /* S-mode CSRs are accessible from S. */
        TEST_TRAP(25, CAUSE_ECALL_S, ENTER_S; li a0, 0x5a; csrw sscratch, a0; csrr a1, sscratch; csrr a2, sstatus; ecall)
        CHECK_IMM(a1, 0x5a)
        li CHECK_NUM, 26
        csrr a0, sscratch
        CHECK_IMM(a0, 0x5a)
        /* Writing a read-only CSR is illegal even from M. */
        TEST_TRAP(27, CAUSE_ILLEGAL, csrw mhartid, zero)

        TEST_SECTION("sret")
        /* sret from S to U: SPP = 0. */
        TEST_TRAP(30, CAUSE_ECALL_U, ENTER_S; li a0, MSTATUS_SPP; csrc sstatus, a0; la a0, 1f; csrw sepc, a0; sret; j test_fail_no_trap; 1: ecall)
        /* sret from S to S: SPP = 1; SIE <- SPIE, SPIE <- 1, SPP <- U. */
        TEST_TRAP(31, CAUSE_ECALL_S, ENTER_S; li a0, MSTATUS_SPP | MSTATUS_SPIE; csrs sstatus, a0; li a0, MSTATUS_SIE; csrc sstatus, a0; la a0, 1f; csrw sepc, a0; sret; j test_fail_no_trap; 1: csrr a1, sstatus; ecall)
        li a2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and a1, a1, a2
        CHECK_IMM(a1, MSTATUS_SPIE | MSTATUS_SIE)
        /* sret in M mode returns to the mode in SPP. */
        TEST_TRAP(32, CAUSE_ECALL_U, li a0, MSTATUS_SPP; csrc mstatus, a0; la a0, 1f; csrw sepc, a0; sret; j test_fail_no_trap; 1: ecall)
        TEST_SECTION("TSR TW TVM")
        li a0, MSTATUS_TSR
        csrs mstatus, a0
        TEST_TRAP(40, CAUSE_ILLEGAL, ENTER_S; li a0, MSTATUS_SPP; csrs sstatus, a0; la a0, 1f; csrw sepc, a0; sret; 1: nop)
        /* TSR does not affect M mode. */
        TEST_TRAP(41, CAUSE_ECALL_S, li a0, MSTATUS_SPP; csrs mstatus, a0; la a0, 1f; csrw sepc, a0; sret; j test_fail_no_trap; 1: ecall)
        li a0, MSTATUS_TSR
        csrc mstatus, a0
        li a0, MSTATUS_TW
        csrs mstatus, a0
        TEST_TRAP(42, CAUSE_ILLEGAL, ENTER_S; 1: wfi)
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 43
        CHECK_IMM(t2, 0x10500073)                   /* mtval = the wfi encoding */
        li a0, MSTATUS_TW
        csrc mstatus, a0
        /* WFI in S with TW clear: a pending, enabled but globally masked
         * S software interrupt makes it return at once. */
        li a0, MSTATUS_SIE
        csrc mstatus, a0
        li a0, 1 << IRQ_SSI
        csrw mideleg, a0
        csrs mie, a0
        csrs mip, a0
        TEST_TRAP(44, CAUSE_ECALL_S, ENTER_S; li a0, MSTATUS_SIE; csrc sstatus, a0; wfi; li a1, 7; ecall)
        CHECK_IMM(a1, 7)
        li a0, 1 << IRQ_SSI
        csrc mip, a0
        csrc mie, a0
        csrw mideleg, zero
        li a0, MSTATUS_TVM
        csrs mstatus, a0
        TEST_TRAP(45, CAUSE_ILLEGAL, ENTER_S; csrr a0, satp)
        TEST_TRAP(46, CAUSE_ILLEGAL, ENTER_S; csrw satp, zero)
        TEST_TRAP(47, CAUSE_ILLEGAL, ENTER_S; sfence.vma)
        TEST_TRAP(48, CAUSE_ILLEGAL, ENTER_S; sfence.vma a0, zero)
        csrr a0, satp                               /* TVM does not affect M */
        sfence.vma
        li a0, MSTATUS_TVM
        csrc mstatus, a0
        TEST_TRAP(49, CAUSE_ECALL_S, ENTER_S; csrr a0, satp; sfence.vma; ecall)

        TEST_SECTION("counters")
        csrw mcounteren, zero
        csrw scounteren, zero
        csrr a0, cycle                              /* M is never gated */
        csrr a0, time
        csrr a0, instret
        TEST_TRAP(50, CAUSE_ILLEGAL, ENTER_S; 1: rdcycle a0)
        li CHECK_NUM, 51
        la a0, 1b
        CHECK_EQ(t1, a0)
        TEST_TRAP(52, CAUSE_ILLEGAL, ENTER_S; rdtime a0)
        TEST_TRAP(53, CAUSE_ILLEGAL, ENTER_S; rdinstret a0)
        TEST_TRAP(54, CAUSE_ILLEGAL, ENTER_U; rdcycle a0)
        TEST_TRAP(55, CAUSE_ILLEGAL, ENTER_U; rdtime a0)
        TEST_TRAP(56, CAUSE_ILLEGAL, ENTER_U; rdinstret a0)
        /* scounteren alone does not open anything for U. */
        li a0, 7
        csrw scounteren, a0
        TEST_TRAP(57, CAUSE_ILLEGAL, ENTER_U; rdcycle a0)
        TEST_TRAP(58, CAUSE_ILLEGAL, ENTER_S; rdtime a0)
        /* mcounteren opens S; U also needs scounteren. */
        csrw scounteren, zero
        li a0, 7
        csrw mcounteren, a0
        TEST_TRAP(60, CAUSE_ECALL_S, ENTER_S; rdcycle a0; rdtime a1; rdinstret a2; rdinstret a3; ecall)
        bltu a3, a2, test_fail_values
        TEST_TRAP(61, CAUSE_ILLEGAL, ENTER_U; rdcycle a0)
        TEST_TRAP(62, CAUSE_ILLEGAL, ENTER_U; rdtime a0)
        TEST_TRAP(63, CAUSE_ILLEGAL, ENTER_U; rdinstret a0)
        li a0, 7
        csrw scounteren, a0
        TEST_TRAP(64, CAUSE_ECALL_U, ENTER_U; rdcycle a0; rdtime a1; rdinstret a2; rdinstret a3; ecall)
        bltu a3, a2, test_fail_values
        /* One bit at a time: TM only. */
        li a0, 2
        csrw mcounteren, a0
        csrw scounteren, a0
        TEST_TRAP(65, CAUSE_ECALL_U, ENTER_U; rdtime a0; ecall)
        TEST_TRAP(66, CAUSE_ILLEGAL, ENTER_U; rdcycle a0)
        TEST_TRAP(67, CAUSE_ILLEGAL, ENTER_S; rdinstret a0)
        li CHECK_NUM, 68                            /* time follows the CLINT's mtime */
        li a1, VIRT_CLINT_MTIME
        ld a1, 0(a1)
        csrr a0, time
        bltu a0, a1, test_fail_values
        csrw mcounteren, zero
        csrw scounteren, zero

        TEST_SECTION("sstatus view")
        li CHECK_NUM, 70
        csrr s0, mstatus                            /* keep to restore */
        li a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_FS | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
        csrs mstatus, a0
        csrr a1, sstatus
        li a2, (1 << 63) | (2 << 32) | MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_FS
        CHECK_EQ(a1, a2)                            /* SD, UXL = 64, S bits only */
        li CHECK_NUM, 71                            /* clearing through sstatus clears mstatus */
        li a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
        csrc sstatus, a0
        csrr a1, mstatus
        li a2, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
        and a3, a1, a2
        CHECK_IMM(a3, 0)
        li CHECK_NUM, 72                            /* M bits untouched by sstatus writes */
        li a2, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
        and a3, a1, a2
        CHECK_EQ(a3, a2)
        li CHECK_NUM, 73
        li a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV | MSTATUS_MPP
        csrc sstatus, a0                            /* no effect on M bits */
        csrr a1, mstatus
        and a3, a1, a2
        CHECK_EQ(a3, a2)
        li CHECK_NUM, 74                            /* FS through sstatus; SD follows */
        li a0, MSTATUS_FS
        csrc sstatus, a0
        csrr a1, sstatus
        srli a1, a1, 63
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 75
        li a0, 1 << 13
        csrs sstatus, a0
        csrr a1, mstatus
        srli a1, a1, 13
        andi a1, a1, 3
        CHECK_IMM(a1, 1)
        li CHECK_NUM, 76                            /* mstatus SXL/UXL read as 64-bit */
        csrr a1, mstatus
        srli a1, a1, 32
        andi a1, a1, 0xf
        CHECK_IMM(a1, 0xa)
        csrw mstatus, s0
        li CHECK_NUM, 77                            /* sstatus from S sees the same */
        li a0, MSTATUS_SUM
        csrs mstatus, a0
        TEST_TRAP(77, CAUSE_ECALL_S, ENTER_S; csrr a1, sstatus; ecall)
        li a0, MSTATUS_SUM
        and a1, a1, a0
        CHECK_EQ(a1, a0)
        csrc mstatus, a0

        TEST_SECTION("sie and sip views")
        csrci mstatus, MSTATUS_MIE                  /* pending M-level bits must not fire */
        li CHECK_NUM, 80                            /* mideleg = 0: sie/sip show nothing */
        csrw mideleg, zero
        li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
        csrw mie, a0
        csrr a1, sie
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 81
        li a0, 1 << IRQ_SSI
        csrs mip, a0
        csrr a1, sip
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 82                            /* delegated: sie/sip show the S bits */
        li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_SEI)
        csrw mideleg, a0
        csrr a1, sie
        CHECK_EQ(a1, a0)
        li CHECK_NUM, 83
        csrr a1, sip
        CHECK_IMM(a1, 1 << IRQ_SSI)
        li CHECK_NUM, 84                            /* sip.SSIP writable from S */
        TEST_TRAP(84, CAUSE_ECALL_S, ENTER_S; csrci sip, 1 << IRQ_SSI; ecall)
        csrr a1, mip
        andi a1, a1, 1 << IRQ_SSI
        CHECK_IMM(a1, 0)
        li CHECK_NUM, 85                            /* sie writes reach mie only through mideleg */
        li a0, 1 << IRQ_SSI
        csrw mideleg, a0
        csrw mie, zero
        li a0, (1 << IRQ_SSI) | (1 << IRQ_STI) | (1 << IRQ_MTI)
        csrw sie, a0
        csrr a1, mie
        CHECK_IMM(a1, 1 << IRQ_SSI)
        li CHECK_NUM, 86                            /* sip.STIP is read-only */
        li a0, 1 << IRQ_STI
        csrw mideleg, a0
        csrs sip, a0
        csrr a1, mip
        andi a1, a1, 1 << IRQ_STI
        CHECK_IMM(a1, 0)
        csrw mie, zero
        csrw mideleg, zero

        ld ra, 0(sp)
        addi sp, sp, 16
        ret
