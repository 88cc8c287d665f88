/* The PL instructions (custom-0): grant, revoke, drop, pass, gates, status,
 * fault records, queries, and the fault frame's registers.  Each acts on
 * behalf of the hart's current data space (the acting space). */
#include "peer/grow.h"
#include "peer/peer.h"

#include <stdlib.h>
#include <string.h>

static bool read_desc(struct peer *p, uint64_t addr, void *buf, unsigned n)
{
    return peer_data_ok(p, p->hart->data_space, addr, n, PL_R) && hart_read_mem(p->hart, addr, buf, n);
}

bool peer_write_record(struct peer *p, uint32_t space, uint64_t addr, const void *buf, unsigned n)
{
    return peer_data_ok(p, space, addr, n, PL_W) && hart_write_mem(p->hart, addr, buf, n);
}

/* A range and rights as a descriptor gives them: [base, *last]. */
static bool range_ok(const struct pl_grant *d, uint64_t *last)
{
    if (d->len == 0 || d->len - 1 > UINT64_MAX - d->base || !d->rights || (d->rights & ~(uint64_t)PL_RIGHTS))
        return false;
    *last = d->base + d->len - 1;
    return true;
}

static long op_grant(struct peer *p, uint32_t acting, uint64_t addr)
{
    struct pl_grant d;
    uint64_t last;
    if (!read_desc(p, addr, &d, sizeof d))
        return PL_E_FAULT;
    if (!range_ok(&d, &last))
        return PL_E_INVAL;
    if (d.space > UINT32_MAX || !space_get(&p->spaces, d.space))
        return PL_E_SPACE;
    struct grant *cover = space_find_cover(space_get(&p->spaces, acting), d.base, last, (unsigned)d.rights | PL_P);
    if (!cover)
        return PL_E_RIGHTS;
    struct grant *g = grant_make(&p->spaces, cover, acting, (uint32_t)d.space, d.base, last, (unsigned)d.rights);
    if (g && p->trace)
        trace_instant(p->trace, p->hart->instret, p->cur->id, "grant",
                      "\"id\":%llu,\"from\":%u,\"to\":%llu,\"base\":\"0x%llx\",\"len\":\"0x%llx\",\"rights\":%llu",
                      (unsigned long long)g->id, acting, (unsigned long long)d.space, (unsigned long long)d.base,
                      (unsigned long long)d.len, (unsigned long long)d.rights);
    return g ? (long)g->id : PL_E_NOMEM;
}

static long op_grant_all(struct peer *p, uint32_t acting, uint64_t to, uint64_t mask)
{
    if (mask & ~(uint64_t)PL_RIGHTS)
        return PL_E_INVAL;
    if (to > UINT32_MAX || !space_get(&p->spaces, to))
        return PL_E_SPACE;
    struct space *s = space_get(&p->spaces, acting);
    /* Walk by grant id: the holder's array may grow (granting to oneself). */
    uint32_t n = s->nheld;
    uint64_t ids[n ? n : 1];
    for (uint32_t i = 0; i < n; i++)
        ids[i] = s->held[i]->id;
    long made = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct grant *g = grant_get(&p->spaces, ids[i]);
        if (!g || !(g->rights & PL_P) || !(g->rights & mask))
            continue;
        if (!grant_make(&p->spaces, g, acting, (uint32_t)to, g->base, g->last, g->rights & (unsigned)mask))
            return PL_E_NOMEM;
        made++;
    }
    return made;
}

static long op_gate(struct peer *p, uint32_t acting, uint64_t addr)
{
    struct pl_gate d;
    if (!read_desc(p, addr, &d, sizeof d))
        return PL_E_FAULT;
    if (d.flags > PL_GATE_CALLER_DATA)
        return PL_E_INVAL;
    struct space *s = space_get(&p->spaces, acting);
    if (!s || (space_rights_at(s, d.entry, false) & PL_X) == 0 || (space_rights_at(s, d.entry + 1, false) & PL_X) == 0)
        return PL_E_RIGHTS;
    if (p->ngates >= PEER_GATE_MAX)
        return PL_E_NOMEM;
    if (!peer_grow((void **)&p->gates, &p->gate_cap, p->ngates, sizeof *p->gates, 64))
        return PL_E_NOMEM;
    uint64_t n = p->ngates;
    uint64_t gaddr = PEER_GATE_ADDR(n);
    struct grant *own = grant_make(&p->spaces, NULL, 0, acting, gaddr, gaddr + PEER_GATE_STRIDE - 1, PL_G | PL_P);
    if (!own)
        return PL_E_NOMEM;
    own->gate = n;
    p->gates[n] = (struct gate){ .owner = acting, .entry = d.entry, .gp = d.gp, .tp = d.tp,
                                 .flags = d.flags, .stack_need = d.stack_need, .own = own };
    p->ngates++;
    return (long)gaddr;
}

