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
#include "core/fpu.h"
#include "core/internal.h"

#include <string.h>

/* Label addresses are code addresses, not stack objects: they outlive the call. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wdangling-pointer"

const void *core_decode_impl, *core_page_end_impl;

/* --- register and operand access --- */
#define RD   (x[ins->rd])
#define RS1  (x[ins->rs1])
#define RS2  (x[ins->rs2])
#define IMM  ((int64_t)ins->imm)
#define PC_OF(i) (cp->vaddr + (uint64_t)((i) - cp->slot) * 2)
#define PC()  PC_OF(ins)
#define SAVE_PC() (h->pc = PC())

/* Retire this instruction and run the next one. */
#define NEXT do {                                   \
        ins += INSN_ADVANCE(ins);                   \
        if (unlikely(--left <= 0)) goto out_of_budget; \
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

#define LOAD(type, dst) do {                                            \
        uint64_t a_ = RS1 + IMM;                                        \
        if (likely(TLB_HIT(h->rtlb, a_, sizeof(type)))) {               \
            dst = *(type *)(uintptr_t)TLB_HOST(h->rtlb, a_);            \
        } else {                                                        \
            uint64_t v_;                                                \
            SAVE_PC();                                                  \
            if (!mem_load_slow(h, a_, sizeof(type), &v_))               \
                goto exception;                                         \
            dst = (type)v_;                                             \
            if (unlikely(h->event)) { ins += INSN_ADVANCE(ins); left--; goto events; } \
        }                                                               \
    } while (0)

#define STORE(type, val) do {                                           \
        uint64_t a_ = RS1 + IMM;                                        \
        if (likely(TLB_HIT(h->wtlb, a_, sizeof(type)))) {               \
            *(type *)(uintptr_t)TLB_HOST(h->wtlb, a_) = (type)(val);    \
        } else {                                                        \
            SAVE_PC();                                                  \
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
        h->instret += (uint64_t)(budget - left); budget = left;         \
        if (!csr_access(h, (uint32_t)ins->imm & 0xfff, kind, src, write_, read_, &old_)) \
            goto illegal;                                               \
        RD = old_;                                                      \
        ins += INSN_ADVANCE(ins); left--;                               \
        goto events;                                                    \
    } while (0)

static inline int64_t sext32(uint64_t v) { return (int32_t)v; }

static inline uint64_t mulhu64(uint64_t a, uint64_t b) { return (uint64_t)(((unsigned __int128)a * b) >> 64); }
static inline int64_t mulh64(int64_t a, int64_t b) { return (int64_t)(((__int128)a * b) >> 64); }
static inline int64_t mulhsu64(int64_t a, uint64_t b) { return (int64_t)(((__int128)a * (unsigned __int128)b) >> 64); }

static inline int64_t div64(int64_t a, int64_t b)
{
    if (b == 0) return -1;
    if (a == INT64_MIN && b == -1) return a;
    return a / b;
}
static inline int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) return a;
    if (a == INT64_MIN && b == -1) return 0;
    return a % b;
}
static inline int32_t div32(int32_t a, int32_t b)
{
    if (b == 0) return -1;
    if (a == INT32_MIN && b == -1) return a;
    return a / b;
}
static inline int32_t rem32(int32_t a, int32_t b)
{
    if (b == 0) return a;
    if (a == INT32_MIN && b == -1) return 0;
    return a % b;
}

static bool is_semihost_call(struct hart *h, uint64_t pc)
{
    uint32_t before, after;
    return hart_read_mem(h, pc - 4, &before, 4) && hart_read_mem(h, pc + 4, &after, 4) &&
           before == 0x01f01013 /* slli x0,x0,0x1f */ && after == 0x40705013 /* srai x0,x0,7 */;
}

enum run_exit hart_run(struct hart *h, int64_t budget)
{
    static const void *const impl[OP_COUNT] = {
#define OP_LABEL(name) [OP_##name] = &&L_##name,
        FOR_EACH_OP(OP_LABEL)
#undef OP_LABEL
    };
    if (!h) {   /* publish the handler table (hart_init does this once) */
        core_decode_impl = impl[OP_DECODE];
        core_page_end_impl = impl[OP_PAGE_END];
        return RUN_BUDGET;
    }

