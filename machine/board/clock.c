/* The boards' clock (clock.h). */
#include "board/clock.h"
#include "board/console.h"
#include "board/sysbus.h"

void clock_init(struct board_clock *c, const struct hart *h, uint64_t ns_per_insn)
{
    c->hart = h;
    c->start_ns = host_ns();
    c->ns_per_insn = ns_per_insn;
    c->virtual_ns = 0;
    c->last_instret = h->instret;
}

uint64_t clock_ns(struct board_clock *c)
{
    if (!c->ns_per_insn)
        return host_ns() - c->start_ns;
    uint64_t n = c->hart->instret;
    if (n > c->last_instret)
        c->virtual_ns += (n - c->last_instret) * c->ns_per_insn;
    c->last_instret = n;
    return c->virtual_ns;
}

int64_t clock_insns_until(struct board_clock *c, uint64_t ns)
{
    if (!c->ns_per_insn || ns == UINT64_MAX)
        return INT64_MAX;
    uint64_t now = clock_ns(c);
    if (ns <= now)
        return 1;
    uint64_t n = (ns - now + c->ns_per_insn - 1) / c->ns_per_insn;
    return n > INT64_MAX ? INT64_MAX : (int64_t)n;
}

void clock_idle(struct board_clock *c, uint64_t deadline_ns, int64_t poll_ns)
{
    uint64_t now = clock_ns(c);
    uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
    int64_t wait = deadline_ns == UINT64_MAX || left > INT64_MAX ? -1 : (int64_t)left;
    if (poll_ns >= 0 && (wait < 0 || wait > poll_ns))
        wait = poll_ns;
    uint64_t t0 = host_ns();
    console_wait(wait);
    if (c->ns_per_insn) {
        /* Virtual time moves on by the wait when it ran out (not by the
         * host's slack), and to the deadline when input ended it early:
         * input that was there already makes the same run every time. */
        uint64_t waited = host_ns() - t0;
        if (wait >= 0 && waited >= (uint64_t)wait)
            waited = (uint64_t)wait;
        else if (deadline_ns != UINT64_MAX)
            waited = left;
        c->virtual_ns += waited < left ? waited : left;
    }
}
