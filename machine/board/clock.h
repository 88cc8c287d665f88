/* The boards' clock: the host's (guest time passes as wall time does), or
 * virtual (--icount NS): each instruction retired advances it NS
 * nanoseconds, and the run loop ends each slice at the next timer
 * deadline, so a timer interrupt lands on the same instruction every run —
 * a race in guest code that hangs on where pre-emption strikes becomes
 * repeatable.  Idle time (the guest waiting with nothing pending) passes at
 * the host's pace even then, so that timeouts stay timeouts, but never
 * past the deadline the guest waits for; input that ends the wait early
 * moves the clock to that deadline, so that a run fed input that is all
 * there from the start is the same run every time. */
#ifndef PEERLESS_CLOCK_H
#define PEERLESS_CLOCK_H

#include <stdint.h>

#include "core/hart.h"

struct board_clock {
    const struct hart *hart;
    uint64_t start_ns;       /* the host's time when the run began */
    uint64_t ns_per_insn;    /* 0: the host's clock */
    uint64_t virtual_ns;     /* virtual: the time, as of ... */
    uint64_t last_instret;   /* ... this count (a reset or a write to
                                minstret moves the count, not the time) */
};

void clock_init(struct board_clock *c, const struct hart *h, uint64_t ns_per_insn);
/* Nanoseconds since the run began. */
uint64_t clock_ns(struct board_clock *c);
/* Instructions to retire before the clock reaches `ns` (at least 1), or
 * INT64_MAX when that is not known ahead (the host's clock; no deadline). */
int64_t clock_insns_until(struct board_clock *c, uint64_t ns);
/* The guest idles until `deadline_ns` (UINT64_MAX: none) or input: wait
 * on the host console for at most that long (and at most `poll_ns` when
 * that is not negative: a device to look at meanwhile). */
void clock_idle(struct board_clock *c, uint64_t deadline_ns, int64_t poll_ns);

#endif
