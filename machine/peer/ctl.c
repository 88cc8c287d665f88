/* The control pages: space, thread and interrupt controllers, the timer and
 * the DMA aperture controller.  Each is an MMIO region of 64-bit registers;
 * the hart's rights over the page are checked before any access gets here
 * (a control page is guarded like any memory).  Any other access size or an
 * unknown register is refused: the hart sees PL_FAULT_CONTROL. */
#include "peer/grow.h"
#include "peer/peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool refuse(struct peer *p)
{
    p->control_refused = true;
    return false;
}

#define REG_OK(off, size) ((size) == 8 && !((off) & 7))

/* --- space controller --- */

static long space_cmd(struct peer *p, uint64_t cmd)
{
    uint64_t a0 = p->space_arg[0], a1 = p->space_arg[1];
    struct space *s;
    switch (cmd) {
    case SPACE_CREATE: {
        uint32_t id = space_create(&p->spaces);
        return id ? (long)id : PL_E_NOMEM;
    }
    case SPACE_DESTROY:
        if (a0 > UINT32_MAX || !space_get(&p->spaces, a0) || a0 == PEER_ROOT_SPACE)
            return PL_E_SPACE;
        for (uint64_t n = 1; n < p->ngates; n++)   /* its gates go with it */
            if (p->gates[n].owner == a0) {
                p->gates[n].owner = 0;
                p->gates[n].own = NULL;   /* revoked below: it is held by the space */
            }
        space_destroy(&p->spaces, (uint32_t)a0);
        return 0;
    case SPACE_SET_FAULT:
        s = space_get(&p->spaces, a0);
        if (!s)
            return PL_E_SPACE;
        if (a1 && !gate_get(p, a1))
            return PL_E_GATE;
        s->fault_gate = a1;
        return 0;
    case SPACE_GRANT_COUNT:
        s = space_get(&p->spaces, a0);
        return s ? (long)s->nheld : PL_E_SPACE;
    }
    return PL_E_INVAL;
}

static bool spacectl_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case SPACECTL_CMD: *val = 0; return true;
    case SPACECTL_ARG0: *val = p->space_arg[0]; return true;
    case SPACECTL_ARG1: *val = p->space_arg[1]; return true;
    case SPACECTL_RESULT: *val = p->space_result; return true;
    case SPACECTL_LIVE: *val = p->spaces.live; return true;
    }
    return refuse(p);
}

static bool spacectl_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case SPACECTL_CMD: p->space_result = (uint64_t)space_cmd(p, val); return true;
    case SPACECTL_ARG0: p->space_arg[0] = val; return true;
    case SPACECTL_ARG1: p->space_arg[1] = val; return true;
    }
    return refuse(p);
}

struct mmio_region peer_spacectl(struct peer *p)
{
    return (struct mmio_region){ "spacectl", PEER_SPACECTL, 0x1000, p, spacectl_read, spacectl_write };
}

/* --- thread controller --- */

static long thread_create(struct peer *p)
{
    const uint64_t *a = p->thread_arg;
    if (!space_get(&p->spaces, a[4]) || !space_get(&p->spaces, a[5]))
        return PL_E_SPACE;
    if (a[3] < a[2])
        return PL_E_INVAL;
    if (!peer_grow((void **)&p->threads, &p->thread_cap, p->nthreads, sizeof *p->threads, 16))
        return PL_E_NOMEM;
    struct thread *t = calloc(1, sizeof *t);
    if (!t)
        return PL_E_NOMEM;
    t->id = p->nthreads++;
    t->state = THREAD_READY;
    t->pc = a[0];
    t->x[2] = a[1];
    t->stack_lo = a[2];
    t->stack_hi = t->hunk_top = a[3];
    t->code_space = (uint32_t)a[4];
    t->data_space = (uint32_t)a[5];
    t->x[10] = a[6];
    p->threads[t->id] = t;
    return t->id;
}

