/* Conditional branches at signed/unsigned boundaries (taken and not taken,
 * forward and backward), jal/jalr link values, jalr clearing bit 0 of the
 * target, and jalr with rd == rs1 (the target uses the old rs1). */
#include "test.h"
TEST_NAME("branch_jump")

/* a0 = 2 if `inst a1, a2` branches, 1 if it falls through. */
#define TEST_BR(num, inst, a, b, taken) \
        li CHECK_NUM, num; li a1, a; li a2, b; li a0, 0; \
        inst a1, a2, 82f; li a0, 1; j 83f; \
82:     li a0, 2; \
83:     CHECK_IMM(a0, (taken) + 1)

        .text
        .globl test_main
test_main:
        TEST_SECTION("beq/bne")
        TEST_BR(1, beq, 0, 0, 1)
        TEST_BR(2, beq, 1, 0, 0)
        TEST_BR(3, beq, -1, -1, 1)
        TEST_BR(4, beq, 0x100000000, 0, 0)          /* all 64 bits compared */
        TEST_BR(5, bne, 0, 0, 0)
        TEST_BR(6, bne, 0x100000000, 0, 1)
        TEST_BR(7, bne, -1, 1, 1)

        TEST_SECTION("blt/bge")
        TEST_BR(10, blt, -1, 0, 1)
        TEST_BR(11, blt, 0, -1, 0)
        TEST_BR(12, blt, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_BR(13, blt, 0x7fffffffffffffff, 0x8000000000000000, 0)
        TEST_BR(14, blt, 5, 5, 0)
        TEST_BR(15, bge, 5, 5, 1)
        TEST_BR(16, bge, -1, 0, 0)
        TEST_BR(17, bge, 0, -1, 1)
        TEST_BR(18, bge, 0x7fffffffffffffff, 0x8000000000000000, 1)
        TEST_BR(19, bge, 0xffffffff, 0x80000000, 1)

        TEST_SECTION("bltu/bgeu")
        TEST_BR(20, bltu, 0, -1, 1)
        TEST_BR(21, bltu, -1, 0, 0)
        TEST_BR(22, bltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
        TEST_BR(23, bltu, 7, 7, 0)
        TEST_BR(24, bgeu, 7, 7, 1)
        TEST_BR(25, bgeu, -1, 0, 1)
        TEST_BR(26, bgeu, 0, -1, 0)
        TEST_BR(27, bgeu, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_BR(28, bgeu, 0xffffffff, 0x100000000, 0)

        TEST_SECTION("backward branches")
        li CHECK_NUM, 30
        li a0, 0
        li a1, 10
1:      addi a0, a0, 3
        addi a1, a1, -1
        bnez a1, 1b
        CHECK_IMM(a0, 30)
        li CHECK_NUM, 31                            /* bge loop with negative counter */
        li a0, -5
        li a2, 0
1:      addi a2, a2, 1
        addi a0, a0, 1
        bge x0, a0, 1b
        CHECK_IMM(a2, 6)

        TEST_SECTION("jal")
        li CHECK_NUM, 40
        la a1, 1f
        jal a0, 2f
1:      j test_fail_values                          /* must be skipped */
2:      CHECK_EQ(a0, a1)
        li CHECK_NUM, 41                            /* backward jal with link */
        j 3f
2:      la a1, 4f
        CHECK_EQ(a0, a1)
        j 5f
3:      jal a0, 2b
4:      j test_fail_values
5:      li CHECK_NUM, 42                            /* jal x0 writes nothing */
        jal x0, 1f
        j test_fail_values
1:      CHECK_IMM(x0, 0)

        TEST_SECTION("jalr")
        li CHECK_NUM, 50
        la t0, 2f
        la a1, 1f
        jalr a0, 0(t0)
1:      j test_fail_values
2:      CHECK_EQ(a0, a1)
        li CHECK_NUM, 51                            /* bit 0 of the target is cleared */
        la t0, 2f
        addi t0, t0, 1
        jalr a0, 0(t0)
        j test_fail_values
        .balign 4
2:      li CHECK_NUM, 52                            /* positive offset */
        la t0, 2f - 8
        jalr a0, 8(t0)
        j test_fail_values
2:      li CHECK_NUM, 53                            /* negative offset, odd sum */
        la t0, 2f + 15
        jalr a0, -15(t0)
        j test_fail_values
2:      li CHECK_NUM, 54                            /* rd == rs1: target from old value */
        la a1, 2f
        la a2, 1f
        jalr a1, 0(a1)
1:      j test_fail_values
2:      CHECK_EQ(a1, a2)
        li CHECK_NUM, 55                            /* jalr x0 (a plain indirect jump) */
        la t0, 2f
        jalr x0, 0(t0)
        j test_fail_values
2:      li CHECK_NUM, 56                            /* call/ret through ra */
        mv s10, ra
        li a0, 0
        call add_seven
        call add_seven
        mv ra, s10
        CHECK_IMM(a0, 14)
        li CHECK_NUM, 57                            /* far jal (> 1 MiB range is not allowed; use ~8 KiB) */
        la a1, 1f
        jal a0, far_target
1:      CHECK_EQ(a0, a1)
        ret

add_seven:
        addi a0, a0, 7
        ret

        .space 8192
far_target:
        li CHECK_NUM, 58
        jalr x0, 0(a0)
