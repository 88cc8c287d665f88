/* Spaces and grants: who holds which rights over which bytes.
 *
 * A grant is a node in a tree rooted at grant 1 (everything, held by the
 * root space) or at a gate's own grant; revoking a node removes its whole
 * subtree.  Each space keeps the grants it holds in an array, which is what
 * rights queries scan (only on the slow path: the hart caches the result
 * per page).
 */
#ifndef PEERLESS_PEER_SPACE_H
#define PEERLESS_PEER_SPACE_H

#include <stdbool.h>
#include <stdint.h>

struct grant {
    uint64_t id;
    uint32_t granter, grantee;      /* granter 0: made by the machine */
    uint64_t base, last;            /* inclusive: [base, last] */
    unsigned rights;
    uint64_t gate;                  /* a gate's own grant: the gate number */
    bool pass;                      /* made by a gate call for its duration */
    struct grant *parent, *child, *next, *prev;   /* the derivation tree */
    uint32_t slot;                  /* index in the grantee's held[] (kept sorted by base) */
};

/* A space's grants are kept sorted by base, with the running maximum of
 * their ends (maxlast[i] = max of held[0..i]->last), so a query scans back
 * from the last grant starting at or below the address only while some
 * grant could still reach it. */
struct space {
    uint32_t id;
    struct grant **held;
    uint64_t *maxlast;
    uint32_t nheld;
    uint64_t cap;
    uint64_t fault_gate;            /* gate address, 0 for none */
    /* Counters: instructions run with this code space, gate calls into it,
     * faults and interrupts taken while it ran or in it, and misses and
     * hits of the protection lookaside cache on its behalf (the hits of
     * the cache sets it still holds are counted in the hart: peer_plb_hits). */
    uint64_t insns, calls, faults, interrupts, plb_misses, plb_hits;
    uint64_t made;                  /* grants made, for counters */
};

struct space_table {
    struct space **by_id;           /* index = id; NULL once destroyed */
    uint32_t next_id;
    uint64_t cap;
    uint32_t live;
    struct grant **grants;          /* index = grant id; NULL once gone */
    uint64_t next_grant, grant_cap;
    /* Called for every grant removed, so rights cached from it can be dropped. */
    void (*on_revoke)(void *ctx, const struct grant *g);
    void *ctx;
};

bool spaces_init(struct space_table *t);
void spaces_free(struct space_table *t);

struct space *space_get(struct space_table *t, uint64_t id);
/* A new space holding nothing: its id, or 0 if out of room. */
uint32_t space_create(struct space_table *t);
/* Destroy: every grant it holds goes (cascading).  Returns false for the
 * root space or an unknown id. */
bool space_destroy(struct space_table *t, uint32_t id);

/* The rights `s` holds at byte a (union of its grants, or of its passes only). */
unsigned space_rights_at(const struct space *s, uint64_t a, bool passes_only);
/* The rights `s` holds at every byte of [base, last]. */
unsigned space_rights_over(const struct space *s, uint64_t base, uint64_t last, bool passes_only);
/* The lowest-id grant of s covering [base, last] with all of `rights`. */
struct grant *space_find_cover(const struct space *s, uint64_t base, uint64_t last, unsigned rights);

/* Make a grant (no checks but existence): returns it, or NULL. */
struct grant *grant_make(struct space_table *t, struct grant *parent, uint32_t granter,
                         uint32_t grantee, uint64_t base, uint64_t last, unsigned rights);
struct grant *grant_get(struct space_table *t, uint64_t id);
/* Remove a grant and its whole subtree. */
void grant_revoke(struct space_table *t, struct grant *g);

#endif
