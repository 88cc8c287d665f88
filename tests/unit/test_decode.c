/* The decoder, against encodings produced by the GNU assembler. */
#include "core/decode.h"
#include "unit.h"

#include <string.h>

static struct insn d;
static enum op dec(uint32_t raw) { memset(&d, 0xa5, sizeof d); return decode(raw, &d); }

int main(void)
{
    /* base integer */
    CHECK_EQ(dec(0x02a00513), OP_ADDI);          /* li a0, 42 */
    CHECK_EQ(d.rd, 10); CHECK_EQ(d.rs1, 0); CHECK_EQ(d.imm, 42); CHECK_EQ(INSN_LEN(&d), 4);
    CHECK_EQ(dec(0xfff00293), OP_ADDI);          /* li t0, -1 */
    CHECK_EQ(d.imm, -1);
    CHECK_EQ(dec(0x00000013), OP_ADDI);          /* nop: rd x0 goes to the sink */
    CHECK_EQ(d.rd, REG_SINK);
    CHECK_EQ(dec(0x123452b7), OP_LUI);           /* lui t0, 0x12345 */
    CHECK_EQ(d.imm, 0x12345000);
    CHECK_EQ(dec(0x800002b7), OP_LUI);           /* lui t0, 0x80000: sign-extends */
    CHECK_EQ((int64_t)d.imm, (int64_t)(int32_t)0x80000000);
    CHECK_EQ(dec(0xffdff0ef), OP_JAL);           /* jal ra, -4 */
    CHECK_EQ(d.rd, 1); CHECK_EQ(d.imm, -4);
    CHECK_EQ(dec(0x00008067), OP_JALR);          /* ret */
    CHECK_EQ(d.rd, REG_SINK); CHECK_EQ(d.rs1, 1);
    CHECK_EQ(dec(0xfe0718e3), OP_BNE);           /* bnez a4, -16 */
    CHECK_EQ(d.rs1, 14); CHECK_EQ(d.rs2, 0); CHECK_EQ(d.imm, -16);
    CHECK_EQ(dec(0x7e0006e3), OP_BEQ);           /* beqz zero, +4076 */
    CHECK_EQ(d.imm, 4076);
    CHECK_EQ(dec(0xff843783), OP_LD);            /* ld a5, -8(s0) */
    CHECK_EQ(d.rd, 15); CHECK_EQ(d.rs1, 8); CHECK_EQ(d.imm, -8);
    CHECK_EQ(dec(0xfea43423), OP_SD);            /* sd a0, -24(s0) */
    CHECK_EQ(d.rs1, 8); CHECK_EQ(d.rs2, 10); CHECK_EQ(d.imm, -24);
    CHECK_EQ(dec(0x03f79793), OP_SLLI);          /* slli a5, a5, 63 */
    CHECK_EQ(d.imm, 63);
    CHECK_EQ(dec(0x43f7d793), OP_SRAI);          /* srai a5, a5, 63 */
    CHECK_EQ(dec(0x41f7d79b), OP_SRAIW);         /* sraiw a5, a5, 31 */
    CHECK_EQ(d.imm, 31);
    CHECK_EQ(dec(0x0207d79b), OP_ILLEGAL);       /* srliw with shamt bit 5 set */
    CHECK_EQ(dec(0x40b50533), OP_SUB);
    CHECK_EQ(dec(0x02b50533), OP_MUL);
    CHECK_EQ(dec(0x02b5453b), OP_DIVW);
    CHECK_EQ(dec(0x0000100f), OP_FENCE_I);
    CHECK_EQ(dec(0x00000073), OP_ECALL);
    CHECK_EQ(dec(0x30200073), OP_MRET);
    CHECK_EQ(dec(0x10500073), OP_WFI);
    CHECK_EQ(dec(0x300022f3), OP_CSRRS);         /* csrr t0, mstatus */
    CHECK_EQ(d.imm, 0x300); CHECK_EQ(d.rs1, 0);
    CHECK_EQ(dec(0x3412d073), OP_CSRRWI);        /* csrwi mepc, 5 */
    CHECK_EQ(d.rs1, 5); CHECK_EQ(d.rd, REG_SINK);
    /* atomics */
    CHECK_EQ(dec(0x1005272f), OP_LR_W);          /* lr.w a4, (a0) */
    CHECK_EQ(dec(0x18e5362f), OP_SC_D);          /* sc.d a2, a4, (a0) */
    CHECK_EQ(dec(0x00b5302f), OP_AMOADD_D);
    CHECK_EQ(dec(0xe0b5202f), OP_AMOMAXU_W);
    CHECK_EQ(dec(0x1015272f), OP_ILLEGAL);       /* lr.w with rs2 != 0 */
    /* floating point */
    CHECK_EQ(dec(0x02b57553), OP_FADD_D);        /* fadd.d fa0, fa0, fa1 (dyn) */
    CHECK_EQ(d.rd, 10); CHECK_EQ(INSN_RM(&d), 7);
    CHECK_EQ(dec(0x02b55553), OP_ILLEGAL);       /* rm = 5 is reserved */
    CHECK_EQ(dec(0x62b57543), OP_FMADD_D);       /* fmadd.d fa0, fa0, fa1, fa2 */
    CHECK_EQ(d.imm, 12);
    CHECK_EQ(dec(0xc2251553), OP_FCVT_L_D);      /* fcvt.l.d a0, fa0, rtz */
    CHECK_EQ(d.rd, 10); CHECK_EQ(INSN_RM(&d), 1);
    CHECK_EQ(dec(0xe2050553), OP_FMV_X_D);
    CHECK_EQ(dec(0xf2050553), OP_FMV_D_X);
    CHECK_EQ(dec(0xa2b52553), OP_FEQ_D);
    CHECK_EQ(dec(0x40157553), OP_FCVT_S_D);
    CHECK_EQ(dec(0x42057553), OP_FCVT_D_S);
    CHECK_EQ(dec(0x00053507), OP_FLD);
    /* compressed, expanded to base operations */
    CHECK_EQ(dec(0x4529), OP_ADDI);              /* c.li a0, 10 */
    CHECK_EQ(d.rd, 10); CHECK_EQ(d.rs1, 0); CHECK_EQ(d.imm, 10); CHECK_EQ(INSN_LEN(&d), 2);
    CHECK_EQ(dec(0x1141), OP_ADDI);              /* c.addi sp, -16 */
    CHECK_EQ(d.rd, 2); CHECK_EQ(d.imm, -16);
    CHECK_EQ(dec(0x7179), OP_ADDI);              /* c.addi16sp sp, -48 */
    CHECK_EQ(d.rd, 2); CHECK_EQ(d.rs1, 2); CHECK_EQ(d.imm, -48);
    CHECK_EQ(dec(0x0808), OP_ADDI);              /* c.addi4spn a0, sp, 16 */
    CHECK_EQ(d.rd, 10); CHECK_EQ(d.rs1, 2); CHECK_EQ(d.imm, 16);
    CHECK_EQ(dec(0xe406), OP_SD);                /* c.sdsp ra, 8(sp) */
    CHECK_EQ(d.rs1, 2); CHECK_EQ(d.rs2, 1); CHECK_EQ(d.imm, 8);
    CHECK_EQ(dec(0x60a2), OP_LD);                /* c.ldsp ra, 8(sp) */
    CHECK_EQ(d.rd, 1); CHECK_EQ(d.imm, 8);
    CHECK_EQ(dec(0x8082), OP_JALR);              /* c.jr ra (ret) */
    CHECK_EQ(d.rd, REG_SINK); CHECK_EQ(d.rs1, 1);
    CHECK_EQ(dec(0x9782), OP_JALR);              /* c.jalr a5 */
    CHECK_EQ(d.rd, 1); CHECK_EQ(d.rs1, 15);
    CHECK_EQ(dec(0x852e), OP_ADD);               /* c.mv a0, a1 */
    CHECK_EQ(d.rd, 10); CHECK_EQ(d.rs1, 0); CHECK_EQ(d.rs2, 11);
    CHECK_EQ(dec(0x9002), OP_EBREAK);            /* c.ebreak */
    CHECK_EQ(dec(0xbfe5), OP_JAL);               /* c.j -8 */
    CHECK_EQ(d.imm, -8); CHECK_EQ(d.rd, REG_SINK);
    CHECK_EQ(dec(0xdd7d), OP_BEQ);               /* c.beqz a0, -2 */
    CHECK_EQ(d.rs1, 10); CHECK_EQ(d.imm, -2);
    CHECK_EQ(dec(0x8d0d), OP_SUB);               /* c.sub a0, a1 */
    CHECK_EQ(dec(0x9d2d), OP_ADDW);              /* c.addw a0, a1 */
    CHECK_EQ(dec(0x357d), OP_ADDIW);             /* c.addiw a0, -1 */
    CHECK_EQ(dec(0x6505), OP_LUI);               /* c.lui a0, 1 */
    CHECK_EQ(d.imm, 0x1000);
    CHECK_EQ(dec(0x8105), OP_SRLI);              /* c.srli a0, 1 */
    CHECK_EQ(dec(0x0506), OP_SLLI);              /* c.slli a0, 1 */
    CHECK_EQ(dec(0x2008), OP_FLD);               /* c.fld fa0, 0(s0) */
    /* illegal compressed encodings */
    CHECK_EQ(dec(0x0000), OP_ILLEGAL);           /* all zeros */
    CHECK_EQ(d.imm, 0);
    CHECK_EQ(dec(0x6101), OP_ILLEGAL);           /* c.addi16sp with 0 */
    CHECK_EQ(dec(0x8002), OP_ILLEGAL);           /* c.jr x0 */
    CHECK_EQ(dec(0x4002), OP_ILLEGAL);           /* c.lwsp x0 */
    CHECK_EQ(dec(0x9c41), OP_ILLEGAL);           /* reserved c.subw-space encoding */
    /* an illegal instruction keeps its encoding for mtval */
    CHECK_EQ(dec(0xffffffff), OP_ILLEGAL);
    CHECK_EQ((uint32_t)d.imm, 0xffffffffu);
    return unit_report("decode");
}
