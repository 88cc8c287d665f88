/* secprobe [ADDR...]: what an ordinary program can reach of the security
 * service, tried from outside:
 *   - sec's gate (in dir): a wrong password is refused, and only after a
 *     delay (sec sleeps the caller half a second); the operations of a
 *     session are refused on it (a session is a gate of its own);
 *   - the gate window: the gates this program may call are exactly those
 *     dir gave it (so not blk's window on partition 2, which only sec holds);
 *   - the disk: the public window ends before partition 2;
 *   - each ADDR (the test passes sec's code, data and its Argon2 arena from
 *     the kernel's symbols): a load from it faults.
 * Prints one line per probe and exits 0 only if every one is refused.
 *
 * secprobe --login PASSWORD: log in as root and end without logging out
 * (the session must not outlive the program for good). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

#define GATES_SCANNED 4096

static void load(void *addr)
{
    volatile uint8_t v = *(volatile uint8_t *)addr;
    (void)v;
}

static int login_and_leave(uint64_t sec, const char *pw)
{
    uint64_t root[2];
    kname_pack("root", root);
    pl_pass((uint64_t)pw, strlen(pw), PL_R);
    long s = pl_call(sec, SEC_LOGIN, root[0], root[1], (long)pw, (long)strlen(pw), (long)pl_self());
    if (s > 0)
        printf("secprobe: login as root -> a session; ending without logout\n");
    else
        printf("secprobe: login as root -> REFUSED (%ld, status %ld)\n", s, (long)pl_status());
    return s > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int ok = 1;
    uint64_t sec = os_lookup("sec");
    if (!sec) {
        printf("secprobe: no security service in dir\n");
        return 1;
    }
    if (argc == 3 && !strcmp(argv[1], "--login"))
        return login_and_leave(sec, argv[2]);
    static const char wrong[] = "not-the-password";
    uint64_t root[2];
    kname_pack("root", root);
    long t0 = os_ticks();   /* before the pass: a pass is for the next gate call */
    pl_pass((uint64_t)wrong, sizeof wrong - 1, PL_R);
    long r = pl_call(sec, SEC_LOGIN, root[0], root[1], (long)wrong, (long)sizeof wrong - 1, (long)pl_self());
    long waited = os_ticks() - t0;
    printf("secprobe: login as root with a wrong password -> %ld, %s\n", r,
           waited >= 50 ? "after at least half a second" : "AT ONCE");
    ok &= r == KE_PERM && waited >= 50;
    long a = pl_call(sec, SEC_ADDUSER, root[0], root[1], (long)wrong, (long)sizeof wrong - 1);
    long w = pl_call(sec, SEC_WHOAMI, 0L, 0L);
    printf("secprobe: adduser, whoami on sec's gate, without a session -> %ld, %ld\n", a, w);
    ok &= a == KE_PERM && w == KE_PERM;

    /* Every gate we hold G over came from dir. */
    uint64_t blk = os_lookup("blk");
    uint64_t known[] = { os_dir_gate(), os_lookup("console"), os_lookup("proc"), os_lookup("sched"), sec, blk };
    int callable = 0, strangers = 0;
    for (uint64_t n = 1; n <= GATES_SCANNED; n++) {
        uint64_t g = PEER_GATE_ADDR(n);
        if (!(pl_query(g) & PL_G))
            continue;
        callable++;
        int from_dir = 0;
        for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
            from_dir |= known[i] && known[i] == g;
        if (!from_dir) {
            printf("secprobe: may call gate 0x%lx, which dir did not give\n", (unsigned long)g);
            strangers++;
        }
    }
    printf("secprobe: may call %d of the first %d gates, %s\n", callable, GATES_SCANNED,
           strangers ? "SOME NOT FROM DIR" : "each one from dir");
    ok &= !strangers;

    if (blk) {
        static uint8_t buf[512];
        long size = pl_call(blk, BLK_SECTORS), start = pl_call(blk, BLK_START);
        pl_pass((uint64_t)buf, sizeof buf, PL_W);
        long past = pl_call(blk, BLK_READ, size, (long)buf, 512L);
        printf("secprobe: the public disk window is sectors %ld-%ld; the next one (toward partition 2) -> %ld\n",
               start, start + size - 1, past);
        ok &= past == KE_INVAL;
    }

    for (int i = 1; i < argc; i++) {
        uint64_t addr = strtoull(argv[i], 0, 0);
        struct pl_fault f;
        long cause = os_try(load, (void *)addr, &f);
        printf("secprobe: load from 0x%lx -> %s (cause %ld)\n", (unsigned long)addr,
               cause ? "fault" : "READ", cause);
        ok &= cause == PL_FAULT_LOAD;
    }
    printf("secprobe: %s\n", ok ? "every probe refused" : "SOMETHING GOT THROUGH");
    return ok ? 0 : 1;
}
