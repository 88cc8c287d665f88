#include "peer/inspect.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void rights(unsigned r, char out[6])
{
    static const char letters[] = "RWXGP";
    for (int i = 0; i < 5; i++)
        out[i] = r & (1u << i) ? letters[i] : '-';
    out[5] = 0;
}

static void spaces(const struct peer *p, FILE *out)
{
    const struct space_table *t = &p->spaces;
    const struct hart *h = p->hart;
    fprintf(out, "%u spaces; running: code space %u, data space %u\n", t->live, h->code_space, h->data_space);
    for (uint32_t id = 1; id < t->next_id; id++) {
        const struct space *s = t->by_id[id];
        if (!s)
            continue;
        fprintf(out, "space %u: %u grants held, %" PRIu64 " made", id, s->nheld, s->made);
        if (s->fault_gate)
            fprintf(out, ", fault gate 0x%" PRIx64, s->fault_gate);
        if (id == h->code_space || id == h->data_space)
            fprintf(out, " [%s%s]", id == h->code_space ? "code" : "", id == h->data_space ?
                    (id == h->code_space ? ", data" : "data") : "");
        fputc('\n', out);
    }
}

static bool regions(const struct peer *p, const char *arg, FILE *out)
{
    char *end;
    unsigned long id = strtoul(arg, &end, 0);
    const struct space_table *t = &p->spaces;
    const struct space *s = *arg && !*end && id && id < t->next_id ? t->by_id[id] : NULL;
    if (!s) {
        fprintf(out, "no space '%s' (monitor spaces lists them)\n", arg);
        return true;
    }
    fprintf(out, "space %u holds %u grants:\n", s->id, s->nheld);
    for (uint32_t i = 0; i < s->nheld; i++) {
        const struct grant *g = s->held[i];
        char r[6];
        rights(g->rights, r);
        fprintf(out, "  [0x%016" PRIx64 ", 0x%016" PRIx64 "] %s  grant %" PRIu64 " from space %u",
                g->base, g->last, r, g->id, g->granter);
        if (g->pass)
            fprintf(out, " (pass, for one gate call)");
        if (g->gate)
            fprintf(out, " (own grant of gate %" PRIu64 ")", g->gate);
        fputc('\n', out);
    }
    return true;
}

static void gates(const struct peer *p, FILE *out)
{
    unsigned n = 0;
    for (uint64_t i = 1; i < p->ngates; i++) {
        const struct gate *g = &p->gates[i];
        if (!g->owner)
            continue;
        n++;
        fprintf(out, "gate %" PRIu64 " at 0x%016" PRIx64 ": into space %u, entry 0x%" PRIx64 ", %s data, "
                "stack need %" PRIu64 "\n", i, (uint64_t)PEER_GATE_ADDR(i), g->owner, g->entry,
                g->flags == PL_GATE_CALLER_DATA ? "caller's" : "own", g->stack_need);
    }
    if (!n)
        fprintf(out, "no gates\n");
}

static void spillet(const struct peer *p, FILE *out)
{
    static const char *const kinds[] = { "call", "interrupt", "fault" };
    const struct thread *t = p->cur;
    const struct hart *h = p->hart;
    if (!t) {
        fprintf(out, "no running thread\n");
        return;
    }
    fprintf(out, "thread %u: code space %u, data space %u, stack [0x%" PRIx64 ", 0x%" PRIx64 "), "
            "interrupt level %u, %u frames\n", t->id, h->code_space, h->data_space,
            t->stack_lo, t->stack_hi, t->level, t->depth);
    for (unsigned i = t->depth; i-- > 0;) {   /* innermost first, as a backtrace */
        const struct frame *f = &t->frames[i];
        fprintf(out, "  #%u %s", t->depth - 1 - i, kinds[f->kind]);
        if (f->kind == FRAME_CALL)
            fprintf(out, " through gate 0x%" PRIx64, f->gate);
        else if (f->kind == FRAME_INTERRUPT)
            fprintf(out, " from source %u", f->source);
        else
            fprintf(out, " (cause %" PRIu64 " at pc 0x%" PRIx64 ")", f->fault.cause, f->fault.pc);
        fprintf(out, ", returns to pc 0x%" PRIx64 " in code space %u, data space %u, hunk top 0x%" PRIx64 "%s\n",
                f->pc, f->code_space, f->data_space, f->hunk_top, f->pass ? ", with a pass" : "");
    }
}

/* --- fault reports --- */

