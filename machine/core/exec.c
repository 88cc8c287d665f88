/* The interpreter: fetch, dispatch, and every instruction's semantics.
 *
 * Threaded code over pre-decoded pages: each slot's `impl` is the address of
 * its handler below, so dispatch is one indirect jump.  The program counter
 * is not kept while running; it is derived from the slot pointer when an
 * instruction needs it (PC()).  The fast paths (straight-line code, branches
 * within a page, loads and stores that hit the software TLB) touch nothing
 * else; everything rare leaves through a named slow path at the bottom.
 *
 * The semantics section reads like a table: one handler per operation, in
 * the order of FOR_EACH_OP.
 */
#include "core/alu.h"
#include "core/fpu.h"
#include "core/internal.h"

#include <string.h>

/* Label addresses are code addresses, not stack objects: they outlive the call. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wdangling-pointer"

const void *core_decode_impl, *core_page_end_impl;

/* --- register and operand access --- */
#define RD   (h->x[ins->rd])
#define RS1  (h->x[ins->rs1])
#define RS2  (h->x[ins->rs2])
#define IMM  ((int64_t)ins->imm)
#define PC_OF(i) (cp->vaddr + (uint64_t)((i) - cp->slot) * 2)
#define PC()  PC_OF(ins)
#define SAVE_PC() (h->pc = PC())

/* Retire this instruction and run the next one.  The budget is only
 * checked where control transfers (and at a page's end): straight-line code
 * is at most a page long, so a slice overruns by at most that, while the
 * count itself stays exact. */
#define NEXT do {                                   \
        ins += ADV;                                 \
        left--;                                     \
        goto *ins->impl;                            \
    } while (0)

/* Retire this instruction and continue at pc + off (branches, jal). */
#define JUMP_REL(off) do {                                              \
        intptr_t o_ = (intptr_t)(ins - cp->slot) * 2 + (off);           \
        if (likely((uintptr_t)o_ < PAGE_SIZE)) {                        \
            ins = cp->slot + (o_ >> 1);                                 \
            if (unlikely(--left <= 0)) goto out_of_budget;              \
            goto *ins->impl;                                            \
        }                                                               \
        h->pc = PC() + (off);                                           \
        left--;                                                         \
        goto fetch;                                                     \
    } while (0)

/* Retire this instruction and continue at a slot of this page (imm slots away). */
#define JUMP_NEAR() do {                                                \
        ins += ins->imm;                                                \
        if (unlikely(--left <= 0)) goto out_of_budget;                  \
        goto *ins->impl;                                                \
    } while (0)

/* Retire this instruction and continue at an absolute address. */
#define JUMP_ABS(target) do {                                           \
        uint64_t t_ = (target);                                         \
        left--;                                                         \
        if (likely((t_ & PAGE_MASK) == cp->vaddr)) {                    \
            ins = cp->slot + ((t_ & (PAGE_SIZE - 1)) >> 1);             \
            if (unlikely(left <= 0)) goto out_of_budget;                \
            goto *ins->impl;                                            \
        }                                                               \
        h->pc = t_;                                                     \
        goto fetch;                                                     \
    } while (0)

/* --- memory: the TLB fast path, else the slow path --- */
#define TLB_HIT(tlb, a, size) \
    (tlb[((a) >> PAGE_SHIFT) & (TLB_SIZE - 1)].tag == ((a) & (PAGE_MASK | ((size) - 1))))
#define TLB_HOST(tlb, a) ((a) + tlb[((a) >> PAGE_SHIFT) & (TLB_SIZE - 1)].addend)

/* The fast path of a load or store, in two flavours.  Through the TLB
 * (always right): */
#define TLB_FAST_R(a, size) TLB_HIT(dt->r, a, size)
#define TLB_FAST_R_HOST(a)  TLB_HOST(dt->r, a)
#define TLB_FAST_W(a, size) TLB_HIT(dt->w, a, size)
#define TLB_FAST_W_HOST(a)  TLB_HOST(dt->w, a)
/* Through the TLB as the peer machine's protection lookaside cache: the
 * same, counting each hit in the set (its space's PLB hits; a miss is
 * counted by the protection unit when the slow path asks it). */
