/* Gate calls, returns, faults and interrupt entry: everything that pushes
 * or pops a frame on a thread's spillet.
 *
 * Register rules (docs/ARCHITECTURE.md 6.1, 6.2): arguments a0-a7/fa0-fa7
 * go in, results a0-a1/fa0-fa1 come back, the machine keeps sp, gp, tp and
 * the callee-saved registers of the caller, and everything else is zero in
 * both directions.  INTERRUPT and FAULT frames keep everything.
 */
#include "peer/grow.h"
#include "peer/peer.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 4096

static bool is_arg(int r) { return r >= 10 && r <= 17; }
static bool is_saved(int r) { return r == 2 || r == 3 || r == 4 || r == 8 || r == 9 || (r >= 18 && r <= 27); }
static bool is_fsaved(int r) { return r == 8 || r == 9 || (r >= 18 && r <= 27); }

struct thread *thread_get(struct peer *p, uint64_t id)
{
    return id && id < p->nthreads ? p->threads[id] : NULL;
}

struct gate *gate_get(struct peer *p, uint64_t addr)
{
    uint64_t off = addr - PEER_GATE_BASE;
    if (addr < PEER_GATE_BASE || off % PEER_GATE_STRIDE)
        return NULL;
    uint64_t n = off / PEER_GATE_STRIDE;
    return n >= 1 && n < p->ngates && p->gates[n].owner ? &p->gates[n] : NULL;
}

/* --- the hunk rule and data rights --- */

static inline bool in_hunk(const struct thread *t, uint64_t a) { return a >= t->stack_lo && a < t->hunk_top; }

static void note_store(struct peer *p, uint64_t a)
{
    struct thread *t = p->cur;
    if (t->depth && in_hunk(t, a)) {
        struct frame *fr = &t->frames[t->depth - 1];
        uint64_t page = a & PAGE_MASK;
        if (page < fr->low_water)
            fr->low_water = page;
    }
}

/* Data rights at byte a.  Inside the running thread's stack region only the
 * hunk rule and passes count: the memory's other holders (the thread's own
 * space, typically) must not see the hunks of callees, nor callees the
 * frames of callers. */
unsigned peer_data_rights(struct peer *p, uint32_t sid, uint64_t a)
{
    struct space *s = space_get(&p->spaces, sid);
    const struct thread *t = p->cur;
    bool stack = a >= t->stack_lo && a < t->stack_hi;
    unsigned r = s ? space_rights_at(s, a, stack) : 0;
    if (in_hunk(t, a))
        r |= PL_R | PL_W;
    return r;
}

bool peer_data_ok(struct peer *p, uint32_t sid, uint64_t a, uint64_t n, unsigned right)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t b = a + i;
        if ((peer_data_rights(p, sid, b) & right) != right)
            return false;
        if (right & PL_W)
            note_store(p, b);
    }
    return true;
}

/* --- thread state in and out of the hart --- */

void thread_save(struct peer *p, struct thread *t)
{
    struct hart *h = p->hart;
    memcpy(t->x, h->x, sizeof t->x);
    memcpy(t->f, h->f, sizeof t->f);
    t->pc = h->pc;
    t->fflags = h->fflags;
    t->frm = h->frm;
    t->code_space = h->code_space;
    t->data_space = h->data_space;
}

void thread_load(struct peer *p, struct thread *t)
{
    struct hart *h = p->hart;
    memcpy(h->x, t->x, sizeof t->x);
    memcpy(h->f, t->f, sizeof t->f);
    h->pc = t->pc;
    h->fflags = t->fflags;
    h->frm = t->frm;
    h->res_addr = ~0ull;
    p->cur = t;
    t->state = THREAD_RUNNING;
    peer_set_env(p, t->code_space, t->data_space);
    hart_flush_rights(h);   /* the hunk rule is the thread's */
}

/* --- frames --- */

