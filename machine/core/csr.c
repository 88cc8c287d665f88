/* Control and status registers, traps and interrupts: M, S and U modes.
 *
 * The table of CSRs is the switch in csr_read/csr_write: each register's
 * read value and write rule (WARL masks, read-only bits) in one place.
 */
#include "core/internal.h"

#define MISA_RV64 (2ull << 62)
#define MISA_EXT(c) (1ull << ((c) - 'A'))
#define BIT(n) (1ull << (n))
#define M_IRQS (BIT(IRQ_MSI) | BIT(IRQ_MTI) | BIT(IRQ_MEI))
#define S_IRQS (BIT(IRQ_SSI) | BIT(IRQ_STI) | BIT(IRQ_SEI))
#define MEDELEG_MASK 0xb3ffull      /* all but ecall from M and the reserved causes */
#define UXL_SXL (2ull << 32 | 2ull << 34)
#define MENVCFG_STCE BIT(63)

/* Bits of mstatus software may change, and the subset sstatus shows. */
#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | \
                          MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
                          MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
                      MSTATUS_MXR | (3ull << 32) | MSTATUS_SD)
#define SSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR)

static uint64_t mstatus_fixup(uint64_t v)
{
    if (((v & MSTATUS_MPP) >> 11) == 2)          /* MPP is WARL: 2 is not a mode */
        v &= ~MSTATUS_MPP;
    v |= UXL_SXL;
    if ((v & MSTATUS_FS) == MSTATUS_FS_DIRTY)
        v |= MSTATUS_SD;
    else
        v &= ~MSTATUS_SD;
    return v;
}

static inline bool fs_off(const struct hart *h) { return (h->mstatus & MSTATUS_FS) == 0; }
static inline uint64_t cycle_now(const struct hart *h) { return h->instret + h->cycle_base; }
static inline uint64_t pending(const struct hart *h) { return h->mip | h->mip_sw; }
static inline uint64_t read_time(const struct hart *h) { return h->bus.read_time ? h->bus.read_time(h->bus.ctx) : 0; }

/* User counters (cycle, time, instret, hpm*): gated by mcounteren below M
 * and by scounteren in U. */
static bool counter_ok(const struct hart *h, unsigned csr)
{
    uint64_t bit = BIT(csr & 31);
    if (h->priv < PRIV_M && !(h->mcounteren & bit) && !h->prot)
        return false;
    if (h->priv == PRIV_U && !(h->scounteren & bit) && !h->prot)
        return false;
    return true;
}

