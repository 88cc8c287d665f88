/* One RV64GC hart: its architectural state and the caches that make it fast.
 *
 * The core knows no board and no device.  It reaches memory through
 * struct bus (provided by the board): plain RAM pages are handed out as host
 * pointers and cached in a software TLB, everything else goes through the
 * board's MMIO callbacks on the slow path.
 */
#ifndef PEERLESS_HART_H
#define PEERLESS_HART_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cost.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ull << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

enum priv { PRIV_U = 0, PRIV_S = 1, PRIV_M = 3 };

/* Exception causes (mcause with interrupt bit clear). */
enum {
    EXC_INSN_MISALIGNED = 0, EXC_INSN_ACCESS = 1, EXC_ILLEGAL = 2,
    EXC_BREAKPOINT = 3, EXC_LOAD_MISALIGNED = 4, EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6, EXC_STORE_ACCESS = 7, EXC_ECALL_U = 8,
    EXC_ECALL_S = 9, EXC_ECALL_M = 11, EXC_INSN_PAGE = 12,
    EXC_LOAD_PAGE = 13, EXC_STORE_PAGE = 15,
};
/* Interrupt numbers (bit positions in mip/mie). */
enum { IRQ_SSI = 1, IRQ_MSI = 3, IRQ_STI = 5, IRQ_MTI = 7, IRQ_SEI = 9, IRQ_MEI = 11 };

struct hart;

/* What the board provides. */
struct bus {
    void *ctx;
    /* Host address of the 4 KiB page at physical `page` if it is plain RAM
     * (reads and writes go straight to it), else NULL. */
    uint8_t *(*ram_page)(void *ctx, uint64_t page);
    /* Everything that is not RAM.  Return false for an access fault. */
    bool (*mmio_read)(void *ctx, uint64_t addr, int size, uint64_t *val);
    bool (*mmio_write)(void *ctx, uint64_t addr, int size, uint64_t val);
    /* The `time` CSR: the platform timer (mtime). */
    uint64_t (*read_time)(void *ctx);
    /* All of RAM, if it is one host block (NULL if not): lets code that
     * runs with physical, unprotected data addresses skip the TLB. */
    uint8_t *ram;
    /* Semihosting: called for the `slli; ebreak; srai` sequence.  Returns
     * true if handled (the hart then skips the ebreak). */
    bool (*semihost)(void *ctx, struct hart *h);
};

/* Software TLB: one direct-mapped array per access kind.  An entry hits when
 * tag == (vaddr & (PAGE_MASK | (size - 1))): a misaligned access never hits
 * and goes to the slow path.  Host address = vaddr + addend.  An entry exists
 * only while the space it belongs to has the access right over the whole
 * page: the TLB is also the protection lookaside cache. */
#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
struct tlb_entry {
    uint64_t tag;
    uintptr_t addend;
};

/* The cached rights of one space: loads, stores, and fetches (a fetch entry
 * maps a virtual page to its decoded code).  A hart keeps a few sets, one
 * per recently used space, so a gate call is a pointer switch. */
#define TLB_SETS 8
struct code_page;
struct tlb_set {
    struct tlb_entry r[TLB_SIZE], w[TLB_SIZE];
    uint64_t itag[TLB_SIZE];
    struct code_page *ipage[TLB_SIZE];
    uint32_t space;
    uint64_t last_use;
    /* Loads and stores this set answered (the fast path) while it belonged
     * to `space`.  Counted only by the peer machine's handlers (and single
     * steps); a set that changes hands reports them to the protection unit
     * first. */
    uint64_t hits;
};

/* A protection unit (the peer machine's), consulted only on slow paths.
 * The virt board has none (h->prot == NULL). */
struct prot_ops {
    /* The rights `space` holds at every byte of the page (only these may
     * be cached).  `want` is the right an access is filling for. */
    unsigned (*page_rights)(void *ctx, struct hart *h, uint32_t space, uint64_t page, unsigned want);
    /* Does `space` hold `right` at every byte of [addr, addr+n)? */
    bool (*check)(void *ctx, struct hart *h, uint32_t space, uint64_t addr, unsigned n, unsigned right);
    /* A fetch from an address no memory backs.  Return true if the unit
     * took it over (a gate call or return): h->pc says where to go. */
    bool (*jump)(void *ctx, struct hart *h, uint64_t pc);
    /* A custom-0 instruction: funct7 and the values of rs1, rs2 -> rd. */
    uint64_t (*insn)(void *ctx, struct hart *h, unsigned funct7, uint64_t a, uint64_t b);
    /* A synchronous exception at h->pc.  `missing` is the right that was
     * missing (PROT_*) or 0.  Return false if the machine must stop. */
    bool (*fault)(void *ctx, struct hart *h, uint64_t cause, uint64_t tval, unsigned missing);
    /* An instruction boundary after an event: interrupts, thread switches. */
    void (*poll)(void *ctx, struct hart *h);
    /* A cache set is about to change hands: the lookups it answered for
     * `space` (hart_plb_hits adds those of the sets still held). */
    void (*plb_hits)(void *ctx, uint32_t space, uint64_t hits);
};

/* Rights the core asks a protection unit about. */
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4 };

