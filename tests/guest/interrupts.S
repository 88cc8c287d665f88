/* Machine interrupts from the CLINT: a timer interrupt taken through a
 * vectored mtvec (entry 7), a software interrupt through msip (entry 3),
 * the mstatus.MIE/MPIE handshake inside the handler, direct-mode delivery,
 * and wfi waking up on a pending timer with interrupts globally off. */
#include "test.h"
TEST_NAME("interrupts")

#define MIE_MSIE (1 << 3)
#define MIE_MTIE (1 << 7)
#define MSTATUS_MIE (1 << 3)
#define MSTATUS_MPIE (1 << 7)

        .data
        .balign 8
irq_cause:   .dword 0
irq_entry:   .dword 0   /* which vector entry ran */
irq_status:  .dword 0   /* mstatus seen inside the handler */

        .text
/* Vector table: exceptions at base (the runtime's handler reports them),
 * interrupt i at base + 4*i. */
        .balign 256
        .option push
        .option norvc                               /* 4-byte entries */
vectors:
        j test_trap_entry
        j bad_vector
        j bad_vector
        j software_entry
        j bad_vector
        j bad_vector
        j bad_vector
        j timer_entry
        j bad_vector
        j bad_vector
        j bad_vector
        j bad_vector
        .option pop

bad_vector:
        j test_trap_entry

/* Record cause, entry number and mstatus; silence the source. */
software_entry:
        csrw mscratch, t0
        la t0, irq_entry
        sd t1, 0(sp)                                /* sp is valid: only test code runs */
        li t1, 3
        sd t1, 0(t0)
        li t0, VIRT_CLINT_MSIP(0)
        sw zero, 0(t0)
        j irq_common
timer_entry:
        csrw mscratch, t0
        la t0, irq_entry
        sd t1, 0(sp)
        li t1, 7
        sd t1, 0(t0)
        li t0, VIRT_CLINT_MTIMECMP(0)
        li t1, -1
        sd t1, 0(t0)
irq_common:
        la t0, irq_cause
        csrr t1, mcause
        sd t1, 0(t0)
        la t0, irq_status
        csrr t1, mstatus
        sd t1, 0(t0)
        ld t1, 0(sp)
        csrr t0, mscratch
        mret

/* Direct mode: one entry for everything; checks mcause itself. */
        .balign 4
direct_entry:
        csrw mscratch, t0
        sd t1, 0(sp)
        csrr t0, mcause
        bgez t0, 1f                                 /* an exception: report it */
        ld t1, 0(sp)
        csrr t0, mscratch
        j timer_entry
1:      ld t1, 0(sp)
        csrr t0, mscratch
        j test_trap_entry

        .globl test_main
test_main:
        addi sp, sp, -32
        sd ra, 8(sp)
        TEST_SECTION("timer, vectored")
        la a0, vectors
        ori a0, a0, 1
        csrw mtvec, a0
        li CHECK_NUM, 1
        csrr a1, mtvec
        CHECK_EQ(a1, a0)                            /* vectored mode is supported */
        li a0, VIRT_CLINT_MTIME
        ld a1, 0(a0)
        addi a1, a1, 1000                           /* 100 us from now */
        li a0, VIRT_CLINT_MTIMECMP(0)
        sd a1, 0(a0)
        li a0, MIE_MTIE
        csrw mie, a0
        csrsi mstatus, MSTATUS_MIE
        li a2, 5000000                              /* bounded wait: far longer than 100 us */
1:      la a3, irq_cause
        ld a3, 0(a3)
        bnez a3, 2f
        addi a2, a2, -1
        bnez a2, 1b
