/* The cycle model: what `cycle`/`mcycle` count.  Every instruction costs one
 * cycle; events a real implementation would pay more for add these.  They
 * are assumptions about hardware, stated once here and in
 * docs/PERFORMANCE.md, so figures can be given in modelled cycles. */
#ifndef PEERLESS_COST_H
#define PEERLESS_COST_H

struct cost_model {
    unsigned tlb_miss;        /* a load, store or fetch that misses the TLB/PLB: a table walk */
    unsigned gate_call;       /* beyond the jump: push a spillet frame, switch environment */
    unsigned gate_return;     /* pop the frame, restore registers */
    unsigned trap_entry;      /* an interrupt, a fault (gate) or a trap: save and switch */
    unsigned pl_op;           /* beyond its one cycle: a grant, revoke, pass or gate operation */
};

static const struct cost_model default_costs = {
    .tlb_miss = 20,
    .gate_call = 4,
    .gate_return = 4,
    .trap_entry = 8,
    .pl_op = 4,
};

#endif
