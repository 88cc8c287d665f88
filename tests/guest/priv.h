/* Helpers for the privileged-architecture tests (priv_*.S): CSR bit names,
 * entering S or U mode from M, checks that end in a trap back to M or in a
 * delegated trap to S, and page-table entries.
 *
 * The usual shape of a check that runs code in a lower mode is
 *     TEST_TRAP(n, CAUSE_ECALL_U, ENTER_U; <code>; ecall)
 * the code runs in U mode and its final ecall returns to M at the check's
 * resume point (the runtime's handler always resumes in M); any other trap
 * on the way shows up as a wrong cause.  Registers other than t5/t6 keep
 * their values across the mode switches, so the code leaves its results in
 * a-registers for the checks that follow. */
#ifndef GUEST_PRIV_H
#define GUEST_PRIV_H

#include "test.h"

#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define CAUSE_FETCH_MISALIGNED 0
#define CAUSE_ILLEGAL   2
#define CAUSE_BREAKPOINT 3
#define CAUSE_ECALL_U   8
#define CAUSE_ECALL_S   9
#define CAUSE_ECALL_M   11
#define CAUSE_FETCH_PF  12
#define CAUSE_LOAD_PF   13
#define CAUSE_STORE_PF  15
#define CAUSE_INTERRUPT (1 << 63)

/* Interrupt numbers (bits of mip/mie and the interrupt cause codes). */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11

#define SATP_MODE_SV39 (8 << 60)
#define SATP_MODE_SV48 (9 << 60)

/* menvcfg.STCE (Sstc: stimecmp enabled for S mode). */
#define MENVCFG_STCE (1 << 63)

/* Page-table entry bits. */
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* From M mode, continue at the next instruction in mode `mode` (PRV_*),
 * with the MMU seeing the same addresses.  MPIE is cleared so that M mode
 * runs with MIE = 0 again once a trap brings it back.  Clobbers t5, t6. */
#define ENTER_MODE(mode) \
        li t5, MSTATUS_MPP | MSTATUS_MPIE; csrc mstatus, t5; \
        li t5, (mode) << 11; csrs mstatus, t5; \
        la t5, 85f; csrw mepc, t5; mret; 85:
#define ENTER_S ENTER_MODE(PRV_S)
#define ENTER_U ENTER_MODE(PRV_U)

/* As ENTER_MODE, but continue at the next instruction's address plus
 * `offset` (an alias mapping of the code, e.g. one with the U bit). */
#define ENTER_MODE_AT(mode, offset) \
        li t5, MSTATUS_MPP | MSTATUS_MPIE; csrc mstatus, t5; \
        li t5, (mode) << 11; csrs mstatus, t5; \
        la t5, 85f; li t6, offset; add t5, t5, t6; csrw mepc, t5; mret; 85:

/* Run `code` from M mode; it must end up in the S-mode handler
 * (test_strap_entry, which stvec must hold) with scause = `cause`.  The
 * handler resumes in S mode, which goes back to M with an ecall (so
 * ecalls from S must not be delegated).  Afterwards, in M mode:
 * t0 = scause, t1 = sepc, t2 = stval, t3 = sstatus seen by the handler. */
#define TEST_STRAP(num, cause, ...) \
        li CHECK_NUM, num; \
        la t5, 82f; la t6, strap_resume; sd t5, 0(t6); \
        la t5, 81f; la t6, trap_resume; sd t5, 0(t6); \
        __VA_ARGS__; \
        j test_fail_no_trap; \
82:     ecall; \
        j test_fail_no_trap; \
81:     la t6, strap_resume; sd zero, 0(t6); \
        la t6, trap_cause; ld t0, 0(t6); \
        CHECK_IMM(t0, CAUSE_ECALL_S); \
        la t6, strap_cause; ld t0, 0(t6); \
        la t6, strap_epc; ld t1, 0(t6); \
        la t6, strap_tval; ld t2, 0(t6); \
        la t6, strap_sstatus; ld t3, 0(t6); \
        CHECK_IMM(t0, cause)

/* rd = a leaf or pointer PTE for the physical address in register `pa`. */
#define MAKE_PTE(rd, pa, flags) \
        srli rd, pa, 12; slli rd, rd, 10; ori rd, rd, flags

/* Store PTE `flags` -> physical address `pa_sym` (a symbol) into entry
 * `index` of the table at `table_sym`.  Clobbers t5, t6. */
#define SET_PTE(table_sym, index, pa_sym, flags) \
        la t6, pa_sym; MAKE_PTE(t5, t6, flags); \
        la t6, table_sym + 8 * (index); sd t5, 0(t6)

/* As SET_PTE with a numeric physical address. */
#define SET_PTE_PA(table_sym, index, pa, flags) \
        li t6, pa; MAKE_PTE(t5, t6, flags); \
        la t6, table_sym + 8 * (index); sd t5, 0(t6)

/* PMP entry 0 covering all of memory with RWX: without a matching entry
 * S and U accesses could be denied (the spec lets them fail when any
 * entry is programmed; QEMU also denies them with none). */
#define PMP_ALLOW_ALL \
        li t5, -1; csrw pmpaddr0, t5; \
        li t5, 0x1f; csrw pmpcfg0, t5

#endif
