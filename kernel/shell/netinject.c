/* The shell's `inject net wild|loop|fault|dma`: makes net's own code
 * misbehave through net's test-only gate (boot gives the shell G on it only
 * with a network), aimed at a page of the shell's that net holds no right
 * over, and then shows that the page did not change and that netsup
 * restarted net (ip and the programs go on; tests/kernel/net_test.py pings
 * and talks TCP to the guest before and after). */
#include "kern.h"
#include "shell.h"

uint64_t shell_net_inject;   /* set by boot with a network */

static volatile uint8_t victim[PEER_PAGE_SIZE] __attribute__((aligned(4096)));

static const struct { const char *name; long op; const char *what; } kinds[] = {
    { "wild", NET_INJECT_WILD, "net stores to a page of the shell's" },
    { "loop", NET_INJECT_LOOP, "net loops forever, holding its turn" },
    { "fault", NET_INJECT_FAULT, "net runs an illegal instruction, holding its turn" },
    { "dma", NET_INJECT_DMA, "net points its device at a page of the shell's" },
};

void shell_inject_net(const char *arg, uint64_t sched_gate)
{
    if (strncmp(arg, "net ", 4)) {
        shell_say("usage: inject net wild|loop|fault|dma\n");
        return;
    }
    if (!shell_net_inject) {
        shell_say("inject: no network (boot with --netdev)\n");
        return;
    }
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(arg + 4, kinds[i].name))
            continue;
        for (unsigned j = 0; j < PEER_PAGE_SIZE; j++)
            victim[j] = 0x5a;
        shell_say("inject: %s\n", kinds[i].what);
        long r = pl_call(shell_net_inject, kinds[i].op, (long)victim);
        long status = pl_status();
        shell_say("inject: the call %s (status %ld, result %ld)\n",
                  status ? "was unwound by the machine" : "returned", status, r);
        /* netsup's watchdog looks every tick; its restart takes a few. */
        pl_call(sched_gate, SCHED_SLEEP, 30);
        int intact = 1;
        for (unsigned j = 0; j < PEER_PAGE_SIZE; j++)
            intact &= victim[j] == 0x5a;
        shell_say("inject: the shell's page is %s\n", intact ? "intact" : "CHANGED");
        return;
    }
    shell_say("usage: inject net wild|loop|fault|dma\n");
}
