/* Zifencei and self-modifying code: store new instructions over code that
 * has already run, fence.i, and run it again.  Covers code in the same page
 * as the writer, code in another page, an instruction straddling a 4 KiB
 * page boundary, a hot loop, and replacing one 32-bit instruction with two
 * compressed ones. */
#include "test.h"
TEST_NAME("fence_i")

/* addi a0, x0, imm */
#define LI_A0(imm) (((imm) << 20) | 0x513)
/* addi a0, a0, imm */
#define ADDI_A0(imm) (((imm) << 20) | (10 << 15) | 0x513)
/* c.li a0, imm / c.addi a0, imm (imm 0..31) */
#define C_LI_A0(imm) (0x4000 | (10 << 7) | ((imm) << 2) | 1)
#define C_ADDI_A0(imm) (0x0000 | (10 << 7) | ((imm) << 2) | 1)

        .text
        .option norvc
/* Each of these returns a0 = 1 until rewritten. */
near_fn:
        addi a0, x0, 1
        ret

        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        TEST_SECTION("same page")
        TEST_CASE(1, a0, 1, call near_fn)
        TEST_CASE(2, a0, 2, la a1, near_fn; li a2, LI_A0(2); sw a2, 0(a1); fence.i; call near_fn)
        TEST_CASE(3, a0, 3, la a1, near_fn; li a2, LI_A0(3); sw a2, 0(a1); fence.i; call near_fn)

        TEST_SECTION("other page")
        TEST_CASE(10, a0, 1, call far_fn)
        TEST_CASE(11, a0, 7, la a1, far_fn; li a2, LI_A0(7); sw a2, 0(a1); fence.i; call far_fn)
        /* byte-wise rewrite of the immediate (a partial store into code) */
        TEST_CASE(12, a0, 9, la a1, far_fn; li a2, (LI_A0(9) >> 24) & 0xff; sb a2, 3(a1); li a2, (LI_A0(9) >> 16) & 0xff; sb a2, 2(a1); fence.i; call far_fn)

        TEST_SECTION("across a page boundary")
        TEST_CASE(20, a0, 1, call straddle_fn)
        TEST_CASE(21, a0, 5, la a1, straddle_insn; li a2, LI_A0(5); sh a2, 0(a1); srli a2, a2, 16; sh a2, 2(a1); fence.i; call straddle_fn)
        /* only the half in the second page changes: imm 5 -> 0x405 */
        TEST_CASE(22, a0, 0x405, la a1, straddle_insn; li a2, LI_A0(0x405) >> 16; sh a2, 2(a1); fence.i; call straddle_fn)

        TEST_SECTION("hot loop")
        li CHECK_NUM, 30
        li s1, 0
        li s2, 50
1:      call loop_fn
        add s1, s1, a0
        addi s2, s2, -1
        bnez s2, 1b
        CHECK_IMM(s1, 50)
        li CHECK_NUM, 31
        la a1, loop_fn
        li a2, LI_A0(4)
        sw a2, 0(a1)
        fence.i
        li s1, 0
        li s2, 50
1:      call loop_fn
        add s1, s1, a0
        addi s2, s2, -1
        bnez s2, 1b
        CHECK_IMM(s1, 200)

        TEST_SECTION("32-bit to compressed")
        TEST_CASE(40, a0, 1, call pair_fn)
        TEST_CASE(41, a0, 13, la a1, pair_fn; li a2, C_LI_A0(6) | (C_ADDI_A0(7) << 16); sw a2, 0(a1); fence.i; call pair_fn)
        TEST_CASE(42, a0, 0x2a, la a1, pair_fn; li a2, LI_A0(0x2a); sw a2, 0(a1); fence.i; call pair_fn)

        ld ra, 0(sp)
        addi sp, sp, 16
        ret

loop_fn:
        addi a0, x0, 1
        ret
pair_fn:
        addi a0, x0, 1
        ret

        .balign 4096
        .space 4096
far_fn:
        addi a0, x0, 1
        ret

/* straddle_insn starts 2 bytes before a page boundary. */
        .balign 4096
        .space 4096 - 6
        .option rvc
straddle_fn:
        c.nop
        c.nop
        .option norvc
straddle_insn:
        addi a0, x0, 1
        ret
