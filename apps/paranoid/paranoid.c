/* The paranoid library demo.  This program calls apps/plib, a library in a
 * space of its own, through its gate; it lends it a buffer for that call
 * only (a pass), and the library calls back into this program.  In the
 * callback, a stack walk (PL_OP_FRAMES) shows this program's hunk, the
 * library's hunk (opaque: a probe of it faults) and this program's hunk
 * again.  Then each side tries the other's data: every try faults. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../plib/plib.h"

static struct klib_info lib;
static char buf[] = "hello, paranoid library";
static uint64_t private_word = 0x5ec12e7;
static int failures;

static const char *cause_name(long c)
{
    return c == PL_FAULT_LOAD ? "load" : c == PL_FAULT_STORE ? "store" : c == PL_FAULT_FETCH ? "fetch" : "other";
}

static void load_word(void *addr) { (void)*(volatile uint64_t *)addr; }

/* Probe an address we should not reach: report the fault record. */
static void probe(const char *what, uint64_t addr)
{
    struct pl_fault f;
    long cause = os_try(load_word, (void *)addr, &f);
    if (cause)
        printf("paranoid: probe of %s at 0x%lx faulted: cause %ld (%s), pc 0x%lx, address 0x%lx, "
               "missing 0x%lx, data space %lu\n", what, (unsigned long)addr, cause, cause_name(cause),
               (unsigned long)f.pc, (unsigned long)f.addr, (unsigned long)f.missing, (unsigned long)f.space);
    else {
        printf("paranoid: probe of %s at 0x%lx did NOT fault: isolation broken\n", what, (unsigned long)addr);
        failures++;
    }
}

static const char *who(uint64_t space)
{
    return space == pl_self() ? "paranoid" : space == lib.space ? "plib" : "other";
}

static long callback(long sum)
{
    struct pl_frame_info fr[8];
    long depth = pl_frames(fr, 8);
    uint64_t sp = peer_read_sp();
    extern char __heap_end[];   /* the stack region starts here (lib/os/app.ld) */
    uint64_t stack_hi = (uint64_t)__heap_end + KPROG_STACK;
    printf("paranoid: called back by the library (sum %ld); stack walk, %ld gate frames:\n", sum, depth);
    if (depth < 2) {
        printf("paranoid: expected 2 frames\n");
        failures++;
        return -1;
    }
    for (long k = 0; k < depth && k < 8; k++)
        printf("  frame %ld: %s from %s (space %lu) into %s (space %lu), hunk top 0x%lx\n", k,
               fr[k].kind == PL_FRAME_CALL ? "call" : fr[k].kind == PL_FRAME_INTERRUPT ? "interrupt" : "fault",
               who(fr[k].caller_code), (unsigned long)fr[k].caller_code, who(fr[k].callee_code),
               (unsigned long)fr[k].callee_code, (unsigned long)fr[k].hunk_top);
    printf("  hunk [0x%lx, 0x%lx): %s (this callback)\n", (unsigned long)sp, (unsigned long)fr[0].hunk_top,
           who(fr[0].callee_code));
    printf("  hunk [0x%lx, 0x%lx): %s: opaque\n", (unsigned long)fr[0].hunk_top, (unsigned long)fr[1].hunk_top,
           who(fr[0].caller_code));
    printf("  hunk [0x%lx, 0x%lx): %s (main)\n", (unsigned long)fr[1].hunk_top, (unsigned long)stack_hi,
           who(fr[1].caller_code));
    if (fr[0].caller_code != lib.space || fr[1].callee_code != lib.space || fr[1].caller_code != pl_self())
        failures++, printf("paranoid: the frames do not say program, library, program\n");
    probe("the library's hunk", fr[0].hunk_top);
    probe("our own main's hunk (above the library's)", fr[1].hunk_top);
    return sum & 0xff;
}

int main(void)
{
    long gate = os_library("plib", &lib);
    if (gate <= 0) {
        printf("paranoid: cannot load plib (%ld)\n", gate);
        return 1;
    }
    printf("paranoid: (space %lu) loaded plib: space %lu, gate 0x%lx\n", (unsigned long)pl_self(),
           (unsigned long)lib.space, (unsigned long)lib.gate);
    long cb = pl_make_gate((uint64_t)callback, PL_GATE_OWN_DATA, 24576, peer_read_gp(), peer_read_tp());
    if (cb < 0 || pl_grant(lib.space, (uint64_t)cb, 8, PL_G) < 0)
        return 2;

    /* The buffer is the library's for this call only. */
    pl_pass((uint64_t)buf, sizeof buf - 1, PL_R | PL_W);
    long sum = pl_call(gate, PLIB_WORK, (long)buf, (long)sizeof buf - 1, cb);
    printf("paranoid: the library returned %ld (status %ld); the buffer now reads \"%s\"\n", sum, pl_status(), buf);

    /* The library tries our data: it was never granted, nor passed now. */
    long r = pl_call(gate, PLIB_PEEK, (long)&private_word);
    long st = pl_status();
    printf("paranoid: the library's peek at our private word was %s: status %ld (%s), result %ld\n",
           st ? "unwound" : "ALLOWED", st, cause_name(st), r);
    failures += st != PL_FAULT_LOAD;
    r = pl_call(gate, PLIB_REUSE);
    st = pl_status();
    printf("paranoid: the library's reuse of the buffer after the call was %s: status %ld (%s)\n",
           st ? "unwound" : "ALLOWED", st, cause_name(st));
    failures += st != PL_FAULT_LOAD;

    /* And we try the library's. */
    uint64_t secret = (uint64_t)pl_call(gate, PLIB_SECRET);
    probe("the library's private data", secret);
    printf("paranoid: %s\n", failures ? "ISOLATION BROKEN" : "neither side could touch the other's data");
    return failures;
}