static long thread_cmd(struct peer *p, uint64_t cmd)
{
    uint64_t *a = p->thread_arg;
    struct thread *t = cmd == THREAD_CREATE ? NULL : thread_get(p, a[0]);
    if (cmd != THREAD_CREATE && !t)
        return PL_E_INVAL;
    switch (cmd) {
    case THREAD_CREATE:
        return thread_create(p);
    case THREAD_SWITCH:
        if (t == p->cur)
            return 0;
        if (t->state != THREAD_READY)
            return PL_E_INVAL;
        if (p->cur->stack_lo == p->emerg_lo && p->emerg_hi > p->emerg_lo)
            return PL_E_INVAL;   /* a handler on the emergency stack cannot leave it */
        p->switch_to = t->id;    /* done at the next instruction boundary */
        return 0;
    case THREAD_STOP:
        if (t == p->cur)
            return PL_E_INVAL;
        t->state = THREAD_STOPPED;
        return 0;
    case THREAD_STATE:
        return t->state;
    case THREAD_SET_STACK:
        if (a[2] < a[1])
            return PL_E_INVAL;
        t->stack_lo = a[1];
        t->stack_hi = a[2];
        if (!t->depth)
            t->hunk_top = a[2];
        hart_flush_rights(p->hart);
        return 0;
    case THREAD_FAULT:
        return peer_write_record(p, p->hart->data_space, a[1], &t->fault, sizeof t->fault) ? 0 : PL_E_FAULT;
    case THREAD_STEP:
        if (t == p->cur || (t->state != THREAD_READY && t->state != THREAD_STOPPED))
            return PL_E_INVAL;
        p->step_thread = t->id;   /* done at the next instruction boundary */
        p->step_space = (uint32_t)a[1];
        return PL_E_INVAL;        /* replaced by the step's result */
    case THREAD_GETREG:
    case THREAD_SETREG: {
        if (t == p->cur || a[1] > (cmd == THREAD_GETREG ? 66u : 64u))
            return PL_E_INVAL;
        uint64_t *r = a[1] < 32 ? &t->x[a[1]] : a[1] < 64 ? &t->f[a[1] - 32] : &t->pc;
        if (cmd == THREAD_GETREG)
            return a[1] == 65 ? (long)t->code_space : a[1] == 66 ? (long)t->data_space :
                   a[1] == 0 ? 0 : (long)*r;
        if (a[1] != 0)
            *r = a[1] == 64 ? a[2] & ~1ull : a[2];
        return 0;
    }
    }
    return PL_E_INVAL;
}

static bool threadctl_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    if (off >= THREADCTL_ARG(0) && off <= THREADCTL_ARG(6)) {
        *val = p->thread_arg[(off - THREADCTL_ARG(0)) / 8];
        return true;
    }
    switch (off) {
    case THREADCTL_CMD: *val = 0; return true;
    case THREADCTL_RESULT: *val = p->thread_result; return true;
    case THREADCTL_CURRENT: *val = p->cur->id; return true;
    case THREADCTL_ON_FAULT: *val = p->on_fault; return true;
    }
    return refuse(p);
}

static bool threadctl_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    if (off >= THREADCTL_ARG(0) && off <= THREADCTL_ARG(6)) {
        p->thread_arg[(off - THREADCTL_ARG(0)) / 8] = val;
        return true;
    }
    if (off == THREADCTL_CMD) {
        p->thread_result = (uint64_t)thread_cmd(p, val);
        return true;
    }
    if (off == THREADCTL_ON_FAULT) {
        p->on_fault = (uint32_t)val;
        return true;
    }
    return refuse(p);
}

struct mmio_region peer_threadctl(struct peer *p)
{
    return (struct mmio_region){ "threadctl", PEER_THREADCTL, 0x1000, p, threadctl_read, threadctl_write };
}

/* --- interrupt controller --- */

/* The source whose registers hold `off`, and which register it is. */
static struct irq_source *source_at(struct peer *p, uint64_t off, uint64_t *reg)
{
    uint64_t n = (off - IRQCTL_SRC(0)) / 0x20;
    *reg = (off - IRQCTL_SRC(0)) % 0x20;
    return off >= IRQCTL_SRC(1) && n < IRQ_SOURCES ? &p->src[n] : NULL;
}

