/* Every RVC instruction valid on RV64 (except c.ebreak, which traps and is
 * covered by the trap tests), written with explicit c. mnemonics so the
 * assembler cannot pick 32-bit encodings.  Compressed register operands
 * must be x8-x15 (s0, s1, a0-a5); a5 serves as the result register. */
#include "test.h"
TEST_NAME("compressed")

        .data
        .balign 16
cbuf:   .dword 0x8877665544332211, 0xfedcba9876543210, 0, 0

        .text
        .option rvc
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        TEST_SECTION("immediates")
        TEST_CASE(1, a5, -32, c.li a5, -32)
        TEST_CASE(2, a5, 31, c.li a5, 31)
        TEST_CASE(3, a5, 0xfffffffffffe0000, c.lui a5, 0xfffe0)       /* nzimm -32: sign-extended */
        TEST_CASE(4, a5, 0x1f000, c.lui a5, 0x1f)
        TEST_CASE(5, a5, 9, c.li a5, 10; c.addi a5, -1)
        TEST_CASE(6, a5, 0xffffffff80000000, li a5, 0x7fffffff; c.addiw a5, 1)
        TEST_CASE(7, a5, 0xffffffffffffffff, li a5, 0x12345678ffffffff; c.addiw a5, 0)   /* sext.w */
        TEST_CASE(8, a5, 0x100000000, li a5, 1; c.slli a5, 32)
        TEST_CASE(9, a5, 0x8000000000000000, li a5, 1; c.slli a5, 63)
        TEST_CASE(10, a5, 1, li a5, 0x8000000000000000; c.srli a5, 63)
        TEST_CASE(11, a5, 0xffffffffffffffff, li a5, 0x8000000000000000; c.srai a5, 63)
        TEST_CASE(12, a5, 0xfff8000000000000, li a5, 0x8000000000000000; c.srai a5, 12)
        TEST_CASE(13, a5, 0x10, li a5, 0xff; c.andi a5, 0x10)
        TEST_CASE(14, a5, 0xffffffffffffffe0, li a5, -1; c.andi a5, -32)

        TEST_SECTION("register ops")
        TEST_CASE(20, a5, 3, li a5, 1; li a4, 2; c.add a5, a4)
        TEST_CASE(21, a5, 2, li a5, 1; c.mv a5, a4)
        TEST_CASE(22, a5, 0xffffffffffffffff, li a5, 1; li a4, 2; c.sub a5, a4)
        TEST_CASE(23, a5, 0x6, li a5, 5; li a4, 3; c.xor a5, a4)
        TEST_CASE(24, a5, 0x7, li a5, 5; li a4, 3; c.or a5, a4)
        TEST_CASE(25, a5, 0x1, li a5, 5; li a4, 3; c.and a5, a4)
        TEST_CASE(26, a5, 0xffffffff80000000, li a5, 0x7fffffff; li a4, 1; c.addw a5, a4)
        TEST_CASE(27, a5, 0x000000007fffffff, li a5, 0x180000000; li a4, 1; c.subw a5, a4)
        TEST_CASE(28, s1, 0x123, li s1, 0x100; li t1, 0x23; c.add s1, t1)    /* c.add uses full registers */

        TEST_SECTION("stack pointer forms")
        mv s0, sp
        addi sp, sp, -512
        TEST_CASE(30, a5, 0, mv a4, sp; c.addi16sp sp, 496; sub a5, sp, a4; addi a5, a5, -496; c.addi16sp sp, -496)
        TEST_CASE(31, a5, 16, c.addi4spn a5, sp, 16; sub a5, a5, sp)
        TEST_CASE(32, a5, 1020, c.addi4spn a5, sp, 1020; sub a5, a5, sp)
        TEST_CASE(33, a5, 0xffffffff80000000, li a4, 0x80000000; c.swsp a4, 252(sp); c.lwsp a5, 252(sp))
        TEST_CASE(34, a5, 0x0123456789abcdef, li a4, 0x0123456789abcdef; c.sdsp a4, 504(sp); c.ldsp a5, 504(sp))
        TEST_CASE(35, a5, 0x400921fb54442d18, li a4, 0x400921fb54442d18; fmv.d.x f9, a4; c.fsdsp f9, 8(sp); c.fldsp f10, 8(sp); fmv.x.d a5, f10)
        TEST_CASE(36, a5, 0x89abcdef, lwu a5, 504(sp))
        mv sp, s0

        TEST_SECTION("loads/stores")
        la s0, cbuf
        TEST_CASE(40, a5, 0x0000000044332211, c.lw a5, 0(s0))
        TEST_CASE(41, a5, 0xffffffff88776655, c.lw a5, 4(s0))
        TEST_CASE(42, a5, 0xfedcba9876543210, c.ld a5, 8(s0))
        TEST_CASE(43, a5, 0xffffffffdeadbeef, li a4, 0xdeadbeef; c.sw a4, 16(s0); c.lw a5, 16(s0))
        TEST_CASE(44, a5, 0x1122334455667788, li a4, 0x1122334455667788; c.sd a4, 24(s0); c.ld a5, 24(s0))
        TEST_CASE(45, a5, 0xfedcba9876543210, c.fld fa4, 8(s0); c.fsd fa4, 16(s0); ld a5, 16(s0))

        TEST_SECTION("control flow")
        li CHECK_NUM, 50
        c.li a5, 0
        c.j 1f
        c.li a5, 1
1:      CHECK_IMM(a5, 0)
        li CHECK_NUM, 51
        c.li a4, 0
        c.beqz a4, 1f
        c.li a5, 1
1:      CHECK_IMM(a5, 0)
        li CHECK_NUM, 52
        c.li a4, 1
        c.beqz a4, 1f
        c.li a5, 2
1:      CHECK_IMM(a5, 2)
        li CHECK_NUM, 53
        c.bnez a4, 1f
        c.li a5, 3
1:      CHECK_IMM(a5, 2)
        li CHECK_NUM, 54
        c.li a4, 0
        c.bnez a4, 1f
        c.li a5, 4
1:      CHECK_IMM(a5, 4)
        li CHECK_NUM, 55                            /* backward c.bnez loop */
        c.li a4, 5
        c.li a5, 0
1:      c.addi a5, 2
        c.addi a4, -1
        c.bnez a4, 1b
        CHECK_IMM(a5, 10)
        li CHECK_NUM, 56                            /* c.jr */
        la a4, 1f
        c.jr a4
        c.j test_fail_values_far
1:      li CHECK_NUM, 57                            /* c.jalr: ra = pc + 2 */
        la a4, 2f
        la a3, 1f
        c.jalr a4
1:      c.j 3f
2:      mv a5, ra
        c.jr ra
3:      CHECK_EQ(a5, a3)
        li CHECK_NUM, 58                            /* c.jalr with rs1 == ra */
        la ra, 2f
        la a3, 1f
        c.jalr ra
1:      c.j 3f
2:      mv a5, ra
        c.jr ra
3:      CHECK_EQ(a5, a3)
        li CHECK_NUM, 59                            /* c.nop */
        c.nop
        c.addi a5, 0
        ld ra, 0(sp)
        addi sp, sp, 16
        ret

test_fail_values_far:
        j test_fail_values
