/* A buggy program: OS calls with buffers it does not hold or did not
 * pass.  Each is refused with an error and the console keeps working for
 * everyone. */
#include <stdio.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

int main(void)
{
    uint64_t con = os_lookup("console");
    /* Kernel memory it was never granted, passed or not: refused. */
    long r1 = pl_call(con, CON_WRITE, 0x80000000L, 64);
    /* Its own memory, but not passed: the console cannot read it. */
    static char mine[32] = "not passed";
    long r2 = pl_call(con, CON_WRITE, (long)mine, 10);
    printf("badcall: unpassed writes -> %ld, %ld (status %ld)\n", r1, r2, pl_status());
    printf("badcall: the console still works\n");
    return r1 < 0 && r2 < 0 ? 0 : 1;
}
