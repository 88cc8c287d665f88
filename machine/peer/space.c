/* Spaces and grants. */
#include "peer/space.h"
#include "peer/grow.h"

static bool grow(void **arr, uint64_t *cap, uint64_t need, size_t elem)
{
    return peer_grow(arr, cap, need, elem, 64);
}

bool spaces_init(struct space_table *t)
{
    memset(t, 0, sizeof *t);
    t->next_id = 1;
    t->next_grant = 1;
    /* The root space, holding grant 1: every right over everything. */
    uint32_t root = space_create(t);
    return root == 1 && grant_make(t, NULL, 0, root, 0, UINT64_MAX, 0x1f) != NULL;
}

struct space *space_get(struct space_table *t, uint64_t id)
{
    return id && id < t->next_id ? t->by_id[id] : NULL;
}

uint32_t space_create(struct space_table *t)
{
    if (t->next_id == UINT32_MAX || !grow((void **)&t->by_id, &t->cap, t->next_id, sizeof *t->by_id))
        return 0;
    struct space *s = calloc(1, sizeof *s);
    if (!s)
        return 0;
    s->id = t->next_id++;
    t->by_id[s->id] = s;
    t->live++;
    return s->id;
}

bool space_destroy(struct space_table *t, uint32_t id)
{
    struct space *s = space_get(t, id);
    if (!s || id == 1)
        return false;
    while (s->nheld)
        grant_revoke(t, s->held[s->nheld - 1]);
    t->by_id[id] = NULL;
    t->live--;
    free(s->held);
    free(s->maxlast);
    free(s);
    return true;
}

void spaces_free(struct space_table *t)
{
    for (uint32_t i = 1; i < t->next_id; i++)
        if (t->by_id[i]) {
            free(t->by_id[i]->held);
            free(t->by_id[i]->maxlast);
            free(t->by_id[i]);
        }
    for (uint64_t i = 1; i < t->next_grant; i++)
        free(t->grants[i]);
    free(t->by_id);
    free(t->grants);
}

/* --- the sorted index of a space's grants --- */

/* Index of the last grant whose base is <= a, or -1. */
static long last_at_or_below(const struct space *s, uint64_t a)
{
    long lo = 0, hi = (long)s->nheld;      /* first index with base > a lies in [lo, hi] */
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (s->held[mid]->base <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

static void reindex_from(struct space *s, uint32_t pos)
{
    for (uint32_t i = pos; i < s->nheld; i++) {
        s->held[i]->slot = i;
        uint64_t prev = i ? s->maxlast[i - 1] : 0;
        s->maxlast[i] = s->held[i]->last > prev ? s->held[i]->last : prev;
    }
}

/* Visit every grant G_ of S_ that contains all of [LO_, HI_]. */
#define FOR_EACH_COVER(S_, LO_, HI_, G_)                                        \
    for (long i_ = last_at_or_below(S_, LO_); i_ >= 0 && (S_)->maxlast[i_] >= (HI_); i_--) \
        for (const struct grant *G_ = (S_)->held[i_]; G_ && G_->last >= (HI_); G_ = NULL)

/* --- rights --- */

unsigned space_rights_at(const struct space *s, uint64_t a, bool passes_only)
{
    unsigned r = 0;
    FOR_EACH_COVER(s, a, a, g)
        if (g->pass || !passes_only)
            r |= g->rights;
    return r;
}

unsigned space_rights_over(const struct space *s, uint64_t base, uint64_t last, bool passes_only)
{
    /* Only grants covering the whole range count: cheap and exact enough
     * for caching (a range covered piecewise just is not cached). */
    unsigned r = 0;
    FOR_EACH_COVER(s, base, last, g)
        if (g->pass || !passes_only)
            r |= g->rights;
    return r;
}

struct grant *space_find_cover(const struct space *s, uint64_t base, uint64_t last, unsigned rights)
{
    const struct grant *best = NULL;
    FOR_EACH_COVER(s, base, last, g)
        if ((g->rights & rights) == rights && (!best || g->id < best->id))
            best = g;
    return (struct grant *)best;
}

/* --- grants --- */

struct grant *grant_get(struct space_table *t, uint64_t id)
{
    return id && id < t->next_grant ? t->grants[id] : NULL;
}

struct grant *grant_make(struct space_table *t, struct grant *parent, uint32_t granter,
                         uint32_t grantee, uint64_t base, uint64_t last, unsigned rights)
{
    struct space *s = space_get(t, grantee);
    if (!s || !grow((void **)&t->grants, &t->grant_cap, t->next_grant, sizeof *t->grants))
        return NULL;
    /* held and maxlast grow together: cap changes only when both did. */
    uint64_t cap = s->cap, cap2 = s->cap;
    if (!grow((void **)&s->held, &cap, s->nheld, sizeof *s->held) ||
        !grow((void **)&s->maxlast, &cap2, s->nheld, sizeof *s->maxlast))
        return NULL;
    s->cap = cap;
    struct grant *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->id = t->next_grant++;
    g->granter = granter;
    g->grantee = grantee;
    g->base = base;
    g->last = last;
    g->rights = rights;
    g->parent = parent;
    if (parent) {
        g->next = parent->child;
        if (parent->child)
            parent->child->prev = g;
        parent->child = g;
    }
    /* Insert after every grant with base <= this one's (appending is the
     * common case: ranges handed out in increasing order). */
    uint32_t pos = (uint32_t)(last_at_or_below(s, base) + 1);
    memmove(&s->held[pos + 1], &s->held[pos], (s->nheld - pos) * sizeof *s->held);
    s->held[pos] = g;
    s->nheld++;
    reindex_from(s, pos);
    t->grants[g->id] = g;
    struct space *by = space_get(t, granter);
    if (by)
        by->made++;
    return g;
}

static void unlink_one(struct space_table *t, struct grant *g)
{
    struct space *s = space_get(t, g->grantee);
    if (s) {
        uint32_t pos = g->slot;
        memmove(&s->held[pos], &s->held[pos + 1], (s->nheld - pos - 1) * sizeof *s->held);
        s->nheld--;
        reindex_from(s, pos);
    }
    if (g->prev)
        g->prev->next = g->next;
    else if (g->parent)
        g->parent->child = g->next;
    if (g->next)
        g->next->prev = g->prev;
    t->grants[g->id] = NULL;
    free(g);
}

void grant_revoke(struct space_table *t, struct grant *g)
{
    /* Depth first without recursion: descend to a leaf, remove it, repeat. */
    struct grant *top = g;
    for (;;) {
        struct grant *n = top;
        while (n->child)
            n = n->child;
        bool done = n == top;
        if (t->on_revoke)
            t->on_revoke(t->ctx, n);
        unlink_one(t, n);
        if (done)
            break;
    }
}
