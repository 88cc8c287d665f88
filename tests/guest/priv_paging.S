/* Sv39 and Sv48 translation from S and U mode (and from M with MPRV):
 * identity and non-identity mappings with 4K, 2M, 1G and 512G pages,
 * misaligned superpages, invalid and reserved PTEs, read-only and
 * execute-only pages, the U bit with SUM, MXR, non-canonical addresses,
 * page-fault causes and stval, hardware A/D updates, SFENCE.VMA after a
 * remap, a misaligned access whose second page faults, delegation of page
 * faults to S, and satp's WARL mode field.
 *
 * Virtual layout (Sv39 root; Sv48 reaches the same tables one level down):
 *   0x0000_0000  1G  -> devices (S only)
 *   0x8000_0000  1G  -> RAM, identity (S only): the code runs here in S
 *   0xc000_0000  1G  -> RAM, U bit: the code runs here in U (ALIAS_U)
 *   TVA = 0x1_0000_0000: 4K test pages (l0), then 2M pages (l1)
 *   0x1_4000_0000 1G -> RAM (non-identity gigapage)
 *   0x1_8000_0000 1G with a misaligned PPN */
#include "priv.h"
TEST_NAME("priv_paging")

#define ALIAS_U 0x40000000          /* VA of the U alias minus the PA */
#define TVA     0x100000000
#define GIGA_VA 0x140000000
#define BADGIGA_VA 0x180000000
#define SUPER_PA 0x80400000         /* a 2M-aligned, otherwise unused RAM area */
#define MAGIC0 0x1122334455667788
#define MAGIC1 0x99aabbccddeeff00

/* An S-mode snippet that must finish without a trap. */
#define IN_S(num, ...) TEST_TRAP(num, CAUSE_ECALL_S, ENTER_S; __VA_ARGS__; ecall)
/* A snippet in U mode, running from the U alias of the code. */
#define IN_U(num, ...) TEST_TRAP(num, CAUSE_ECALL_U, ENTER_MODE_AT(PRV_U, ALIAS_U); __VA_ARGS__; ecall)
#define TRAP_U(num, cause, ...) TEST_TRAP(num, cause, ENTER_MODE_AT(PRV_U, ALIAS_U); __VA_ARGS__)

        .text
/* An execute-only page: called through its mapping at TVA + 0x4000. */
        .balign 4096
