/* The benchmark's library (apps/kbench): a space of its own whose gate
 * returns its argument plus one.  kbench calls it in a loop to time a
 * round trip from a program into another space and back. */
#include "peer_rt.h"
#include "os.h"

static long kblib_inc(long a)
{
    return a + 1;
}

int main(void)
{
    /* Own data: a call switches to this space's data and back, as any
     * call into a library that keeps state of its own would. */
    return (int)os_serve((uint64_t)kblib_inc, PL_GATE_OWN_DATA, 256);
}
