/* RV64I integer computation: register and immediate forms, lui/auipc, the
 * 32-bit *W forms (whose results are sign-extended from bit 31) and shift
 * amount edge cases (0, 31, 63, and masking of the upper shamt bits). */
#include "test.h"
TEST_NAME("rv64i_alu")

        .text
        .globl test_main
test_main:
        TEST_SECTION("add/sub")
        TEST_CASE(1, a0, 3, li a1, 1; li a2, 2; add a0, a1, a2)
        TEST_CASE(2, a0, 0, li a1, -1; li a2, 1; add a0, a1, a2)
        TEST_CASE(3, a0, 0x8000000000000000, li a1, 0x7fffffffffffffff; li a2, 1; add a0, a1, a2)
        TEST_CASE(4, a0, 0xffffffffffffffff, li a1, 0; li a2, 1; sub a0, a1, a2)
        TEST_CASE(5, a0, 0x7fffffffffffffff, li a1, 0x8000000000000000; li a2, 1; sub a0, a1, a2)
        TEST_CASE(6, a0, 0, li a1, 12345; sub a0, a1, a1)
        TEST_CASE(7, a0, 0, li a1, 5; add x0, a1, a1; mv a0, x0)
        TEST_CASE(8, a0, -2048, li a1, 0; addi a0, a1, -2048)
        TEST_CASE(9, a0, 0x80000000000007fe, li a1, 0x7fffffffffffffff; addi a0, a1, 2047)

        TEST_SECTION("logic")
        TEST_CASE(10, a0, 0x0f0f0f0f0f0f0f0f, li a1, 0xff00ff00ff00ff00; li a2, 0x00ff00ff00ff00ff; xor a0, a1, a2; li a3, 0xf0f0f0f0f0f0f0f0; xor a0, a0, a3)
        TEST_CASE(11, a0, 0xfff0fff0fff0fff0, li a1, 0xff00ff00ff00ff00; li a2, 0x0ff00ff00ff00ff0; or a0, a1, a2)
        TEST_CASE(12, a0, 0x0f000f000f000f00, li a1, 0xff00ff00ff00ff00; li a2, 0x0ff00ff00ff00ff0; and a0, a1, a2)
        TEST_CASE(13, a0, 0xff00ff00ff00ffff, li a1, 0xff00ff00ff00ff00; xori a0, a1, 0x0ff)
        TEST_CASE(14, a0, 0x00ff00ff00ff00ff, li a1, 0xff00ff00ff00ff00; xori a0, a1, -1)
        TEST_CASE(15, a0, 0xff00ff00ff00fff0, li a1, 0xff00ff00ff00ff00; ori a0, a1, 0x0f0)
        TEST_CASE(16, a0, 0xff00ff00ff00ff00, li a1, 0xff00ff00ff00ff00; andi a0, a1, -256)
        TEST_CASE(17, a0, 0x0000000000000700, li a1, 0xff00ff00ff00ff00; andi a0, a1, 0x7f0)

        TEST_SECTION("slt")
        TEST_CASE(18, a0, 1, li a1, -1; li a2, 0; slt a0, a1, a2)
        TEST_CASE(19, a0, 0, li a1, -1; li a2, 0; sltu a0, a1, a2)
        TEST_CASE(20, a0, 1, li a1, 0x8000000000000000; li a2, 0x7fffffffffffffff; slt a0, a1, a2)
        TEST_CASE(21, a0, 0, li a1, 0x8000000000000000; li a2, 0x7fffffffffffffff; sltu a0, a1, a2)
        TEST_CASE(22, a0, 0, li a1, 5; slt a0, a1, a1)
        TEST_CASE(23, a0, 1, li a1, 0; sltiu a0, a1, 1)            /* seqz */
        TEST_CASE(24, a0, 1, li a1, 5; sltiu a0, a1, -1)           /* imm sign-extended, compared unsigned */
        TEST_CASE(25, a0, 0, li a1, -1; sltiu a0, a1, -1)
        TEST_CASE(26, a0, 1, li a1, -2049; slti a0, a1, -2048)
        TEST_CASE(27, a0, 0, li a1, -2048; slti a0, a1, -2048)
        TEST_CASE(28, a0, 1, li a1, 7; sltu a0, x0, a1)            /* snez */

        TEST_SECTION("shifts")
        TEST_CASE(30, a0, 0x8000000000000000, li a1, 1; li a2, 63; sll a0, a1, a2)
        TEST_CASE(31, a0, 0x0000000080000000, li a1, 1; li a2, 31; sll a0, a1, a2)
        TEST_CASE(32, a0, 0x123456789abcdef0, li a1, 0x123456789abcdef0; li a2, 0; sll a0, a1, a2)
        TEST_CASE(33, a0, 0x2, li a1, 1; li a2, 0xffffffffffffffc1; sll a0, a1, a2)   /* shamt = 1 */
        TEST_CASE(34, a0, 0x1, li a1, 0x8000000000000000; li a2, 63; srl a0, a1, a2)
        TEST_CASE(35, a0, 0xffffffffffffffff, li a1, 0x8000000000000000; li a2, 63; sra a0, a1, a2)
        TEST_CASE(36, a0, 0xffffffff00000000, li a1, 0x8000000000000000; li a2, 31; sra a0, a1, a2)
        TEST_CASE(37, a0, 0x0000000100000000, li a1, 0x8000000000000000; li a2, 31; srl a0, a1, a2)
        TEST_CASE(38, a0, 0x4000000000000000, li a1, 0x8000000000000000; li a2, 65; srl a0, a1, a2)  /* shamt = 1 */
        TEST_CASE(39, a0, 0xc000000000000000, li a1, 0x8000000000000000; li a2, 129; sra a0, a1, a2)
        TEST_CASE(40, a0, 0x8000000000000000, li a1, 1; slli a0, a1, 63)
        TEST_CASE(41, a0, 0x0000000000000001, li a1, 0x8000000000000000; srli a0, a1, 63)
        TEST_CASE(42, a0, 0xffffffffffffffff, li a1, 0x8000000000000000; srai a0, a1, 63)
        TEST_CASE(43, a0, 0x00000000ffffffff, li a1, 0xffffffff00000000; srli a0, a1, 32)
        TEST_CASE(44, a0, 0x123456789abcdef0, li a1, 0x123456789abcdef0; srai a0, a1, 0)
        TEST_CASE(45, a0, 0x0123456789abcdef, li a1, 0x123456789abcdef0; srli a0, a1, 4)
        TEST_CASE(46, a0, 0xf923456789abcdef, li a1, 0x123456789abcdef0; li a2, 0x8000000000000000; or a1, a1, a2; srai a0, a1, 4)

        TEST_SECTION("lui/auipc")
        TEST_CASE(50, a0, 0x0000000012345000, lui a0, 0x12345)
        TEST_CASE(51, a0, 0xffffffff80000000, lui a0, 0x80000)        /* sign-extended */
        TEST_CASE(52, a0, 0xfffffffffffff000, lui a0, 0xfffff)
        li CHECK_NUM, 53
        la a1, 1f