static long op_ungate(struct peer *p, uint32_t acting, uint64_t addr)
{
    struct gate *g = gate_get(p, addr);
    if (!g || g->owner != acting)
        return PL_E_GATE;
    g->owner = 0;
    if (grant_get(&p->spaces, g->own ? g->own->id : 0) == g->own)
        grant_revoke(&p->spaces, g->own);
    g->own = NULL;
    return 0;
}

/* The FAULT frame whose handler is running now, if any. */
static struct frame *handled_fault(struct peer *p)
{
    struct thread *t = p->cur;
    for (unsigned i = t->depth; i-- > 0;) {
        struct frame *fr = &t->frames[i];
        if (fr->kind == FRAME_FAULT) {
            struct gate *g = gate_get(p, fr->gate);
            return g && g->owner == p->hart->code_space ? fr : NULL;
        }
    }
    return NULL;
}

static long op_frame(struct peer *p, bool set, uint64_t reg, uint64_t val)
{
    struct frame *fr = handled_fault(p);
    if (!fr)
        return PL_E_GATE;
    if (reg > 64)
        return PL_E_INVAL;
    uint64_t *slot = reg < 32 ? &fr->x[reg] : reg < 64 ? &fr->f[reg - 32] : &fr->pc;
    if (!set)
        return reg == 0 ? 0 : (long)*slot;
    if (reg != 0)
        *slot = reg == 64 ? val & ~1ull : val;
    return 0;
}

uint64_t pl_execute(struct peer *p, unsigned op, uint64_t a, uint64_t b)
{
    struct hart *h = p->hart;
    uint32_t acting = h->data_space;
    struct thread *t = p->cur;
    struct grant *g;
    if (op != PL_OP_SELF && op != PL_OP_STATUS && op != PL_OP_QUERY)
        h->cycle_base += h->cost.pl_op;
    switch (op) {
    case PL_OP_SELF:
        return a == 0 ? h->data_space : a == 1 ? h->code_space : (uint64_t)PL_E_INVAL;
    case PL_OP_GRANT:
        return (uint64_t)op_grant(p, acting, a);
    case PL_OP_REVOKE:
        g = grant_get(&p->spaces, a);
        if (!g || g->granter != acting)
            return (uint64_t)PL_E_GRANT;
        if (p->trace)
            trace_instant(p->trace, h->instret, t->id, "revoke", "\"id\":%llu,\"by\":%u,\"from\":%u",
                          (unsigned long long)g->id, acting, g->grantee);
        grant_revoke(&p->spaces, g);
        return 0;
    case PL_OP_DROP:
        g = grant_get(&p->spaces, a);
        if (!g || g->grantee != acting || g->gate)
            return (uint64_t)PL_E_GRANT;
        grant_revoke(&p->spaces, g);
        return 0;
    case PL_OP_PASS: {
        struct pl_grant d;
        uint64_t last;
        if (!read_desc(p, a, &d, sizeof d))
            return (uint64_t)PL_E_FAULT;
        if (!range_ok(&d, &last))
            return (uint64_t)PL_E_INVAL;
        t->pass = d;
        return 0;
    }
    case PL_OP_GATE:
        return (uint64_t)op_gate(p, acting, a);
    case PL_OP_UNGATE:
        return (uint64_t)op_ungate(p, acting, a);
    case PL_OP_STATUS:
        return t->status;
    case PL_OP_FAULTINFO:
        return peer_write_record(p, acting, a, &t->fault, sizeof t->fault) ? 0 : (uint64_t)PL_E_FAULT;
    case PL_OP_QUERY:
        return peer_data_rights(p, acting, a) | (space_get(&p->spaces, acting) ?
               space_rights_at(space_get(&p->spaces, acting), a, false) & (PL_X | PL_G | PL_P) : 0);
    case PL_OP_GRANT_ALL:
        return (uint64_t)op_grant_all(p, acting, a, b);
    case PL_OP_FRAME_GET:
        return (uint64_t)op_frame(p, false, a, 0);
    case PL_OP_FRAME_SET:
        return (uint64_t)op_frame(p, true, a, b);
    case PL_OP_FRAMES: {
        /* Innermost first: frame k's callee runs in the environment that
         * frame k+1 saved as its caller (or the current one). */
        for (unsigned j = 0; j < t->depth && j < b; j++) {
            unsigned k = t->depth - 1 - j;
            const struct frame *fr = &t->frames[k];
            bool top = k == t->depth - 1;
            struct pl_frame_info fi = {
                fr->kind == FRAME_CALL ? PL_FRAME_CALL : fr->kind == FRAME_INTERRUPT ? PL_FRAME_INTERRUPT : PL_FRAME_FAULT,
                fr->code_space, fr->data_space,
                top ? h->code_space : t->frames[k + 1].code_space,
                top ? h->data_space : t->frames[k + 1].data_space,
                top ? t->hunk_top : t->frames[k + 1].hunk_top,
                fr->gate,
            };
            if (!peer_write_record(p, acting, a + j * sizeof fi, &fi, sizeof fi))
                return (uint64_t)PL_E_FAULT;
        }
        return t->depth;
    }
    }
    return (uint64_t)PL_E_INVAL;
}
