/* A hart's life cycle, and the names used in reports. */
#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

void hart_init(struct hart *h, const struct bus *bus, uint64_t hartid,
               uint64_t ram_base, uint64_t ram_size)
{
    memset(h, 0, sizeof *h);
    if (!core_decode_impl)
        hart_run(NULL, 0);    /* publish the interpreter's handler table */
    h->bus = *bus;
    h->mhartid = hartid;
    h->cost = default_costs;
    if (bus->ram) {
        h->ram_fast_base = ram_base;
        h->ram_fast_size = ram_size;
        h->ram_fast_delta = (uintptr_t)bus->ram - (uintptr_t)ram_base;
    }
    code_cache_init(h, ram_base, ram_size);
}

void hart_reset(struct hart *h, uint64_t pc)
{
    memset(h->x, 0, sizeof h->x);
    memset(h->f, 0, sizeof h->f);
    h->x[10] = h->mhartid;     /* a0 = hart id, as on QEMU's virt */
    h->pc = pc;
    h->instret = h->cycle_base = 0;
    h->res_addr = ~0ull;
    h->wfi = false;
    h->stop = 0;
    csr_reset(h);
    tlb_flush(h);
}

void hart_free(struct hart *h) { code_cache_free(h); }

const char *hart_cause_name(uint64_t cause)
{
    static const char *const exc[16] = {
        "instruction address misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load address misaligned", "load access fault",
        "store/AMO address misaligned", "store/AMO access fault", "environment call from U-mode",
        "environment call from S-mode", "reserved", "environment call from M-mode",
        "instruction page fault", "load page fault", "reserved", "store/AMO page fault",
    };
    static const char *const irq[12] = {
        "reserved", "supervisor software interrupt", "reserved", "machine software interrupt",
        "reserved", "supervisor timer interrupt", "reserved", "machine timer interrupt",
        "reserved", "supervisor external interrupt", "reserved", "machine external interrupt",
    };
    uint64_t n = cause & ~(1ull << 63);
    if (cause >> 63)
        return n < 12 ? irq[n] : "unknown interrupt";
    return n < 16 ? exc[n] : "unknown exception";
}

const char *hart_reg_name(int r)
{
    static const char *const names[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    return r >= 0 && r < 32 ? names[r] : "?";
}
