/* inject blk|net wild|loop|fault|dma: make the disk or network driver
 * misbehave on its next request (tests of fault isolation; proc's
 * DRV_INJECT gates are given to the shell alone).  The target of a wild store or a stray DMA transfer
 * is a canary page of ours, which blk holds no rights over; `canary` says
 * whether every byte of it is still as we wrote it. */
#include "kern.h"
#include "shell.h"

uint64_t shell_inject_gate, shell_net_inject;
static volatile uint64_t canary[512] __attribute__((aligned(4096)));
static int canary_set;

static uint64_t pattern(int i) { return 0x63616e6172790000UL ^ (uint64_t)i * 0x9e3779b97f4a7c15UL; }

static void fill(void)
{
    if (canary_set)
        return;
    for (int i = 0; i < 512; i++)
        canary[i] = pattern(i);
    canary_set = 1;
}

void shell_canary(void)
{
    fill();
    int bad = 0;
    for (int i = 0; i < 512; i++)
        bad += canary[i] != pattern(i);
    shell_say("canary: %d of 512 words changed at 0x%lx: %s\n", bad, (unsigned long)canary,
              bad ? "CORRUPTED" : "intact");
}

void shell_inject(const char *arg)
{
    static const char *const kinds[] = { 0, "wild", "loop", "fault", "dma" };
    int net = !strncmp(arg, "net ", 4);
    long kind = 0;
    for (long k = 1; k <= INJECT_DMA; k++)
        if ((net || !strncmp(arg, "blk ", 4)) && !strcmp(arg + 4, kinds[k]))
            kind = k;
    if (!kind) {
        shell_say("inject: usage: inject blk|net wild|loop|fault|dma\n");
        return;
    }
    uint64_t gate = net ? shell_net_inject : shell_inject_gate;
    if (!gate) {
        shell_say(net ? "inject: no network driver to test (start with --netdev)\n"
                      : "inject: no driver to test (start with a disk: --drive)\n");
        return;
    }
    fill();
    long r = pl_call(gate, DRV_INJECT, kind, (long)canary);
    if (r < 0 || pl_status())
        shell_say("inject: refused (%ld)\n", r);
    else
        shell_say("inject: %s will %s on its next request\n", net ? "net" : "blk",
                  kind == INJECT_WILD ? "store to our canary page" : kind == INJECT_LOOP ? "loop forever"
                  : kind == INJECT_FAULT ? "run an illegal instruction"
                  : net ? "point its device's DMA at our canary page" : "point the disk's DMA at our canary page");
}
