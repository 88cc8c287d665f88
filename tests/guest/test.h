/* Shared macros for the self-checking assembly guest tests.
 *
 * A test file includes this header, names itself with TEST_NAME("...") and
 * defines `test_main`, which runs the checks and returns (ra) on success.
 * runtime.S supplies _start, the UART printing helpers, the default trap
 * handler and the pass/fail exits through the SiFive test finisher.
 *
 * Register conventions inside test_main:
 *   s11 (x27)  number of the current check; on failure it becomes the exit
 *              code (clamped to 1..253) and is printed with the values.
 *   t5, t6     clobbered by the comparison after each check's code.
 *   sp         a valid stack; ra holds the return address of test_main (save
 *              it in s10 or on the stack if the test makes calls).
 * Checks never print when they pass; TEST_SECTION prints a progress line so
 * that a failure can be placed without a debugger.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include "peerless/virt.h"

#define CHECK_NUM s11

/* The name printed on the pass/fail line. */
#define TEST_NAME(str) \
        .pushsection .rodata; .globl test_name; test_name: .asciz str; .popsection

/* Print "  <str>" and a newline; preserves every register but ra-saved ones
 * (it uses the stack). */
#define TEST_SECTION(str) \
        .pushsection .rodata; 80: .asciz str; .popsection; \
        addi sp, sp, -16; sd a0, 0(sp); sd ra, 8(sp); \
        la a0, 80b; call test_print_section; \
        ld a0, 0(sp); ld ra, 8(sp); addi sp, sp, 16

/* Run `code`, then compare register `reg` with the 64-bit `expected`. */
#define TEST_CASE(num, reg, expected, ...) \
        li CHECK_NUM, num; \
        __VA_ARGS__; \
        mv t5, reg; li t6, expected; \
        bne t5, t6, test_fail_values

/* Compare two registers (the check number must already be set). */
#define CHECK_EQ(reg, expected_reg) \
        mv t5, reg; mv t6, expected_reg; bne t5, t6, test_fail_values

/* Compare a register with an immediate (the check number must already be set). */
#define CHECK_IMM(reg, expected) \
        mv t5, reg; li t6, expected; bne t5, t6, test_fail_values

/* Run `code`, which must trap.  The runtime's trap handler records
 * mcause/mepc/mtval in trap_cause/trap_epc/trap_tval and resumes at the
 * label after `code`.  Afterwards t0 = mcause, t1 = mepc, t2 = mtval for
 * further checks. */
#define TEST_TRAP_RECORD(num, ...) \
        li CHECK_NUM, num; \
        la t5, 81f; la t6, trap_resume; sd t5, 0(t6); \
        __VA_ARGS__; \
        j test_fail_no_trap; \
81:     la t6, trap_cause; ld t0, 0(t6); \
        la t6, trap_epc; ld t1, 0(t6); \
        la t6, trap_tval; ld t2, 0(t6)

/* As TEST_TRAP_RECORD, and mcause must be `cause`. */
#define TEST_TRAP(num, cause, ...) \
        TEST_TRAP_RECORD(num, __VA_ARGS__); \
        CHECK_IMM(t0, cause)

/* Load a 64-bit bit pattern into an FP register (through t5). */
#define FLOAD_D(freg, bits) li t5, bits; fmv.d.x freg, t5
/* A single-precision value, properly NaN-boxed. */
#define FLOAD_S(freg, bits) li t5, bits; fmv.w.x freg, t5

#endif