#define PLB_FAST_R(a, size) (TLB_HIT(dt->r, a, size) && (dt->hits++, true))
#define PLB_FAST_R_HOST(a)  TLB_HOST(dt->r, a)
#define PLB_FAST_W(a, size) (TLB_HIT(dt->w, a, size) && (dt->hits++, true))
#define PLB_FAST_W_HOST(a)  TLB_HOST(dt->w, a)
/* Straight to RAM, for code decoded while data addresses are physical and
 * unprotected (virt's M mode, or a bare satp): an aligned access within
 * RAM, and for a store a page without decoded code. */
#define RAM_FAST_R(a, size) (((a) & ((size) - 1)) == 0 && (a) - h->ram_fast_base < h->ram_fast_size)
#define RAM_FAST_W(a, size) (RAM_FAST_R(a, size) && !h->code_mark[((a) - h->ram_fast_base) >> PAGE_SHIFT])
#define RAM_FAST_R_HOST(a)  ((a) + h->ram_fast_delta)
#define RAM_FAST_W_HOST(a)  ((a) + h->ram_fast_delta)

/* The count of retired instructions, brought up to date for the slow path:
 * a device read there (a clock, under --icount) sees the exact count. */
#define SYNC_INSTRET() do { h->instret += (uint64_t)(h->budget - left); h->budget = left; } while (0)

/* Load a `type` into v_, then run `assign` (which uses v_). */
#define LOAD(type, assign) do {                                         \
        uint64_t a_ = RS1 + IMM;                                        \
        type v_;                                                        \
        if (likely(FAST_R(a_, sizeof(type)))) {                         \
            v_ = *(type *)(uintptr_t)FAST_R_HOST(a_);                   \
            assign;                                                     \
        } else {                                                        \
            uint64_t t_;                                                \
            SAVE_PC();                                                  \
            SYNC_INSTRET();                                             \
            if (!mem_load_slow(h, a_, sizeof(type), &t_))               \
                goto exception;                                         \
            v_ = (type)t_;                                              \
            assign;                                                     \
            if (unlikely(h->event)) { ins += INSN_ADVANCE(ins); left--; goto events; } \
        }                                                               \
    } while (0)

#define STORE(type, val) do {                                           \
        uint64_t a_ = RS1 + IMM;                                        \
        if (likely(FAST_W(a_, sizeof(type)))) {                         \
            *(type *)(uintptr_t)FAST_W_HOST(a_) = (type)(val);          \
        } else {                                                        \
            SAVE_PC();                                                  \
            SYNC_INSTRET();                                             \
            if (!mem_store_slow(h, a_, sizeof(type), (type)(val)))      \
                goto exception;                                         \
            if (unlikely(h->event)) { ins += INSN_ADVANCE(ins); left--; goto events; } \
        }                                                               \
    } while (0)

/* Atomics: a host pointer to aligned RAM, or an exception. */
#define ATOMIC_PTR(type, write) ({                                      \
        SAVE_PC();                                                      \
        type *p_ = mem_atomic_ptr(h, RS1, sizeof(type), write);         \
        if (!p_) goto exception;                                        \
        p_;                                                             \
    })
#define AMO_W(expr) do {                                                \
        int32_t *p = ATOMIC_PTR(int32_t, true);                         \
        int32_t old = *p, src = (int32_t)RS2;                           \
        *p = (expr);                                                    \
        (void)src;                                                      \
        RD = (int64_t)old;                                              \
        NEXT;                                                           \
    } while (0)
#define AMO_D(expr) do {                                                \
        int64_t *p = ATOMIC_PTR(int64_t, true);                         \
        int64_t old = *p, src = (int64_t)RS2;                           \
        *p = (expr);                                                    \
        (void)src;                                                      \
        RD = (uint64_t)old;                                             \
        NEXT;                                                           \
    } while (0)

/* --- floating point --- */
/* Any F/D instruction: illegal while mstatus.FS is Off; marks the state Dirty. */
#define FP_ON() do {                                                    \
        if (unlikely((h->mstatus & MSTATUS_FS) != MSTATUS_FS_DIRTY)) {  \
            if (!(h->mstatus & MSTATUS_FS)) goto illegal;               \
            h->mstatus |= MSTATUS_FS_DIRTY | MSTATUS_SD;                \
        }                                                               \
    } while (0)
