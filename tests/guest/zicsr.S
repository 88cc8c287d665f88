/* Zicsr: the six CSR instructions and their read/write side-effect rules,
 * read-only CSRs, mscratch, misa, mhartid, and the counters (minstret
 * counts retired instructions exactly; mcycle is writable).
 *
 * QEMU derives minstret from the host clock unless it counts instructions,
 * so its reference run needs:  QEMU_ARGS: -icount shift=0
 */
#include "test.h"
TEST_NAME("zicsr")

#define CSR_CYCLE 0xc00

        .text
        .globl test_main
test_main:
        addi sp, sp, -16
        sd ra, 0(sp)
        TEST_SECTION("csrrw/csrrs/csrrc")
        TEST_CASE(1, a0, 0x1234, li a1, 0x1234; csrw mscratch, a1; csrr a0, mscratch)
        TEST_CASE(2, a0, 0x1234, li a1, 0xff00; csrrw a0, mscratch, a1)           /* returns old */
        TEST_CASE(3, a0, 0xff00, csrr a0, mscratch)
        TEST_CASE(4, a0, 0xff00, li a1, 0x000f; csrrs a0, mscratch, a1)
        TEST_CASE(5, a0, 0xff0f, csrr a0, mscratch)
        TEST_CASE(6, a0, 0xff0f, li a1, 0x0f0f; csrrc a0, mscratch, a1)
        TEST_CASE(7, a0, 0xf000, csrr a0, mscratch)
        TEST_CASE(8, a0, 0xf000, csrrwi a0, mscratch, 0x1f)
        TEST_CASE(9, a0, 0x1f, csrrsi a0, mscratch, 0x0)                          /* plain read */
        TEST_CASE(10, a0, 0x1f, csrrsi a0, mscratch, 0x10)
        TEST_CASE(11, a0, 0x1f, csrrci a0, mscratch, 0x3)
        TEST_CASE(12, a0, 0x1c, csrr a0, mscratch)
        TEST_CASE(13, a0, 0xffffffffffffffff, li a1, -1; csrw mscratch, a1; csrr a0, mscratch)   /* all 64 bits */
        TEST_CASE(14, a0, 0x55, li a0, 0x55; csrrw a0, mscratch, a0; csrr a0, mscratch)          /* rd == rs1 */
        TEST_CASE(15, a0, 0x55, csrrw x0, mscratch, x0; li a0, 0x55; csrrs a0, mscratch, a0; mv a0, a0; csrr a0, mscratch; xori a0, a0, 0)

        TEST_SECTION("read-only CSRs")
        /* Reading a read-only CSR with rs1 = x0 (csrrs/csrrc) or uimm = 0
         * does not write, so it is legal; any write attempt is illegal. */
        TEST_CASE(20, a0, 0, csrr a0, mhartid)
        TEST_CASE(21, a0, 0, csrrc a0, mhartid, x0)
        TEST_CASE(22, a0, 0, csrrsi a0, mhartid, 0)
        TEST_TRAP(23, 2, csrw mhartid, x0)          /* csrrw always writes, even from x0 */
        TEST_TRAP(24, 2, li a1, 1; csrrs a0, mhartid, a1)
        TEST_TRAP(25, 2, csrrci a0, mvendorid, 1)
        /* Not checked: csrrs/csrrc with rs1 != x0 holding zero on a
         * read-only CSR.  The spec calls it a write attempt (illegal);
         * QEMU 7.2 decides by the mask value and lets it pass. */
        TEST_TRAP(27, 2, csrrwi x0, cycle, 0)
        TEST_TRAP(28, 2, csrr a0, 0x7ff)            /* an unimplemented CSR */

        TEST_SECTION("misa/mstatus")
        csrr a0, misa
        li CHECK_NUM, 30
        srli a1, a0, 62
        CHECK_IMM(a1, 2)                            /* MXL = 64 */
        li CHECK_NUM, 31
        /* I, M, A, F, D, C present */
        li a2, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2)
        and a1, a0, a2
        CHECK_EQ(a1, a2)
        TEST_CASE(32, a0, 0x1800, li a1, 0x1800; csrs mstatus, a1; csrr a0, mstatus; and a0, a0, a1)   /* MPP holds M */

        TEST_SECTION("counters")
        li CHECK_NUM, 40                            /* minstret counts exactly */
        csrr a0, minstret
        addi a1, a1, 1
        addi a1, a1, 1
        addi a1, a1, 1
        addi a1, a1, 1
        addi a1, a1, 1
        csrr a2, minstret
        sub a3, a2, a0
        CHECK_IMM(a3, 6)                            /* five addis and the second read itself */
        li CHECK_NUM, 41                            /* instret (user alias) agrees */
        csrr a0, minstret
        csrr a2, instret
        sub a3, a2, a0
        CHECK_IMM(a3, 1)
        li CHECK_NUM, 42                            /* cycle increases */
        csrr a0, cycle
        li a1, 100
1:      addi a1, a1, -1
        bnez a1, 1b
        csrr a2, cycle
        bleu a2, a0, 9f
        li CHECK_NUM, 43                            /* mcycle is writable */
        li a1, 0x100000000000
        csrw mcycle, a1
        csrr a0, mcycle
        sub a0, a0, a1
        li a2, 100000
        bgeu a0, a2, 9f
        li CHECK_NUM, 44                            /* minstret is writable */
        li a1, 0x5000
        csrw minstret, a1
        csrr a0, minstret
        sub a0, a0, a1
        /* 0 if the write replaces the csrw's own increment (the spec's
         * "takes effect after the instruction completes"); QEMU counts
         * the csrw after the write and reads 1. */
        sltiu a2, a0, 2
        CHECK_IMM(a2, 1)
        li CHECK_NUM, 45                            /* time advances (mtime at 10 MHz) */
        csrr a0, time
        li a1, 200000
1:      addi a1, a1, -1
        bnez a1, 1b
        csrr a2, time
        bleu a2, a0, 9f
        li CHECK_NUM, 46                            /* time CSR mirrors CLINT mtime */
        li a1, VIRT_CLINT_MTIME
        li a0, 0
        ld a0, 0(a1)
        csrr a2, time
        beqz a0, 9f                                 /* time has passed: mtime is not 0 */
        sub a3, a2, a0
        li a4, 10000
        bgeu a3, a4, 9f
        li CHECK_NUM, 47                            /* mscratch is independent of everything else */
        csrw mscratch, zero
        csrr a0, mscratch
        CHECK_IMM(a0, 0)
        ld ra, 0(sp)
        addi sp, sp, 16
        ret
9:      mv t5, a0
        mv t6, a2
        j test_fail_values
