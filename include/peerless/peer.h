/* The peer machine: the contract between the machine and guest code.
 *
 * Everything a program needs to speak the peer-to-peer protection
 * architecture: the address map, rights, the PL instructions (with inline
 * functions that issue them), the layout of descriptors, and the registers
 * of the control pages.  docs/ARCHITECTURE.md is the normative text; this
 * header and the emulator agree with it.
 */
#ifndef PEERLESS_PEER_H
#define PEERLESS_PEER_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* ------------------------------------------------------------------ */
/* Address map                                                         */
/* ------------------------------------------------------------------ */

#define PEER_TEST_BASE      0x00100000UL   /* test finisher, as on virt */
#define PEER_CTL_BASE       0x0f000000UL   /* control pages, 4 KiB each */
#define PEER_SPACECTL       (PEER_CTL_BASE + 0x0000)
#define PEER_THREADCTL      (PEER_CTL_BASE + 0x1000)
#define PEER_IRQCTL         (PEER_CTL_BASE + 0x2000)
#define PEER_TIMER          (PEER_CTL_BASE + 0x3000)
#define PEER_DMACTL         (PEER_CTL_BASE + 0x4000)
#define PEER_COUNTERS       (PEER_CTL_BASE + 0x5000)
#define PEER_XLATECTL       (PEER_CTL_BASE + 0x6000)   /* reserved: translation */
#define PEER_DMAENGINE      0x0f100000UL   /* the copy engine: a DMA device */
#define PEER_VIRTIO_BLK     0x0f200000UL   /* virtio-mmio block device (--drive): a DMA device */
#define PEER_RNG            0x0f800000UL   /* entropy source (RNG_DATA below) */
#define PEER_UART0_BASE     0x10000000UL   /* ns16550a, as on virt */
#define PEER_DRAM_BASE      0x80000000UL

/* Gates live in a window of the flat address space that no memory backs.
 * Gate n (n >= 1) is at PEER_GATE_BASE + 8 * n; address PEER_GATE_BASE
 * itself is the return gate, where every gate call returns. */
#define PEER_GATE_BASE      0x00007f0000000000UL
#define PEER_GATE_STRIDE    8UL
#define PEER_GATE_MAX       (1UL << 32)
#define PEER_GATE_RETURN    PEER_GATE_BASE
#define PEER_GATE_ADDR(n)   (PEER_GATE_BASE + PEER_GATE_STRIDE * (n))

#define PEER_ROOT_SPACE     1              /* the space the boot ELF runs in */
#define PEER_BOOT_THREAD    1

/* ------------------------------------------------------------------ */
/* Rights                                                              */
/* ------------------------------------------------------------------ */

#define PL_R      0x01   /* load */
#define PL_W      0x02   /* store */
#define PL_X      0x04   /* fetch */
#define PL_G      0x08   /* call the gates whose addresses lie in the region */
#define PL_P      0x10   /* pass on: grant (or pass) these rights onward */
#define PL_RIGHTS 0x1f

/* ------------------------------------------------------------------ */
/* PL instructions: custom-0 (opcode 0x0b), R-type, funct3 = 0,        */
/* funct7 selects the operation.  Results >= 0 succeed; < 0 are errors. */
/* ------------------------------------------------------------------ */

#define PL_OPCODE        0x0b
#define PL_OP_SELF       0x00   /* rd = data space id (rs1 = 0) or code space id (rs1 = 1) */
#define PL_OP_GRANT      0x01   /* rd = grant id; rs1 = &struct pl_grant */
#define PL_OP_REVOKE     0x02   /* rd = 0; rs1 = grant id made by this space */
#define PL_OP_DROP       0x03   /* rd = 0; rs1 = grant id held by this space */
#define PL_OP_PASS       0x04   /* rd = 0; rs1 = &struct pl_grant (space ignored): armed for the next gate call */
#define PL_OP_GATE       0x05   /* rd = gate address; rs1 = &struct pl_gate */
#define PL_OP_UNGATE     0x06   /* rd = 0; rs1 = gate address of a gate into this space */
#define PL_OP_STATUS     0x07   /* rd = status of this thread's last gate call: 0, or a PL_FAULT_* cause */
#define PL_OP_FAULTINFO  0x08   /* rd = 0; rs1 = &struct pl_fault: the record of that fault */
#define PL_OP_QUERY      0x09   /* rd = rights of this data space at address rs1 */
#define PL_OP_GRANT_ALL  0x0a   /* rd = grants made; rs1 = space, rs2 = rights mask */
#define PL_OP_FRAME_GET  0x0b   /* rd = register rs1 (0-31 x, 32-63 f, 64 pc) of the fault being handled */
#define PL_OP_FRAME_SET  0x0c   /* rd = 0; register rs1 of the fault being handled = rs2 */
#define PL_OP_FRAMES     0x0d   /* rd = depth of this thread's spillet; rs1 = &struct pl_frame_info[rs2] filled, innermost first */

