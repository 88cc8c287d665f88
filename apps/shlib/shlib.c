/* A shared library: its gate runs this code with the caller's data space,
 * gp and tp (PL_GATE_CALLER_DATA), so it reaches what its caller holds and
 * only that.  The gate's code keeps no state and reads no constants of its
 * own: every byte it touches is the caller's. */
#include <stdio.h>
#include "peer_rt.h"
#include "os.h"
#include "shlib.h"

static long shlib_tally(struct shlib_tally *t, long x)
{
    t->calls++;
    t->sum += (uint64_t)x;
    t->data_space = pl_self();
    t->code_space = pl_code_space();
    return (long)t->calls;
}

int main(void)
{
    printf("shlib: shared library loaded in space %lu (its gate runs on each caller's data)\n",
           (unsigned long)pl_self());
    return (int)os_serve((uint64_t)shlib_tally, PL_GATE_CALLER_DATA, 1024);
}