xo_page:
        li a0, 42
        ret
        .balign 4096

        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        PMP_ALLOW_ALL
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        csrci mstatus, MSTATUS_MIE
        la t0, test_strap_entry
        csrw stvec, t0
        li t0, MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPRV
        csrc mstatus, t0

        /* Test data. */
        la a0, page0
        li a1, MAGIC0
        sd a1, 0(a0)
        la a0, page1
        li a1, MAGIC1
        sd a1, 0(a0)
        li a0, SUPER_PA + 0x1238
        li a1, MAGIC1
        sd a1, 0(a0)

        /* Sv39 tables. */
        SET_PTE_PA(root39, 0, 0, PTE_RWX_AD)
        SET_PTE_PA(root39, 2, 0x80000000, PTE_RWX_AD)
        SET_PTE_PA(root39, 3, 0x80000000, PTE_RWX_AD | PTE_U)
        SET_PTE(root39, 4, l1, PTE_V)
        SET_PTE_PA(root39, 5, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
        SET_PTE_PA(root39, 6, 0x80200000, PTE_V | PTE_R | PTE_A)
        SET_PTE(l1, 0, l0, PTE_V)
        SET_PTE_PA(l1, 1, SUPER_PA, PTE_RWX_AD)
        SET_PTE_PA(l1, 2, SUPER_PA + 0x1000, PTE_V | PTE_R | PTE_A)
        SET_PTE(l0, 0, page0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
        SET_PTE(l0, 1, page1, PTE_V | PTE_R | PTE_A)
        SET_PTE(l0, 3, page1, PTE_V | PTE_W | PTE_A | PTE_D)
        SET_PTE(l0, 4, xo_page, PTE_V | PTE_X | PTE_A)
        SET_PTE(l0, 5, page0, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
        SET_PTE(l0, 6, page2, PTE_V | PTE_R | PTE_W)
        SET_PTE(l0, 7, page0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
        SET_PTE(l0, 8, page3, PTE_V | PTE_R | PTE_X | PTE_A)   /* code at its end; l0[9] invalid */
        SET_PTE(l0, 10, page0, PTE_V)                          /* a pointer at the last level */
        SET_PTE_PA(l1, 3, SUPER_PA, PTE_V | PTE_R | PTE_W)     /* 2M page without A and D */
        la t0, root39
        srli t0, t0, 12
        li t1, SATP_MODE_SV39
        or t0, t0, t1
        csrw satp, t0
        sfence.vma

        TEST_SECTION("Sv39 mappings")
        IN_S(1, li a1, TVA; ld a0, 0(a1))
        CHECK_IMM(a0, MAGIC0)
        IN_S(2, li a1, TVA; li a2, 0x77; sd a2, 8(a1))
        la a1, page0
        ld a0, 8(a1)
        CHECK_IMM(a0, 0x77)
        IN_S(3, li a1, TVA + 0x200000 + 0x1238; ld a0, 0(a1))   /* 2M page */
        CHECK_IMM(a0, MAGIC1)
        IN_S(4, la a1, page0; li a2, GIGA_VA - 0x80000000; add a1, a1, a2; ld a0, 0(a1))   /* 1G page */
        CHECK_IMM(a0, MAGIC0)
        IN_S(5, li a1, 0x10000000; lbu a0, 5(a1))    /* devices: the UART's LSR */
        IN_S(6, li a1, TVA + 0x1000; ld a0, 0(a1))    /* read-only page: loads work */
        CHECK_IMM(a0, MAGIC1)

        TEST_SECTION("Sv39 page faults")
        TEST_TRAP(10, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000; 1: sd a1, 16(a1))
        li CHECK_NUM, 11
        CHECK_IMM(t2, TVA + 0x1010)                 /* mtval = the virtual address */
        la a0, 1b
        CHECK_EQ(t1, a0)
        TEST_TRAP(12, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x2000; lw a0, 8(a1))   /* invalid PTE */
        CHECK_IMM(t2, TVA + 0x2008)
        TEST_TRAP(13, CAUSE_FETCH_PF, ENTER_S; li a1, TVA + 0x2000; jalr a1)
        CHECK_IMM(t2, TVA + 0x2000)
        CHECK_IMM(t1, TVA + 0x2000)
        TEST_TRAP(14, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x2000; sb a1, 0(a1))
        TEST_TRAP(15, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x3000; ld a0, 0(a1))   /* W without R */
        CHECK_IMM(t2, TVA + 0x3000)
        TEST_TRAP(16, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x3000; sd a0, 0(a1))
        /* AMOs fault as stores, even on a readable page. */
        TEST_TRAP(17, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000; amoadd.d a0, a1, (a1))
        TEST_TRAP(18, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x400000; ld a0, 0(a1))   /* misaligned 2M page */
        CHECK_IMM(t2, TVA + 0x400000)
        TEST_TRAP(19, CAUSE_LOAD_PF, ENTER_S; li a1, BADGIGA_VA + 8; ld a0, 0(a1))   /* misaligned 1G page */
        CHECK_IMM(t2, BADGIGA_VA + 8)
        TEST_TRAP(20, CAUSE_LOAD_PF, ENTER_S; li a1, 0x8000000000; ld a0, 0(a1))   /* non-canonical */
        CHECK_IMM(t2, 0x8000000000)
        TEST_TRAP(21, CAUSE_STORE_PF, ENTER_S; li a1, 0xffff7fff80000000; sd a0, 0(a1))
        CHECK_IMM(t2, 0xffff7fff80000000)
        TEST_TRAP(22, CAUSE_FETCH_PF, ENTER_S; li a1, 0x4000000000; jr a1)
        CHECK_IMM(t2, 0x4000000000)
        TEST_TRAP(23, CAUSE_LOAD_PF, ENTER_S; li a1, -8; ld a0, 0(a1))   /* canonical, unmapped */
        CHECK_IMM(t2, -8)

        TEST_SECTION("execute-only, MXR")
        IN_S(30, li a1, TVA + 0x4000; jalr a1)
        CHECK_IMM(a0, 42)
        TEST_TRAP(31, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x4000; lw a0, 0(a1))
        li a0, MSTATUS_MXR
        csrs mstatus, a0
        IN_S(32, li a1, TVA + 0x4000; lw a0, 0(a1))
        la a1, xo_page
        lw a1, 0(a1)
        CHECK_EQ(a0, a1)
        TEST_TRAP(33, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x4000; sw a0, 0(a1))
        li a0, MSTATUS_MXR
        csrc mstatus, a0

        TEST_SECTION("U pages and SUM")
        TEST_TRAP(40, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x5000; ld a0, 0(a1))
        li a0, MSTATUS_SUM
        csrs mstatus, a0
        IN_S(41, li a1, TVA + 0x5000; ld a0, 0(a1))
        CHECK_IMM(a0, MAGIC0)
        /* SUM never allows S to execute from a U page. */
        TEST_TRAP(42, CAUSE_FETCH_PF, ENTER_S; la a1, xo_page; li a2, ALIAS_U; add a1, a1, a2; jalr a1)
        li a0, MSTATUS_SUM
        csrc mstatus, a0
        IN_U(43, li a1, TVA + 0x5000; ld a0, 0(a1))
        CHECK_IMM(a0, MAGIC0)
        IN_U(44, la a1, xo_page; jalr a1)           /* through the alias: a U page */
        CHECK_IMM(a0, 42)
        TRAP_U(45, CAUSE_LOAD_PF, li a1, TVA; ld a0, 0(a1))   /* S page from U */
        CHECK_IMM(t2, TVA)
        TRAP_U(46, CAUSE_FETCH_PF, li a1, TVA + 0x4000; jalr a1)
        TRAP_U(47, CAUSE_STORE_PF, li a1, TVA + 0x1000; sd a0, 0(a1))
        TEST_TRAP(48, CAUSE_FETCH_PF, ENTER_U)      /* the identity mapping is S only */

        TEST_SECTION("A and D bits")
        IN_S(50, li a1, TVA + 0x6000; ld a0, 0(a1))
        la a1, l0 + 6 * 8
        ld a0, 0(a1)
        andi a0, a0, PTE_A | PTE_D
        CHECK_IMM(a0, PTE_A)
        IN_S(51, li a1, TVA + 0x6000; sd a1, 0(a1))
        la a1, l0 + 6 * 8
        ld a0, 0(a1)
        andi a0, a0, PTE_A | PTE_D
        CHECK_IMM(a0, PTE_A | PTE_D)
        /* A faulting access sets nothing. */
        la a1, l0 + 6 * 8
        ld a0, 0(a1)
        andi a0, a0, ~(PTE_A | PTE_D | PTE_W)
        sd a0, 0(a1)
        sfence.vma
        TEST_TRAP(52, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x6000; sd a1, 0(a1))
        la a1, l0 + 6 * 8
        ld a0, 0(a1)
        andi a0, a0, PTE_A | PTE_D
        CHECK_IMM(a0, 0)

        TEST_SECTION("SFENCE.VMA")
        /* Read through l0[7], remap it to page1, fence, read again. */
        IN_S(60, li a1, TVA + 0x7000; ld a2, 0(a1); la a3, page1; srli a3, a3, 12; slli a3, a3, 10; ori a3, a3, PTE_V | PTE_R | PTE_A; la a4, l0 + 7 * 8; sd a3, 0(a4); sfence.vma a1, zero; ld a0, 0(a1))
        CHECK_IMM(a2, MAGIC0)
        li CHECK_NUM, 61
        CHECK_IMM(a0, MAGIC1)
        IN_S(62, li a1, TVA + 0x7000; la a3, page0; srli a3, a3, 12; slli a3, a3, 10; ori a3, a3, PTE_V | PTE_R | PTE_A; la a4, l0 + 7 * 8; sd a3, 0(a4); sfence.vma; ld a0, 0(a1))
        CHECK_IMM(a0, MAGIC0)
        /* Invalidate, fence: the next access faults. */
        IN_S(63, li a1, TVA + 0x7000; ld a0, 0(a1); la a4, l0 + 7 * 8; sd zero, 0(a4); sfence.vma zero, zero)
        TEST_TRAP(64, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x7000; ld a0, 0(a1))

        TEST_SECTION("MPRV")
        li CHECK_NUM, 70
        li a0, MSTATUS_MPP
        csrc mstatus, a0
        li a0, (PRV_S << 11) | MSTATUS_MPRV
        csrs mstatus, a0
        li a1, TVA
        ld a0, 0(a1)
        li a1, MSTATUS_MPRV
        csrc mstatus, a1
        CHECK_IMM(a0, MAGIC0)
        TEST_TRAP(71, CAUSE_LOAD_PF, li a0, MSTATUS_MPP; csrc mstatus, a0; li a0, MSTATUS_MPRV; csrs mstatus, a0; li a1, TVA; ld a0, 0(a1))   /* MPP = U */
        CHECK_IMM(t2, TVA)
        li a1, MSTATUS_MPRV
        csrc mstatus, a1
        li CHECK_NUM, 72
        li a0, MSTATUS_MPP
        csrc mstatus, a0
        li a0, MSTATUS_MPRV
        csrs mstatus, a0
        li a1, TVA + 0x5000
        ld a0, 0(a1)
        li a1, MSTATUS_MPRV
        csrc mstatus, a1
        CHECK_IMM(a0, MAGIC0)

        TEST_SECTION("page-crossing access")
        /* 8-byte load at the end of the read-only page; the next is invalid. */
        TEST_TRAP(80, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x2000 - 4; ld a0, 0(a1))
        CHECK_IMM(t2, TVA + 0x2000)
        /* A store starting on the writable page, ending on the read-only one. */
        TEST_TRAP(81, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000 - 2; sw a0, 0(a1))
        CHECK_IMM(t2, TVA + 0x1000)

        TEST_SECTION("instruction fetch across a page")
        /* A 4-byte instruction in the last 2 bytes of an executable page,
         * the next page invalid: the fetch faults, mepc = its start. */
        la a1, page3 + 0xffe
        li a2, 0x0513                               /* addi a0, zero, 1 */
        sh a2, 0(a1)
        li a2, 0x0010
        sh a2, 2(a1)
        fence.i
        TEST_TRAP(82, CAUSE_FETCH_PF, ENTER_S; li a0, 0; li a1, TVA + 0x8ffe; jr a1)
        CHECK_IMM(t1, TVA + 0x8ffe)
        li CHECK_NUM, 83
        CHECK_IMM(t2, TVA + 0x9000)
        li CHECK_NUM, 84
        CHECK_IMM(a0, 0)
        /* A compressed instruction there runs; the next fetch faults. */
        la a1, page3 + 0xffe
        li a2, 0x4515                               /* c.li a0, 5 */
        sh a2, 0(a1)
        fence.i
        TEST_TRAP(85, CAUSE_FETCH_PF, ENTER_S; li a0, 0; li a1, TVA + 0x8ffe; jr a1)
        CHECK_IMM(t1, TVA + 0x9000)
        li CHECK_NUM, 86
        CHECK_IMM(t2, TVA + 0x9000)
        li CHECK_NUM, 87
        CHECK_IMM(a0, 5)

        TEST_SECTION("more PTE forms")
        TEST_TRAP(88, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0xa000; ld a0, 0(a1))   /* pointer at level 0 */
        CHECK_IMM(t2, TVA + 0xa000)
        IN_S(89, li a1, TVA + 0x600000 + 0x1238; ld a0, 0(a1))   /* 2M page gets A */
        CHECK_IMM(a0, MAGIC1)
        la a1, l1 + 3 * 8
        ld a0, 0(a1)
        andi a0, a0, PTE_A | PTE_D
        CHECK_IMM(a0, PTE_A)
        /* MPRV with MPP = S honours SUM and MXR. */
        TEST_TRAP(90, CAUSE_LOAD_PF, li a0, MSTATUS_MPP; csrc mstatus, a0; li a0, (PRV_S << 11) | MSTATUS_MPRV; csrs mstatus, a0; li a1, TVA + 0x5000; ld a0, 0(a1))
        li CHECK_NUM, 91
        li a0, MSTATUS_MPP
        csrc mstatus, a0
        li a0, (PRV_S << 11) | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR
        csrs mstatus, a0
        li a1, TVA + 0x5000
        ld a2, 0(a1)
        li a1, TVA + 0x4000
        lw a3, 0(a1)
        li a0, MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR
        csrc mstatus, a0
        CHECK_IMM(a2, MAGIC0)
        la a1, xo_page
        lw a1, 0(a1)
        CHECK_EQ(a3, a1)

        TEST_SECTION("other access kinds")
        IN_S(92, li a1, TVA + 0x1000; lr.d a0, (a1))   /* LR on a read-only page */
        CHECK_IMM(a0, MAGIC1)
        TEST_TRAP(93, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000; lr.d a0, (a1); sc.d a2, a0, (a1))
        TEST_TRAP(94, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x3000; lr.w a0, (a1))   /* W without R */
        TEST_TRAP(95, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x2000; fld f1, 16(a1))
        CHECK_IMM(t2, TVA + 0x2010)
        TEST_TRAP(96, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000; fsw f1, 4(a1))
        CHECK_IMM(t2, TVA + 0x1004)
        TEST_TRAP(97, CAUSE_LOAD_PF, ENTER_S; li s1, TVA + 0x2000; .option push; .option rvc; c.ld a0, 8(s1); .option pop)
        CHECK_IMM(t2, TVA + 0x2008)
        /* S switches satp itself: to Bare and back. */
        IN_S(98, csrr a3, satp; csrw satp, zero; sfence.vma; la a1, page0; ld a2, 0(a1); csrw satp, a3; sfence.vma; li a1, TVA; ld a0, 0(a1))
        CHECK_IMM(a2, MAGIC0)
        li CHECK_NUM, 99
        CHECK_IMM(a0, MAGIC0)

        TEST_SECTION("page faults delegated to S")
        li a0, (1 << CAUSE_FETCH_PF) | (1 << CAUSE_LOAD_PF) | (1 << CAUSE_STORE_PF)
        csrw medeleg, a0
        TEST_STRAP(90, CAUSE_LOAD_PF, ENTER_S; li a1, TVA + 0x2000 + 24; 1: ld a0, 0(a1))
        CHECK_IMM(t2, TVA + 0x2018)
        la a0, 1b
        CHECK_EQ(t1, a0)
        TEST_STRAP(91, CAUSE_STORE_PF, ENTER_MODE_AT(PRV_U, ALIAS_U); li a1, TVA + 0x1000; sd a0, 0(a1))
        CHECK_IMM(t2, TVA + 0x1000)
        TEST_STRAP(92, CAUSE_FETCH_PF, ENTER_S; li a1, TVA + 0x2000; jr a1)
        CHECK_IMM(t2, TVA + 0x2000)
        /* M-mode (MPRV) faults stay in M. */
        TEST_TRAP(93, CAUSE_LOAD_PF, li a0, MSTATUS_MPP; csrc mstatus, a0; li a0, MSTATUS_MPRV; csrs mstatus, a0; li a1, TVA; ld a0, 0(a1))
        li a1, MSTATUS_MPRV
        csrc mstatus, a1
        csrw medeleg, zero

        TEST_SECTION("satp WARL")
        li CHECK_NUM, 100
        csrr s0, satp
        li a0, (1 << 60) | 0x1234                   /* reserved mode: ignored */
        csrw satp, a0
        csrr a1, satp
        CHECK_EQ(a1, s0)
        li CHECK_NUM, 101
        li a0, (15 << 60) | 0x1234
        csrw satp, a0
        csrr a1, satp
        CHECK_EQ(a1, s0)
        li CHECK_NUM, 102                           /* Bare: accepted */
        csrw satp, zero
        csrr a1, satp
        CHECK_IMM(a1, 0)

        TEST_SECTION("Sv48")
        SET_PTE(root48, 0, l2_48, PTE_V)
        SET_PTE_PA(root48, 1, 0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)   /* 512G page */
        SET_PTE_PA(root48, 2, 0x40000000, PTE_V | PTE_R | PTE_A)          /* misaligned 512G page */
        SET_PTE_PA(l2_48, 0, 0, PTE_RWX_AD)
        SET_PTE_PA(l2_48, 2, 0x80000000, PTE_RWX_AD)
        SET_PTE(l2_48, 4, l1, PTE_V)
        li CHECK_NUM, 110
        la t0, root48
        srli t0, t0, 12
        li t1, SATP_MODE_SV48
        or t0, t0, t1
        csrw satp, t0
        csrr a1, satp
        CHECK_EQ(a1, t0)
        sfence.vma
        IN_S(111, li a1, TVA; ld a0, 0(a1))
        CHECK_IMM(a0, MAGIC0)
        IN_S(112, la a1, page1; li a2, 0x8000000000; add a1, a1, a2; ld a0, 0(a1))   /* 512G page */
        CHECK_IMM(a0, MAGIC1)
        TEST_TRAP(113, CAUSE_LOAD_PF, ENTER_S; li a1, 0x10000000000; ld a0, 0(a1))
        CHECK_IMM(t2, 0x10000000000)
        TEST_TRAP(114, CAUSE_LOAD_PF, ENTER_S; li a1, 0x800000000000; ld a0, 0(a1))   /* non-canonical */
        CHECK_IMM(t2, 0x800000000000)
        TEST_TRAP(115, CAUSE_STORE_PF, ENTER_S; li a1, TVA + 0x1000; sd a0, 0(a1))
        CHECK_IMM(t2, TVA + 0x1000)
        TEST_TRAP(116, CAUSE_LOAD_PF, ENTER_S; li a1, 0xffff800000000000; ld a0, 0(a1))   /* canonical, unmapped */
        CHECK_IMM(t2, 0xffff800000000000)
        /* ASIDLEN is implementation-defined; QEMU keeps all 16 bits. */
        li CHECK_NUM, 117
        csrr s0, satp
        li a0, 0xffff
        slli a0, a0, 44
        or a0, a0, s0
        csrw satp, a0
        csrr a1, satp
        csrw satp, s0
        CHECK_EQ(a1, a0)
        csrw satp, zero
        sfence.vma

        ld ra, 0(sp)
        addi sp, sp, 16
        ret

        .bss
        .balign 4096
root39: .space 4096
l1:     .space 4096
l0:     .space 4096
root48: .space 4096
l2_48:  .space 4096
page0:  .space 4096
page1:  .space 4096
page2:  .space 4096
page3:  .space 4096