/* Errors. */
#define PL_E_FAULT   (-1)   /* a descriptor could not be read or written */
#define PL_E_RIGHTS  (-2)   /* the range is not held with those rights plus PL_P */
#define PL_E_SPACE   (-3)   /* no such space */
#define PL_E_GRANT   (-4)   /* no such grant, or not this space's to revoke or drop */
#define PL_E_GATE    (-5)   /* no such gate, or not this space's */
#define PL_E_INVAL   (-6)   /* bad argument (empty or wrapping range, unknown flags) */
#define PL_E_NOMEM   (-7)   /* the machine is out of room for the object */

/* Fault causes (status and fault records).  1..15 are the RISC-V
 * exception codes + 1 (e.g. illegal instruction = 3); the rest are the
 * machine's own. */
#define PL_FAULT_NONE        0
#define PL_FAULT_EXC(code)   ((code) + 1)
#define PL_FAULT_FETCH       32   /* no X right at pc */
#define PL_FAULT_LOAD        33   /* no R right at the address */
#define PL_FAULT_STORE       34   /* no W right at the address */
#define PL_FAULT_GATE        35   /* no G right for the gate address, or no such gate */
#define PL_FAULT_RETURN      36   /* a jump to the return gate with no gate call to return from */
#define PL_FAULT_STACK       37   /* too little stack below sp for the gate's need */
#define PL_FAULT_CONTROL     38   /* a control page refused the access (bad register or size) */

#ifndef __ASSEMBLER__

/* Descriptors the PL instructions read. */
struct pl_grant {
    uint64_t space;      /* the grantee (ignored by PASS) */
    uint64_t rights;     /* PL_R | PL_W | ... */
    uint64_t base;       /* first byte */
    uint64_t len;        /* bytes, > 0; base + len may be 2^64 exactly */
};

#define PL_GATE_OWN_DATA     0   /* the callee runs on its own space's data */
#define PL_GATE_CALLER_DATA  1   /* the callee runs on its caller's data (a shared library) */

struct pl_gate {
    uint64_t entry;      /* first instruction; this space must hold X on it */
    uint64_t gp, tp;     /* the callee's gp and tp (PL_GATE_OWN_DATA only) */
    uint64_t flags;      /* PL_GATE_OWN_DATA or PL_GATE_CALLER_DATA */
    uint64_t stack_need; /* bytes of stack below sp the callee needs */
};

/* What a thread's spillet says about one frame (PL_OP_FRAMES): whose hunk
 * lies where.  The frame's callee ran on [stack_lo, hunk_top) of the
 * frame's stack; its caller's hunk lies above hunk_top. */
#define PL_FRAME_CALL       0
#define PL_FRAME_INTERRUPT  1
#define PL_FRAME_FAULT      2
struct pl_frame_info {
    uint64_t kind;        /* PL_FRAME_* */
    uint64_t caller_code, caller_data;   /* the environment the frame returns to */
    uint64_t callee_code, callee_data;   /* the environment that runs above it */
    uint64_t hunk_top;    /* the caller's sp at the call: the top of the callee's hunk */
    uint64_t gate;        /* the gate called */
};

/* A fault record: what was tried, where, by whom, and what was missing. */
struct pl_fault {
    uint64_t cause;      /* PL_FAULT_* */
    uint64_t pc;
    uint64_t addr;       /* the address accessed (or pc for fetch faults) */
    uint64_t missing;    /* the right that was missing (PL_R, PL_W, ...), or 0 */
    uint64_t space;      /* data space at the fault */
    uint64_t code_space;
    uint64_t thread;
};

/* --- the instructions, as C --- */

#define PL_INSN_(op, rd, a, b) \
    __asm__ volatile(".insn r 0x0b, 0, %c3, %0, %1, %2" : "=r"(rd) : "r"(a), "r"(b), "i"(op) : "memory")

#define PL_OP(op, a, b) ({ long r_; uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); PL_INSN_(op, r_, a_, b_); r_; })

static inline uint64_t pl_self(void) { return (uint64_t)PL_OP(PL_OP_SELF, 0, 0); }
static inline uint64_t pl_code_space(void) { return (uint64_t)PL_OP(PL_OP_SELF, 1, 0); }