static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    switch (csr) {
    case 0x001: if (fs_off(h)) return false; *v = h->fflags; return true;
    case 0x002: if (fs_off(h)) return false; *v = h->frm; return true;
    case 0x003: if (fs_off(h)) return false; *v = h->fflags | h->frm << 5; return true;
    case 0xc00: if (!counter_ok(h, csr)) return false; *v = cycle_now(h); return true;
    case 0xc01: if (!counter_ok(h, csr)) return false; *v = read_time(h); return true;
    case 0xc02: if (!counter_ok(h, csr)) return false; *v = h->instret; return true;
    case 0xb00: *v = cycle_now(h); return true;
    case 0xb02: *v = h->instret; return true;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: *v = 0; return true;
    case 0xf14: *v = h->mhartid; return true;
    /* machine */
    case 0x300: *v = h->mstatus; return true;
    case 0x301: *v = h->misa; return true;
    case 0x302: *v = h->medeleg; return true;
    case 0x303: *v = h->mideleg; return true;
    case 0x304: *v = h->mie; return true;
    case 0x305: *v = h->mtvec; return true;
    case 0x306: *v = h->mcounteren; return true;
    case 0x30a: *v = h->menvcfg; return true;
    case 0x320: *v = 0; return true;             /* mcountinhibit: hardwired to 0 */
    case 0x340: *v = h->mscratch; return true;
    case 0x341: *v = h->mepc; return true;
    case 0x342: *v = h->mcause; return true;
    case 0x343: *v = h->mtval; return true;
    case 0x344: *v = pending(h); return true;
    case 0x3a0: case 0x3a2: {                    /* pmpcfg0, pmpcfg2: 8 entries each */
        unsigned base = (csr - 0x3a0) * 4;
        *v = 0;
        for (int i = 7; i >= 0; i--)
            *v = *v << 8 | h->pmpcfg[base + i];
        return true;
    }
    /* supervisor */
    case 0x100: *v = h->mstatus & SSTATUS_MASK; return true;
    case 0x104: *v = h->mie & h->mideleg; return true;
    case 0x105: *v = h->stvec; return true;
    case 0x106: *v = h->scounteren; return true;
    case 0x10a: *v = h->senvcfg; return true;
    case 0x140: *v = h->sscratch; return true;
    case 0x141: *v = h->sepc; return true;
    case 0x142: *v = h->scause; return true;
    case 0x143: *v = h->stval; return true;
    case 0x144: *v = pending(h) & h->mideleg; return true;
    case 0x14d:
        if (h->priv < PRIV_M && (!(h->menvcfg & MENVCFG_STCE) || !(h->mcounteren & 2)))
            return false;
        *v = h->stimecmp;
        return true;
    case 0x180:
        if (h->priv == PRIV_S && (h->mstatus & MSTATUS_TVM))
            return false;
        *v = h->satp;
        return true;
    }
    if (csr >= 0x3b0 && csr <= 0x3bf) {
        *v = h->pmpaddr[csr - 0x3b0];
        return true;
    }
    /* Unimplemented PMP entries, counters and their events read as zero. */
    if ((csr >= 0x3a1 && csr <= 0x3af) || (csr >= 0x3c0 && csr <= 0x3ef) ||
        (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
        *v = 0;
        return !(csr >= 0x3a1 && csr <= 0x3af && (csr & 1));   /* odd pmpcfg: RV32 only */
    }
    if (csr >= 0xc03 && csr <= 0xc1f) {
        *v = 0;
        return counter_ok(h, csr);
    }
    return false;
}

static void set_mstatus(struct hart *h, uint64_t v)
{
    h->mstatus = mstatus_fixup(v);
    mmu_update_env(h);
}

