/* A busy loop that never yields: only timer pre-emption lets anything else
 * run meanwhile.  spin [SECONDS] (default 1), measured in scheduler ticks. */
#include <stdio.h>
#include <stdlib.h>
#include "os.h"

int main(int argc, char **argv)
{
    long seconds = argc > 1 ? atol(argv[1]) : 1;
    long t0 = os_ticks(), loops = 0;
    while (os_ticks() - t0 < seconds * 100) {
        for (volatile int i = 0; i < 10000; i++)
            ;
        loops++;
    }
    printf("spin: %ld loops in %ld ticks\n", loops, os_ticks() - t0);
    return 0;
}
