#include "debug/gdb_regs.h"
#include "core/internal.h"

#include <stdio.h>
#include <string.h>

/* The CSRs GDB is told about: the FP ones in the fpu feature, the rest in
 * the csr feature. */
static const struct { unsigned num; const char *name; } csrs[] = {
    { 0x001, "fflags" }, { 0x002, "frm" }, { 0x003, "fcsr" },
    { 0x100, "sstatus" }, { 0x104, "sie" }, { 0x105, "stvec" }, { 0x140, "sscratch" },
    { 0x141, "sepc" }, { 0x142, "scause" }, { 0x143, "stval" }, { 0x144, "sip" },
    { 0x180, "satp" }, { 0x300, "mstatus" }, { 0x301, "misa" }, { 0x302, "medeleg" },
    { 0x303, "mideleg" }, { 0x304, "mie" }, { 0x305, "mtvec" }, { 0x340, "mscratch" },
    { 0x341, "mepc" }, { 0x342, "mcause" }, { 0x343, "mtval" }, { 0x344, "mip" },
    { 0xc00, "cycle" }, { 0xc01, "time" }, { 0xc02, "instret" }, { 0xf14, "mhartid" },
};
#define FP_CSRS 3

static const char *const fnames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

const char *gdb_target_xml(void)
{
    static char xml[8192];
    if (xml[0])
        return xml;
    size_t n = 0;
#define ADD(...) (n += (size_t)snprintf(xml + n, sizeof xml - n, __VA_ARGS__))
    ADD("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
        "<target version=\"1.0\"><architecture>riscv:rv64</architecture>"
        "<feature name=\"org.gnu.gdb.riscv.cpu\">");
    for (int r = 0; r < 32; r++) {
        const char *type = r == 1 ? "code_ptr" : r == 2 || r == 3 || r == 8 ? "data_ptr" : "int";
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>", r == 8 ? "fp" : hart_reg_name(r), type, r);
    }
    ADD("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"%d\"/></feature>"
        "<feature name=\"org.gnu.gdb.riscv.fpu\">", GDB_REG_PC);
    for (int r = 0; r < 32; r++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"ieee_double\" regnum=\"%d\"/>", fnames[r], GDB_REG_F0 + r);
    for (size_t i = 0; i < FP_CSRS; i++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>", csrs[i].name, GDB_REG_CSR + csrs[i].num);
    ADD("</feature><feature name=\"org.gnu.gdb.riscv.csr\">");
    for (size_t i = FP_CSRS; i < sizeof csrs / sizeof csrs[0]; i++)
        ADD("<reg name=\"%s\" bitsize=\"64\" type=\"int\" regnum=\"%u\"/>", csrs[i].name, GDB_REG_CSR + csrs[i].num);
    ADD("</feature><feature name=\"org.gnu.gdb.riscv.virtual\">"
        "<reg name=\"priv\" bitsize=\"64\" type=\"int\" regnum=\"%d\"/></feature></target>", GDB_REG_PRIV);
#undef ADD
    return xml;
}

static bool known_csr(unsigned num)
{
    for (size_t i = 0; i < sizeof csrs / sizeof csrs[0]; i++)
        if (csrs[i].num == num)
            return true;
    return false;
}

/* A CSR through the same code the csrr/csrw instructions use, as M mode
 * would see it (the debugger may look at everything), then back to the
 * hart's own mode and translation contexts. */
static bool csr(struct hart *h, unsigned num, bool write, uint64_t *v)
{
    int priv = h->priv;
    uint64_t old = 0;
    h->priv = PRIV_M;
    bool ok = csr_access(h, num, CSR_RW, write ? *v : 0, write, !write, &old);
    h->priv = priv;
    if (write)
        mmu_update_env(h);
    else
        *v = old;
    return ok;
}

enum gdb_reg_status gdb_reg_read(struct hart *h, unsigned n, uint64_t *v)
{
    if (n < 32)
        *v = n ? h->x[n] : 0;
    else if (n == GDB_REG_PC)
        *v = h->pc;
    else if (n >= GDB_REG_F0 && n < GDB_REG_F0 + 32)
        *v = h->f[n - GDB_REG_F0];
    else if (n == GDB_REG_PRIV)
        *v = (uint64_t)h->priv;
    else if (n >= GDB_REG_CSR && known_csr(n - GDB_REG_CSR))
        return csr(h, n - GDB_REG_CSR, false, v) ? GDB_REG_OK : GDB_REG_UNAVAILABLE;
    else
        return GDB_REG_NONE;
    return GDB_REG_OK;
}

bool gdb_reg_write(struct hart *h, unsigned n, uint64_t v)
{
    if (n < 32) {
        if (n)
            h->x[n] = v;
    } else if (n == GDB_REG_PC) {
        h->pc = v;
    } else if (n >= GDB_REG_F0 && n < GDB_REG_F0 + 32) {
        h->f[n - GDB_REG_F0] = v;
    } else if (n == GDB_REG_PRIV) {
        if (h->prot || (v != PRIV_U && v != PRIV_S && v != PRIV_M))
            return false;   /* the peer machine has no modes */
        h->priv = (int)v;
        mmu_update_env(h);
    } else if (n >= GDB_REG_CSR && known_csr(n - GDB_REG_CSR)) {
        return csr(h, n - GDB_REG_CSR, true, &v);
    } else {
        return false;
    }
    return true;
}