static bool csr_write(struct hart *h, unsigned csr, uint64_t v)
{
    switch (csr) {
    case 0x001: h->fflags = v & 0x1f; break;
    case 0x002: h->frm = v & 7; break;
    case 0x003: h->fflags = v & 0x1f; h->frm = (v >> 5) & 7; break;
    /* A write replaces the increment of the writing instruction, which the
     * interpreter adds when it retires: hence the -1. */
    case 0xb00: h->cycle_base = v - (h->instret + 1); return true;
    case 0xb02: h->instret = v - 1; h->cycle_base += 1; return true;
    case 0x300: set_mstatus(h, (h->mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE)); return true;
    case 0x301: return true;                     /* misa: WARL, fixed */
    case 0x302: h->medeleg = v & MEDELEG_MASK; return true;
    case 0x303: h->mideleg = v & S_IRQS; return true;
    case 0x304: h->mie = v & (M_IRQS | S_IRQS); return true;
    case 0x305: if ((v & 3) < 2) h->mtvec = v; return true;   /* reserved modes: keep the old value */
    case 0x306: h->mcounteren = v & 0xffffffffu; return true;
    case 0x30a: h->menvcfg = v & (MENVCFG_STCE | 1); csr_update_stip(h); return true;
    case 0x320: return true;
    case 0x340: h->mscratch = v; return true;
    case 0x341: h->mepc = v & ~1ull; return true;
    case 0x342: h->mcause = v; return true;
    case 0x343: h->mtval = v; return true;
    case 0x344: {
        /* SSIP, SEIP and (without Sstc) STIP are software's; the rest devices'. */
        uint64_t w = BIT(IRQ_SSI) | BIT(IRQ_SEI) | (h->menvcfg & MENVCFG_STCE ? 0 : BIT(IRQ_STI));
        h->mip_sw = (h->mip_sw & ~w) | (v & w);
        return true;
    }
    case 0x3a0: case 0x3a2: {
        unsigned base = (csr - 0x3a0) * 4;
        for (int i = 0; i < 8; i++) {
            uint8_t cfg = (uint8_t)(v >> (8 * i)) & 0x9f;   /* L, A, X, W, R */
            if (!(h->pmpcfg[base + i] & 0x80))
                h->pmpcfg[base + i] = cfg;
        }
        return true;
    }
    case 0x100: set_mstatus(h, (h->mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE)); return true;
    case 0x104: h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg); return true;
    case 0x105: if ((v & 3) < 2) h->stvec = v; return true;
    case 0x106: h->scounteren = v & 0xffffffffu; return true;
    case 0x10a: h->senvcfg = v & 1; return true;
    case 0x140: h->sscratch = v; return true;
    case 0x141: h->sepc = v & ~1ull; return true;
    case 0x142: h->scause = v; return true;
    case 0x143: h->stval = v; return true;
    case 0x144:
        if (h->mideleg & BIT(IRQ_SSI))
            h->mip_sw = (h->mip_sw & ~BIT(IRQ_SSI)) | (v & BIT(IRQ_SSI));
        return true;
    case 0x14d: h->stimecmp = v; csr_update_stip(h); return true;
    case 0x180: {
        uint64_t mode = v >> 60;
        if (mode == 0 || mode == 8 || mode == 9) {   /* bare, Sv39, Sv48; ASIDs not kept */
            h->satp = v & (0xfull << 60 | 0xffffull << 44 | ((1ull << 44) - 1));   /* ASIDs read back, but are not used: every satp write flushes */
            tlb_flush(h);
            mmu_update_env(h);
        }
        return true;
    }
    default:
        if (csr >= 0x3b0 && csr <= 0x3bf) {
            unsigned n = csr - 0x3b0;
            if (!(h->pmpcfg[n] & 0x80))
                h->pmpaddr[n] = v & ((1ull << 54) - 1);
            return true;
        }
        return (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f) ||
               (csr >= 0x3a1 && csr <= 0x3af) || (csr >= 0x3c0 && csr <= 0x3ef);
    }
    /* fflags/frm/fcsr: the FP state is now dirty. */
    h->mstatus = mstatus_fixup(h->mstatus | MSTATUS_FS_DIRTY);
    return true;
}

bool csr_access(struct hart *h, unsigned csr, enum csr_kind kind, uint64_t src,
                bool write, bool read, uint64_t *old)
{
    uint64_t cur = 0;
    if (((csr >> 8) & 3) > (unsigned)h->priv)
        return false;
    if (write && (csr >> 10) == 3)               /* read-only CSR */
        return false;
    /* Read even when the value is not wanted: it checks that the CSR exists. */
    if (!csr_read(h, csr, &cur))
        return false;
    *old = read ? cur : 0;
    if (!write)
        return true;
    uint64_t v = kind == CSR_RW ? src : kind == CSR_RS ? cur | src : cur & ~src;
    return csr_write(h, csr, v);
}

void csr_update_stip(struct hart *h)
{
    if (!(h->menvcfg & MENVCFG_STCE))
        return;
    bool level = read_time(h) >= h->stimecmp;
    h->mip = level ? h->mip | BIT(IRQ_STI) : h->mip & ~BIT(IRQ_STI);
}

/* --- translation contexts --- */

void mmu_update_env(struct hart *h)
{
    if (!h->prot)
        hart_set_env(h, mmu_context(h, PROT_X), mmu_context(h, PROT_R));
}

/* --- traps --- */

