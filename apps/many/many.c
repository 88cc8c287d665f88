/* The many-spaces demo: create a hundred thousand spaces (all alive at
 * once), then destroy them, and report the time and the kernel memory each
 * took.  Spaces come from proc (it holds the space controller), which
 * records each in a table it asks mem for, charged to this program: that
 * is the kernel's memory per space.  Time is the `time` CSR (10 MHz).
 *   many [COUNT]   (default 100000) */
#include <stdio.h>
#include <stdlib.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

static long first_id;

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    long mem0 = os_mem_used();
    uint64_t t0 = os_time();
    long made = 0, last = 0;
    for (; made < n; made++) {
        long s = os_space_new();
        if (s <= 0) {
            printf("many: space %ld could not be made (%ld)\n", made + 1, s);
            break;
        }
        if (!made)
            first_id = s;
        last = s;
    }
    uint64_t t1 = os_time();
    long mem1 = os_mem_used();
    /* Each is a space of its own: one of them, granted a word of ours, can
     * hold it; we cannot act for it, but the machine counts its grant. */
    static uint64_t word = 42;
    long g = made ? pl_grant((uint64_t)last, (uint64_t)&word, sizeof word, PL_R) : -1;
    printf("many: %ld spaces alive (ids %ld..%ld); the last was granted a word: grant %ld\n", made, first_id,
           last, g);
    long destroyed = 0;
    for (long s = last; made && s >= first_id; s--)
        if (os_space_del(s) == 0)
            destroyed++;
    uint64_t t2 = os_time();
    long mem2 = os_mem_used();
    unsigned long create_ns = made ? (unsigned long)((t1 - t0) * 100 / (uint64_t)made) : 0;
    unsigned long destroy_ns = destroyed ? (unsigned long)((t2 - t1) * 100 / (uint64_t)destroyed) : 0;
    printf("many: created %ld in %lu ms (%lu ns each), destroyed %ld in %lu ms (%lu ns each), guest time\n",
           made, (unsigned long)((t1 - t0) / 10000), create_ns, destroyed, (unsigned long)((t2 - t1) / 10000),
           destroy_ns);
    printf("many: kernel memory (mem, charged to us): %ld bytes before, %ld with all alive, %ld after\n", mem0,
           mem1, mem2);
    if (made)
        printf("many: kernel memory per space: %ld.%02ld bytes (proc's table of child spaces); the machine's own "
               "host-side cost per space is not visible from the guest\n",
               (mem1 - mem0) / made, (mem1 - mem0) * 100 / made % 100);
    int ok = made == n && destroyed == made && mem2 == mem0 && g > 0;
    printf("many: %s\n", ok ? "all created and destroyed, their memory returned" : "FAILED");
    return !ok;
}