static bool irqctl_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case IRQCTL_LEVEL: *val = p->cur->level; return true;
    case IRQCTL_EMERG_LO: *val = p->emerg_lo; return true;
    case IRQCTL_EMERG_HI: *val = p->emerg_hi; return true;
    }
    uint64_t reg;
    struct irq_source *s = source_at(p, off, &reg);
    switch (s ? reg : ~0ull) {
    case IRQCTL_SRC_GATE: *val = s->gate; return true;
    case IRQCTL_SRC_PRIO: *val = s->prio; return true;
    case IRQCTL_SRC_PENDING: *val = s->pending != 0; return true;
    case IRQCTL_SRC_FAULT: *val = s->fault; return true;
    }
    return refuse(p);
}

static bool irqctl_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case IRQCTL_EMERG_LO: p->emerg_lo = val; return true;
    case IRQCTL_EMERG_HI: p->emerg_hi = val; return true;
    }
    uint64_t reg;
    struct irq_source *s = source_at(p, off, &reg);
    switch (s ? reg : ~0ull) {
    case IRQCTL_SRC_GATE: s->gate = val; return true;
    case IRQCTL_SRC_PRIO: s->prio = val > IRQ_PRIO_MAX ? IRQ_PRIO_MAX : (unsigned)val; return true;
    case IRQCTL_SRC_FAULT: s->fault = 0; return true;
    }
    return refuse(p);
}

struct mmio_region peer_irqctl(struct peer *p)
{
    return (struct mmio_region){ "irqctl", PEER_IRQCTL, 0x1000, p, irqctl_read, irqctl_write };
}

/* --- timer --- */

static bool timer_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case TIMER_NOW: *val = p->now(p->now_ctx); return true;
    case TIMER_CMP: *val = p->timer_cmp; return true;
    case TIMER_SOFT: *val = p->src[IRQ_SRC_SOFT].pending != 0; return true;
    }
    return refuse(p);
}

static bool timer_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case TIMER_CMP: p->timer_cmp = val; peer_update_timer(p); return true;
    case TIMER_SOFT: peer_set_source(p, IRQ_SRC_SOFT, (int)(val & 1)); return true;
    }
    return refuse(p);
}

struct mmio_region peer_timer(struct peer *p)
{
    return (struct mmio_region){ "timer", PEER_TIMER, 0x1000, p, timer_read, timer_write };
}

/* --- DMA aperture controller --- */

#define DMA_DEVS (sizeof ((struct peer *)0)->dma / sizeof ((struct peer *)0)->dma[0])

static bool dmactl_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    uint64_t n = off / 0x100, reg = off % 0x100;
    if (!REG_OK(off, size) || n >= DMA_DEVS)
        return refuse(p);
    struct aperture *a = &p->dma[n];
    switch (reg) {
    case DMACTL_BASE: *val = a->next_base; return true;
    case DMACTL_LEN: *val = a->next_len; return true;
    case DMACTL_SET: *val = 0; return true;
    case DMACTL_RESULT: *val = a->result; return true;
    case DMACTL_OWNER: *val = a->owner; return true;
    case DMACTL_VIOLATIONS: *val = a->violations; return true;
    }
    return refuse(p);
}

static bool dmactl_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    uint64_t n = off / 0x100, reg = off % 0x100;
    if (!REG_OK(off, size) || n >= DMA_DEVS)
        return refuse(p);
    struct aperture *a = &p->dma[n];
    switch (reg) {
    case DMACTL_BASE: a->next_base = val; return true;
    case DMACTL_LEN: a->next_len = val; return true;
    case DMACTL_SET: {
        /* The writer's data space must hold R and W over the whole aperture. */
        uint32_t owner = p->hart->data_space;
        struct space *s = space_get(&p->spaces, owner);
        bool ok = a->next_len && a->next_len - 1 <= UINT64_MAX - a->next_base && s &&
                  space_find_cover(s, a->next_base, a->next_base + a->next_len - 1, PL_R | PL_W);
        a->base = ok ? a->next_base : 0;
        a->len = ok ? a->next_len : 0;
        a->owner = ok ? owner : 0;
        a->result = ok ? 0 : (uint64_t)PL_E_RIGHTS;
        return true;
    }
    }
    return refuse(p);
}