/* The rounding mode: static, or frm for DYN (reserved frm values are illegal). */
#define RM() ({                                                         \
        int rm_ = INSN_RM(ins);                                         \
        if (rm_ == 7) { rm_ = h->frm; if (unlikely(rm_ > 4)) goto illegal; } \
        rm_;                                                            \
    })
#define F   (h->f)
#define FS1 fpu_unbox32(F[ins->rs1])
#define FS2 fpu_unbox32(F[ins->rs2])
#define FS3 fpu_unbox32(F[ins->imm])
#define FD1 F[ins->rs1]
#define FD2 F[ins->rs2]
#define FD3 F[ins->imm]
#define FL  (&h->fflags)
#define SETS(v) (F[ins->rd] = fpu_box32(v))
#define SETD(v) (F[ins->rd] = (v))

/* A CSR instruction.  csrrs/c with x0 (or uimm 0) write nothing; csrrw to
 * x0 reads nothing.  Afterwards, check interrupts: a write may enable one. */
#define CSR_OP(kind, src) do {                                          \
        uint64_t old_;                                                  \
        bool write_ = (kind) == CSR_RW || ins->rs1 != 0;                \
        bool read_ = (kind) != CSR_RW || ins->rd != REG_SINK;           \
        SAVE_PC();                                                      \
        h->instret += (uint64_t)(h->budget - left); h->budget = left;         \
        if (!csr_access(h, (uint32_t)ins->imm & 0xfff, kind, src, write_, read_, &old_)) \
            goto illegal;                                               \
        RD = old_;                                                      \
        ins += INSN_ADVANCE(ins); left--;                               \
        goto events;                                                    \
    } while (0)

/* A branch or jal whose target (byte offset in its page) stays in the page
 * gets the _NEAR form. */
static enum op near_form(enum op op, intptr_t target_off)
{
    if ((uintptr_t)target_off >= PAGE_SIZE)
        return op;
    switch (op) {
    case OP_JAL:  return OP_JAL_NEAR;
    case OP_BEQ:  return OP_BEQ_NEAR;
    case OP_BNE:  return OP_BNE_NEAR;
    case OP_BLT:  return OP_BLT_NEAR;
    case OP_BGE:  return OP_BGE_NEAR;
    case OP_BLTU: return OP_BLTU_NEAR;
    case OP_BGEU: return OP_BGEU_NEAR;
    default:      return op;
    }
}

/* The handlers by op, for compressed (impl2) and full-size (impl4)
 * instructions: labels of the function that uses them. */
#define SPECIAL_LABEL(name) [OP_##name] = &&L_##name,
#define LABEL2(name) [OP_##name] = &&L_##name##_2,
#define LABEL4(name) [OP_##name] = &&L_##name##_4,
#define LABELR2(name) [OP_##name] = &&L_##name##_r2,
#define LABELR4(name) [OP_##name] = &&L_##name##_r4,
#define HANDLER_TABLES                                                                                 \
    static const void *const impl2[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABEL2) }; \
    static const void *const impl4[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABEL4) }
#define RAM_HANDLER_TABLES                                                                             \
    static const void *const implr2[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABELR2) }; \
    static const void *const implr4[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABELR4) }
#define LABELP2(name) [OP_##name] = &&L_##name##_p2,
#define LABELP4(name) [OP_##name] = &&L_##name##_p4,
#define PLB_HANDLER_TABLES                                                                             \
    static const void *const implp2[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABELP2) }; \
    static const void *const implp4[OP_COUNT] = { FOR_EACH_SPECIAL_OP(SPECIAL_LABEL) FOR_EACH_EXEC_OP(LABELP4) }

static bool is_semihost_call(struct hart *h, uint64_t pc)
{
    uint32_t before, after;
    return hart_read_mem(h, pc - 4, &before, 4) && hart_read_mem(h, pc + 4, &after, 4) &&
           before == 0x01f01013 /* slli x0,x0,0x1f */ && after == 0x40705013 /* srai x0,x0,7 */;
}

