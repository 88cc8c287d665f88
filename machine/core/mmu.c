/* Address translation: Sv39 and Sv48 page-table walks (privileged spec
 * 1.12, section 4.3-4.5), with hardware A/D updates.  Only the slow path
 * walks: the TLB (mem.c) caches the result per 4 KiB page and per
 * translation context (see mmu_context). */
#include "core/internal.h"

#include <string.h>

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)

#define SATP_MODE(s) ((s) >> 60)
#define SATP_PPN(s)  ((s) & ((1ull << 44) - 1))
enum { SATP_BARE = 0, SATP_SV39 = 8, SATP_SV48 = 9 };

/* The privilege data accesses run at: MPRV lends M mode MPP's. */
static int data_priv(const struct hart *h)
{
    if (h->priv == PRIV_M && (h->mstatus & MSTATUS_MPRV))
        return (int)((h->mstatus & MSTATUS_MPP) >> 11);
    return h->priv;
}

static int access_priv(const struct hart *h, unsigned access)
{
    return access == PROT_X ? h->priv : data_priv(h);
}

static uint64_t page_fault(unsigned access)
{
    return access == PROT_X ? EXC_INSN_PAGE : access == PROT_R ? EXC_LOAD_PAGE : EXC_STORE_PAGE;
}

static uint64_t access_fault(unsigned access)
{
    return access == PROT_X ? EXC_INSN_ACCESS : access == PROT_R ? EXC_LOAD_ACCESS : EXC_STORE_ACCESS;
}

/* The translation context a TLB set is for: everything besides the page
 * tables that decides what an access may do.  0 means no translation. */
uint32_t mmu_context(const struct hart *h, unsigned access)
{
    int priv = access_priv(h, access);
    if (access == PROT_X) {
        /* Fetch contexts also say whether data is translated: decoded code
         * is specialised for it (exec.c), so the two must not share pages. */
        uint32_t data_bare = mmu_context(h, PROT_R) < 16;
        if (priv == PRIV_M || SATP_MODE(h->satp) == SATP_BARE)
            return (uint32_t)(priv + 1) + (data_bare ? 0 : 8);
    } else if (priv == PRIV_M || SATP_MODE(h->satp) == SATP_BARE) {
        return (uint32_t)(priv + 1);          /* bare: only the privilege matters (PMP-free) */
    }
    return (uint32_t)(16 + priv * 4 + ((h->mstatus >> 18) & 1) * 2 + ((h->mstatus >> 19) & 1)) +
           (access == PROT_X ? 64 : 0);
}

bool mmu_translate(struct hart *h, uint64_t va, unsigned access, uint64_t *pa)
{
    int priv = access_priv(h, access);
    unsigned mode = (unsigned)SATP_MODE(h->satp);
    if (priv == PRIV_M || mode == SATP_BARE) {
        *pa = va;
        return true;
    }
    int levels = mode == SATP_SV48 ? 4 : 3;
    int va_bits = 12 + 9 * levels;
    /* The address must be sign-extended from its top bit. */
    if ((int64_t)(va << (64 - va_bits)) >> (64 - va_bits) != (int64_t)va)
        goto fault;
    uint64_t table = SATP_PPN(h->satp) << PAGE_SHIFT;
    for (int i = levels - 1; i >= 0; i--) {
        uint64_t pte_addr = table + ((va >> (12 + 9 * i)) & 511) * 8;
        uint8_t *host = h->bus.ram_page(h->bus.ctx, pte_addr & PAGE_MASK);
        if (!host) {
            h->exc_cause = access_fault(access);
            h->exc_tval = va;
            return false;
        }
        uint64_t pte;
        memcpy(&pte, host + (pte_addr & (PAGE_SIZE - 1)), 8);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte >> 54))
            goto fault;
        if (!(pte & (PTE_R | PTE_X))) {          /* a pointer to the next level */
            table = ((pte >> 10) & ((1ull << 44) - 1)) << PAGE_SHIFT;
            continue;
        }
        /* A leaf: check the access against it. */
        bool mxr = h->mstatus & (1ull << 19), sum = h->mstatus & (1ull << 18);
        bool ok = access == PROT_X ? (pte & PTE_X) :
                  access == PROT_R ? ((pte & PTE_R) || (mxr && (pte & PTE_X))) :
                                     (pte & PTE_W);
        if (pte & PTE_U)
            ok = ok && (priv == PRIV_U || (access != PROT_X && sum));
        else
            ok = ok && priv != PRIV_U;
        uint64_t ppn = (pte >> 10) & ((1ull << 44) - 1);
        if (i > 0 && (ppn & ((1ull << (9 * i)) - 1)))
            ok = false;                          /* a misaligned superpage */
        if (!ok)
            goto fault;
        uint64_t want = PTE_A | (access == PROT_W ? PTE_D : 0);
        if ((pte & want) != want) {              /* hardware A/D update */
            pte |= want;
            memcpy(host + (pte_addr & (PAGE_SIZE - 1)), &pte, 8);
            hart_code_written(h, pte_addr, 8);
        }
        uint64_t offset_mask = (1ull << (12 + 9 * i)) - 1;
        *pa = ((ppn << PAGE_SHIFT) & ~offset_mask) | (va & offset_mask);
        return true;
    }
fault:
    h->exc_cause = page_fault(access);
    h->exc_tval = va;
    return false;
}