struct insn;
struct code_page;

/* Why hart_run returned. */
enum run_exit { RUN_BUDGET = 0, RUN_WFI, RUN_STOP, RUN_FATAL };

struct hart {
    /* --- hot state: kept together for the interpreter --- */
    uint64_t x[33];          /* x[32] absorbs writes to x0 (the decoder maps rd=0 there) */
    uint64_t f[32];
    uint64_t pc;
    struct tlb_set *d, *c;   /* the data space's and the code space's cached rights */
    uint64_t instret;        /* instructions retired, updated when the loop exits */
    int64_t budget;          /* instructions left in this run slice */
    int stop;                /* set by the board: leave the loop at the next check */
    int event;               /* set by slow paths: device state changed, re-check interrupts */
    uint64_t exc_cause, exc_tval;   /* the exception a slow path raised */
    unsigned exc_missing;           /* and the right that was missing (PROT_*), if any */

    /* --- architectural control state --- */
    int priv;
    uint32_t fflags, frm;
    uint64_t mstatus, misa, mtvec, mepc, mcause, mtval, mscratch;
    uint64_t mie, mip, medeleg, mideleg, mcounteren, mcountinhibit;
    uint64_t mip_sw;         /* pending bits software wrote (SSIP, STIP, SEIP); mip holds devices' */
    uint64_t stvec, sepc, scause, stval, sscratch, satp, scounteren;
    uint64_t menvcfg, senvcfg, stimecmp;
    uint8_t pmpcfg[16];
    uint64_t pmpaddr[16];
    uint64_t mhartid;
    struct cost_model cost;  /* the cycle model's costs (core/cost.h) */
    uint64_t cycle_base;     /* mcycle = instret + cycle_base: the cycle model's extra
                                cycles (core/cost.h), adjusted by writes to mcycle */
    uint64_t instret_base;
    uint64_t res_addr;       /* LR/SC reservation (physical address), or ~0 */
    bool wfi;                /* in WFI, waiting for an interrupt */

    /* --- decode cache --- */
    struct code_page **cpages;   /* hash table by physical page */
    unsigned cpages_mask;
    unsigned cpages_used;
    uint8_t *code_mark;          /* per RAM page: 1 if decoded code lives there */
    uint64_t ram_fast_base, ram_fast_size;   /* RAM for the direct path (size 0: none) */
    uintptr_t ram_fast_delta;                /* host address - guest address */
    uint64_t code_mark_base, code_mark_pages;

    /* --- the board, and the protection unit if there is one --- */
    struct bus bus;
    const struct prot_ops *prot;
    void *prot_ctx;
    uint32_t code_space, data_space;   /* the environment (0 without a protection unit) */
    bool data_direct;        /* set by the protection unit: the data space may load and
                                store all of RAM, so code may skip the TLB (exec.c) */
    struct tlb_set sets[TLB_SETS];
    uint64_t set_clock;

    /* --- last fatal fault, for the board's report --- */
    uint64_t fatal_cause, fatal_tval, fatal_pc;
};

/* Life cycle. */
void hart_init(struct hart *h, const struct bus *bus, uint64_t hartid,
               uint64_t ram_base, uint64_t ram_size);
void hart_reset(struct hart *h, uint64_t pc);
void hart_free(struct hart *h);

/* Run at most `budget` instructions. */
enum run_exit hart_run(struct hart *h, int64_t budget);
/* Run one instruction, or take the fault it raises, or let the protection
 * unit take a jump (*retired says whether an instruction retired).  Returns
 * false if the machine must stop. */
bool hart_step(struct hart *h, bool *retired);

/* Device side: drive an interrupt-pending bit (MSIP, MTIP, MEIP, SEIP…). */
void hart_set_irq(struct hart *h, int irq, int level);
/* Is an interrupt pending and enabled (would it wake WFI)? */
bool hart_irq_waiting(const struct hart *h);

/* Debug/board access to memory through the hart's view (no side effects on
 * caches beyond what a guest access would do). */
bool hart_read_mem(struct hart *h, uint64_t addr, void *buf, unsigned n);
bool hart_write_mem(struct hart *h, uint64_t addr, const void *buf, unsigned n);

/* Protection unit side: attach; switch environment; forget cached rights
 * (all of them, or one space's over [lo, hi)). */
void hart_attach_prot(struct hart *h, const struct prot_ops *ops, void *ctx);
void hart_set_env(struct hart *h, uint32_t code_space, uint32_t data_space);
/* Whether code may load and store RAM directly is part of the environment:
 * code decoded for direct access is only ever fetched while it holds. */
void hart_flush_rights(struct hart *h);
void hart_flush_space_range(struct hart *h, uint32_t space, uint64_t lo, uint64_t hi);
/* The protection cache hits of `space` still held in the hart's sets (not
 * yet reported through prot_ops.plb_hits). */
uint64_t hart_plb_hits(const struct hart *h, uint32_t space);

/* Invalidate decoded code that covers physical [addr, addr+len). */
void hart_code_written(struct hart *h, uint64_t addr, uint64_t len);

/* Names for reports. */
const char *hart_cause_name(uint64_t cause);
const char *hart_reg_name(int r);

#endif
