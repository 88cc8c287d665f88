/* Control and status registers, traps and interrupts (machine mode).
 *
 * The table of CSRs is the switch in csr_read/csr_write: each register's
 * read value and write rule (WARL masks, read-only bits) in one place.
 */
#include "core/cost.h"
#include "core/internal.h"

#define MISA_RV64 (2ull << 62)
#define MISA_EXT(c) (1ull << ((c) - 'A'))
#define M_IRQS ((1ull << IRQ_MSI) | (1ull << IRQ_MTI) | (1ull << IRQ_MEI))

/* Bits of mstatus software may change on this machine (M mode only). */
#define MSTATUS_WRITABLE (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_FS)

static uint64_t mstatus_fixup(uint64_t v)
{
    v = (v & ~MSTATUS_MPP) | (3ull << 11);          /* only M exists: MPP reads M */
    if ((v & MSTATUS_FS) == MSTATUS_FS_DIRTY)
        v |= MSTATUS_SD;
    else
        v &= ~MSTATUS_SD;
    return v;
}

static inline bool fs_off(const struct hart *h) { return (h->mstatus & MSTATUS_FS) == 0; }
static inline uint64_t cycle_now(const struct hart *h) { return h->instret + h->cycle_base; }

static bool csr_read(struct hart *h, unsigned csr, uint64_t *v)
{
    switch (csr) {
    case 0x001: if (fs_off(h)) return false; *v = h->fflags; return true;
    case 0x002: if (fs_off(h)) return false; *v = h->frm; return true;
    case 0x003: if (fs_off(h)) return false; *v = h->fflags | h->frm << 5; return true;
    case 0xc00: case 0xb00: *v = cycle_now(h); return true;
    case 0xc01: *v = h->bus.read_time ? h->bus.read_time(h->bus.ctx) : 0; return true;
    case 0xc02: case 0xb02: *v = h->instret; return true;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: *v = 0; return true;
    case 0xf14: *v = h->mhartid; return true;
    case 0x300: *v = h->mstatus; return true;
    case 0x301: *v = h->misa; return true;
    case 0x304: *v = h->mie; return true;
    case 0x305: *v = h->mtvec; return true;
    case 0x306: *v = h->mcounteren; return true;
    case 0x320: *v = 0; return true;             /* mcountinhibit: hardwired to 0 */
    case 0x340: *v = h->mscratch; return true;
    case 0x341: *v = h->mepc; return true;
    case 0x342: *v = h->mcause; return true;
    case 0x343: *v = h->mtval; return true;
    case 0x344: *v = h->mip; return true;
    }
    /* Unimplemented counters and their events read as zero. */
    if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
        *v = 0;
        return true;
    }
    return false;
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
    case 0x300: h->mstatus = mstatus_fixup((h->mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE)); return true;
    case 0x301: return true;                     /* misa: WARL, fixed */
    case 0x304: h->mie = v & M_IRQS; return true;
    case 0x305: if ((v & 3) < 2) h->mtvec = v; return true;   /* reserved modes: keep the old value */
    case 0x306: h->mcounteren = v & 0xffffffffu; return true;
    case 0x320: return true;
    case 0x340: h->mscratch = v; return true;
    case 0x341: h->mepc = v & ~1ull; return true;
    case 0x342: h->mcause = v; return true;
    case 0x343: h->mtval = v; return true;
    case 0x344: return true;                     /* MSIP/MTIP/MEIP are driven by devices */
    default:
        return (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f);
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

/* --- traps --- */

bool trap_take(struct hart *h, uint64_t cause, uint64_t tval)
{
    bool irq = cause >> 63;
    uint64_t vec = (h->mtvec & ~3ull) + ((h->mtvec & 1) && irq ? 4 * (cause & 63) : 0);
    /* A trap with nowhere to go, or an exception raised by the first
     * instruction of its own handler, would loop forever: it is fatal. */
    if (!h->bus.ram_page(h->bus.ctx, vec & PAGE_MASK) || (!irq && h->pc == vec)) {
        h->fatal_cause = cause;
        h->fatal_tval = tval;
        h->fatal_pc = h->pc;
        return false;
    }
    h->cycle_base += default_costs.trap_entry;
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
    h->wfi = false;
    return true;
}

void trap_mret(struct hart *h)
{
    uint64_t s = h->mstatus;
    h->priv = (s & MSTATUS_MPP) >> 11;
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    h->mstatus = mstatus_fixup(s);
    h->pc = h->mepc;
}

/* --- interrupts --- */

int irq_to_take(const struct hart *h)
{
    static const int order[] = { IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI };
    uint64_t pending = h->mip & h->mie;
    if (!pending || (h->priv == PRIV_M && !(h->mstatus & MSTATUS_MIE)))
        return -1;
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        if (pending & (1ull << order[i]))
            return order[i];
    return -1;
}

bool hart_irq_waiting(const struct hart *h) { return (h->mip & h->mie) != 0; }

void hart_set_irq(struct hart *h, int irq, int level)
{
    uint64_t bit = 1ull << irq;
    h->mip = level ? h->mip | bit : h->mip & ~bit;
    h->event = 1;
}

void csr_reset(struct hart *h)
{
    h->misa = MISA_RV64 | MISA_EXT('I') | MISA_EXT('M') | MISA_EXT('A') | MISA_EXT('F') |
              MISA_EXT('D') | MISA_EXT('C');
    h->mstatus = mstatus_fixup(0);
    h->mtvec = h->mepc = h->mcause = h->mtval = h->mscratch = 0;
    h->mie = h->mcounteren = 0;   /* mip stays: devices drive it */
    h->fflags = h->frm = 0;
    h->priv = PRIV_M;
}
