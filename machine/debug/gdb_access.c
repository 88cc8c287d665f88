#include "debug/gdb_access.h"
#include "core/decode.h"

struct access_class {
    unsigned len;
    bool reads, writes, atomic;     /* atomic: the address is rs1 alone */
};

/* Loads, stores and atomics by op; every other op touches no memory. */
static struct access_class classify(enum op op)
{
    switch (op) {
    case OP_LB: case OP_LBU: return (struct access_class){ 1, true, false, false };
    case OP_LH: case OP_LHU: return (struct access_class){ 2, true, false, false };
    case OP_LW: case OP_LWU: case OP_FLW: return (struct access_class){ 4, true, false, false };
    case OP_LD: case OP_FLD: return (struct access_class){ 8, true, false, false };
    case OP_SB: return (struct access_class){ 1, false, true, false };
    case OP_SH: return (struct access_class){ 2, false, true, false };
    case OP_SW: case OP_FSW: return (struct access_class){ 4, false, true, false };
    case OP_SD: case OP_FSD: return (struct access_class){ 8, false, true, false };
    case OP_LR_W: return (struct access_class){ 4, true, false, true };
    case OP_LR_D: return (struct access_class){ 8, true, false, true };
    case OP_SC_W: return (struct access_class){ 4, false, true, true };
    case OP_SC_D: return (struct access_class){ 8, false, true, true };
    case OP_AMOSWAP_W: case OP_AMOADD_W: case OP_AMOXOR_W: case OP_AMOAND_W: case OP_AMOOR_W:
    case OP_AMOMIN_W: case OP_AMOMAX_W: case OP_AMOMINU_W: case OP_AMOMAXU_W:
        return (struct access_class){ 4, true, true, true };
    case OP_AMOSWAP_D: case OP_AMOADD_D: case OP_AMOXOR_D: case OP_AMOAND_D: case OP_AMOOR_D:
    case OP_AMOMIN_D: case OP_AMOMAX_D: case OP_AMOMINU_D: case OP_AMOMAXU_D:
        return (struct access_class){ 8, true, true, true };
    default:
        return (struct access_class){ 0, false, false, false };
    }
}

struct mem_access access_at_pc(struct hart *h)
{
    struct mem_access a = { 0 };
    uint16_t lo, hi = 0;
    if (!hart_read_mem(h, h->pc, &lo, 2) || (insn_length(lo) == 4 && !hart_read_mem(h, h->pc + 2, &hi, 2)))
        return a;
    struct insn ins;
    struct access_class c = classify(decode(lo | (uint32_t)hi << 16, &ins));
    if (!c.len)
        return a;
    a.addr = h->x[ins.rs1] + (c.atomic ? 0 : (uint64_t)(int64_t)ins.imm);
    a.len = c.len;
    a.reads = c.reads, a.writes = c.writes;
    return a;
}
