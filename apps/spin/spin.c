/* A busy loop that never yields: only timer pre-emption lets anything else
 * run meanwhile.  spin [SECONDS] (default 1), measured in scheduler ticks.
 *
 * spin -s TICKS: fill 48 KiB of this program's stack with a pattern, spin
 * TICKS ticks (pre-empted meanwhile), and check that the pattern is still
 * there: no other thread ran on this stack — as one could when a program
 * before this one, in the same slot, was pre-empted on its way out.  It
 * ends a varying while after a tick, so a loop of these meets the timer at
 * every point of the way out (tests/kernel/run.sh, exitrace). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os.h"

#define STACK_WORDS 6144

static long spin_ticks(long ticks)
{
    long t0 = os_ticks(), loops = 0;
    while (os_ticks() - t0 < ticks) {
        for (volatile int i = 0; i < 10000; i++)
            ;
        loops++;
    }
    return loops;
}

static unsigned long pattern(volatile unsigned long *w) { return (unsigned long)w * 0x9e3779b97f4a7c15UL; }

static int stack_kept(long ticks)
{
    volatile unsigned long words[STACK_WORDS];
    for (int i = 0; i < STACK_WORDS; i++)
        words[i] = pattern(&words[i]);
    spin_ticks(ticks);
    for (int i = 0; i < STACK_WORDS; i++)
        if (words[i] != pattern(&words[i])) {
            printf("spin: stack CHANGED at %p (%d bytes below the pattern's top)\n", (void *)&words[i],
                   (int)((STACK_WORDS - i) * sizeof words[0]));
            return 1;
        }
    printf("spin: stack kept over %ld ticks\n", ticks);
    /* End at a different point between two ticks each run (by pid), so
     * that a loop of these meets the timer all along the way out. */
    for (volatile long i = (os_pid() * 7919) % 3000; i > 0; i--)
        ;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "-s"))
        return stack_kept(atol(argv[2]));
    long seconds = argc > 1 ? atol(argv[1]) : 1;
    long t0 = os_ticks();
    long loops = spin_ticks(seconds * 100);
    printf("spin: %ld loops in %ld ticks\n", loops, os_ticks() - t0);
    return 0;
}
