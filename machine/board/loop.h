/* The run loop every board shares: run the hart in slices, let time and
 * input reach the devices between them, sleep while the guest idles, and
 * end on the guest's exit, an instruction limit or a fatal fault. */
#ifndef PEERLESS_LOOP_H
#define PEERLESS_LOOP_H

#include "board/board.h"
#include "core/hart.h"
#include "debug/gdbstub.h"

struct board_loop {
    struct hart *hart;
    void *ctx;
    /* Between slices: update timers; poll host input when `input`. */
    void (*tick)(void *ctx, bool input);
    /* Is an interrupt waiting that would end WFI? */
    bool (*wake)(void *ctx);
    /* Sleep until the next timer deadline or input. */
    void (*idle)(void *ctx);
    /* Instructions to run before the next timer deadline (the virtual
     * clock: board/clock.h), or INT64_MAX: a slice ends no later. */
    int64_t (*until_deadline)(void *ctx);
    /* The hart stopped (h->stop): return true with *status to end the run;
     * false to go on (after a reset, say). */
    bool (*stopped)(void *ctx, int *status);
    /* Report a fatal fault; returns the exit status. */
    int (*fatal)(void *ctx);
    /* The board's own `monitor` commands for GDB (--gdb), or NULL. */
    gdb_monitor_fn monitor;
};

int board_run_loop(const struct board_loop *l, const struct board_options *o);

#endif
