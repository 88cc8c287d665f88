/* The RV64GC decoder: encodings to struct insn.
 *
 * One function per instruction format family; compressed instructions are
 * expanded here into their base equivalents so the interpreter has a single
 * implementation of each operation.
 */
#include "core/decode.h"

#include <stdbool.h>

const char *const op_names[OP_COUNT] = {
#define OP_NAME(name) #name,
    FOR_EACH_OP(OP_NAME)
#undef OP_NAME
};

static inline uint32_t bits(uint32_t v, int hi, int lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
static inline int32_t sext(uint32_t v, int width) { return (int32_t)(v << (32 - width)) >> (32 - width); }

/* Ops that do not write an integer register (the rest get rd=0 mapped to the sink). */
static bool writes_xreg(enum op op)
{
    switch (op) {
    case OP_BEQ: case OP_BNE: case OP_BLT: case OP_BGE: case OP_BLTU: case OP_BGEU:
    case OP_SB: case OP_SH: case OP_SW: case OP_SD:
    case OP_FENCE: case OP_FENCE_I: case OP_ECALL: case OP_EBREAK: case OP_MRET: case OP_SRET:
    case OP_WFI: case OP_SFENCE_VMA: case OP_ILLEGAL: case OP_DECODE: case OP_PAGE_END:
    case OP_FLW: case OP_FSW: case OP_FLD: case OP_FSD:
        return false;
    case OP_FCVT_W_S: case OP_FCVT_WU_S: case OP_FCVT_L_S: case OP_FCVT_LU_S: case OP_FMV_X_W:
    case OP_FEQ_S: case OP_FLT_S: case OP_FLE_S: case OP_FCLASS_S:
    case OP_FCVT_W_D: case OP_FCVT_WU_D: case OP_FCVT_L_D: case OP_FCVT_LU_D: case OP_FMV_X_D:
    case OP_FEQ_D: case OP_FLT_D: case OP_FLE_D: case OP_FCLASS_D:
        return true;
    default:
        return op < OP_FLW;   /* every other F/D op writes an FP register */
    }
}

static enum op fill(struct insn *o, enum op op, int rd, int rs1, int rs2, int32_t imm, int rm, int len)
{
    o->impl = 0;
    o->rd = rd;
    o->rs1 = rs1;
    o->rs2 = rs2;
    o->imm = imm;
    o->aux = (len == 2 ? 1 : 2) | (rm & 7) << 2;
    if (o->rd == 0 && writes_xreg(op))
        o->rd = REG_SINK;
    return op;
}

/* --- 32-bit encodings --- */

static enum op decode_op_imm(uint32_t r, int f3, bool word, enum op *out)
{
    int shamt_hi = bits(r, 31, word ? 25 : 26);
    int f6 = bits(r, 31, 26);
    if (!word) {
        switch (f3) {
        case 0: *out = OP_ADDI; return 1;
        case 2: *out = OP_SLTI; return 1;
        case 3: *out = OP_SLTIU; return 1;
        case 4: *out = OP_XORI; return 1;
        case 6: *out = OP_ORI; return 1;
        case 7: *out = OP_ANDI; return 1;
        case 1: *out = OP_SLLI; return f6 == 0;
        case 5: *out = f6 == 0x10 ? OP_SRAI : OP_SRLI; return f6 == 0 || f6 == 0x10;
        }
        return 0;
    }
    switch (f3) {
    case 0: *out = OP_ADDIW; return 1;
    case 1: *out = OP_SLLIW; return shamt_hi == 0;
    case 5: *out = shamt_hi == 0x20 ? OP_SRAIW : OP_SRLIW; return shamt_hi == 0 || shamt_hi == 0x20;
    }
    return 0;
}

static enum op decode_op(int f7, int f3, bool word)
{
    static const enum op base[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU, OP_XOR, OP_SRL, OP_OR, OP_AND };
    static const enum op mul[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU, OP_DIV, OP_DIVU, OP_REM, OP_REMU };
    static const enum op mulw[8] = { OP_MULW, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_DIVW, OP_DIVUW, OP_REMW, OP_REMUW };
    if (!word) {
        if (f7 == 0) return base[f3];
        if (f7 == 1) return mul[f3];
        if (f7 == 0x20 && f3 == 0) return OP_SUB;
        if (f7 == 0x20 && f3 == 5) return OP_SRA;
        return OP_ILLEGAL;
    }
    if (f7 == 1) return mulw[f3];
    if (f7 == 0 && f3 == 0) return OP_ADDW;
    if (f7 == 0 && f3 == 1) return OP_SLLW;
    if (f7 == 0 && f3 == 5) return OP_SRLW;
    if (f7 == 0x20 && f3 == 0) return OP_SUBW;
    if (f7 == 0x20 && f3 == 5) return OP_SRAW;
    return OP_ILLEGAL;
}

static enum op decode_amo(uint32_t r, int f3)
{
    static const struct { int f5; enum op w, d; } amo[] = {
        { 0x02, OP_LR_W, OP_LR_D }, { 0x03, OP_SC_W, OP_SC_D },
        { 0x01, OP_AMOSWAP_W, OP_AMOSWAP_D }, { 0x00, OP_AMOADD_W, OP_AMOADD_D },
        { 0x04, OP_AMOXOR_W, OP_AMOXOR_D }, { 0x0c, OP_AMOAND_W, OP_AMOAND_D },
        { 0x08, OP_AMOOR_W, OP_AMOOR_D }, { 0x10, OP_AMOMIN_W, OP_AMOMIN_D },
        { 0x14, OP_AMOMAX_W, OP_AMOMAX_D }, { 0x18, OP_AMOMINU_W, OP_AMOMINU_D },
        { 0x1c, OP_AMOMAXU_W, OP_AMOMAXU_D },
    };
    int f5 = bits(r, 31, 27);
    if (f3 != 2 && f3 != 3)
        return OP_ILLEGAL;
    if (f5 == 0x02 && bits(r, 24, 20) != 0)
        return OP_ILLEGAL;
    for (unsigned i = 0; i < sizeof amo / sizeof amo[0]; i++)
        if (amo[i].f5 == f5)
            return f3 == 2 ? amo[i].w : amo[i].d;
    return OP_ILLEGAL;
}

/* Rounding-mode field: 5 and 6 are reserved; 7 (dynamic) is checked at run time. */
static bool rm_ok(int rm) { return rm != 5 && rm != 6; }

static enum op decode_op_fp(uint32_t r, int f7, int f3, int rs2)
{
    bool d = f7 & 1;
    switch (f7 >> 2) {
    case 0x00: return rm_ok(f3) ? (d ? OP_FADD_D : OP_FADD_S) : OP_ILLEGAL;
    case 0x01: return rm_ok(f3) ? (d ? OP_FSUB_D : OP_FSUB_S) : OP_ILLEGAL;
    case 0x02: return rm_ok(f3) ? (d ? OP_FMUL_D : OP_FMUL_S) : OP_ILLEGAL;
    case 0x03: return rm_ok(f3) ? (d ? OP_FDIV_D : OP_FDIV_S) : OP_ILLEGAL;
    case 0x0b: return rs2 == 0 && rm_ok(f3) ? (d ? OP_FSQRT_D : OP_FSQRT_S) : OP_ILLEGAL;
    case 0x04:
        if (f3 > 2) return OP_ILLEGAL;
        return d ? (enum op[]){ OP_FSGNJ_D, OP_FSGNJN_D, OP_FSGNJX_D }[f3]
                 : (enum op[]){ OP_FSGNJ_S, OP_FSGNJN_S, OP_FSGNJX_S }[f3];
    case 0x05:
        if (f3 > 1) return OP_ILLEGAL;
        return d ? (f3 ? OP_FMAX_D : OP_FMIN_D) : (f3 ? OP_FMAX_S : OP_FMIN_S);
    case 0x08:
        if (!rm_ok(f3)) return OP_ILLEGAL;
        if (f7 == 0x20 && rs2 == 1) return OP_FCVT_S_D;
        if (f7 == 0x21 && rs2 == 0) return OP_FCVT_D_S;
        return OP_ILLEGAL;
    case 0x18:
        if (rs2 > 3 || !rm_ok(f3)) return OP_ILLEGAL;
        return d ? (enum op[]){ OP_FCVT_W_D, OP_FCVT_WU_D, OP_FCVT_L_D, OP_FCVT_LU_D }[rs2]
                 : (enum op[]){ OP_FCVT_W_S, OP_FCVT_WU_S, OP_FCVT_L_S, OP_FCVT_LU_S }[rs2];
    case 0x1a:
        if (rs2 > 3 || !rm_ok(f3)) return OP_ILLEGAL;
        return d ? (enum op[]){ OP_FCVT_D_W, OP_FCVT_D_WU, OP_FCVT_D_L, OP_FCVT_D_LU }[rs2]
                 : (enum op[]){ OP_FCVT_S_W, OP_FCVT_S_WU, OP_FCVT_S_L, OP_FCVT_S_LU }[rs2];
    case 0x1c:
        if (rs2 != 0) return OP_ILLEGAL;
        if (f3 == 0) return d ? OP_FMV_X_D : OP_FMV_X_W;
        if (f3 == 1) return d ? OP_FCLASS_D : OP_FCLASS_S;
        return OP_ILLEGAL;
    case 0x14:
        if (f3 > 2) return OP_ILLEGAL;
        return d ? (enum op[]){ OP_FLE_D, OP_FLT_D, OP_FEQ_D }[f3]
                 : (enum op[]){ OP_FLE_S, OP_FLT_S, OP_FEQ_S }[f3];
    case 0x1e:
        if (rs2 != 0 || f3 != 0) return OP_ILLEGAL;
        return d ? OP_FMV_D_X : OP_FMV_W_X;
    }
    (void)r;
    return OP_ILLEGAL;
}

static enum op decode32(uint32_t r, struct insn *o)
{
    int rd = bits(r, 11, 7), f3 = bits(r, 14, 12), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
    int f7 = bits(r, 31, 25);
    int32_t imm_i = (int32_t)r >> 20;
    int32_t imm_s = sext(bits(r, 31, 25) << 5 | bits(r, 11, 7), 12);
    int32_t imm_b = sext(bits(r, 31, 31) << 12 | bits(r, 7, 7) << 11 | bits(r, 30, 25) << 5 | bits(r, 11, 8) << 1, 13);
    int32_t imm_u = (int32_t)(r & 0xfffff000u);
    int32_t imm_j = sext(bits(r, 31, 31) << 20 | bits(r, 19, 12) << 12 | bits(r, 20, 20) << 11 | bits(r, 30, 21) << 1, 21);
    enum op op = OP_ILLEGAL;

    switch (r & 0x7f) {
    case 0x37: return fill(o, OP_LUI, rd, 0, 0, imm_u, 0, 4);
    case 0x17: return fill(o, OP_AUIPC, rd, 0, 0, imm_u, 0, 4);
    case 0x6f: return fill(o, OP_JAL, rd, 0, 0, imm_j, 0, 4);
    case 0x67: return f3 == 0 ? fill(o, OP_JALR, rd, rs1, 0, imm_i, 0, 4) : OP_ILLEGAL;
    case 0x63: {
        static const enum op br[8] = { OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL, OP_BLT, OP_BGE, OP_BLTU, OP_BGEU };
        return br[f3] == OP_ILLEGAL ? OP_ILLEGAL : fill(o, br[f3], 0, rs1, rs2, imm_b, 0, 4);
    }
    case 0x03: {
        static const enum op ld[8] = { OP_LB, OP_LH, OP_LW, OP_LD, OP_LBU, OP_LHU, OP_LWU, OP_ILLEGAL };
        return ld[f3] == OP_ILLEGAL ? OP_ILLEGAL : fill(o, ld[f3], rd, rs1, 0, imm_i, 0, 4);
    }
    case 0x23: {
        static const enum op st[8] = { OP_SB, OP_SH, OP_SW, OP_SD, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL };
        return st[f3] == OP_ILLEGAL ? OP_ILLEGAL : fill(o, st[f3], 0, rs1, rs2, imm_s, 0, 4);
    }
    case 0x13:
    case 0x1b: {
        bool word = (r & 0x7f) == 0x1b;
        if (!decode_op_imm(r, f3, word, &op))
            return OP_ILLEGAL;
        int32_t imm = (f3 == 1 || f3 == 5) ? (int32_t)bits(r, word ? 24 : 25, 20) : imm_i;
        return fill(o, op, rd, rs1, 0, imm, 0, 4);
    }
    case 0x33:
    case 0x3b:
        op = decode_op(f7, f3, (r & 0x7f) == 0x3b);
        return op == OP_ILLEGAL ? op : fill(o, op, rd, rs1, rs2, 0, 0, 4);
    case 0x0f:
        if (f3 == 0) return fill(o, OP_FENCE, 0, 0, 0, 0, 0, 4);
        if (f3 == 1) return fill(o, OP_FENCE_I, 0, 0, 0, 0, 0, 4);
        return OP_ILLEGAL;
    case 0x73:
        if (f3 == 0) {
            if (r == 0x00000073) return fill(o, OP_ECALL, 0, 0, 0, 0, 0, 4);
            if (r == 0x00100073) return fill(o, OP_EBREAK, 0, 0, 0, 0, 0, 4);
            if (r == 0x30200073) return fill(o, OP_MRET, 0, 0, 0, 0, 0, 4);
            if (r == 0x10200073) return fill(o, OP_SRET, 0, 0, 0, 0, 0, 4);
            if (r == 0x10500073) return fill(o, OP_WFI, 0, 0, 0, 0, 0, 4);
            if (f7 == 0x09 && rd == 0) return fill(o, OP_SFENCE_VMA, 0, rs1, rs2, 0, 0, 4);
            return OP_ILLEGAL;
        }
        if (f3 == 4)
            return OP_ILLEGAL;
        {
            static const enum op csr[8] = { 0, OP_CSRRW, OP_CSRRS, OP_CSRRC, 0, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI };
            return fill(o, csr[f3], rd, rs1, 0, (int32_t)(r >> 20), 0, 4);
        }
    case 0x0b:   /* custom-0: the protection unit's instructions (funct7 in imm) */
        return f3 == 0 ? fill(o, OP_CUSTOM, rd, rs1, rs2, f7, 0, 4) : OP_ILLEGAL;
    case 0x2f:
        op = decode_amo(r, f3);
        return op == OP_ILLEGAL ? op : fill(o, op, rd, rs1, rs2, 0, bits(r, 26, 25), 4);
    case 0x07:
        if (f3 == 2) return fill(o, OP_FLW, rd, rs1, 0, imm_i, 0, 4);
        if (f3 == 3) return fill(o, OP_FLD, rd, rs1, 0, imm_i, 0, 4);
        return OP_ILLEGAL;
    case 0x27:
        if (f3 == 2) return fill(o, OP_FSW, 0, rs1, rs2, imm_s, 0, 4);
        if (f3 == 3) return fill(o, OP_FSD, 0, rs1, rs2, imm_s, 0, 4);
        return OP_ILLEGAL;
    case 0x43: case 0x47: case 0x4b: case 0x4f: {
        static const enum op s[4] = { OP_FMADD_S, OP_FMSUB_S, OP_FNMSUB_S, OP_FNMADD_S };
        static const enum op d[4] = { OP_FMADD_D, OP_FMSUB_D, OP_FNMSUB_D, OP_FNMADD_D };
        int fmt = bits(r, 26, 25), which = bits(r, 3, 2);
        if (fmt > 1 || !rm_ok(f3))
            return OP_ILLEGAL;
        return fill(o, fmt ? d[which] : s[which], rd, rs1, rs2, (int32_t)bits(r, 31, 27), f3, 4);
    }
    case 0x53:
        op = decode_op_fp(r, f7, f3, rs2);
        return op == OP_ILLEGAL ? op : fill(o, op, rd, rs1, rs2, 0, f3, 4);
    }
    return OP_ILLEGAL;
}

/* --- 16-bit (RVC) encodings, expanded --- */

static enum op decode16(uint32_t r, struct insn *o)
{
    int f3 = bits(r, 15, 13);
    int rdp = 8 + bits(r, 4, 2), rs1p = 8 + bits(r, 9, 7);     /* rd'/rs2' and rs1' */
    int rd = bits(r, 11, 7), rs2 = bits(r, 6, 2);
    int32_t imm6 = sext(bits(r, 12, 12) << 5 | bits(r, 6, 2), 6);
    uint32_t ld_off = bits(r, 12, 10) << 3 | bits(r, 6, 5) << 6;              /* C.LD/FLD/SD/FSD */
    uint32_t lw_off = bits(r, 12, 10) << 3 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 6; /* C.LW/SW */

    switch ((r & 3) << 3 | f3) {
    /* quadrant 0 */
    case 000: {
        uint32_t nz = bits(r, 12, 11) << 4 | bits(r, 10, 7) << 6 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 3;
        return nz ? fill(o, OP_ADDI, rdp, 2, 0, nz, 0, 2) : OP_ILLEGAL;
    }
    case 001: return fill(o, OP_FLD, rdp, rs1p, 0, ld_off, 0, 2);
    case 002: return fill(o, OP_LW, rdp, rs1p, 0, lw_off, 0, 2);
    case 003: return fill(o, OP_LD, rdp, rs1p, 0, ld_off, 0, 2);
    case 005: return fill(o, OP_FSD, 0, rs1p, rdp, ld_off, 0, 2);
    case 006: return fill(o, OP_SW, 0, rs1p, rdp, lw_off, 0, 2);
    case 007: return fill(o, OP_SD, 0, rs1p, rdp, ld_off, 0, 2);
    /* quadrant 1 */
    case 010: return fill(o, OP_ADDI, rd, rd, 0, imm6, 0, 2);
    case 011: return rd ? fill(o, OP_ADDIW, rd, rd, 0, imm6, 0, 2) : OP_ILLEGAL;
    case 012: return fill(o, OP_ADDI, rd, 0, 0, imm6, 0, 2);
    case 013:
        if (rd == 2) {
            int32_t nz = sext(bits(r, 12, 12) << 9 | bits(r, 6, 6) << 4 | bits(r, 5, 5) << 6 |
                              bits(r, 4, 3) << 7 | bits(r, 2, 2) << 5, 10);
            return nz ? fill(o, OP_ADDI, 2, 2, 0, nz, 0, 2) : OP_ILLEGAL;
        }
        return imm6 ? fill(o, OP_LUI, rd, 0, 0, (int32_t)((uint32_t)imm6 << 12), 0, 2) : OP_ILLEGAL;
    case 014: {
        int shamt = bits(r, 12, 12) << 5 | bits(r, 6, 2);
        switch (bits(r, 11, 10)) {
        case 0: return fill(o, OP_SRLI, rs1p, rs1p, 0, shamt, 0, 2);
        case 1: return fill(o, OP_SRAI, rs1p, rs1p, 0, shamt, 0, 2);
        case 2: return fill(o, OP_ANDI, rs1p, rs1p, 0, imm6, 0, 2);
        }
        static const enum op alu[8] = { OP_SUB, OP_XOR, OP_OR, OP_AND, OP_SUBW, OP_ADDW, OP_ILLEGAL, OP_ILLEGAL };
        enum op op = alu[bits(r, 12, 12) << 2 | bits(r, 6, 5)];
        return op == OP_ILLEGAL ? op : fill(o, op, rs1p, rs1p, rdp, 0, 0, 2);
    }
    case 015: {
        int32_t off = sext(bits(r, 12, 12) << 11 | bits(r, 11, 11) << 4 | bits(r, 10, 9) << 8 |
                           bits(r, 8, 8) << 10 | bits(r, 7, 7) << 6 | bits(r, 6, 6) << 7 |
                           bits(r, 5, 3) << 1 | bits(r, 2, 2) << 5, 12);
        return fill(o, OP_JAL, 0, 0, 0, off, 0, 2);
    }
    case 016:
    case 017: {
        int32_t off = sext(bits(r, 12, 12) << 8 | bits(r, 11, 10) << 3 | bits(r, 6, 5) << 6 |
                           bits(r, 4, 3) << 1 | bits(r, 2, 2) << 5, 9);
        return fill(o, f3 == 6 ? OP_BEQ : OP_BNE, 0, rs1p, 0, off, 0, 2);
    }
    /* quadrant 2 */
    case 020: return fill(o, OP_SLLI, rd, rd, 0, bits(r, 12, 12) << 5 | bits(r, 6, 2), 0, 2);
    case 021: return fill(o, OP_FLD, rd, 2, 0, bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6, 0, 2);
    case 022:
        return rd ? fill(o, OP_LW, rd, 2, 0, bits(r, 12, 12) << 5 | bits(r, 6, 4) << 2 | bits(r, 3, 2) << 6, 0, 2)
                  : OP_ILLEGAL;
    case 023:
        return rd ? fill(o, OP_LD, rd, 2, 0, bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6, 0, 2)
                  : OP_ILLEGAL;
    case 024:
        if (!bits(r, 12, 12)) {
            if (rs2 == 0)
                return rd ? fill(o, OP_JALR, 0, rd, 0, 0, 0, 2) : OP_ILLEGAL;
            return fill(o, OP_ADD, rd, 0, rs2, 0, 0, 2);
        }
        if (rs2 == 0)
            return rd ? fill(o, OP_JALR, 1, rd, 0, 0, 0, 2) : fill(o, OP_EBREAK, 0, 0, 0, 0, 0, 2);
        return fill(o, OP_ADD, rd, rd, rs2, 0, 0, 2);
    case 025: return fill(o, OP_FSD, 0, 2, rs2, bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6, 0, 2);
    case 026: return fill(o, OP_SW, 0, 2, rs2, bits(r, 12, 9) << 2 | bits(r, 8, 7) << 6, 0, 2);
    case 027: return fill(o, OP_SD, 0, 2, rs2, bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6, 0, 2);
    }
    return OP_ILLEGAL;
}

enum op decode(uint32_t raw, struct insn *out)
{
    enum op op = (raw & 3) == 3 ? decode32(raw, out) : decode16(raw & 0xffff, out);
    if (op == OP_ILLEGAL)   /* keep the encoding: it becomes mtval */
        fill(out, OP_ILLEGAL, 0, 0, 0, (int32_t)((raw & 3) == 3 ? raw : raw & 0xffff), 0, (raw & 3) == 3 ? 4 : 2);
    return op;
}
