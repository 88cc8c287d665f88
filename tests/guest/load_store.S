/* Loads and stores of every width: sign/zero extension, offsets, and
 * misaligned accesses (QEMU's virt performs misaligned regular loads and
 * stores in M-mode without trapping), also across a 4 KiB page boundary. */
#include "test.h"
TEST_NAME("load_store")

        .data
        .balign 16
pattern:
        .dword 0x8796a5b4c3d2e1f0
        .dword 0x0f1e2d3c4b5a6978
scratch:
        .space 64

/* A buffer whose middle is a 4 KiB page boundary. */
        .balign 4096
        .space 4096 - 32
page_edge_before:
        .space 32
page_edge:
        .space 32

        .text
        .globl test_main
test_main:
        la s0, pattern
        TEST_SECTION("loads")
        TEST_CASE(1, a0, 0xfffffffffffffff0, lb a0, 0(s0))
        TEST_CASE(2, a0, 0x00000000000000f0, lbu a0, 0(s0))
        TEST_CASE(3, a0, 0xffffffffffffe1f0, lh a0, 0(s0))
        TEST_CASE(4, a0, 0x000000000000e1f0, lhu a0, 0(s0))
        TEST_CASE(5, a0, 0xffffffffc3d2e1f0, lw a0, 0(s0))
        TEST_CASE(6, a0, 0x00000000c3d2e1f0, lwu a0, 0(s0))
        TEST_CASE(7, a0, 0x8796a5b4c3d2e1f0, ld a0, 0(s0))
        TEST_CASE(8, a0, 0x0000000000000078, lb a0, 8(s0))
        TEST_CASE(9, a0, 0x0000000000006978, lh a0, 8(s0))
        TEST_CASE(10, a0, 0x000000004b5a6978, lw a0, 8(s0))
        TEST_CASE(11, a0, 0xffffffffffffff87, lb a0, 7(s0))
        TEST_CASE(12, a0, 0xffffffff8796a5b4, lw a0, 4(s0))
        TEST_CASE(13, a0, 0x0f1e2d3c4b5a6978, addi a1, s0, 16; ld a0, -8(a1))
        TEST_CASE(14, a0, 0x000000000000a5b4, addi a1, s0, 2047; lhu a0, -2043(a1))

        TEST_SECTION("stores")
        la s1, scratch
        li CHECK_NUM, 20
        sd zero, 0(s1)
        sd zero, 8(s1)
        li a1, 0x1122334455667788
        sb a1, 0(s1)
        sh a1, 2(s1)
        sw a1, 4(s1)
        sd a1, 8(s1)
        ld a0, 0(s1)
        CHECK_IMM(a0, 0x5566778877880088)
        li CHECK_NUM, 21
        ld a0, 8(s1)
        CHECK_IMM(a0, 0x1122334455667788)
        li CHECK_NUM, 22                            /* sb leaves neighbours alone */
        li a1, -1
        sb a1, 9(s1)
        ld a0, 8(s1)
        CHECK_IMM(a0, 0x112233445566ff88)
        li CHECK_NUM, 23
        sh x0, 12(s1)
        ld a0, 8(s1)
        CHECK_IMM(a0, 0x112200005566ff88)
        li CHECK_NUM, 24                            /* negative offset */
        addi a2, s1, 16
        li a1, 0xdeadbeef
        sw a1, -4(a2)
        lwu a0, 12(s1)
        CHECK_IMM(a0, 0xdeadbeef)

        TEST_SECTION("misaligned")
        li a1, 0x0123456789abcdef
        sd a1, 0(s1)
        sd a1, 8(s1)
        TEST_CASE(30, a0, 0xef0123456789abcd, ld a0, 1(s1))
        TEST_CASE(31, a0, 0x0000000023456789, lw a0, 3(s1))
        TEST_CASE(32, a0, 0x000000000000abcd, lhu a0, 1(s1))
        TEST_CASE(33, a0, 0xffffffffffffabcd, lh a0, 1(s1))
        TEST_CASE(34, a0, 0x0000000023456789, lwu a0, 3(s1))
        li CHECK_NUM, 35
        li a1, 0xa1a2a3a4a5a6a7a8
        sd a1, 3(s1)
        ld a0, 0(s1)
        CHECK_IMM(a0, 0xa4a5a6a7a8abcdef)
        li CHECK_NUM, 36
        ld a0, 8(s1)
        CHECK_IMM(a0, 0x0123456789a1a2a3)
        li CHECK_NUM, 37
        li a1, 0x5a5b
        sh a1, 7(s1)
        ld a0, 0(s1)
        CHECK_IMM(a0, 0x5ba5a6a7a8abcdef)
        li CHECK_NUM, 38
        li a1, 0xc0c1c2c3
        sw a1, 13(s1)
        ld a0, 8(s1)
        CHECK_IMM(a0, 0xc1c2c36789a1a25a)

        TEST_SECTION("misaligned across a page")
        la s2, page_edge
        li a1, 0x1111111111111111
        sd a1, -8(s2)
        li a1, 0x2222222222222222
        sd a1, 0(s2)
        li CHECK_NUM, 40
        li a1, 0x8877665544332211
        sd a1, -3(s2)
        ld a0, -8(s2)
        CHECK_IMM(a0, 0x3322111111111111)
        li CHECK_NUM, 41
        ld a0, 0(s2)
        CHECK_IMM(a0, 0x2222228877665544)
        TEST_CASE(42, a0, 0x8877665544332211, ld a0, -3(s2))
        TEST_CASE(43, a0, 0x0000000066554433, lwu a0, -1(s2))
        TEST_CASE(44, a0, 0x0000000000006655, lh a0, 1(s2))
        TEST_CASE(45, a0, 0x0000000000004433, lhu a0, -1(s2))
        li CHECK_NUM, 46
        li a1, 0xfedc
        sh a1, -1(s2)
        lhu a0, -1(s2)
        CHECK_IMM(a0, 0xfedc)
        li CHECK_NUM, 47
        lbu a0, -1(s2)
        CHECK_IMM(a0, 0xdc)
        li CHECK_NUM, 48
        lbu a0, 0(s2)
        CHECK_IMM(a0, 0xfe)
        li CHECK_NUM, 49
        li a1, 0x0a0b0c0d
        sw a1, -2(s2)
        lw a0, -2(s2)
        CHECK_IMM(a0, 0x0a0b0c0d)

        TEST_SECTION("load to x0 and rd == base")
        TEST_CASE(50, x0, 0, ld x0, 0(s0))
        TEST_CASE(51, a0, 0x8796a5b4c3d2e1f0, mv a0, s0; ld a0, 0(a0))
        ret