static struct frame *push_frame(struct peer *p, enum frame_kind kind, uint64_t pc)
{
    struct thread *t = p->cur;
    struct hart *h = p->hart;
    if (t->depth >= MAX_DEPTH)
        return NULL;
    if (!peer_grow((void **)&t->frames, &t->cap, t->depth, sizeof *t->frames, 16))
        return NULL;
    struct frame *fr = &t->frames[t->depth++];
    memset(fr, 0, sizeof *fr);
    fr->kind = kind;
    fr->code_space = h->code_space;
    fr->data_space = h->data_space;
    memcpy(fr->x, h->x, sizeof fr->x);
    memcpy(fr->f, h->f, sizeof fr->f);
    fr->fflags = h->fflags;
    fr->frm = h->frm;
    fr->pc = pc;
    fr->hunk_top = t->hunk_top;
    fr->stack_lo = t->stack_lo;
    fr->stack_hi = t->stack_hi;
    fr->low_water = UINT64_MAX;
    fr->level = t->level;
    /* An armed pass belongs to the code that armed it: whatever runs above
     * this frame neither sees nor spends it. */
    fr->armed = t->pass;
    t->pass.len = 0;
    h->res_addr = ~0ull;
    return fr;
}

/* Enter a callee: environment, stack view and cleared registers. */
static void enter(struct peer *p, const struct gate *g, uint32_t data_space, uint64_t sp,
                  bool keep_args)
{
    struct hart *h = p->hart;
    struct thread *t = p->cur;
    for (int r = 1; r < 32; r++)
        if (!(keep_args && is_arg(r)) && !(g->flags == PL_GATE_CALLER_DATA && (r == 3 || r == 4)))
            h->x[r] = 0;
    for (int r = 0; r < 32; r++)
        if (!(keep_args && is_arg(r)))
            h->f[r] = 0;
    h->x[1] = PEER_GATE_RETURN;
    h->x[2] = sp;
    if (g->flags == PL_GATE_OWN_DATA) {
        h->x[3] = g->gp;
        h->x[4] = g->tp;
    }
    h->pc = g->entry;
    t->hunk_top = sp;
    peer_set_env(p, g->owner, data_space);
    /* The callee's cached stack rights must be earned again: pages above the
     * new hunk top are no longer its, and stores below it must be seen (to
     * know what to zero at return). */
    if (t->stack_hi > t->stack_lo)
        hart_flush_space_range(h, data_space, t->stack_lo, t->stack_hi);
    h->res_addr = ~0ull;
}

/* Pop the top frame: revoke its pass, zero what the callee may have
 * written of the stack, give back the caller's stack view and environment. */
static struct frame pop_frame(struct peer *p)
{
    struct thread *t = p->cur;
    struct hart *h = p->hart;
    struct frame fr = t->frames[--t->depth];
    struct grant *pass = fr.pass ? grant_get(&p->spaces, fr.pass) : NULL;
    if (pass)
        grant_revoke(&p->spaces, pass);
    if (fr.low_water != UINT64_MAX && fr.low_water < t->hunk_top) {
        uint64_t lo = fr.low_water < t->stack_lo ? t->stack_lo : fr.low_water;
        static const uint8_t zeros[4096];
        for (uint64_t a = lo; a < t->hunk_top;) {
            uint64_t n = t->hunk_top - a < sizeof zeros ? t->hunk_top - a : sizeof zeros;
            hart_write_mem(h, a, zeros, (unsigned)n);
            a += n;
        }
    }
    /* Pages stored to in the callee stay writable in a shared data space:
     * the caller's frame must zero them too when it returns. */
    if (t->depth && fr.stack_lo == t->stack_lo && fr.low_water < t->frames[t->depth - 1].low_water)
        t->frames[t->depth - 1].low_water = fr.low_water;
    t->hunk_top = fr.hunk_top;
    t->stack_lo = fr.stack_lo;
    t->stack_hi = fr.stack_hi;
    t->level = fr.level;
    t->pass = fr.armed;      /* a pass the callee armed and did not use is gone */
    peer_set_env(p, fr.code_space, fr.data_space);
    h->res_addr = ~0ull;
    return fr;
}

