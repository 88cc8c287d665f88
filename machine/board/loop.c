#include "board/loop.h"
#include "board/sysbus.h"

#include <stdio.h>

#define SLICE        100000    /* instructions between device updates */
#define INPUT_EVERY  16        /* slices between polls of the host console */

int board_run_loop(const struct board_loop *l, const struct board_options *o)
{
    struct hart *h = l->hart;
    uint64_t t0 = host_ns();
    unsigned slices = 0;
    int status = 0;
    for (;;) {
        int64_t budget = SLICE;
        if (o->max_insns) {
            if (h->instret >= o->max_insns) {
                fprintf(stderr, "peerless: guest exceeded --max-insns %llu (pc 0x%llx)\n",
                        (unsigned long long)o->max_insns, (unsigned long long)h->pc);
                return EXIT_LIMIT;
            }
            if (o->max_insns - h->instret < (uint64_t)budget)
                budget = (int64_t)(o->max_insns - h->instret);
        }
        enum run_exit r = hart_run(h, budget);
        if (r == RUN_FATAL)
            return l->fatal(l->ctx);
        if (r == RUN_STOP) {
            if (l->stopped(l->ctx, &status))
                break;
            continue;
        }
        bool input = ++slices % INPUT_EVERY == 0;
        l->tick(l->ctx, input);
        if (r == RUN_WFI) {
            if (!l->wake(l->ctx))
                l->idle(l->ctx);
            h->wfi = false;
        }
    }
    if (o->stats)
        report_stats(h, host_ns() - t0);
    return status;
}