    uint64_t *const x = h->x;
    struct code_page *cp = 0;
    struct insn *ins = 0;
    int64_t left = budget;
    int irq;

    h->budget = budget;
    h->event = 0;
    goto resume;

/* ===================== semantics, one handler per op ===================== */
L_LUI:    RD = IMM; NEXT;
L_AUIPC:  RD = PC() + IMM; NEXT;
L_JAL:    RD = PC() + INSN_LEN(ins); JUMP_REL(ins->imm);
L_JALR:   { uint64_t t = (RS1 + IMM) & ~1ull; RD = PC() + INSN_LEN(ins); JUMP_ABS(t); }
L_BEQ:    if (RS1 == RS2) JUMP_REL(ins->imm); NEXT;
L_BNE:    if (RS1 != RS2) JUMP_REL(ins->imm); NEXT;
L_BLT:    if ((int64_t)RS1 < (int64_t)RS2) JUMP_REL(ins->imm); NEXT;
L_BGE:    if ((int64_t)RS1 >= (int64_t)RS2) JUMP_REL(ins->imm); NEXT;
L_BLTU:   if (RS1 < RS2) JUMP_REL(ins->imm); NEXT;
L_BGEU:   if (RS1 >= RS2) JUMP_REL(ins->imm); NEXT;

L_LB:     { int8_t v;   LOAD(int8_t, v);   RD = (int64_t)v; NEXT; }
L_LH:     { int16_t v;  LOAD(int16_t, v);  RD = (int64_t)v; NEXT; }
L_LW:     { int32_t v;  LOAD(int32_t, v);  RD = (int64_t)v; NEXT; }
L_LD:     { uint64_t v; LOAD(uint64_t, v); RD = v; NEXT; }
L_LBU:    { uint8_t v;  LOAD(uint8_t, v);  RD = v; NEXT; }
L_LHU:    { uint16_t v; LOAD(uint16_t, v); RD = v; NEXT; }
L_LWU:    { uint32_t v; LOAD(uint32_t, v); RD = v; NEXT; }
L_SB:     STORE(uint8_t, RS2);  NEXT;
L_SH:     STORE(uint16_t, RS2); NEXT;
L_SW:     STORE(uint32_t, RS2); NEXT;
L_SD:     STORE(uint64_t, RS2); NEXT;

L_ADDI:   RD = RS1 + IMM; NEXT;
L_SLTI:   RD = (int64_t)RS1 < IMM; NEXT;
L_SLTIU:  RD = RS1 < (uint64_t)IMM; NEXT;
L_XORI:   RD = RS1 ^ IMM; NEXT;
L_ORI:    RD = RS1 | IMM; NEXT;
L_ANDI:   RD = RS1 & IMM; NEXT;
L_SLLI:   RD = RS1 << ins->imm; NEXT;
L_SRLI:   RD = RS1 >> ins->imm; NEXT;
L_SRAI:   RD = (int64_t)RS1 >> ins->imm; NEXT;
L_ADD:    RD = RS1 + RS2; NEXT;
L_SUB:    RD = RS1 - RS2; NEXT;
L_SLL:    RD = RS1 << (RS2 & 63); NEXT;
L_SLT:    RD = (int64_t)RS1 < (int64_t)RS2; NEXT;
L_SLTU:   RD = RS1 < RS2; NEXT;
L_XOR:    RD = RS1 ^ RS2; NEXT;
L_SRL:    RD = RS1 >> (RS2 & 63); NEXT;
L_SRA:    RD = (int64_t)RS1 >> (RS2 & 63); NEXT;
L_OR:     RD = RS1 | RS2; NEXT;
L_AND:    RD = RS1 & RS2; NEXT;
L_ADDIW:  RD = sext32(RS1 + IMM); NEXT;
L_SLLIW:  RD = sext32(RS1 << ins->imm); NEXT;
L_SRLIW:  RD = sext32((uint32_t)RS1 >> ins->imm); NEXT;
L_SRAIW:  RD = (int64_t)((int32_t)RS1 >> ins->imm); NEXT;
L_ADDW:   RD = sext32(RS1 + RS2); NEXT;
L_SUBW:   RD = sext32(RS1 - RS2); NEXT;
L_SLLW:   RD = sext32(RS1 << (RS2 & 31)); NEXT;
L_SRLW:   RD = sext32((uint32_t)RS1 >> (RS2 & 31)); NEXT;
L_SRAW:   RD = (int64_t)((int32_t)RS1 >> (RS2 & 31)); NEXT;

L_FENCE:      NEXT;
L_FENCE_I:    NEXT;   /* stores already invalidate decoded code */
L_SFENCE_VMA: NEXT;   /* no translation yet */
L_ECALL:      SAVE_PC(); h->exc_cause = EXC_ECALL_U + h->priv; h->exc_tval = 0; goto exception;
L_EBREAK:
    SAVE_PC();
    if (INSN_LEN(ins) == 4 && h->bus.semihost && is_semihost_call(h, h->pc)) {
        h->instret += (uint64_t)(budget - left); budget = left;
        if (h->bus.semihost(h->bus.ctx, h)) { ins += INSN_ADVANCE(ins); left--; goto events; }
    }
    h->exc_cause = EXC_BREAKPOINT; h->exc_tval = 0; goto exception;
L_MRET:
    if (h->priv != PRIV_M) goto illegal;
    trap_mret(h); left--; goto resume;
L_WFI:
    ins += INSN_ADVANCE(ins); left--;
    if (irq_to_take(h) >= 0 || hart_irq_waiting(h)) goto events;
    h->pc = PC(); h->wfi = true;
    h->instret += (uint64_t)(budget - left);
    return RUN_WFI;

L_CSRRW:  CSR_OP(CSR_RW, RS1);
L_CSRRS:  CSR_OP(CSR_RS, RS1);
L_CSRRC:  CSR_OP(CSR_RC, RS1);
L_CSRRWI: CSR_OP(CSR_RW, ins->rs1);
L_CSRRSI: CSR_OP(CSR_RS, ins->rs1);
L_CSRRCI: CSR_OP(CSR_RC, ins->rs1);

L_MUL:    RD = RS1 * RS2; NEXT;
L_MULH:   RD = mulh64(RS1, RS2); NEXT;
L_MULHSU: RD = mulhsu64(RS1, RS2); NEXT;
L_MULHU:  RD = mulhu64(RS1, RS2); NEXT;
L_DIV:    RD = div64(RS1, RS2); NEXT;
L_DIVU:   RD = RS2 ? RS1 / RS2 : ~0ull; NEXT;
L_REM:    RD = rem64(RS1, RS2); NEXT;
L_REMU:   RD = RS2 ? RS1 % RS2 : RS1; NEXT;
L_MULW:   RD = sext32(RS1 * RS2); NEXT;
L_DIVW:   RD = (int64_t)div32(RS1, RS2); NEXT;
L_DIVUW:  RD = sext32((uint32_t)RS2 ? (uint32_t)RS1 / (uint32_t)RS2 : ~0u); NEXT;
L_REMW:   RD = (int64_t)rem32(RS1, RS2); NEXT;
L_REMUW:  RD = sext32((uint32_t)RS2 ? (uint32_t)RS1 % (uint32_t)RS2 : (uint32_t)RS1); NEXT;

L_LR_W:   { int32_t *p = ATOMIC_PTR(int32_t, false); h->res_addr = RS1; RD = (int64_t)*p; NEXT; }
L_SC_W:   { int32_t *p = ATOMIC_PTR(int32_t, true);
            if (h->res_addr == RS1) { *p = (int32_t)RS2; RD = 0; } else RD = 1;
            h->res_addr = ~0ull; NEXT; }
L_AMOSWAP_W: AMO_W(src);
L_AMOADD_W:  AMO_W((int32_t)((uint32_t)old + (uint32_t)src));
L_AMOXOR_W:  AMO_W(old ^ src);
L_AMOAND_W:  AMO_W(old & src);
L_AMOOR_W:   AMO_W(old | src);
L_AMOMIN_W:  AMO_W(old < src ? old : src);
L_AMOMAX_W:  AMO_W(old > src ? old : src);
L_AMOMINU_W: AMO_W((uint32_t)old < (uint32_t)src ? old : src);
L_AMOMAXU_W: AMO_W((uint32_t)old > (uint32_t)src ? old : src);
L_LR_D:   { int64_t *p = ATOMIC_PTR(int64_t, false); h->res_addr = RS1; RD = (uint64_t)*p; NEXT; }
L_SC_D:   { int64_t *p = ATOMIC_PTR(int64_t, true);
            if (h->res_addr == RS1) { *p = (int64_t)RS2; RD = 0; } else RD = 1;
            h->res_addr = ~0ull; NEXT; }
L_AMOSWAP_D: AMO_D(src);
L_AMOADD_D:  AMO_D((int64_t)((uint64_t)old + (uint64_t)src));
L_AMOXOR_D:  AMO_D(old ^ src);
L_AMOAND_D:  AMO_D(old & src);
L_AMOOR_D:   AMO_D(old | src);
L_AMOMIN_D:  AMO_D(old < src ? old : src);
L_AMOMAX_D:  AMO_D(old > src ? old : src);
L_AMOMINU_D: AMO_D((uint64_t)old < (uint64_t)src ? old : src);
L_AMOMAXU_D: AMO_D((uint64_t)old > (uint64_t)src ? old : src);

L_FLW:    { uint32_t v; FP_ON(); LOAD(uint32_t, v); SETS(v); NEXT; }
L_FLD:    { uint64_t v; FP_ON(); LOAD(uint64_t, v); SETD(v); NEXT; }
L_FSW:    { if (!(h->mstatus & MSTATUS_FS)) goto illegal; STORE(uint32_t, F[ins->rs2]); NEXT; }
L_FSD:    { if (!(h->mstatus & MSTATUS_FS)) goto illegal; STORE(uint64_t, F[ins->rs2]); NEXT; }

L_FMADD_S:  FP_ON(); SETS(f32_fma(FS1, FS2, FS3, 0, 0, RM(), FL)); NEXT;
L_FMSUB_S:  FP_ON(); SETS(f32_fma(FS1, FS2, FS3, 0, 1, RM(), FL)); NEXT;
L_FNMSUB_S: FP_ON(); SETS(f32_fma(FS1, FS2, FS3, 1, 0, RM(), FL)); NEXT;
L_FNMADD_S: FP_ON(); SETS(f32_fma(FS1, FS2, FS3, 1, 1, RM(), FL)); NEXT;
L_FADD_S:   FP_ON(); SETS(f32_add(FS1, FS2, RM(), FL)); NEXT;
L_FSUB_S:   FP_ON(); SETS(f32_sub(FS1, FS2, RM(), FL)); NEXT;
L_FMUL_S:   FP_ON(); SETS(f32_mul(FS1, FS2, RM(), FL)); NEXT;
L_FDIV_S:   FP_ON(); SETS(f32_div(FS1, FS2, RM(), FL)); NEXT;
L_FSQRT_S:  FP_ON(); SETS(f32_sqrt(FS1, RM(), FL)); NEXT;
L_FSGNJ_S:  FP_ON(); SETS((FS1 & 0x7fffffffu) | (FS2 & 0x80000000u)); NEXT;
L_FSGNJN_S: FP_ON(); SETS((FS1 & 0x7fffffffu) | (~FS2 & 0x80000000u)); NEXT;
L_FSGNJX_S: FP_ON(); SETS(FS1 ^ (FS2 & 0x80000000u)); NEXT;
L_FMIN_S:   FP_ON(); SETS(f32_min(FS1, FS2, FL)); NEXT;
L_FMAX_S:   FP_ON(); SETS(f32_max(FS1, FS2, FL)); NEXT;
L_FCVT_W_S:  FP_ON(); RD = f32_to_i32(FS1, RM(), FL); NEXT;
L_FCVT_WU_S: FP_ON(); RD = f32_to_u32(FS1, RM(), FL); NEXT;
L_FCVT_L_S:  FP_ON(); RD = f32_to_i64(FS1, RM(), FL); NEXT;
L_FCVT_LU_S: FP_ON(); RD = f32_to_u64(FS1, RM(), FL); NEXT;
L_FMV_X_W:   FP_ON(); RD = sext32(F[ins->rs1]); NEXT;
L_FEQ_S:     FP_ON(); RD = f32_eq(FS1, FS2, FL); NEXT;
L_FLT_S:     FP_ON(); RD = f32_lt(FS1, FS2, FL); NEXT;
L_FLE_S:     FP_ON(); RD = f32_le(FS1, FS2, FL); NEXT;
L_FCLASS_S:  FP_ON(); RD = f32_classify(FS1); NEXT;
L_FCVT_S_W:  FP_ON(); SETS(i32_to_f32((int32_t)RS1, RM(), FL)); NEXT;
L_FCVT_S_WU: FP_ON(); SETS(u32_to_f32((uint32_t)RS1, RM(), FL)); NEXT;
L_FCVT_S_L:  FP_ON(); SETS(i64_to_f32((int64_t)RS1, RM(), FL)); NEXT;
L_FCVT_S_LU: FP_ON(); SETS(u64_to_f32(RS1, RM(), FL)); NEXT;
L_FMV_W_X:   FP_ON(); SETS((uint32_t)RS1); NEXT;

L_FMADD_D:  FP_ON(); SETD(f64_fma(FD1, FD2, FD3, 0, 0, RM(), FL)); NEXT;
L_FMSUB_D:  FP_ON(); SETD(f64_fma(FD1, FD2, FD3, 0, 1, RM(), FL)); NEXT;
L_FNMSUB_D: FP_ON(); SETD(f64_fma(FD1, FD2, FD3, 1, 0, RM(), FL)); NEXT;
L_FNMADD_D: FP_ON(); SETD(f64_fma(FD1, FD2, FD3, 1, 1, RM(), FL)); NEXT;
L_FADD_D:   FP_ON(); SETD(f64_add(FD1, FD2, RM(), FL)); NEXT;
L_FSUB_D:   FP_ON(); SETD(f64_sub(FD1, FD2, RM(), FL)); NEXT;
L_FMUL_D:   FP_ON(); SETD(f64_mul(FD1, FD2, RM(), FL)); NEXT;
L_FDIV_D:   FP_ON(); SETD(f64_div(FD1, FD2, RM(), FL)); NEXT;
L_FSQRT_D:  FP_ON(); SETD(f64_sqrt(FD1, RM(), FL)); NEXT;
L_FSGNJ_D:  FP_ON(); SETD((FD1 & ~(1ull << 63)) | (FD2 & (1ull << 63))); NEXT;
L_FSGNJN_D: FP_ON(); SETD((FD1 & ~(1ull << 63)) | (~FD2 & (1ull << 63))); NEXT;
L_FSGNJX_D: FP_ON(); SETD(FD1 ^ (FD2 & (1ull << 63))); NEXT;
L_FMIN_D:   FP_ON(); SETD(f64_min(FD1, FD2, FL)); NEXT;
L_FMAX_D:   FP_ON(); SETD(f64_max(FD1, FD2, FL)); NEXT;
L_FCVT_S_D: FP_ON(); SETS(f64_to_f32(FD1, RM(), FL)); NEXT;
L_FCVT_D_S: FP_ON(); (void)RM(); SETD(f32_to_f64(FS1, FL)); NEXT;
L_FCVT_W_D:  FP_ON(); RD = f64_to_i32(FD1, RM(), FL); NEXT;
L_FCVT_WU_D: FP_ON(); RD = f64_to_u32(FD1, RM(), FL); NEXT;
L_FCVT_L_D:  FP_ON(); RD = f64_to_i64(FD1, RM(), FL); NEXT;
L_FCVT_LU_D: FP_ON(); RD = f64_to_u64(FD1, RM(), FL); NEXT;
L_FMV_X_D:   FP_ON(); RD = FD1; NEXT;
L_FEQ_D:     FP_ON(); RD = f64_eq(FD1, FD2, FL); NEXT;
L_FLT_D:     FP_ON(); RD = f64_lt(FD1, FD2, FL); NEXT;
L_FLE_D:     FP_ON(); RD = f64_le(FD1, FD2, FL); NEXT;
L_FCLASS_D:  FP_ON(); RD = f64_classify(FD1); NEXT;
L_FCVT_D_W:  FP_ON(); SETD(i32_to_f64((int32_t)RS1, RM(), FL)); NEXT;
L_FCVT_D_WU: FP_ON(); SETD(u32_to_f64((uint32_t)RS1, RM(), FL)); NEXT;
L_FCVT_D_L:  FP_ON(); SETD(i64_to_f64((int64_t)RS1, RM(), FL)); NEXT;
L_FCVT_D_LU: FP_ON(); SETD(u64_to_f64(RS1, RM(), FL)); NEXT;
L_FMV_D_X:   FP_ON(); SETD(RS1); NEXT;

/* ========================== slow paths ========================== */

L_ILLEGAL:
illegal:
    SAVE_PC();
    h->exc_cause = EXC_ILLEGAL;
    /* The decoder keeps the encoding of an undecodable instruction in imm;
     * for a decodable one used illegally, fetch it again. */
    if (ins->impl == impl[OP_ILLEGAL]) {
        h->exc_tval = (uint32_t)ins->imm;
    } else {
        uint32_t raw = 0;
        code_fetch_raw(h, cp, h->pc, &raw);
        h->exc_tval = (raw & 3) == 3 ? raw : (raw & 0xffff);
    }
    goto exception;

exception:   /* h->pc, h->exc_cause and h->exc_tval are set */
    h->instret += (uint64_t)(budget - left); budget = left;
    if (!trap_take(h, h->exc_cause, h->exc_tval))
        return RUN_FATAL;
    goto resume;

L_DECODE: {  /* first execution of this slot: decode it in place */
    uint32_t raw;
    SAVE_PC();
    if (!code_fetch_raw(h, cp, h->pc, &raw))
        goto exception;
    ins->impl = impl[decode(raw, ins)];
    goto *ins->impl;
}

L_PAGE_END:  /* fell off the end of the page */
    h->pc = PC();
    goto fetch;

events:      /* something outside the hart may have changed: ins is the next insn */
    h->event = 0;
    if (h->stop) { h->pc = PC(); h->instret += (uint64_t)(budget - left); return RUN_STOP; }
    if ((irq = irq_to_take(h)) >= 0) { h->pc = PC(); goto interrupt; }
    if (left <= 0) goto out_of_budget;
    goto *ins->impl;

resume:      /* h->pc is where to go; check for interrupts first */
    if ((irq = irq_to_take(h)) >= 0)
        goto interrupt;
    if (h->stop) { h->instret += (uint64_t)(budget - left); return RUN_STOP; }
    if (left <= 0) { h->instret += (uint64_t)(budget - left); return RUN_BUDGET; }
    goto fetch;

interrupt:   /* h->pc is the interrupted instruction */
    h->instret += (uint64_t)(budget - left); budget = left;
    if (!trap_take(h, (1ull << 63) | (uint64_t)irq, 0))
        return RUN_FATAL;
    goto fetch;

fetch: {     /* h->pc is where to go */
    uint64_t pc = h->pc;
    unsigned i = (pc >> PAGE_SHIFT) & (TLB_SIZE - 1);
    if (unlikely(h->stop)) { h->instret += (uint64_t)(budget - left); return RUN_STOP; }
    if (likely(h->itlb_tag[i] == (pc & PAGE_MASK))) {
        cp = h->itlb_page[i];
    } else {
        cp = code_lookup(h, pc);
        if (!cp)
            goto exception;
    }
    ins = cp->slot + ((pc & (PAGE_SIZE - 1)) >> 1);
    if (unlikely(left <= 0)) goto out_of_budget;
    goto *ins->impl;
}

out_of_budget:
    h->pc = PC();
    h->instret += (uint64_t)(budget - left);
    return RUN_BUDGET;
}
