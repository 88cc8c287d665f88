/* The protection unit as the hart sees it (struct prot_ops): rights for the
 * lookaside cache, precise checks, gate jumps, PL instructions, faults, and
 * interrupt delivery at instruction boundaries.  Also DMA checks. */
#include "peer/peer.h"

#include <stdlib.h>
#include <string.h>

static inline struct peer *P(void *ctx) { return ctx; }

/* Rights are cached per space and page: a removed grant takes with it what
 * its grantee cached over its range (and X checked at decode). */
static void on_revoke(void *ctx, const struct grant *g)
{
    struct hart *h = P(ctx)->hart;
    uint64_t hi = g->last == UINT64_MAX ? UINT64_MAX : g->last + 1;
    hart_flush_space_range(h, g->grantee, g->base, hi);
    if (g->rights & PL_X)
        hart_flush_rights(h);
    /* The running data space may just have lost the right to all of RAM:
     * stop going straight to RAM (the next change of environment asks again). */
    if (h->data_direct && g->grantee == h->data_space && g->base <= h->ram_fast_base &&
        g->last >= h->ram_fast_base + h->ram_fast_size - 1) {
        h->data_direct = false;
        hart_set_env(h, h->code_space, h->data_space);
    }
}

/* May the data space load and store all of RAM, with nothing narrowing it
 * (no callee hunk: the thread is at the bottom of its spillet)? */
static bool all_of_ram(struct peer *p, uint32_t data_space)
{
    struct hart *h = p->hart;
    struct space *s = space_get(&p->spaces, data_space);
    return s && h->ram_fast_size && p->cur->depth == 0 &&
           (space_rights_over(s, h->ram_fast_base, h->ram_fast_base + h->ram_fast_size - 1, false) &
            (PL_R | PL_W)) == (PL_R | PL_W);
}

void peer_set_env(struct peer *p, uint32_t code_space, uint32_t data_space)
{
    uint64_t now = p->hart->instret;
    p->hart->data_direct = all_of_ram(p, data_space);
    struct space *s = space_get(&p->spaces, p->acct_space);
    if (s)
        s->insns += now - p->acct_since;
    p->acct_since = now;
    p->acct_space = code_space;
    if (p->trace) {
        struct trace_plb left = { s ? peer_plb_hits(p, s) : 0, s ? s->plb_misses : 0 };
        trace_space(p->trace, now, code_space, s ? &left : NULL);
    }
    hart_set_env(p->hart, code_space, data_space);
}

static unsigned page_rights(void *ctx, struct hart *h, uint32_t sid, uint64_t page, unsigned want)
{
    struct peer *p = ctx;
    struct space *s = space_get(&p->spaces, sid);
    if (s)
        s->plb_misses++;
    struct thread *t = p->cur;
    uint64_t last = page + PAGE_SIZE - 1;
    bool in_stack = page < t->stack_hi && last >= t->stack_lo;
    bool all_stack = page >= t->stack_lo && last < t->stack_hi;
    if (in_stack && !all_stack)
        return 0;                 /* straddles the stack region: checked byte by byte */
    unsigned r = s ? space_rights_over(s, page, last, in_stack) & (PL_R | PL_W | PL_X) : 0;
    if (page >= t->stack_lo && page + PAGE_SIZE <= t->hunk_top)
        r |= PL_R | PL_W;
    /* A store that fills the cache for a page of the hunk is the first
     * store there in this frame: remember how low the callee wrote. */
    if ((want & PROT_W) && (r & PROT_W) && t->depth && page >= t->stack_lo && page < t->hunk_top) {
        struct frame *fr = &t->frames[t->depth - 1];
        if (page < fr->low_water)
            fr->low_water = page;
    }
    return r;
}

static bool check(void *ctx, struct hart *h, uint32_t sid, uint64_t addr, unsigned n, unsigned right)
{
    struct peer *p = ctx;
    if (right == PROT_X) {
        struct space *s = space_get(&p->spaces, sid);
        for (unsigned i = 0; i < n; i++)
            if (!s || !(space_rights_at(s, addr + i, false) & PL_X))
                return false;
        return true;
    }
    return peer_data_ok(p, sid, addr, n, right);
}

