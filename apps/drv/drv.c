/* A driver that misbehaves on request: it serves readings of a simulated
 * device, and it can write wildly, loop forever or fault.  It lives in a
 * space of its own and is called through its gate (apps/crashdrv), so
 * whatever it does it can only wreck itself: a wild store outside its
 * memory and an illegal instruction fault, which unwinds its caller's
 * call; a loop is cut by proc's watchdog. */
#include <stdint.h>
#include <stdio.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../drv/drv.h"

static uint64_t calibration[64];
static volatile uint64_t spins;

static long drv_gate(long op, long a1)
{
    switch (op) {
    case DRV_READ: return (long)(calibration[a1 & 63] + (uint64_t)a1 * 3);
    case DRV_WILD:
        /* Its own memory first (allowed: it only hurts itself), then the
         * address it was handed, which it holds no right over. */
        for (int i = 0; i < 64; i++)
            calibration[i] = 0xbadbadbad;
        for (uint64_t p = (uint64_t)a1;; p += 4096)
            *(volatile uint64_t *)p = 0xbadbadbad;
    case DRV_LOOP:
        for (;;)
            spins++;
    case DRV_FAULT: __asm__ volatile("unimp"); return 0;
    }
    return KE_INVAL;
}

int main(void)
{
    for (int i = 0; i < 64; i++)
        calibration[i] = 1000 + (uint64_t)i;
    printf("drv: driver started in space %lu\n", (unsigned long)pl_self());
    return (int)os_serve((uint64_t)drv_gate, PL_GATE_OWN_DATA, 1024);
}