const char *peer_right_name(uint64_t r)
{
    switch (r) {
    case PL_R: return "R";
    case PL_W: return "W";
    case PL_X: return "X";
    case PL_G: return "G";
    case PL_P: return "P";
    }
    return "-";
}

const char *peer_fault_name(uint64_t cause)
{
    switch (cause) {
    case PL_FAULT_FETCH: return "fetch without X";
    case PL_FAULT_LOAD: return "load without R";
    case PL_FAULT_STORE: return "store without W";
    case PL_FAULT_GATE: return "gate call refused";
    case PL_FAULT_RETURN: return "return with no gate call";
    case PL_FAULT_STACK: return "no stack room";
    case PL_FAULT_CONTROL: return "control page refused the access";
    }
    return cause >= 1 && cause <= 16 ? hart_cause_name(cause - 1) : "unknown fault";
}

/* " (name)" for a code address with a symbol, else "". */
static const char *named(peer_symbolize_fn sym, void *ctx, uint64_t addr, char *buf, size_t n)
{
    char name[160];
    sym(ctx, addr, name, sizeof name);
    snprintf(buf, n, *name ? " (%s)" : "", name);
    return buf;
}

static const struct gate *gate_at(const struct peer *p, uint64_t addr)
{
    uint64_t off = addr - PEER_GATE_BASE, n = off / PEER_GATE_STRIDE;
    if (addr < PEER_GATE_BASE || off % PEER_GATE_STRIDE || n < 1 || n >= p->ngates || !p->gates[n].owner)
        return NULL;
    return &p->gates[n];
}

void peer_report_unwound(const struct peer *p, const struct thread *t, peer_symbolize_fn sym, void *ctx,
                         FILE *out)
{
    static const char *const kinds[] = { "call through gate", "interrupt from source %u through gate",
                                         "fault handler through gate" };
    const struct unwound *u = &t->unwound;
    if (!u->valid)
        return;
    const struct pl_fault *f = &u->fault;
    char a[200], b[200];
    fprintf(out, "peerless: thread %u's last fault unwound from a gate frame, %llu instructions before the end: "
            "%s (fault %llu) at pc 0x%016llx%s, address 0x%016llx, missing right %s, data space %llu, "
            "code space %llu; its gate frames then, innermost first:\n",
            t->id, (unsigned long long)(p->hart->instret - u->instret), peer_fault_name(f->cause),
            (unsigned long long)f->cause, (unsigned long long)f->pc, named(sym, ctx, f->pc, a, sizeof a),
            (unsigned long long)f->addr, peer_right_name(f->missing), (unsigned long long)f->space,
            (unsigned long long)f->code_space);
    for (unsigned i = 0; i < u->depth && i < UNWOUND_FRAMES; i++) {
        const struct frame_view *v = &u->frames[i];
        const struct gate *g = gate_at(p, v->gate);
        fprintf(out, "  #%u ", i);
        fprintf(out, kinds[v->kind], v->source);
        fprintf(out, " 0x%016llx", (unsigned long long)v->gate);
        if (g)
            fprintf(out, " to 0x%llx%s", (unsigned long long)g->entry, named(sym, ctx, g->entry, a, sizeof a));
        fprintf(out, ", from space %u (data space %u), returns to pc 0x%016llx%s\n", v->code_space,
                v->data_space, (unsigned long long)v->pc, named(sym, ctx, v->pc, b, sizeof b));
    }
    if (u->depth > UNWOUND_FRAMES)
        fprintf(out, "  ... %u frames more\n", u->depth - UNWOUND_FRAMES);
}

/* --- monitor commands --- */

bool peer_inspect(const struct peer *p, const char *cmd, FILE *out)
{
    if (!strcmp(cmd, "help")) {
        fprintf(out, "monitor spaces: every space, its grants, the running environment\n"
                     "monitor regions SPACE: the regions SPACE holds rights over, and from whom\n"
                     "monitor gates: every gate, its space and entry\n"
                     "monitor spillet: the running thread's frames (gate calls, interrupts, faults)\n");
        return true;
    }
    if (!strcmp(cmd, "spaces"))
        spaces(p, out);
    else if (!strncmp(cmd, "regions", 7) && (cmd[7] == ' ' || !cmd[7]))
        return regions(p, cmd[7] ? cmd + 8 : "", out);
    else if (!strcmp(cmd, "gates"))
        gates(p, out);
    else if (!strcmp(cmd, "spillet"))
        spillet(p, out);
    else
        return false;
    return true;
}