static bool jump(void *ctx, struct hart *h, uint64_t pc)
{
    struct peer *p = ctx;
    if (pc < PEER_GATE_BASE || pc - PEER_GATE_BASE >= PEER_GATE_MAX * PEER_GATE_STRIDE)
        return false;
    bool ok = pc == PEER_GATE_RETURN ? gate_return(p) : gate_call(p, pc);
    if (!ok)
        h->stop = 1;     /* the running thread died: the board reports it */
    return true;
}

static uint64_t insn(void *ctx, struct hart *h, unsigned funct7, uint64_t a, uint64_t b)
{
    return pl_execute(ctx, funct7, a, b);
}

static bool fault(void *ctx, struct hart *h, uint64_t cause, uint64_t tval, unsigned missing)
{
    struct peer *p = ctx;
    struct pl_fault f = { 0, h->pc, tval, 0, h->data_space, h->code_space, p->cur->id };
    if (missing == PROT_X) {
        f.cause = PL_FAULT_FETCH, f.missing = PL_X;
    } else if (missing == PROT_R) {
        f.cause = PL_FAULT_LOAD, f.missing = PL_R;
    } else if (missing == PROT_W) {
        f.cause = PL_FAULT_STORE, f.missing = PL_W;
    } else if (p->control_refused && (cause == EXC_LOAD_ACCESS || cause == EXC_STORE_ACCESS)) {
        f.cause = PL_FAULT_CONTROL;
    } else {
        f.cause = PL_FAULT_EXC(cause);
    }
    p->control_refused = false;
    return peer_fault(p, &f);
}

/* THREAD_STEP: run another thread until it retires one instruction in the
 * space asked for (gate calls into other spaces run through), then come
 * back.  Interrupts wait meanwhile. */
#define STEP_LIMIT 10000000
static void step_thread(struct peer *p, struct hart *h)
{
    struct thread *me = p->cur, *t = thread_get(p, p->step_thread);
    uint32_t space = p->step_space;
    p->step_thread = 0;
    if (!t)
        return;
    int was = t->state;
    uint64_t instret = h->instret;
    thread_save(p, me);
    thread_load(p, t);
    p->stepping = true;
    long result = PL_E_INVAL;        /* unless it finishes within the limit */
    unsigned depth = t->depth;
    bool done = false;
    for (long n = 0; n < STEP_LIMIT; n++) {
        /* One instruction of the space has retired and no gate jump is
         * pending: stop where it is in that space, or where a return out of
         * the frame we started in took it. */
        bool jumping = h->pc >= PEER_GATE_BASE && h->pc - PEER_GATE_BASE < PEER_GATE_MAX * PEER_GATE_STRIDE;
        if (done && !jumping && (!space || h->code_space == space || t->depth < depth)) {
            result = PL_FAULT_NONE;
            break;
        }
        bool in_space = !space || h->code_space == space, retired;
        bool ok = hart_step(h, &retired);
        if (!ok || t->state == THREAD_FAULTED) {
            result = (long)t->fault.cause;
            break;
        }
        done |= retired && in_space;
    }
    p->stepping = false;
    h->stop = 0;
    thread_save(p, t);
    if (t->state != THREAD_FAULTED)
        t->state = was;
    thread_load(p, me);
    h->instret = instret;     /* the debugger's count is its own */
    p->thread_result = (uint64_t)result;
}

static void poll(void *ctx, struct hart *h)
{
    struct peer *p = ctx;
    if (p->step_thread)
        step_thread(p, h);
    if (p->switch_to) {
        struct thread *to = thread_get(p, p->switch_to);
        p->switch_to = 0;
        if (to && to->state == THREAD_READY) {
            if (p->trace)
                trace_instant(p->trace, h->instret, p->cur->id, "thread switch", "\"to\":%u", to->id);
            thread_save(p, p->cur);
            p->cur->state = THREAD_READY;
            thread_load(p, to);
        }
    }
    /* Take the most urgent source above the current level, and again while
     * a more urgent one waits (each pre-empts the one before). */
    for (;;) {
        unsigned best = 0, prio = p->cur->level;
        for (uint64_t m = p->pending; m; m &= m - 1) {
            unsigned n = (unsigned)__builtin_ctzll(m);
            if (p->src[n].prio > prio)
                best = n, prio = p->src[n].prio;
        }
        if (!best || !interrupt_enter(p, best))
            break;
    }
}