/* Back to a CALL frame's caller, with the callee's results (or zeros). */
static void finish_call(struct peer *p, struct frame *fr, bool results, uint64_t status)
{
    struct hart *h = p->hart;
    uint64_t a0 = h->x[10], a1 = h->x[11], fa0 = h->f[10], fa1 = h->f[11];
    for (int r = 1; r < 32; r++)
        h->x[r] = is_saved(r) ? fr->x[r] : 0;
    for (int r = 0; r < 32; r++)
        h->f[r] = is_fsaved(r) ? fr->f[r] : 0;
    if (results) {
        h->x[10] = a0, h->x[11] = a1, h->f[10] = fa0, h->f[11] = fa1;
    }
    h->x[1] = fr->pc;
    h->pc = fr->pc;
    p->cur->status = status;
}

static void restore_all(struct peer *p, const struct frame *fr)
{
    struct hart *h = p->hart;
    memcpy(h->x, fr->x, sizeof h->x);
    memcpy(h->f, fr->f, sizeof h->f);
    h->fflags = fr->fflags;
    h->frm = fr->frm;
    h->pc = fr->pc;
}

/* --- calls and returns --- */

static void fault_record(struct peer *p, struct pl_fault *f, uint64_t cause, uint64_t pc,
                         uint64_t addr, uint64_t missing)
{
    struct hart *h = p->hart;
    *f = (struct pl_fault){ cause, pc, addr, missing, h->data_space, h->code_space, p->cur->id };
}

/* A call that fails before entering the callee comes straight back. */
static void fail_call(struct peer *p, uint64_t cause, uint64_t addr)
{
    struct hart *h = p->hart;
    struct thread *t = p->cur;
    fault_record(p, &t->fault, cause, addr, addr, 0);
    t->status = cause;
    h->x[10] = h->x[11] = 0;
    h->f[10] = h->f[11] = 0;
    h->pc = h->x[1];
}

static struct grant *make_pass(struct peer *p, const struct pl_grant *d, uint32_t from, uint32_t to)
{
    if (d->len == 0 || d->len - 1 > UINT64_MAX - d->base || (d->rights & ~(uint64_t)PL_RIGHTS) || !d->rights)
        return NULL;
    uint64_t last = d->base + d->len - 1;
    struct space *s = space_get(&p->spaces, from);
    struct grant *cover = s ? space_find_cover(s, d->base, last, (unsigned)d->rights | PL_P) : NULL;
    if (cover)
        return grant_make(&p->spaces, cover, from, to, d->base, last, (unsigned)d->rights);
    /* The caller's hunk counts as held with R, W and P for passing. */
    struct thread *t = p->cur;
    if (!(d->rights & ~(uint64_t)(PL_R | PL_W)) && d->base >= t->stack_lo && last < t->hunk_top)
        return grant_make(&p->spaces, NULL, from, to, d->base, last, (unsigned)d->rights);
    return NULL;
}

bool gate_call(struct peer *p, uint64_t addr)
{
    struct hart *h = p->hart;
    struct thread *t = p->cur;
    struct space *cs = space_get(&p->spaces, h->code_space);
    struct gate *g = gate_get(p, addr);
    struct pl_fault f;
    if (!cs || !(space_rights_at(cs, addr, false) & PL_G)) {
        fault_record(p, &f, PL_FAULT_GATE, addr, addr, PL_G);
        return peer_fault(p, &f);
    }
    if (!g) {
        fault_record(p, &f, PL_FAULT_GATE, addr, addr, 0);
        return peer_fault(p, &f);
    }
    struct pl_grant pass = t->pass;
    t->pass.len = 0;
    uint64_t sp = h->x[2];
    if (sp < t->stack_lo || sp > t->stack_hi || sp - t->stack_lo < g->stack_need || t->depth >= MAX_DEPTH) {
        fail_call(p, PL_FAULT_STACK, addr);
        return true;
    }
    uint32_t caller_data = h->data_space;
    uint32_t data = g->flags == PL_GATE_CALLER_DATA ? caller_data : g->owner;
    struct grant *pg = NULL;
    if (pass.len) {
        pg = make_pass(p, &pass, caller_data, data);
        if (!pg) {
            fail_call(p, PL_FAULT_GATE, addr);
            return true;
        }
        pg->pass = true;
    }
    struct frame *fr = push_frame(p, FRAME_CALL, h->x[1]);
    if (!fr) {
        if (pg)
            grant_revoke(&p->spaces, pg);
        fail_call(p, PL_FAULT_STACK, addr);
        return true;
    }
    fr->gate = addr;
    fr->pass = pg ? pg->id : 0;
    enter(p, g, data, sp, true);
    p->gate_calls++;
    g->calls++;
    space_get(&p->spaces, g->owner)->calls++;
    if (p->trace) {
        trace_begin(p->trace, h->instret, t->id, "call", g->owner, data, addr);
    }
    h->cycle_base += h->cost.gate_call;
    return true;
}