bool trap_take(struct hart *h, uint64_t cause, uint64_t tval)
{
    bool irq = cause >> 63;
    uint64_t code = cause & 63;
    h->cycle_base += h->cost.trap_entry;
    h->wfi = false;
    if (h->priv <= PRIV_S && ((irq ? h->mideleg : h->medeleg) >> code & 1)) {
        /* Delegated to S mode. */
        h->sepc = h->pc;
        h->scause = cause;
        h->stval = tval;
        uint64_t s = h->mstatus;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s &= ~MSTATUS_SIE;
        s = (s & ~MSTATUS_SPP) | (h->priv == PRIV_S ? MSTATUS_SPP : 0);
        h->mstatus = mstatus_fixup(s);
        h->priv = PRIV_S;
        h->pc = (h->stvec & ~3ull) + ((h->stvec & 1) && irq ? 4 * code : 0);
        mmu_update_env(h);
        return true;
    }
    uint64_t vec = (h->mtvec & ~3ull) + ((h->mtvec & 1) && irq ? 4 * code : 0);
    /* A trap with nowhere to go, or an exception raised by the first
     * instruction of its own handler, would loop forever: it is fatal. */
    if (!h->bus.ram_page(h->bus.ctx, vec & PAGE_MASK) || (!irq && h->pc == vec && h->priv == PRIV_M)) {
        h->fatal_cause = cause;
        h->fatal_tval = tval;
        h->fatal_pc = h->pc;
        return false;
    }
    h->mepc = h->pc;
    h->mcause = cause;
    h->mtval = tval;
    uint64_t s = h->mstatus;
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
    s &= ~MSTATUS_MIE;
    s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << 11);
    h->mstatus = mstatus_fixup(s);
    h->priv = PRIV_M;
    h->pc = vec;
    mmu_update_env(h);
    return true;
}

void trap_mret(struct hart *h)
{
    uint64_t s = h->mstatus;
    h->priv = (int)((s & MSTATUS_MPP) >> 11);
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP;                           /* MPP becomes U, the least mode */
    if (h->priv != PRIV_M)
        s &= ~MSTATUS_MPRV;
    h->mstatus = mstatus_fixup(s);
    h->pc = h->mepc;
    mmu_update_env(h);
}

void trap_sret(struct hart *h)
{
    uint64_t s = h->mstatus;
    h->priv = (s & MSTATUS_SPP) ? PRIV_S : PRIV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV;
    h->mstatus = mstatus_fixup(s);
    h->pc = h->sepc;
    mmu_update_env(h);
}

/* --- interrupts --- */

int irq_to_take(const struct hart *h)
{
    static const int order[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
    uint64_t p = pending(h) & h->mie;
    if (!p)
        return -1;
    bool m_on = h->priv < PRIV_M || (h->mstatus & MSTATUS_MIE);
    bool s_on = h->priv < PRIV_S || (h->priv == PRIV_S && (h->mstatus & MSTATUS_SIE));
    uint64_t take = (m_on ? p & ~h->mideleg : 0) | (s_on ? p & h->mideleg : 0);
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        if (take & BIT(order[i]))
            return order[i];
    return -1;
}

bool hart_irq_waiting(const struct hart *h) { return (pending(h) & h->mie) != 0; }

void hart_set_irq(struct hart *h, int irq, int level)
{
    uint64_t bit = BIT(irq);
    h->mip = level ? h->mip | bit : h->mip & ~bit;
    h->event = 1;
}

void csr_reset(struct hart *h)
{
    h->misa = MISA_RV64 | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') |
              MISA_EXT('D') | MISA_EXT('C') | MISA_EXT('S') | MISA_EXT('U');
    h->mstatus = mstatus_fixup(0);
    h->mtvec = h->mepc = h->mcause = h->mtval = h->mscratch = 0;
    h->mie = h->mcounteren = h->medeleg = h->mideleg = h->mip_sw = 0;   /* mip stays: devices drive it */
    h->stvec = h->sepc = h->scause = h->stval = h->sscratch = h->satp = h->scounteren = 0;
    h->menvcfg = h->senvcfg = 0;
    h->stimecmp = ~0ull;
    for (int i = 0; i < 16; i++)
        h->pmpcfg[i] = 0, h->pmpaddr[i] = 0;
    h->fflags = h->frm = 0;
    h->priv = PRIV_M;
    mmu_update_env(h);
}