static void plb_hits(void *ctx, uint32_t sid, uint64_t hits)
{
    struct space *s = space_get(&P(ctx)->spaces, sid);
    if (s)
        s->plb_hits += hits;
}

uint64_t peer_plb_hits(const struct peer *p, const struct space *s)
{
    return s->plb_hits + hart_plb_hits(p->hart, s->id);
}

const struct prot_ops peer_prot_ops = { page_rights, check, jump, insn, fault, poll, plb_hits };

/* --- interrupt sources --- */

void peer_set_source(struct peer *p, unsigned n, int level)
{
    p->src[n].pending = level;
    p->pending = level ? p->pending | 1ull << n : p->pending & ~(1ull << n);
    p->hart->event = 1;
}

static void set_source(void *ctx, int n, int level) { peer_set_source(ctx, (unsigned)n, level); }

struct irq_line peer_irq_line(struct peer *p, unsigned source)
{
    return (struct irq_line){ set_source, p, (int)source };
}

void peer_update_timer(struct peer *p)
{
    int level = p->now(p->now_ctx) >= p->timer_cmp;
    if (level != p->src[IRQ_SRC_TIMER].pending)
        peer_set_source(p, IRQ_SRC_TIMER, level);
}

uint64_t peer_timer_deadline(struct peer *p)
{
    return p->src[IRQ_SRC_TIMER].prio ? p->timer_cmp : UINT64_MAX;
}

bool peer_irq_deliverable(struct peer *p)
{
    for (uint64_t m = p->pending; m; m &= m - 1)
        if (p->src[__builtin_ctzll(m)].prio > p->cur->level)
            return true;
    return false;
}

/* --- DMA: the aperture, and the owner's rights at the time of the access --- */

static bool dma_ok(struct peer *p, unsigned dev, uint64_t addr, uint64_t n, unsigned right)
{
    struct aperture *a = &p->dma[dev];
    struct space *s = space_get(&p->spaces, a->owner);
    bool ok = a->owner && s && n && a->len && addr >= a->base && n - 1 <= UINT64_MAX - addr &&
              addr + n - 1 <= a->base + a->len - 1 &&
              (space_rights_over(s, addr, addr + n - 1, false) & right) == right;
    if (!ok)
        a->violations++;
    return ok;
}

bool peer_dma_read(struct peer *p, unsigned dev, uint64_t addr, void *buf, uint64_t n)
{
    return dma_ok(p, dev, addr, n, PL_R) && n <= UINT32_MAX && hart_read_mem(p->hart, addr, buf, (unsigned)n);
}

bool peer_dma_write(struct peer *p, unsigned dev, uint64_t addr, const void *buf, uint64_t n)
{
    return dma_ok(p, dev, addr, n, PL_W) && n <= UINT32_MAX && hart_write_mem(p->hart, addr, buf, (unsigned)n);
}

/* --- life cycle --- */

bool peer_init(struct peer *p, struct hart *h, uint64_t (*now)(void *), void *now_ctx)
{
    memset(p, 0, sizeof *p);
    p->hart = h;
    p->now = now;
    p->now_ctx = now_ctx;
    p->timer_cmp = UINT64_MAX;
    p->ngates = 1;                       /* gate 0 is the return gate */
    if (!spaces_init(&p->spaces))
        return false;
    p->spaces.on_revoke = on_revoke;
    p->spaces.ctx = p;
    /* Thread 1 runs the boot program in the root space. */
    p->thread_cap = 16;
    p->threads = calloc(p->thread_cap, sizeof *p->threads);
    struct thread *t = calloc(1, sizeof *t);
    if (!p->threads || !t)
        return false;
    t->id = PEER_BOOT_THREAD;
    t->state = THREAD_RUNNING;
    t->code_space = t->data_space = PEER_ROOT_SPACE;
    p->threads[t->id] = t;
    p->nthreads = 2;
    p->cur = t;
    hart_attach_prot(h, &peer_prot_ops, p);
    hart_set_env(h, PEER_ROOT_SPACE, PEER_ROOT_SPACE);
    p->acct_space = PEER_ROOT_SPACE;
    return true;
}

void peer_free(struct peer *p)
{
    for (uint32_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]) {
            free(p->threads[i]->frames);
            free(p->threads[i]);
        }
    free(p->threads);
    free(p->gates);
    spaces_free(&p->spaces);
}
