/* The peer machine's protection unit: spaces and grants (space.h), gates,
 * threads and their spillets, interrupts, and the control pages.  The board
 * wires it to the hart through struct prot_ops and to the devices. */
#ifndef PEERLESS_PEER_UNIT_H
#define PEERLESS_PEER_UNIT_H

#include "core/hart.h"
#include "dev/device.h"
#include "peer/space.h"
#include "trace/trace.h"

#include <peerless/peer.h>

enum frame_kind { FRAME_CALL, FRAME_INTERRUPT, FRAME_FAULT };

/* One entry of a spillet: everything needed to come back. */
struct frame {
    enum frame_kind kind;
    uint32_t code_space, data_space;     /* the environment to come back to */
    uint64_t x[32], f[32];               /* its registers (x[0] unused) */
    uint64_t pc;                         /* where to come back to */
    uint32_t fflags, frm;
    uint64_t hunk_top, stack_lo, stack_hi;   /* its stack view */
    uint64_t low_water;                  /* lowest stack page stored to inside this frame */
    uint64_t gate;                       /* the gate called (address) */
    uint64_t pass;                       /* a CALL's pass (grant id, 0: none), revoked at return
                                            if still there: destroying the callee's space frees it */
    struct pl_grant armed;               /* the pass the code below had armed, kept for it */
    unsigned level, source;              /* an INTERRUPT's previous level and source */
    struct pl_fault fault;               /* a FAULT's record */
};

/* A frame as a report shows it: which gate (or interrupt source), and the
 * environment and pc it returns to. */
struct frame_view {
    enum frame_kind kind;
    uint64_t gate;                       /* address; 0 for an interrupt */
    unsigned source;                     /* an INTERRUPT's source */
    uint32_t code_space, data_space;
    uint64_t pc;
};

/* The last fault that unwound one of a thread's frames, and the thread's
 * frames as they were then, innermost first: a fault in a nested gate call
 * comes back to its caller as a status, and the machine may stop only
 * later, so the report of a stop shows it (and --stats, at the end). */
#define UNWOUND_FRAMES 16
struct unwound {
    bool valid;
    struct pl_fault fault;
    uint64_t instret;                    /* when it unwound */
    unsigned depth;                      /* the thread's frames then (the first UNWOUND_FRAMES kept) */
    struct frame_view frames[UNWOUND_FRAMES];
};

struct thread {
    uint32_t id;
    int state;                           /* THREAD_* */
    /* saved registers (the running thread's live in the hart) */
    uint64_t x[32], f[32], pc;
    uint32_t fflags, frm;
    uint32_t code_space, data_space;
    unsigned level;                      /* interrupt level it runs at */
    uint64_t stack_lo, stack_hi, hunk_top;
    struct frame *frames;                /* the spillet */
    unsigned depth;
    uint64_t cap;
    struct pl_grant pass;                /* armed pass (len 0: none) */
    uint64_t status;                     /* last gate call's status */
    struct pl_fault fault;               /* and its record (or the fault that stopped it) */
    struct unwound unwound;
};

struct gate {
    uint32_t owner;                      /* 0: none (destroyed) */
    uint64_t calls;
    uint64_t entry, gp, tp, flags, stack_need;
    struct grant *own;                   /* the owner's G|P grant over the gate */
};

struct irq_source {
    uint64_t gate;
    unsigned prio;
    int pending;
    uint64_t fault;
};

struct aperture {
    uint64_t next_base, next_len;        /* BASE and LEN as written; SET latches them */
    uint64_t base, len;
    uint32_t owner;
    uint64_t result, violations;
};

