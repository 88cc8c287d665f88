/* inject blk wild|loop|fault|dma: make the disk driver misbehave on its
 * next request (tests of fault isolation; proc's DRV_INJECT gate is given
 * to the shell alone).  The target of a wild store or a stray DMA transfer
 * is a canary page of ours, which blk holds no rights over; `canary` says
 * whether every byte of it is still as we wrote it. */
#include "kern.h"
#include "shell.h"

uint64_t shell_inject_gate;
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
    static const char *const kinds[] = { 0, "blk wild", "blk loop", "blk fault", "blk dma" };
    long kind = 0;
    for (long k = 1; k <= INJECT_DMA; k++)
        if (!strcmp(arg, kinds[k]))
            kind = k;
    if (!kind) {
        shell_say("inject: usage: inject blk wild|loop|fault|dma\n");
        return;
    }
    if (!shell_inject_gate) {
        shell_say("inject: no driver to test (start with a disk: --drive)\n");
        return;
    }
    fill();
    long r = pl_call(shell_inject_gate, DRV_INJECT, kind, (long)canary);
    if (r < 0 || pl_status())
        shell_say("inject: refused (%ld)\n", r);
    else
        shell_say("inject: blk will %s on its next request\n",
                  kind == INJECT_WILD ? "store to our canary page" : kind == INJECT_LOOP ? "loop forever"
                  : kind == INJECT_FAULT ? "run an illegal instruction" : "point the disk's DMA at our canary page");
}