bool gate_return(struct peer *p)
{
    struct thread *t = p->cur;
    if (!t->depth) {
        struct pl_fault f;
        fault_record(p, &f, PL_FAULT_RETURN, PEER_GATE_RETURN, PEER_GATE_RETURN, 0);
        return peer_fault(p, &f);
    }
    struct hart *h = p->hart;
    uint64_t a0 = h->x[10], a1 = h->x[11], fa0 = h->f[10], fa1 = h->f[11];
    struct frame fr = pop_frame(p);
    if (fr.kind == FRAME_CALL) {
        h->x[10] = a0, h->x[11] = a1, h->f[10] = fa0, h->f[11] = fa1;
        finish_call(p, &fr, true, 0);
    } else {
        restore_all(p, &fr);
    }
    p->gate_returns++;
    if (p->trace) {
        trace_end(p->trace, h->instret, t->id, "return");
    }
    h->cycle_base += h->cost.gate_return;
    return true;
}

/* --- faults --- */

/* An involuntary gate call (fault gate or interrupt): everything is saved;
 * the handler gets a fresh register file.  Returns false if the stack has
 * no room and there is no emergency stack. */
static bool enter_involuntary(struct peer *p, enum frame_kind kind, const struct gate *g, uint64_t gate_addr)
{
    struct hart *h = p->hart;
    struct thread *t = p->cur;
    uint64_t sp = h->x[2];
    bool room = sp >= t->stack_lo && sp <= t->stack_hi && sp - t->stack_lo >= g->stack_need;
    bool emergency = !room && p->emerg_hi > p->emerg_lo && p->emerg_hi - p->emerg_lo >= g->stack_need;
    if (!room && !emergency)
        return false;
    struct frame *fr = push_frame(p, kind, h->pc);
    if (!fr)
        return false;
    fr->gate = gate_addr;
    if (emergency) {
        t->stack_lo = p->emerg_lo;
        t->stack_hi = p->emerg_hi;
        sp = p->emerg_hi;
    }
    uint32_t data = g->flags == PL_GATE_CALLER_DATA ? h->data_space : g->owner;
    enter(p, g, data, sp, false);
    h->cycle_base += h->cost.trap_entry;
    return true;
}

/* The thread's frames, innermost first, for reports. */
static void record_unwound(struct peer *p, struct thread *t, const struct pl_fault *f)
{
    struct unwound *u = &t->unwound;
    u->valid = true;
    u->fault = *f;
    u->instret = p->hart->instret;
    u->depth = t->depth;
    for (unsigned i = 0; i < t->depth && i < UNWOUND_FRAMES; i++) {
        const struct frame *fr = &t->frames[t->depth - 1 - i];
        u->frames[i] = (struct frame_view){ fr->kind, fr->gate, fr->source, fr->code_space, fr->data_space, fr->pc };
    }
}

