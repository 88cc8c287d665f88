/* The grants demo: a transitive chain of grants and a cascading revoke,
 * step by step.  This program (A) owns a page; three relays, libraries in
 * spaces of their own (B, C, D), pass it on when asked: A grants B R|W|P,
 * B grants C R|P, C grants D R.  After each step every space's rights over
 * the page are shown (each asks the machine itself: pl_query), and whether
 * D can read it.  Revoking a grant takes every grant derived from it. */
#include <stdio.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../relay/relay.h"

static uint64_t page[512] __attribute__((aligned(4096))) = { 0x6772616e74 };
static struct klib_info r[3];
static const char *const names[3] = { "B", "C", "D" };
static int failures;

static const char *rights(long v, char out[8])
{
    int n = 0;
    if (v < 0)
        return "err";
    if (v & PL_R) out[n++] = 'R';
    if (v & PL_W) out[n++] = 'W';
    if (v & PL_X) out[n++] = 'X';
    if (v & PL_G) out[n++] = 'G';
    if (v & PL_P) out[n++] = 'P';
    if (!n)
        out[n++] = '-';
    out[n] = 0;
    return out;
}

static long relay(int i, long op, long a1, long a2, long a3, long a4)
{
    return pl_call(r[i].gate, op, a1, a2, a3, a4);
}

/* The rights of B, C and D over the page, and D's read; check them. */
static void show(const char *want_b, const char *want_c, const char *want_d)
{
    char t[3][8];
    const char *want[3] = { want_b, want_c, want_d };
    printf("        rights over the page:");
    for (int i = 0; i < 3; i++) {
        rights(relay(i, RELAY_QUERY, (long)page, 0, 0, 0), t[i]);
        printf(" %s=%s", names[i], t[i]);
        if (strcmp(t[i], want[i]))
            printf(" (EXPECTED %s)", want[i]), failures++;
    }
    long v = relay(2, RELAY_READ, (long)page, 0, 0, 0);
    long st = pl_status();
    if (st)
        printf("; D's read faults (status %ld)\n", st);
    else
        printf("; D reads 0x%lx\n", (unsigned long)v);
    if ((st == 0) != (want_d[0] == 'R'))
        failures++;
}

int main(void)
{
    static const char *const images[3] = { "relay", "relay2", "relay3" };
    for (int i = 0; i < 3; i++)
        if (os_library(images[i], &r[i]) <= 0) {
            printf("grants: cannot load %s\n", images[i]);
            return 1;
        }
    printf("grants: A = this program (space %lu); B, C, D = relays in spaces %lu, %lu, %lu; the page is at 0x%lx\n",
           (unsigned long)pl_self(), (unsigned long)r[0].space, (unsigned long)r[1].space,
           (unsigned long)r[2].space, (unsigned long)page);
    printf("step 0: nobody but A holds the page\n");
    show("-", "-", "-");

    long ab = pl_grant(r[0].space, (uint64_t)page, sizeof page, PL_R | PL_W | PL_P);
    printf("step 1: A grants B R|W|P over it: grant %ld\n", ab);
    show("RWP", "-", "-");

    long bc = relay(0, RELAY_GRANT, (long)r[1].space, (long)page, sizeof page, PL_R | PL_P);
    printf("step 2: B grants C R|P (derived from A's grant): grant %ld\n", bc);
    show("RWP", "RP", "-");

    long cd = relay(1, RELAY_GRANT, (long)r[2].space, (long)page, sizeof page, PL_R);
    printf("step 3: C grants D R (derived from B's): grant %ld\n", cd);
    show("RWP", "RP", "R");

    long e1 = relay(2, RELAY_GRANT, (long)r[0].space, (long)page, sizeof page, PL_R);
    long e2 = relay(1, RELAY_GRANT, (long)r[2].space, (long)page, sizeof page, PL_R | PL_W);
    long e3 = relay(0, RELAY_REVOKE, cd, 0, 0, 0);
    printf("step 4: refused: D grants on without P -> %ld; C grants W it lacks -> %ld; "
           "B revokes C's grant to D -> %ld\n", e1, e2, e3);
    failures += e1 != PL_E_RIGHTS || e2 != PL_E_RIGHTS || e3 != PL_E_GRANT;
    show("RWP", "RP", "R");

    long x = relay(1, RELAY_REVOKE, cd, 0, 0, 0);
    printf("step 5: C revokes its grant to D -> %ld: only D loses the page\n", x);
    show("RWP", "RP", "-");

    cd = relay(1, RELAY_GRANT, (long)r[2].space, (long)page, sizeof page, PL_R);
    printf("step 6: C grants D R again: grant %ld\n", cd);
    show("RWP", "RP", "R");

    x = pl_revoke(ab);
    printf("step 7: A revokes its grant to B -> %ld: the revoke cascades down the chain\n", x);
    show("-", "-", "-");
    printf("grants: %s\n", failures ? "CHAIN BROKEN" : "every step as expected");
    return failures;
}
