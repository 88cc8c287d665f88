/* The shared library demo: two programs, `shared` and `shared2`, call the
 * same library instance (apps/shlib).  Its code runs on each caller's data
 * space, so each call updates the caller's own tally; asked by shared2 to
 * update shared's tally, it faults, because shared2's data space holds
 * nothing of shared's.  (This file is both programs: argv[0] says which.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../shlib/shlib.h"

typedef long (*tally_fn)(struct shlib_tally *, long);
static struct shlib_tally mine;

static void show(const char *me, const struct klib_info *lib)
{
    printf("%s: (space %lu) after %lu calls: sum %lu; the library ran on data space %lu (%s), "
           "code space %lu (%s)\n", me, (unsigned long)pl_self(), (unsigned long)mine.calls,
           (unsigned long)mine.sum, (unsigned long)mine.data_space,
           mine.data_space == pl_self() ? "ours" : "NOT OURS", (unsigned long)mine.code_space,
           mine.code_space == lib->space ? "the library's" : "unexpected");
}

static int first(void)
{
    struct klib_info lib;
    if (os_library("shlib", &lib) <= 0)
        return 1;
    printf("shared: shlib is space %lu, gate 0x%lx\n", (unsigned long)lib.space, (unsigned long)lib.gate);
    tally_fn tally = (tally_fn)lib.gate;
    tally(&mine, 10);
    tally(&mine, 20);
    show("shared", &lib);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "shared2 %lu %lu", (unsigned long)&mine, (unsigned long)lib.space);
    long pid = os_spawn(cmd);
    long st = pid > 0 ? os_wait(pid) : pid;
    printf("shared: shared2 ended with %ld; our tally is still %lu calls, sum %lu\n", st,
           (unsigned long)mine.calls, (unsigned long)mine.sum);
    return st != 0 || mine.calls != 2 || mine.sum != 30 || mine.data_space != pl_self();
}

static int second(uint64_t theirs, uint64_t their_lib)
{
    struct klib_info lib;
    if (os_library("shlib", &lib) <= 0)
        return 1;
    printf("shared2: shlib is space %lu: %s\n", (unsigned long)lib.space,
           lib.space == their_lib ? "the same instance as shared's" : "ANOTHER INSTANCE");
    tally_fn tally = (tally_fn)lib.gate;
    tally(&mine, 7);
    show("shared2", &lib);
    /* The library on shared's tally, called by us: it runs on our data. */
    long r = tally((struct shlib_tally *)theirs, 1000);
    long st = pl_status();
    printf("shared2: asked to update shared's tally at 0x%lx, the library %s: status %ld%s\n",
           (unsigned long)theirs, st ? "was unwound" : "SUCCEEDED", st,
           st == PL_FAULT_LOAD ? " (load fault in our data space)" : "");
    return st != PL_FAULT_LOAD || r != 0 || lib.space != their_lib || mine.data_space != pl_self();
}

int main(int argc, char **argv)
{
    if (!strcmp(argv[0], "shared2"))
        return argc == 3 ? second(strtoul(argv[1], 0, 0), strtoul(argv[2], 0, 0)) : 2;
    return first();
}
