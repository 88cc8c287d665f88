/* The debugger demo.  It starts apps/debuggee, which consents to be
 * debugged by this program and grants it R over one page.  The debugger
 * reads that page directly (the grant), fails to read anything else of the
 * debuggee (probes fault), then stops it and single-steps it through proc:
 * each step is one instruction of the debuggee's own code, and a call into
 * plib, the debuggee's library, runs through as part of one step, so the
 * debugger never sees the library's code or registers.  The stack walk the
 * debuggee recorded shows the library's hunk, which the debugger cannot
 * read either. */
#include <stdio.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../debuggee/debuggee.h"

static int failures;

static void load_word(void *addr) { (void)*(volatile uint64_t *)addr; }

static void probe(const char *what, uint64_t addr)
{
    struct pl_fault f;
    long cause = os_try(load_word, (void *)addr, &f);
    if (cause)
        printf("debug: reading %s at 0x%lx faulted: cause %ld, missing 0x%lx\n", what, (unsigned long)addr, cause,
               (unsigned long)f.missing);
    else
        printf("debug: reading %s at 0x%lx SUCCEEDED: isolation broken\n", what, (unsigned long)addr), failures++;
}

int main(void)
{
    char cmd[48];
    snprintf(cmd, sizeof cmd, "debuggee %ld %lu", os_pid(), (unsigned long)pl_self());
    long pid = os_spawn(cmd);
    if (pid <= 0)
        return 1;
    const struct debuggee_state *st = 0;
    for (int i = 0; i < 200 && !st; i++) {
        long base = os_debug(pid, DBG_SHARED, 0);
        if (base > 0)
            st = (const struct debuggee_state *)base;
        else
            os_sleep(1);
    }
    if (!st) {
        printf("debug: the debuggee never consented\n");
        os_kill(pid);
        return 1;
    }
    while (st->walks < 2)
        os_yield();
    printf("debug: pid %ld consented; through its grant: counter %lu, %lu stack walks so far\n", pid,
           (unsigned long)st->counter, (unsigned long)st->walks);

    /* Stop it and look at what it did not grant. */
    os_debug(pid, DBG_STOP, 0);
    long pc = os_debug(pid, DBG_STEP, 0) == 0 ? os_debug(pid, DBG_REG, 64) : 0;
    long sp = os_debug(pid, DBG_REG, 2);
    printf("debug: stopped it at pc 0x%lx, sp 0x%lx (in its space %ld)\n", (unsigned long)pc, (unsigned long)sp,
           os_debug(pid, DBG_WHERE, 0));
    probe("its code (not granted)", (uint64_t)pc);
    probe("its stack (not granted)", (uint64_t)sp);

    /* Step until the library calls it back: one step carries it through
     * everything plib does before the callback's first instruction. */
    uint64_t before = st->counter;
    long steps = 0, r = 0;
    for (; steps < 5000; steps++) {
        long prev = os_debug(pid, DBG_REG, 64);
        r = os_debug(pid, DBG_STEP, 0);
        pc = os_debug(pid, DBG_REG, 64);
        if (r || (uint64_t)pc == st->callback_entry) {
            printf("debug: step %ld: from pc 0x%lx to 0x%lx, its callback: plib (code, registers, frames) "
                   "ran inside this one step\n", steps + 1, (unsigned long)prev, (unsigned long)pc);
            break;
        }
        if (steps < 4)
            printf("debug: step %ld: pc 0x%lx, a0 0x%lx\n", steps + 1, (unsigned long)pc,
                   (unsigned long)os_debug(pid, DBG_REG, 10));
    }
    if (r || (uint64_t)pc != st->callback_entry)
        printf("debug: never reached the callback (step result %ld)\n", r), failures++;
    printf("debug: %ld steps, its counter went %lu -> %lu while stopped\n", steps + 1, (unsigned long)before,
           (unsigned long)st->counter);
    failures += st->counter - before > 1;

    /* Let it run to the end of the callback's walk, then read the walk. */
    uint64_t walks = st->walks;
    for (int i = 0; i < 200 && st->walks == walks; i++)
        os_debug(pid, DBG_STEP, 0);
    printf("debug: the stack walk it granted us (depth %lu):\n", (unsigned long)st->depth);
    uint64_t self = (uint64_t)os_debug(pid, DBG_SPACE, 0);
    printf("  [0x%lx, 0x%lx) debuggee (callback)\n", (unsigned long)st->sp, (unsigned long)st->frames[0].hunk_top);
    printf("  [0x%lx, 0x%lx) space %lu: opaque\n", (unsigned long)st->frames[0].hunk_top,
           (unsigned long)st->frames[1].hunk_top, (unsigned long)st->frames[0].caller_code);
    printf("  [0x%lx, ...) debuggee (main)\n", (unsigned long)st->frames[1].hunk_top);
    failures += st->depth != 2 || st->frames[0].caller_code == self || st->frames[1].caller_code != self;
    probe("the library's hunk", st->frames[0].hunk_top);

    os_debug(pid, DBG_GO, 0);
    os_kill(pid);
    os_wait(pid);
    printf("debug: %s\n", failures ? "FAILED" : "saw only what the debuggee granted");
    return failures;
}
