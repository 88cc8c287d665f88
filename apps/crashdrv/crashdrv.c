/* The crashing driver demo: a client of apps/drv, a driver in a space of
 * its own.  The driver is made to write wildly, loop and fault in turn;
 * each time the client's call comes back (a fault unwinds it; for the loop,
 * proc's watchdog revokes the driver's rights once the deadline passes),
 * the client restarts the driver in a fresh space and goes on serving.
 * Its own data, the rest of the kernel and the shell are untouched. */
#include <stdio.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../drv/drv.h"

#define WATCHDOG_TICKS 30
static struct klib_info drv;
static volatile uint64_t canary[512] __attribute__((aligned(4096))) = { 0xca4a4d };

static int start_driver(void)
{
    long g = os_library("drv", &drv);
    if (g <= 0)
        printf("crashdrv: cannot start the driver (%ld)\n", g);
    return g > 0;
}

static long status;   /* of the last call into the driver */

static long call(long op, long a1)
{
    os_watch((long)drv.pid, WATCHDOG_TICKS);
    long r = pl_call(drv.gate, op, a1);
    status = pl_status();   /* before the next gate call replaces it */
    os_watch((long)drv.pid, 0);
    return r;
}

static int serve(int n)
{
    long v = call(DRV_READ, n), st = status;
    printf("crashdrv: reading %d from the driver (space %lu): %ld%s\n", n, (unsigned long)drv.space, v,
           st ? " (FAILED)" : "");
    return st == 0 && v == 1000 + n % 64 + 3 * n;
}

int main(void)
{
    static const struct { long op; const char *what; } crashes[] = {
        { DRV_WILD, "write wildly" }, { DRV_LOOP, "loop forever" }, { DRV_FAULT, "fault" },
    };
    int ok = start_driver() && serve(1);
    for (unsigned i = 0; ok && i < sizeof crashes / sizeof crashes[0]; i++) {
        uint64_t t0 = os_time();
        printf("crashdrv: asking the driver to %s\n", crashes[i].what);
        call(crashes[i].op, (long)canary);
        long st = status;
        printf("crashdrv: the call came back after %lu ms with status %ld: %s\n",
               (unsigned long)((os_time() - t0) / (PEER_TIMEBASE_HZ / 1000)), st,
               st == PL_FAULT_STORE ? "store fault (contained)" : st == PL_FAULT_FETCH ?
               "fetch fault: the watchdog revoked the driver" : st == PL_FAULT_EXC(2) ?
               "illegal instruction (contained)" : "UNEXPECTED");
        ok &= st != 0;
        long old = (long)drv.space;
        os_unload((long)drv.pid);   /* (already gone after the watchdog) */
        ok &= start_driver();
        printf("crashdrv: driver restarted: space %ld -> %lu\n", old, (unsigned long)drv.space);
        ok &= serve((int)i + 2);
    }
    ok &= canary[0] == 0xca4a4d && canary[1] == 0;
    printf("crashdrv: our data %s; the console, proc and sched still answer (pid %ld, tick %ld)\n",
           canary[0] == 0xca4a4d ? "is intact" : "WAS CHANGED", os_pid(), os_ticks());
    printf("crashdrv: %s\n", ok ? "every crash contained, the driver restarted each time" : "FAILED");
    return !ok;
}