/* The count at the slice's last sync lives in the hart (h->budget: only
 * slow paths read it) and the registers are h->x (at offset 0), so that the
 * host's callee-saved registers hold the hot values: h, the slot pointer,
 * the count and the data TLB. */
enum run_exit hart_run(struct hart *h, int64_t slice)
{
    HANDLER_TABLES;
    RAM_HANDLER_TABLES;
    PLB_HANDLER_TABLES;
    if (!h) {   /* publish the handlers of non-instruction slots (hart_init does this once) */
        core_decode_impl = &&L_DECODE;
        core_page_end_impl = &&L_PAGE_END;
        return RUN_BUDGET;
    }

    struct code_page *cp = 0;
    struct insn *ins = 0;
    struct tlb_set *dt = h->d;   /* the data space's cached rights; reloaded at fetch */
    int64_t left = slice;
    int irq;

    h->budget = slice;
    h->event = 0;
    /* Sstc's STIP follows the clock: sampled once a slice, as the board
     * samples the CLINT's MTIP (and at once when stimecmp is written). */
    if (!h->prot)
        csr_update_stip(h);
    goto resume;

/* ========= semantics: insns.inc, per slot length and fast path ========= */
#define FAST TLB
#define SUFFIX_2 _2
#define SUFFIX_4 _4
#include "core/insns_both.inc"
#define FAST RAM
#define SUFFIX_2 _r2
#define SUFFIX_4 _r4
#include "core/insns_both.inc"
#define FAST PLB
#define SUFFIX_2 _p2
#define SUFFIX_4 _p4
#include "core/insns_both.inc"

/* ========================== slow paths ========================== */

L_ILLEGAL:
illegal:
    SAVE_PC();
    h->exc_cause = EXC_ILLEGAL;
    /* The decoder keeps the encoding of an undecodable instruction in imm;
     * for a decodable one used illegally, fetch it again. */
    if (ins->impl == &&L_ILLEGAL) {
        h->exc_tval = (uint32_t)ins->imm;
    } else {
        uint32_t raw = 0;
        code_fetch_raw(h, cp, h->pc, &raw);
        h->exc_tval = (raw & 3) == 3 ? raw : (raw & 0xffff);
    }
    goto exception;

exception:   /* h->pc, h->exc_cause, h->exc_tval and h->exc_missing are set */
    h->instret += (uint64_t)(h->budget - left); h->budget = left;
    if (h->prot) {
        if (!h->prot->fault(h->prot_ctx, h, h->exc_cause, h->exc_tval, h->exc_missing))
            return RUN_FATAL;
    } else if (!trap_take(h, h->exc_cause, h->exc_tval)) {
        return RUN_FATAL;
    }
    h->exc_missing = 0;
    goto resume;

L_DECODE: {  /* first execution of this slot: decode it in place */
    uint32_t raw;
    SAVE_PC();
    if (!code_fetch_raw(h, cp, h->pc, &raw))
        goto exception;
    enum op op = decode(raw, ins);
    op = near_form(op, (intptr_t)(ins - cp->slot) * 2 + ins->imm);
    if (op >= OP_JAL_NEAR)
        ins->imm >>= 1;        /* now counts slots */
    if (cp->ram_direct)
        ins->impl = (INSN_ADVANCE(ins) == 1 ? implr2 : implr4)[op];
    else if (h->prot)
        ins->impl = (INSN_ADVANCE(ins) == 1 ? implp2 : implp4)[op];
    else
        ins->impl = (INSN_ADVANCE(ins) == 1 ? impl2 : impl4)[op];
    goto *ins->impl;
}

L_PAGE_END:  /* fell off the end of the page (fetch checks the budget) */
    h->pc = PC();
    goto fetch;

events:      /* something outside the hart may have changed: ins is the next insn */
    h->event = 0;
    h->pc = PC();
    goto resume;

resume:      /* h->pc is where to go: first, whatever is pending */
    h->instret += (uint64_t)(h->budget - left); h->budget = left;
    if (h->stop)
        return RUN_STOP;
    if (h->prot) {
        h->prot->poll(h->prot_ctx, h);          /* may take an interrupt or switch threads */
    } else if ((irq = irq_to_take(h)) >= 0 && !trap_take(h, (1ull << 63) | (uint64_t)irq, 0)) {
        return RUN_FATAL;
    }
    if (left <= 0)
        return RUN_BUDGET;
    goto fetch;

fetch: {     /* h->pc is where to go */
    uint64_t pc = h->pc;
    unsigned i = (pc >> PAGE_SHIFT) & (TLB_SIZE - 1);
    dt = h->d;
    if (likely(h->c->itag[i] == (pc & PAGE_MASK))) {
        cp = h->c->ipage[i];
    } else {
        cp = code_lookup(h, pc);
        if (!cp) {
            /* Nothing to fetch there: a protection unit may take the jump
             * over (a gate call or return); else it is a fetch fault. */
            h->instret += (uint64_t)(h->budget - left); h->budget = left;
            if (h->prot && h->prot->jump(h->prot_ctx, h, pc)) {
                h->exc_missing = 0;
                goto resume;
            }
            goto exception;
        }
    }
    ins = cp->slot + ((pc & (PAGE_SIZE - 1)) >> 1);
    if (unlikely(left <= 0)) goto out_of_budget;
    goto *ins->impl;
}

out_of_budget:
    h->pc = PC();
    h->instret += (uint64_t)(h->budget - left);
    return RUN_BUDGET;
}

