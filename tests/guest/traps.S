/* Synchronous traps in machine mode: ecall, ebreak, illegal instructions,
 * access faults on unmapped addresses, instruction-address alignment with
 * C enabled, mret, and mstatus.FS gating of the FP unit. */
#include "test.h"
TEST_NAME("traps")

/* Nothing is mapped here on `virt` with 128 MiB of RAM. */
#define UNMAPPED 0x90000000

        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        TEST_SECTION("ecall/ebreak")
        TEST_TRAP(1, 11, 1: ecall)
        la a0, 1b
        CHECK_EQ(t1, a0)                            /* mepc = the ecall */
        TEST_TRAP(2, 3, 1: ebreak)
        la a0, 1b
        CHECK_EQ(t1, a0)

        TEST_SECTION("illegal instructions")
        /* mtval holds the faulting instruction's bits, as QEMU reports them. */
        TEST_TRAP(10, 2, 1: .word 0xc0001073)       /* unimp: csrrw x0, cycle, x0 */
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 11
        CHECK_IMM(t2, 0xc0001073)
        TEST_TRAP(12, 2, 1: .word 0xffffffff)
        li CHECK_NUM, 13
        CHECK_IMM(t2, 0xffffffff)
        TEST_TRAP(14, 2, .option push; .option norvc; 1: .word 0x0000006b; .option pop)   /* custom-2 opcode */
        li CHECK_NUM, 15
        CHECK_IMM(t2, 0x6b)
        TEST_TRAP(16, 2, 1: .half 0x0000)           /* c.unimp: 16-bit all zeros */
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 17
        CHECK_IMM(t2, 0)
        TEST_TRAP(18, 2, 1: .word 0xfe000033)       /* OP with a reserved funct7 */

        TEST_SECTION("access faults")
        TEST_TRAP(20, 5, li a1, UNMAPPED; 1: ld a0, 0(a1))
        la a0, 1b
        CHECK_EQ(t1, a0)
        li CHECK_NUM, 21
        CHECK_IMM(t2, UNMAPPED)
        TEST_TRAP(22, 7, li a1, UNMAPPED; sw a0, 16(a1))
        li CHECK_NUM, 23
        CHECK_IMM(t2, UNMAPPED + 16)
        TEST_TRAP(24, 5, li a1, UNMAPPED; lbu a0, 3(a1))
        li CHECK_NUM, 25
        CHECK_IMM(t2, UNMAPPED + 3)
        TEST_TRAP(26, 1, li a1, UNMAPPED; jalr ra, 0(a1))   /* instruction fetch */
        li CHECK_NUM, 27
        CHECK_IMM(t1, UNMAPPED)
        li CHECK_NUM, 28
        CHECK_IMM(t2, UNMAPPED)
        /* An AMO fault is a store/AMO access fault (7) in the spec; QEMU 7.2
         * reports a load access fault (5).  Either is accepted. */
        TEST_TRAP_RECORD(29, li a1, UNMAPPED; li a2, 1; amoadd.d a0, a2, (a1))
        li t5, 5
        beq t0, t5, 1f
        CHECK_IMM(t0, 7)
1:      CHECK_IMM(t2, UNMAPPED)

        TEST_SECTION("jump targets")
        /* With C, any even address is a valid target: jump into the middle
         * of a 4-byte-aligned pair of compressed instructions. */
        li CHECK_NUM, 30
        li a0, 0
        la a1, 1f
        addi a1, a1, 2
        jalr x0, 0(a1)
        .option push
        .option rvc
        .balign 4
1:      c.li a0, 1
        c.addi a0, 2
        .option pop
        CHECK_IMM(a0, 2)
        li CHECK_NUM, 31                            /* odd target: bit 0 dropped */
        li a0, 0
        la a1, 1f
        addi a1, a1, 3
        jalr x0, 0(a1)
        .option push
        .option rvc
        .balign 4
1:      c.li a0, 1
        c.addi a0, 4
        .option pop
        CHECK_IMM(a0, 4)

        TEST_SECTION("mret")
        li CHECK_NUM, 40                            /* MIE <- MPIE, MPIE <- 1, pc <- mepc */
        li a1, 0x8                                  /* MIE */
        csrc mstatus, a1
        li a1, 0x1880                               /* MPIE, MPP = M (stay in M) */
        csrs mstatus, a1
        la a1, 1f
        csrw mepc, a1
        csrw mie, zero                              /* no interrupt may fire */
        mret
        j test_fail_no_trap
1:      csrr a0, mstatus
        andi a0, a0, 0x88
        CHECK_IMM(a0, 0x88)
        li CHECK_NUM, 41                            /* MPIE = 0 -> MIE = 0 */
        li a1, 0x88
        csrc mstatus, a1
        li a1, 0x1800
        csrs mstatus, a1
        la a1, 1f
        csrw mepc, a1
        mret
1:      csrr a0, mstatus
        andi a0, a0, 0x88
        CHECK_IMM(a0, 0x80)
        li CHECK_NUM, 42                            /* trap: MPIE <- MIE; the handler's mret restores it */
        li a1, 0x80
        csrc mstatus, a1
        li a1, 0x8
        csrs mstatus, a1
        la t5, 1f
        la t6, trap_resume
        sd t5, 0(t6)
        ecall
1:      csrr a0, mstatus
        andi a0, a0, 0x88
        CHECK_IMM(a0, 0x88)
        li a1, 0x88
        csrc mstatus, a1

        TEST_SECTION("mstatus.FS")
        li a1, 3 << 13
        csrc mstatus, a1                            /* FS = Off */
        TEST_TRAP(50, 2, fadd.d f0, f1, f2)
        TEST_TRAP(51, 2, fmv.x.d a0, f0)
        TEST_TRAP(52, 2, csrr a0, fcsr)
        TEST_TRAP(53, 2, la a1, test_stack_top; fld f1, -8(a1))
        TEST_TRAP(54, 2, .option push; .option rvc; c.fldsp f8, 0(sp); .option pop)
        li CHECK_NUM, 55                            /* FS = Initial, then an FP write -> Dirty, SD */
        li a1, 1 << 13
        csrs mstatus, a1
        csrr a0, mstatus
        srli a0, a0, 63
        CHECK_IMM(a0, 0)
        li CHECK_NUM, 56
        fmv.d.x f0, zero
        csrr a0, mstatus
        srli a2, a0, 13
        andi a2, a2, 3
        CHECK_IMM(a2, 3)
        li CHECK_NUM, 57
        srli a0, a0, 63
        CHECK_IMM(a0, 1)
        li CHECK_NUM, 58                            /* writing fflags also dirties */
        li a1, 3 << 13
        csrc mstatus, a1
        li a1, 2 << 13                              /* Clean */
        csrs mstatus, a1
        csrwi fflags, 1
        csrr a0, mstatus
        srli a2, a0, 13
        andi a2, a2, 3
        CHECK_IMM(a2, 3)

        ld ra, 0(sp)
        addi sp, sp, 16
        ret
