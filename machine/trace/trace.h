/* Traces for people: a Chrome/Perfetto trace-event JSON file that opens in
 * the Perfetto UI (ui.perfetto.dev) or chrome://tracing.
 *
 * Time is the hart's retired-instruction count, shown as nanoseconds (one
 * instruction = 1 ns), so a trace is the same on every run.  One track per
 * hart thread: gate calls and interrupts are slices named after the space
 * they enter; faults, grants and revocations are instant events; counter
 * tracks give the instructions run in each space and its protection cache
 * hits and misses.  The file stops growing at
 * a cap (the last event says so), so long runs stay usable.
 */
#ifndef PEERLESS_TRACE_H
#define PEERLESS_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct trace {
    FILE *f;
    uint64_t events, cap;
    bool capped;
    /* instructions per space, for the counter track */
    uint64_t last_insns;
    uint32_t last_space;
    uint64_t *per_space;
    uint32_t nspaces;
};

/* Open FILE for writing (cap: events at most; 0 for the default).  Returns
 * false with errno set if it cannot be created. */
bool trace_open(struct trace *t, const char *path, uint64_t cap);
void trace_close(struct trace *t, uint64_t now);

/* The events.  `now` is the instruction count; `thread` the track. */
void trace_begin(struct trace *t, uint64_t now, unsigned thread, const char *what,
                 uint32_t code_space, uint32_t data_space, uint64_t gate);
void trace_end(struct trace *t, uint64_t now, unsigned thread, const char *why);
void trace_instant(struct trace *t, uint64_t now, unsigned thread, const char *name,
                   const char *arg_fmt, ...) __attribute__((format(printf, 5, 6)));
/* A space's protection lookaside cache counts so far. */
struct trace_plb {
    uint64_t hits, misses;
};

/* The running space changed at `now`: credit the instructions since the last
 * change to the space left on its counter track, and (when `left` is given)
 * put its protection cache counts on a counter track of their own. */
void trace_space(struct trace *t, uint64_t now, uint32_t new_space, const struct trace_plb *left);

#endif