1:      auipc a0, 0
        CHECK_EQ(a0, a1)
        li CHECK_NUM, 54
        la a1, 1f
1:      auipc a0, 0x1
        sub a0, a0, a1
        CHECK_IMM(a0, 0x1000)
        li CHECK_NUM, 55
        la a1, 1f
1:      auipc a0, 0xfffff                          /* -4096, sign-extended */
        sub a0, a1, a0
        CHECK_IMM(a0, 0x1000)

        TEST_SECTION("W forms")
        TEST_CASE(60, a0, 0xffffffff80000000, li a1, 0x7fffffff; li a2, 1; addw a0, a1, a2)
        TEST_CASE(61, a0, 0x0000000000000000, li a1, 0xffffffff; li a2, 1; addw a0, a1, a2)
        TEST_CASE(62, a0, 0x0000000000000003, li a1, 0x1234567800000001; li a2, 0x0000000100000002; addw a0, a1, a2)
        TEST_CASE(63, a0, 0x000000007fffffff, li a1, 0x80000000; li a2, 1; subw a0, a1, a2)
        TEST_CASE(64, a0, 0xffffffffffffffff, li a1, 0; li a2, 1; subw a0, a1, a2)
        TEST_CASE(65, a0, 0xffffffff80000000, li a1, 0x7fffffff; addiw a0, a1, 1)
        TEST_CASE(66, a0, 0xffffffffffffffff, li a1, 0xabcdef00ffffffff; addiw a0, a1, 0)   /* sext.w */
        TEST_CASE(67, a0, 0x000000007ffff801, li a1, 0x80000001; addiw a0, a1, -2048)
        TEST_CASE(68, a0, 0xffffffff80000000, li a1, 1; slliw a0, a1, 31)
        TEST_CASE(69, a0, 0x0000000000000000, li a1, 0x100000000; slliw a0, a1, 0)
        TEST_CASE(70, a0, 0x0000000000000001, li a1, 0xffffffff80000000; srliw a0, a1, 31)
        TEST_CASE(71, a0, 0xffffffffffffffff, li a1, 0x80000000; sraiw a0, a1, 31)
        TEST_CASE(72, a0, 0xffffffff80000000, li a1, 0x0000000080000000; srliw a0, a1, 0)  /* result sign-extended */
        TEST_CASE(73, a0, 0x0000000000ffffff, li a1, 0xffffffffffffffff; srliw a0, a1, 8)
        TEST_CASE(74, a0, 0x0000000000000002, li a1, 1; li a2, 33; sllw a0, a1, a2)         /* shamt mod 32 */
        TEST_CASE(75, a0, 0xffffffff80000000, li a1, 1; li a2, 31; sllw a0, a1, a2)
        TEST_CASE(76, a0, 0x0000000040000000, li a1, 0x80000000; li a2, 0x21; srlw a0, a1, a2)
        TEST_CASE(77, a0, 0xffffffffc0000000, li a1, 0x80000000; li a2, 0x41; sraw a0, a1, a2)
        TEST_CASE(78, a0, 0x0000000012345678, li a1, 0xffffffff12345678; li a2, 0; sraw a0, a1, a2)
        TEST_CASE(79, a0, 0x0000000000000001, li a1, 0x00000001ffffffff; li a2, 31; srlw a0, a1, a2)
        TEST_CASE(80, a0, 0xffffffffffffffff, li a1, 0x00000001ffffffff; li a2, 31; sraw a0, a1, a2)

        TEST_SECTION("x0 destination")
        TEST_CASE(90, x0, 0, li a1, 77; addi x0, a1, 1; lui x0, 0x12345; auipc x0, 1; sll x0, a1, a1)
        ret