/* A fault that no fault gate takes: unwind the innermost frame, or stop. */
static bool unwind(struct peer *p, const struct pl_fault *f)
{
    struct thread *t = p->cur;
    if (!t->depth) {
        t->state = THREAD_FAULTED;
        t->fault = *f;
        if (p->stepping)
            return true;          /* the debugger learns it from THREAD_STEP's result */
        struct thread *next = thread_get(p, p->on_fault);
        if (next && next->state == THREAD_READY) {
            thread_save(p, t);
            t->state = THREAD_FAULTED;
            thread_load(p, next);
            return true;
        }
        p->stopped = true;
        return false;
    }
    record_unwound(p, t, f);
    struct frame fr = pop_frame(p);
    p->unwinds++;
    if (p->trace) {
        trace_end(p->trace, p->hart->instret, t->id, "unwound by a fault");
    }
    if (fr.kind == FRAME_CALL) {
        finish_call(p, &fr, false, f->cause);
        t->fault = *f;
    } else {
        restore_all(p, &fr);
        /* A faulting handler disables its source — if the source is still
         * served by that handler's gate.  A frame left by a handler whose
         * source has since been given another gate (its space destroyed
         * and a new handler made, while this thread was switched away
         * inside the old one) is the old handler's end, not the new one's
         * fault.  Gates are never reused, so the address tells them apart. */
        if (fr.kind == FRAME_INTERRUPT && p->src[fr.source].gate == fr.gate) {
            p->src[fr.source].prio = 0;
            p->src[fr.source].fault = f->cause;
        }
    }
    return true;
}

bool peer_fault(struct peer *p, struct pl_fault *f)
{
    struct thread *t = p->cur;
    struct hart *h = p->hart;
    struct space *fs = space_get(&p->spaces, h->code_space);
    if (fs)
        fs->faults++;
    if (p->trace)
        trace_instant(p->trace, h->instret, t->id, "fault",
                      "\"cause\":%llu,\"pc\":\"0x%llx\",\"address\":\"0x%llx\",\"missing\":%llu,\"space\":%llu",
                      (unsigned long long)f->cause, (unsigned long long)f->pc, (unsigned long long)f->addr,
                      (unsigned long long)f->missing, (unsigned long long)f->space);
    /* A fault handler that faults: back to the faulting code, and its
     * original fault goes on as if there were no fault gate. */
    if (t->depth && t->frames[t->depth - 1].kind == FRAME_FAULT) {
        struct frame fr = pop_frame(p);
        restore_all(p, &fr);
        return unwind(p, &fr.fault);
    }
    struct space *cs = space_get(&p->spaces, h->code_space);
    struct gate *g = cs && cs->fault_gate ? gate_get(p, cs->fault_gate) : NULL;
    if (g && enter_involuntary(p, FRAME_FAULT, g, cs->fault_gate)) {
        struct frame *fr = &t->frames[t->depth - 1];
        if (p->trace) {
            trace_begin(p->trace, h->instret, t->id, "fault gate", g->owner, h->data_space, cs->fault_gate);
        }
        fr->fault = *f;
        h->x[10] = f->cause;
        h->x[11] = f->pc;
        h->x[12] = f->addr;
        h->x[13] = f->missing;
        return true;
    }
    return unwind(p, f);
}

bool interrupt_enter(struct peer *p, unsigned source)
{
    struct irq_source *s = &p->src[source];
    struct gate *g = gate_get(p, s->gate);
    if (!g) {
        s->prio = 0;          /* a source without a handler is disabled */
        return false;
    }
    unsigned level = p->cur->level;
    if (!enter_involuntary(p, FRAME_INTERRUPT, g, s->gate))
        return false;
    struct frame *fr = &p->cur->frames[p->cur->depth - 1];
    fr->source = source;
    fr->level = level;
    p->cur->level = s->prio;
    p->hart->x[10] = source;
    p->interrupts++;
    space_get(&p->spaces, g->owner)->interrupts++;
    if (p->trace) {
        trace_instant(p->trace, p->hart->instret, p->cur->id, "interrupt", "\"source\":%u,\"priority\":%u", source, s->prio);
        trace_begin(p->trace, p->hart->instret, p->cur->id, "interrupt", g->owner, p->hart->data_space, s->gate);
    }
    return true;
}
