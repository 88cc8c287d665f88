/* The cycle model: what `cycle`/`mcycle` count.  Every instruction costs one
 * cycle; events a real implementation would pay more for add these.  They
 * are assumptions about hardware, stated here and in docs/PERFORMANCE.md,
 * and can be changed from a file (`--cost FILE`), so that figures can be
 * given in modelled cycles under any assumption. */
#ifndef PEERLESS_COST_H
#define PEERLESS_COST_H

#include <stdbool.h>
#include <stddef.h>

struct cost_model {
    unsigned tlb_miss;        /* a load, store or fetch that misses the TLB/PLB: a table walk */
    unsigned gate_call;       /* beyond the jump: push a spillet frame, switch environment */
    unsigned gate_return;     /* pop the frame, restore registers */
    unsigned trap_entry;      /* an interrupt, a fault (gate) or a trap: save and switch */
    unsigned pl_op;           /* beyond its one cycle: a grant, revoke, pass or gate operation */
};

extern const struct cost_model default_costs;

/* Read `name = value` lines (# comments) over *m.  On error, false with a
 * one-line reason in err (unknown name, bad number, unreadable file). */
bool cost_model_load(struct cost_model *m, const char *path, char *err, size_t n);

#endif
