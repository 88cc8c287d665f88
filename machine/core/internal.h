/* What the core's files share with each other and with nobody else. */
#ifndef PEERLESS_CORE_INTERNAL_H
#define PEERLESS_CORE_INTERNAL_H

#include "core/decode.h"
#include "core/hart.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define TLB_INVALID (~0ull)

/* mstatus fields. */
#define MSTATUS_SIE  (1ull << 1)
#define MSTATUS_MIE  (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP  (1ull << 8)
#define MSTATUS_MPP  (3ull << 11)
#define MSTATUS_SUM  (1ull << 18)
#define MSTATUS_MXR  (1ull << 19)
#define MSTATUS_TVM  (1ull << 20)
#define MSTATUS_TW   (1ull << 21)
#define MSTATUS_TSR  (1ull << 22)
#define MSTATUS_FS   (3ull << 13)
#define MSTATUS_FS_DIRTY (3ull << 13)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SD   (1ull << 63)

/* A page of decoded instructions: one slot per halfword, plus two sentinel
 * slots (PAGE_END) that catch falling off the end, by a 2- or 4-byte step. */
#define SLOTS_PER_PAGE (PAGE_SIZE / 2)
struct code_page {
    uint64_t vaddr, paddr;
    uint32_t private_space;          /* 0: shared; else decoded for this code space only */
    bool ram_direct;                 /* decoded for physical, unprotected data: loads and
                                        stores go straight to RAM (exec.c) */
    uint8_t *host;
    struct code_page *next;          /* hash chain */
    struct insn slot[SLOTS_PER_PAGE + 2];
};

/* Handlers for DECODE and PAGE_END, set once by the interpreter so that
 * fresh pages can be filled without running it. */
extern const void *core_decode_impl, *core_page_end_impl;

/* mem.c: the slow paths of memory access and the decode cache.  On failure
 * they set h->exc_cause / h->exc_tval and return false/NULL. */
bool mem_load_slow(struct hart *h, uint64_t addr, int size, uint64_t *val);
bool mem_store_slow(struct hart *h, uint64_t addr, int size, uint64_t val);
/* Host pointer for an atomic read-modify-write (or LR: `write` false). */
void *mem_atomic_ptr(struct hart *h, uint64_t addr, int size, bool write);
struct code_page *code_lookup(struct hart *h, uint64_t pc);
/* Read the raw bits of the instruction at pc in page cp (may cross a page);
 * on a page decoded for one code space, also check its X right. */
bool code_fetch_raw(struct hart *h, struct code_page *cp, uint64_t pc, uint32_t *raw);
void tlb_flush(struct hart *h);
void code_cache_init(struct hart *h, uint64_t ram_base, uint64_t ram_size);
void code_cache_free(struct hart *h);

/* csr.c: CSRs, traps and interrupts. */
enum csr_kind { CSR_RW, CSR_RS, CSR_RC };
/* Execute a CSR instruction; false means illegal instruction. */
bool csr_access(struct hart *h, unsigned csr, enum csr_kind kind, uint64_t src,
                bool write, bool read, uint64_t *old);
/* Take an exception or interrupt at h->pc.  False if it cannot be taken
 * (there is nothing to run at the trap vector): the hart is then dead. */
bool trap_take(struct hart *h, uint64_t cause, uint64_t tval);
void trap_mret(struct hart *h);
void trap_sret(struct hart *h);
/* After a change of privilege, mstatus or satp: use the TLB sets of the new
 * translation contexts (a machine without a protection unit). */
void mmu_update_env(struct hart *h);
uint32_t mmu_context(const struct hart *h, unsigned access);
bool mmu_translate(struct hart *h, uint64_t va, unsigned access, uint64_t *pa);
/* Sstc: refresh STIP from stimecmp and time. */
void csr_update_stip(struct hart *h);
/* The highest-priority interrupt to take now, or -1. */
int irq_to_take(const struct hart *h);
void csr_reset(struct hart *h);

#endif
