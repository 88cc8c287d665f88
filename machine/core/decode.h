/* Decoded instructions: what the decoder produces and the interpreter runs.
 *
 * The decoder turns a 16- or 32-bit encoding into one struct insn, expanding
 * compressed instructions into their base equivalents.  The interpreter
 * keeps decoded instructions in per-page caches, one slot per halfword.
 */
#ifndef PEERLESS_DECODE_H
#define PEERLESS_DECODE_H

#include <stdint.h>

/* Every operation the interpreter knows, in one list (see exec.c for the
 * semantics of each, in the same order). */
#define FOR_EACH_OP(X) FOR_EACH_SPECIAL_OP(X) FOR_EACH_EXEC_OP(X)

/* Slot states that are not instructions: not yet decoded, undecodable, and
 * the sentinels past the end of a page. */
#define FOR_EACH_SPECIAL_OP(X) X(DECODE) X(ILLEGAL) X(PAGE_END)

/* Instructions.  The _NEAR forms are chosen by the interpreter when a
 * branch's target lies in the same page (imm then counts slots). */
#define FOR_EACH_EXEC_OP(X) \
    X(LUI) X(AUIPC) X(JAL) X(JALR) \
    X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) \
    X(LB) X(LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) \
    X(SB) X(SH) X(SW) X(SD) \
    X(ADDI) X(SLTI) X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) \
    X(ADD) X(SUB) X(SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) \
    X(ADDIW) X(SLLIW) X(SRLIW) X(SRAIW) X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(SRAW) \
    X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(MRET) X(SRET) X(WFI) X(SFENCE_VMA) X(CUSTOM) \
    X(CSRRW) X(CSRRS) X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) \
    X(MUL) X(MULH) X(MULHSU) X(MULHU) X(DIV) X(DIVU) X(REM) X(REMU) \
    X(MULW) X(DIVW) X(DIVUW) X(REMW) X(REMUW) \
    X(LR_W) X(SC_W) X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(AMOOR_W) \
    X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W) X(AMOMAXU_W) \
    X(LR_D) X(SC_D) X(AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D) X(AMOAND_D) X(AMOOR_D) \
    X(AMOMIN_D) X(AMOMAX_D) X(AMOMINU_D) X(AMOMAXU_D) \
    X(FLW) X(FSW) X(FLD) X(FSD) \
    X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S) \
    X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S) \
    X(FSGNJ_S) X(FSGNJN_S) X(FSGNJX_S) X(FMIN_S) X(FMAX_S) \
    X(FCVT_W_S) X(FCVT_WU_S) X(FCVT_L_S) X(FCVT_LU_S) X(FMV_X_W) \
    X(FEQ_S) X(FLT_S) X(FLE_S) X(FCLASS_S) \
    X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU) X(FMV_W_X) \
    X(FMADD_D) X(FMSUB_D) X(FNMSUB_D) X(FNMADD_D) \
    X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D) X(FSQRT_D) \
    X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_D) X(FMAX_D) \
    X(FCVT_S_D) X(FCVT_D_S) \
    X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D) X(FMV_X_D) \
    X(FEQ_D) X(FLT_D) X(FLE_D) X(FCLASS_D) \
    X(FCVT_D_W) X(FCVT_D_WU) X(FCVT_D_L) X(FCVT_D_LU) X(FMV_D_X) \
    X(JAL_NEAR) X(BEQ_NEAR) X(BNE_NEAR) X(BLT_NEAR) X(BGE_NEAR) X(BLTU_NEAR) X(BGEU_NEAR)

enum op {
#define OP_ENUM(name) OP_##name,
    FOR_EACH_OP(OP_ENUM)
#undef OP_ENUM
    OP_COUNT
};

/* The integer register that absorbs writes to x0. */
#define REG_SINK 32

/* One decoded instruction: 16 bytes, so that a page of slots stays small.
 * `impl` is the interpreter's handler for the op (filled by the interpreter);
 * `aux` packs the slot advance (1 for a compressed instruction, 2 otherwise)
 * in bits 0-1 and the rounding mode / aq-rl bits in bits 2-4.  An FMA keeps
 * rs3 in `imm`; a CSR instruction keeps the CSR number there. */
struct insn {
    const void *impl;
    int32_t imm;
    uint8_t rd, rs1, rs2, aux;
};

#define INSN_ADVANCE(i) ((i)->aux & 3)
#define INSN_RM(i)      (((i)->aux >> 2) & 7)
#define INSN_LEN(i)     (INSN_ADVANCE(i) * 2)

/* Decode one instruction.  `raw` holds 32 bits starting at the instruction
 * (only the low 16 are meaningful for a compressed one).  Returns the op
 * (OP_ILLEGAL for an encoding that is not valid) and fills everything in
 * *out but impl. */
enum op decode(uint32_t raw, struct insn *out);

/* Instruction length from the low bits of its first halfword. */
static inline int insn_length(uint16_t lo) { return (lo & 3) == 3 ? 4 : 2; }

extern const char *const op_names[OP_COUNT];

#endif