struct peer {
    struct hart *hart;
    struct space_table spaces;
    struct gate *gates;                  /* index = gate number */
    uint64_t ngates, gate_cap;
    struct thread **threads;             /* index = thread id */
    uint32_t nthreads;
    uint64_t thread_cap;
    struct thread *cur;                  /* the running thread */
    uint32_t switch_to;                  /* a requested switch, done at the next boundary */
    uint32_t on_fault;                   /* thread to resume when the running one stops on a fault */
    uint32_t step_thread, step_space;    /* a requested THREAD_STEP, done at the next boundary */
    bool stepping;                       /* running one: a fault with nothing to unwind stops only it */
    /* interrupts */
    struct irq_source src[IRQ_SOURCES];
    uint64_t pending;                    /* bit n: source n asserts */
    uint64_t emerg_lo, emerg_hi;
    /* control page scratch registers */
    uint64_t space_arg[2], space_result;
    uint64_t thread_arg[7], thread_result;
    uint64_t timer_cmp;
    struct aperture dma[4];
    /* the board */
    uint64_t (*now)(void *ctx);          /* timer ticks */
    void *now_ctx;
    bool control_refused;                /* the last MMIO refusal came from a control page */
    bool stopped;                        /* the running thread died with nothing to unwind */
    uint64_t gate_calls, gate_returns, unwinds, interrupts;
    struct trace *trace;                 /* NULL unless --trace */
    uint32_t acct_space;                 /* instructions since acct_since belong to this code space */
    uint64_t acct_since;
    uint64_t counter_select, counter_gate;   /* the counters page's selectors */
};

bool peer_init(struct peer *p, struct hart *h, uint64_t (*now)(void *), void *now_ctx);
void peer_free(struct peer *p);
extern const struct prot_ops peer_prot_ops;

/* Devices raise and lower interrupt sources through these lines. */
struct irq_line peer_irq_line(struct peer *p, unsigned source);
void peer_set_source(struct peer *p, unsigned source, int level);
void peer_update_timer(struct peer *p);
/* Is an interrupt deliverable now (to wake an idle hart)? */
bool peer_irq_deliverable(struct peer *p);
uint64_t peer_timer_deadline(struct peer *p);

/* Control pages as MMIO regions. */
struct mmio_region peer_spacectl(struct peer *p);
struct mmio_region peer_threadctl(struct peer *p);
struct mmio_region peer_irqctl(struct peer *p);
struct mmio_region peer_timer(struct peer *p);
struct mmio_region peer_dmactl(struct peer *p);

/* DMA through device n's aperture: false (and nothing moved) on a violation. */
bool peer_dma_read(struct peer *p, unsigned dev, uint64_t addr, void *buf, uint64_t n);
bool peer_dma_write(struct peer *p, unsigned dev, uint64_t addr, const void *buf, uint64_t n);

/* Change the hart's environment, crediting the instructions run so far to
 * the code space being left (counters, trace). */
void peer_set_env(struct peer *p, uint32_t code_space, uint32_t data_space);
struct mmio_region peer_counters(struct peer *p);
/* Lookups of the protection cache on s's behalf that it answered. */
uint64_t peer_plb_hits(const struct peer *p, const struct space *s);
void peer_report_counters(struct peer *p, FILE *out);

/* gate.c: calls, returns, faults (used by peer.c and pl.c). */
bool gate_call(struct peer *p, uint64_t gate_addr);
bool gate_return(struct peer *p);
bool peer_fault(struct peer *p, struct pl_fault *f);
bool interrupt_enter(struct peer *p, unsigned source);
void thread_save(struct peer *p, struct thread *t);
void thread_load(struct peer *p, struct thread *t);
struct thread *thread_get(struct peer *p, uint64_t id);
struct gate *gate_get(struct peer *p, uint64_t addr);
/* Data rights of space s at byte a, and at every byte of [a, a+n): the
 * stack region's rules included. */
unsigned peer_data_rights(struct peer *p, uint32_t s, uint64_t a);
bool peer_data_ok(struct peer *p, uint32_t s, uint64_t a, uint64_t n, unsigned right);
/* Write a record to guest memory with `space`'s W rights. */
bool peer_write_record(struct peer *p, uint32_t space, uint64_t addr, const void *buf, unsigned n);
/* The PL instructions (pl.c). */
uint64_t pl_execute(struct peer *p, unsigned funct7, uint64_t a, uint64_t b);

#endif