/* Grant [base, base+len) with `rights` to `space`: returns the grant id. */
static inline long pl_grant(uint64_t space, uint64_t base, uint64_t len, uint64_t rights)
{
    struct pl_grant g = { space, rights, base, len };
    return PL_OP(PL_OP_GRANT, &g, 0);
}
static inline long pl_revoke(long grant) { return PL_OP(PL_OP_REVOKE, grant, 0); }
static inline long pl_drop(long grant) { return PL_OP(PL_OP_DROP, grant, 0); }
/* Arm a pass: the next gate call made by this thread gets these rights for
 * the duration of the call. */
static inline long pl_pass(uint64_t base, uint64_t len, uint64_t rights)
{
    struct pl_grant g = { 0, rights, base, len };
    return PL_OP(PL_OP_PASS, &g, 0);
}
static inline long pl_gate(const struct pl_gate *desc) { return PL_OP(PL_OP_GATE, desc, 0); }
static inline long pl_ungate(uint64_t gate) { return PL_OP(PL_OP_UNGATE, gate, 0); }
static inline long pl_status(void) { return PL_OP(PL_OP_STATUS, 0, 0); }
static inline long pl_faultinfo(struct pl_fault *f) { return PL_OP(PL_OP_FAULTINFO, f, 0); }
static inline long pl_query(uint64_t addr) { return PL_OP(PL_OP_QUERY, addr, 0); }
static inline long pl_grant_all(uint64_t space, uint64_t rights) { return PL_OP(PL_OP_GRANT_ALL, space, rights); }
/* In a fault gate's handler: the faulting code's registers (64 = pc). */
#define PL_REG_PC 64
static inline long pl_frame_get(unsigned reg) { return PL_OP(PL_OP_FRAME_GET, reg, 0); }
static inline long pl_frame_set(unsigned reg, uint64_t val) { return PL_OP(PL_OP_FRAME_SET, reg, val); }
/* This thread's frames, innermost first: returns the depth (may exceed max). */
static inline long pl_frames(struct pl_frame_info *buf, uint64_t max) { return PL_OP(PL_OP_FRAMES, buf, max); }

#endif /* !__ASSEMBLER__ */

/* ------------------------------------------------------------------ */
/* Control pages.  Registers are 64-bit, at 8-byte offsets; accesses   */
/* of another size or to an unlisted offset fault (PL_FAULT_CONTROL).  */
/* A command register runs a command when written; RESULT reads its     */
/* result (>= 0) or error (< 0).                                        */
/* ------------------------------------------------------------------ */

/* Space controller. */
#define SPACECTL_CMD        0x00
#define SPACECTL_ARG0       0x08
#define SPACECTL_ARG1       0x10
#define SPACECTL_RESULT     0x18
#define SPACECTL_LIVE       0x20   /* RO: number of live spaces */
#define   SPACE_CREATE      1      /* -> new space id */
#define   SPACE_DESTROY     2      /* ARG0 = space: its grants (received and made, cascading) and gates go */
#define   SPACE_SET_FAULT   3      /* ARG0 = space, ARG1 = gate address (0: none) */
#define   SPACE_GRANT_COUNT 4      /* ARG0 = space -> number of grants it holds */

/* Thread controller.  A thread is a register set, a spillet (the stack of
 * gate frames) and a stack region; none of it is addressable. */
#define THREADCTL_CMD       0x00
#define THREADCTL_ARG0      0x08   /* ARG0..ARG6 at 0x08..0x38 */
#define THREADCTL_ARG(n)    (0x08 + 8 * (n))
#define THREADCTL_RESULT    0x40
#define THREADCTL_CURRENT   0x48   /* RO: id of the running thread */
#define THREADCTL_ON_FAULT  0x50   /* thread resumed when the running one stops on a fault (0: stop the machine) */
#define   THREAD_CREATE     1      /* ARG0 entry, ARG1 sp, ARG2 stack lo, ARG3 stack hi,
                                      ARG4 code space, ARG5 data space, ARG6 a0 -> thread id */
#define   THREAD_SWITCH     2      /* ARG0 = thread: save this one, resume that one */
#define   THREAD_STOP       3      /* ARG0 = thread (not the running one) */
#define   THREAD_STATE      4      /* ARG0 = thread -> THREAD_* state */
#define   THREAD_SET_STACK  5      /* ARG0 = thread, ARG1 lo, ARG2 hi: its stack region */
#define   THREAD_FAULT      6      /* ARG0 = thread, ARG1 = &struct pl_fault (written with the
                                      rights of the writer of CMD) -> 0 */
#define   THREAD_STEP       7      /* ARG0 = thread (ready or stopped), ARG1 = space: run it until it has
                                      retired one instruction with code space ARG1 (0: any) -> 0, or
                                      the PL_FAULT_* that stopped it; its state is kept */
