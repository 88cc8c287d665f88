/* Spaces and grants: rights add up, derivation is a tree, and revoking a
 * grant removes exactly its subtree. */
#include "peer/space.h"
#include "unit.h"

#include <peerless/peer.h>
#include <stdlib.h>

static int revokes;
static void count_revoke(void *ctx, const struct grant *g) { (void)ctx; (void)g; revokes++; }

int main(void)
{
    struct space_table t;
    CHECK(spaces_init(&t));
    t.on_revoke = count_revoke;
    struct space *root = space_get(&t, 1);
    CHECK(root != NULL);
    CHECK_EQ(space_rights_at(root, 0, false), PL_RIGHTS);
    CHECK_EQ(space_rights_at(root, UINT64_MAX, false), PL_RIGHTS);
    CHECK_EQ(t.live, 1);

    uint32_t a = space_create(&t), b = space_create(&t), c = space_create(&t);
    CHECK(a == 2 && b == 3 && c == 4);
    CHECK_EQ(t.live, 4);
    struct space *sa = space_get(&t, a), *sb = space_get(&t, b), *sc = space_get(&t, c);
    CHECK_EQ(space_rights_at(sa, 0x80000000, false), 0);

    /* root -> a (RW+P over a page) -> b (R+P) -> c (R) */
    struct grant *g1 = space_find_cover(root, 0x80000000, 0x80000fff, PL_R | PL_W | PL_P);
    CHECK(g1 && g1->id == 1);
    struct grant *ga = grant_make(&t, g1, 1, a, 0x80000000, 0x80000fff, PL_R | PL_W | PL_P);
    CHECK(ga != NULL);
    CHECK_EQ(space_rights_at(sa, 0x80000000, false), PL_R | PL_W | PL_P);
    CHECK_EQ(space_rights_at(sa, 0x80001000, false), 0);
    CHECK_EQ(space_rights_over(sa, 0x80000000, 0x80000fff, false), PL_R | PL_W | PL_P);
    CHECK_EQ(space_rights_over(sa, 0x80000000, 0x80001000, false), 0);
    CHECK(space_find_cover(sa, 0x80000100, 0x800001ff, PL_R | PL_P) == ga);
    CHECK(space_find_cover(sa, 0x80000100, 0x80001000, PL_R) == NULL);   /* larger than held */
    CHECK(space_find_cover(sa, 0x80000100, 0x800001ff, PL_X) == NULL);   /* more rights than held */
    struct grant *gb = grant_make(&t, ga, a, b, 0x80000100, 0x800001ff, PL_R | PL_P);
    struct grant *gc = grant_make(&t, gb, b, c, 0x80000100, 0x8000010f, PL_R);
    CHECK(gb && gc);
    CHECK_EQ(space_rights_at(sc, 0x80000100, false), PL_R);
    CHECK_EQ(space_rights_at(sc, 0x80000110, false), 0);
    CHECK(space_find_cover(sc, 0x80000100, 0x80000100, PL_R | PL_P) == NULL);  /* no P: no re-grant */

    /* overlapping regions: rights are the union */
    struct grant *gx = grant_make(&t, g1, 1, c, 0x80000108, 0x80000117, PL_W);
    CHECK_EQ(space_rights_at(sc, 0x80000108, false), PL_R | PL_W);
    CHECK_EQ(space_rights_at(sc, 0x80000110, false), PL_W);
    uint64_t idx = gx->id;

    /* revoking the middle of the chain removes its subtree, and only that */
    uint64_t idb = gb->id, idc = gc->id;
    grant_revoke(&t, gb);
    CHECK(grant_get(&t, idb) == NULL);
    CHECK(grant_get(&t, idc) == NULL);
    CHECK(grant_get(&t, idx) != NULL);
    CHECK_EQ(space_rights_at(sb, 0x80000100, false), 0);
    CHECK_EQ(space_rights_at(sc, 0x80000100, false), 0);
    CHECK_EQ(space_rights_at(sc, 0x80000108, false), PL_W);
    CHECK_EQ(space_rights_at(sa, 0x80000100, false), PL_R | PL_W | PL_P);
    CHECK_EQ(revokes, 2);      /* gb and gc */

    /* a long chain, revoked from its root */
    struct grant *prev = ga;
    uint32_t ids[200];
    for (int i = 0; i < 200; i++) {
        ids[i] = space_create(&t);
        prev = grant_make(&t, prev, prev->grantee, ids[i], 0x80000000, 0x80000fff, PL_R | PL_P);
        CHECK(prev != NULL);
    }
    CHECK_EQ(space_rights_at(space_get(&t, ids[199]), 0x80000000, false), PL_R | PL_P);
    grant_revoke(&t, ga);
    for (int i = 0; i < 200; i += 37)
        CHECK_EQ(space_rights_at(space_get(&t, ids[i]), 0x80000000, false), 0);
    CHECK_EQ(space_rights_at(sa, 0x80000000, false), 0);

    /* destroying a space removes what it held and what derived from it */
    struct grant *h1 = grant_make(&t, g1, 1, a, 0x90000000, 0x90000fff, PL_R | PL_P);
    struct grant *h2 = grant_make(&t, h1, a, b, 0x90000000, 0x90000fff, PL_R);
    uint64_t id2 = h2->id;
    CHECK(space_destroy(&t, a));
    CHECK(space_get(&t, a) == NULL);
    CHECK(grant_get(&t, id2) == NULL);
    CHECK_EQ(space_rights_at(sb, 0x90000000, false), 0);
    CHECK(!space_destroy(&t, 1));          /* the root stays */
    CHECK(!space_destroy(&t, a));          /* already gone */
    CHECK(space_get(&t, 999999) == NULL);

    /* many overlapping grants in one space, made and revoked in random
     * order: the sorted index answers as a scan of every grant would */
    {
        uint32_t m = space_create(&t);
        struct space *sm = space_get(&t, m);
        struct grant *gs[400];
        srand(7);
        for (int i = 0; i < 400; i++) {
            uint64_t base = 0x1000 + (uint64_t)(rand() % 5000) * 16, len = 1 + (uint64_t)(rand() % 3000);
            gs[i] = grant_make(&t, g1, 1, m, base, base + len - 1, 1u << (rand() % 5));
        }
        for (int i = 0; i < 400; i += 3) {
            grant_revoke(&t, gs[i]);
            gs[i] = NULL;
        }
        bool same = true;
        for (uint64_t a = 0xff0; a < 0x1000 + 5000 * 16 + 3100; a += 7) {
            unsigned want = 0, want_over = 0;
            for (int i = 0; i < 400; i++)
                if (gs[i] && a >= gs[i]->base && a <= gs[i]->last) {
                    want |= gs[i]->rights;
                    if (a + 40 <= gs[i]->last)
                        want_over |= gs[i]->rights;
                }
            same &= space_rights_at(sm, a, false) == want;
            same &= space_rights_over(sm, a, a + 40, false) == want_over;
        }
        CHECK(same);
    }

    /* many spaces, each with a region */
    uint32_t before = t.live;
    bool all = true;
    for (int i = 0; i < 100000; i++) {
        uint32_t s = space_create(&t);
        all &= s != 0 && grant_make(&t, g1, 1, s, 0xa0000000 + 4096ull * i, 0xa0000fff + 4096ull * i, PL_R) != NULL;
    }
    CHECK(all);
    CHECK_EQ(t.live, before + 100000);
    spaces_free(&t);
    return unit_report("space");
}