/* ======================= one instruction at a time =======================
 *
 * hart_step runs exactly one instruction (or takes the fault it raises, or
 * lets the protection unit take a jump to where no memory is): for
 * debuggers.  It decodes into a private slot and runs the same semantics
 * (insns.inc) with the control-flow macros redefined to stop after one. */

#undef PC_OF
#undef NEXT
#undef JUMP_REL
#undef JUMP_NEAR
#undef JUMP_ABS
#define PC_OF(i) (step_pc + (uint64_t)((i) - step_slot) * 2)
#define NEXT do { ins += ADV; left--; h->pc = PC(); goto step_done; } while (0)
#define JUMP_REL(off) do { h->pc = PC() + (off); left--; goto step_done; } while (0)
#define JUMP_NEAR() do { h->pc = PC() + (int64_t)ins->imm * 2; left--; goto step_done; } while (0)
#define JUMP_ABS(target) do { h->pc = (target); left--; goto step_done; } while (0)

bool hart_step(struct hart *h, bool *retired)
{
    HANDLER_TABLES;
    struct insn step_slot[3];   /* the instruction; room for ins to step past it */
    struct insn *ins = step_slot;
    uint64_t step_pc = h->pc;
    struct tlb_set *dt = h->d;
    int64_t left = 1;
    h->budget = 1;
    bool ok = true;
    uint32_t raw;
    *retired = false;

    struct code_page *cp = code_lookup(h, step_pc);
    if (!cp) {
        if (h->prot && h->prot->jump(h->prot_ctx, h, step_pc)) {
            h->exc_missing = 0;
            return !h->stop;
        }
        goto exception;
    }
    if (!code_fetch_raw(h, cp, step_pc, &raw))
        goto exception;
    ins->impl = ((raw & 3) == 3 ? impl4 : impl2)[decode(raw, ins)];
    goto *ins->impl;

#define FAST PLB
#define SUFFIX_2 _2
#define SUFFIX_4 _4
#include "core/insns_both.inc"

L_ILLEGAL:
illegal:
    SAVE_PC();
    h->exc_cause = EXC_ILLEGAL;
    h->exc_tval = ins->impl == &&L_ILLEGAL ? (uint32_t)ins->imm : ((raw & 3) == 3 ? raw : (raw & 0xffff));
    goto exception;

exception:
    h->pc = step_pc;
    ok = h->prot ? h->prot->fault(h->prot_ctx, h, h->exc_cause, h->exc_tval, h->exc_missing)
                 : trap_take(h, h->exc_cause, h->exc_tval);
    h->exc_missing = 0;
    goto step_end;

L_DECODE:
L_PAGE_END:
    goto step_end;               /* not reached: the slot was decoded above */

events:
    h->event = 0;
    h->pc = PC();
    goto step_done;

resume:                          /* after mret/sret: h->pc is set */
step_done:
    *retired = left < h->budget;
step_end:
    h->instret += (uint64_t)(h->budget - left);
    (void)dt; (void)cp;
    return ok && !h->stop;
}