#define   THREAD_GETREG     8      /* ARG0 = thread (not running), ARG1 = register (0-31 x, 32-63 f,
                                      64 pc, 65 code space, 66 data space) -> value */
#define   THREAD_SETREG     9      /* ARG0 = thread (not running), ARG1 = register (0-64), ARG2 = value */
#define   THREAD_READY      1
#define   THREAD_RUNNING    2
#define   THREAD_STOPPED    3
#define   THREAD_FAULTED    4

/* Interrupt controller: sources 1..63. */
#define IRQCTL_LEVEL        0x00   /* RO: the priority of the running handler (0: none) */
#define IRQCTL_EMERG_LO     0x08   /* the emergency interrupt stack region */
#define IRQCTL_EMERG_HI     0x10
#define IRQCTL_SRC(n)       (0x100 + 0x20 * (n))
#define IRQCTL_SRC_GATE     0x00   /* gate address of the handler (0: none) */
#define IRQCTL_SRC_PRIO     0x08   /* 1..15; 0 disables the source */
#define IRQCTL_SRC_PENDING  0x10   /* RO: 1 while the source asserts */
#define IRQCTL_SRC_FAULT    0x18   /* RO: last PL_FAULT_* cause of its handler (the source is then disabled) */
#define IRQ_SRC_TIMER       1
#define IRQ_SRC_UART        2
#define IRQ_SRC_DMA         3
#define IRQ_SRC_SOFT        4      /* raised by writing 1 to TIMER_SOFT */
#define IRQ_SRC_BLK         5      /* the virtio-blk device's interrupt */
#define IRQ_SOURCES         64
#define IRQ_PRIO_MAX        15

/* Counters (read only but for the selectors): per space, per gate. */
#define COUNTERS_SPACE      0x00   /* RW: the space the next reads describe */
#define COUNTERS_INSNS      0x08   /* instructions run with it as code space */
#define COUNTERS_CALLS      0x10   /* gate calls into it */
#define COUNTERS_FAULTS     0x18   /* faults taken while it was the code space */
#define COUNTERS_INTERRUPTS 0x20   /* interrupts handled by its gates */
#define COUNTERS_PLB_MISSES 0x28   /* protection lookaside misses on its behalf */
#define COUNTERS_GATE       0x40   /* RW: the gate address the next read describes */
#define COUNTERS_GATE_CALLS 0x48   /* calls of that gate */
#define COUNTERS_CYCLES     0x50   /* the hart's modelled cycles so far */
#define COUNTERS_PLB_HITS   0x58   /* protection lookaside hits on its behalf */

/* Timer: 10 MHz, like virt's mtime. */
#define TIMER_NOW           0x00   /* RO */
#define TIMER_CMP           0x08   /* IRQ_SRC_TIMER asserts while NOW >= CMP */
#define TIMER_SOFT          0x10   /* write 1/0: assert/deassert IRQ_SRC_SOFT */
#define PEER_TIMEBASE_HZ    10000000UL

/* DMA aperture controller: one aperture per DMA device. */
#define DMACTL_DEV(n)       (0x100 * (n))
#define DMACTL_BASE         0x00   /* the next aperture's base */
#define DMACTL_LEN          0x08   /* the next aperture's length */
#define DMACTL_SET          0x10   /* write 1: latch BASE/LEN as the aperture, for the writer's data space -> RESULT */
#define DMACTL_RESULT       0x18
#define DMACTL_OWNER        0x20   /* RO: the space whose rights the device carries (0: closed) */
#define DMACTL_VIOLATIONS   0x28   /* RO: accesses stopped so far */
#define DMA_DEV_ENGINE      0
#define DMA_DEV_BLK         1      /* the virtio-blk device at PEER_VIRTIO_BLK */

/* The copy engine (a DMA device): copies LEN bytes from SRC to DST. */
#define DMAENG_SRC          0x00
#define DMAENG_DST          0x08
#define DMAENG_LEN          0x10
#define DMAENG_GO           0x18   /* write 1: start (done before the write returns) */
#define DMAENG_STATUS       0x20   /* 0 idle/done, 1 stopped by the aperture or rights, 2 busy */
#define DMAENG_IRQ_ACK      0x28   /* write 1: deassert the completion interrupt */

/* The network device (--netdev): a virtio-mmio net device, DMA device 2,
 * interrupt source 6; device id 0 without --netdev. */
#define PEER_VIRTIO_NET     0x0f201000UL
#define DMA_DEV_NET         2
#define IRQ_SRC_NET         6
/* The entropy source: every 8-byte read of RNG_DATA gives 64 fresh random
 * bits (the host's getrandom); other accesses, and a read the host cannot
 * fill, fault. */
#define RNG_DATA            0x00

#endif