struct mmio_region peer_dmactl(struct peer *p)
{
    return (struct mmio_region){ "dmactl", PEER_DMACTL, 0x1000, p, dmactl_read, dmactl_write };
}

/* --- counters --- */

static bool counters_read(void *o, uint64_t off, int size, uint64_t *val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    struct space *s = space_get(&p->spaces, p->counter_select);
    struct gate *g = gate_get(p, p->counter_gate);
    /* The running space's instructions include those since it was entered. */
    uint64_t pending = s && s->id == p->acct_space ? p->hart->instret - p->acct_since : 0;
    switch (off) {
    case COUNTERS_SPACE: *val = p->counter_select; return true;
    case COUNTERS_INSNS: *val = s ? s->insns + pending : 0; return true;
    case COUNTERS_CALLS: *val = s ? s->calls : 0; return true;
    case COUNTERS_FAULTS: *val = s ? s->faults : 0; return true;
    case COUNTERS_INTERRUPTS: *val = s ? s->interrupts : 0; return true;
    case COUNTERS_PLB_MISSES: *val = s ? s->plb_misses : 0; return true;
    case COUNTERS_PLB_HITS: *val = s ? peer_plb_hits(p, s) : 0; return true;
    case COUNTERS_GATE: *val = p->counter_gate; return true;
    case COUNTERS_GATE_CALLS: *val = g ? g->calls : 0; return true;
    case COUNTERS_CYCLES: *val = p->hart->instret + p->hart->cycle_base; return true;
    }
    return refuse(p);
}

static bool counters_write(void *o, uint64_t off, int size, uint64_t val)
{
    struct peer *p = o;
    if (!REG_OK(off, size))
        return refuse(p);
    switch (off) {
    case COUNTERS_SPACE: p->counter_select = val; return true;
    case COUNTERS_GATE: p->counter_gate = val; return true;
    }
    return refuse(p);
}

struct mmio_region peer_counters(struct peer *p)
{
    return (struct mmio_region){ "counters", PEER_COUNTERS, 0x1000, p, counters_read, counters_write };
}

/* --stats: every space that ran or was called, most instructions first. */
void peer_report_counters(struct peer *p, FILE *out)
{
    peer_set_env(p, p->hart->code_space, p->hart->data_space);   /* settle the running space */
    fprintf(out, "gate calls: %llu, returns: %llu, unwound: %llu, interrupts: %llu\n",
            (unsigned long long)p->gate_calls, (unsigned long long)p->gate_returns,
            (unsigned long long)p->unwinds, (unsigned long long)p->interrupts);
    fprintf(out, "%8s %14s %10s %8s %10s %10s %14s\n", "space", "instructions", "calls", "faults", "interrupts",
            "PLB misses", "PLB hits");
    for (int shown = 0; shown < 20; shown++) {
        struct space *best = NULL;
        for (uint32_t i = 1; i < p->spaces.next_id; i++) {
            struct space *s = p->spaces.by_id[i];
            if (s && (s->insns || s->calls || s->faults) && s->insns != UINT64_MAX &&
                (!best || s->insns > best->insns))
                best = s;
        }
        if (!best)
            break;
        fprintf(out, "%8u %14llu %10llu %8llu %10llu %10llu %14llu\n", best->id, (unsigned long long)best->insns,
                (unsigned long long)best->calls, (unsigned long long)best->faults,
                (unsigned long long)best->interrupts, (unsigned long long)best->plb_misses,
                (unsigned long long)peer_plb_hits(p, best));
        best->insns = UINT64_MAX;     /* shown: the report is the last thing the run does */
    }
}
