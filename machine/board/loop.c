#include "board/loop.h"
#include "board/sysbus.h"

#include <stdio.h>

#define SLICE        100000    /* instructions between device updates */
#define INPUT_EVERY  16        /* slices between polls of the host console */
#define GDB_IDLE_MS  1         /* an idle guest's sleep under a debugger: short, to see Ctrl-C */

int board_run_loop(const struct board_loop *l, const struct board_options *o)
{
    struct hart *h = l->hart;
    struct gdbstub *gdb = NULL;
    if (o->gdb_port) {
        char err[256];
        gdb = gdbstub_open(o->gdb_port, o->gdb_wait, h, l->monitor, l->ctx, err, sizeof err);
        if (!gdb) {
            fprintf(stderr, "peerless: --gdb: %s\n", err);
            return EXIT_USAGE;
        }
    }
    uint64_t t0 = host_ns();
    unsigned slices = 0;
    int status = 0;
    bool fault = false, limit = false;
    for (;;) {
        int64_t budget = SLICE;
        if (o->max_insns) {
            if (h->instret >= o->max_insns) {
                fprintf(stderr, "peerless: guest exceeded --max-insns %llu (pc 0x%llx)\n",
                        (unsigned long long)o->max_insns, (unsigned long long)h->pc);
                status = EXIT_LIMIT;
                limit = true;
                break;
            }
            if (o->max_insns - h->instret < (uint64_t)budget)
                budget = (int64_t)(o->max_insns - h->instret);
        }
        int64_t until = l->until_deadline(l->ctx);
        if (until < budget)
            budget = until;
        enum run_exit r = gdb ? gdbstub_run(gdb, budget) : hart_run(h, budget);
        if (gdb && gdbstub_killed(gdb))
            break;   /* the debugger killed the machine: status 0 */
        if (r == RUN_FATAL) {
            status = l->fatal(l->ctx);
            fault = true;
            break;
        }
        if (r == RUN_STOP) {
            if (l->stopped(l->ctx, &status))
                break;
            continue;
        }
        bool input = ++slices % INPUT_EVERY == 0;
        l->tick(l->ctx, input);
        if (r == RUN_WFI) {
            if (!l->wake(l->ctx)) {
                if (gdb) {   /* the board's idle may sleep long: wait for the debugger instead */
                    gdbstub_idle(gdb, GDB_IDLE_MS);
                    l->tick(l->ctx, true);
                } else {
                    l->idle(l->ctx);
                }
            }
            h->wfi = false;
        }
    }
    if (gdb) {
        gdbstub_exited(gdb, status, fault);
        gdbstub_close(gdb);
    }
    if (o->stats && !fault && !limit)
        report_stats(h, host_ns() - t0);
    return status;
}