2:      csrci mstatus, MSTATUS_MIE
        li CHECK_NUM, 2
        la a3, irq_cause
        ld a0, 0(a3)
        CHECK_IMM(a0, 0x8000000000000007)
        li CHECK_NUM, 3
        la a3, irq_entry
        ld a0, 0(a3)
        CHECK_IMM(a0, 7)
        li CHECK_NUM, 4                             /* in the handler: MIE = 0, MPIE = 1, MPP = M */
        la a3, irq_status
        ld a0, 0(a3)
        li a1, 0x1888
        and a0, a0, a1
        CHECK_IMM(a0, 0x1880)
        li CHECK_NUM, 5                             /* the timer is quiet again */
        csrr a0, mip
        andi a0, a0, MIE_MTIE
        CHECK_IMM(a0, 0)

        TEST_SECTION("software, vectored")
        la a3, irq_cause
        sd zero, 0(a3)
        li a0, MIE_MSIE
        csrw mie, a0
        li a0, VIRT_CLINT_MSIP(0)
        li a1, 1
        sw a1, 0(a0)
        li CHECK_NUM, 10                            /* pending but masked by mstatus.MIE */
        csrr a0, mip
        andi a0, a0, MIE_MSIE
        CHECK_IMM(a0, MIE_MSIE)
        li CHECK_NUM, 11
        ld a0, 0(a3)
        CHECK_IMM(a0, 0)
        csrsi mstatus, MSTATUS_MIE                  /* taken right here */
        nop
        csrci mstatus, MSTATUS_MIE
        li CHECK_NUM, 12
        ld a0, 0(a3)
        CHECK_IMM(a0, 0x8000000000000003)
        li CHECK_NUM, 13
        la a3, irq_entry
        ld a0, 0(a3)
        CHECK_IMM(a0, 3)
        li CHECK_NUM, 14
        li a0, VIRT_CLINT_MSIP(0)
        lw a0, 0(a0)
        CHECK_IMM(a0, 0)

        TEST_SECTION("wfi with interrupts off")
        li a0, MIE_MTIE
        csrw mie, a0
        la a3, irq_cause
        sd zero, 0(a3)
        li a0, VIRT_CLINT_MTIME
        ld a1, 0(a0)
        addi a1, a1, 500
        li a0, VIRT_CLINT_MTIMECMP(0)
        sd a1, 0(a0)
        li a2, 1000                                 /* wfi may return early: retry */
1:      wfi
        csrr a0, mip
        andi a0, a0, MIE_MTIE
        bnez a0, 2f
        addi a2, a2, -1
        bnez a2, 1b
2:      li CHECK_NUM, 20
        CHECK_IMM(a0, MIE_MTIE)
        li CHECK_NUM, 21                            /* nothing was taken */
        ld a0, 0(a3)
        CHECK_IMM(a0, 0)

        TEST_SECTION("timer, direct")
        la a0, direct_entry
        csrw mtvec, a0
        csrsi mstatus, MSTATUS_MIE                  /* the pending timer fires now */
        nop
        csrci mstatus, MSTATUS_MIE
        li CHECK_NUM, 30
        ld a0, 0(a3)
        CHECK_IMM(a0, 0x8000000000000007)
        li CHECK_NUM, 31                            /* mtimecmp in the past fires immediately */
        sd zero, 0(a3)
        li a0, VIRT_CLINT_MTIMECMP(0)
        sd zero, 0(a0)
        csrsi mstatus, MSTATUS_MIE
        nop
        csrci mstatus, MSTATUS_MIE
        ld a0, 0(a3)
        CHECK_IMM(a0, 0x8000000000000007)
        li CHECK_NUM, 32                            /* MTIE off: no interrupt although pending */
        sd zero, 0(a3)
        csrw mie, zero
        li a0, VIRT_CLINT_MTIMECMP(0)
        sd zero, 0(a0)
        csrsi mstatus, MSTATUS_MIE
        nop
        csrci mstatus, MSTATUS_MIE
        ld a0, 0(a3)
        CHECK_IMM(a0, 0)
        li a0, VIRT_CLINT_MTIMECMP(0)
        li a1, -1
        sd a1, 0(a0)
        la a0, test_trap_entry
        csrw mtvec, a0
        ld ra, 8(sp)
        addi sp, sp, 32
        ret
