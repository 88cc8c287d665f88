/* kbench's partner program.
 *
 *   kpong                  yields once and exits with status 0: the smallest spawn
 *   kpong PING PONG N      N rounds of: wait on key PING, wake key PONG
 *
 * The second form is the other half of kbench's thread ping-pong through
 * sched's WAIT/WAKE (two programs, two threads, a switch each way). */
#include <stdio.h>
#include <stdlib.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

/* Wake the thread waiting on key; if it is not waiting yet (a tick
 * pre-empted it before its WAIT), let it run and try again. */
static int wake(uint64_t sched, long key)
{
    for (int tries = 0; tries < 1000; tries++) {
        if (pl_call(sched, SCHED_WAKE, key) > 0)
            return 0;
        os_yield();
    }
    return -1;
}

int main(int argc, char **argv)
{
    if (argc == 1) {
        /* Yield once before exiting: the kernel's proc records our thread
         * only after SCHED_CREATE returns to it, and a tick landing in
         * between would let us call PROC_EXIT before that, which proc
         * refuses (we would then spin in os_exit).  The yield lets the
         * spawner finish first; it adds one sched call to the figure. */
        os_yield();
        return 0;
    }
    if (argc != 4) {
        printf("usage: kpong [PING PONG N]\n");
        return 2;
    }
    long ping = strtol(argv[1], 0, 0), pong = strtol(argv[2], 0, 0), n = strtol(argv[3], 0, 0);
    uint64_t sched = os_lookup("sched");
    for (long i = 0; i < n; i++) {
        /* 1 if woken; 0 only if the 10-second deadline passed. */
        if (pl_call(sched, SCHED_WAIT, ping, 10 * SCHED_TICK_HZ) != 1) {
            printf("kpong: no ping in round %ld\n", i);
            return 1;
        }
        if (wake(sched, pong) < 0) {
            printf("kpong: nobody waits for the pong in round %ld\n", i);
            return 1;
        }
    }
    return 0;
}
