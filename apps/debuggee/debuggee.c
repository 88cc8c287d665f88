/* The program the debugger (apps/debug) inspects.  It consents to be
 * debugged by the pid given as argv[1] and grants that program's space
 * (argv[2]) R over one page: its state, including the stack walk it records
 * each time apps/plib calls it back.  Nothing else of it is granted: its
 * code, its other data and its stack stay its own. */
#include <stdio.h>
#include <stdlib.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../plib/plib.h"
#include "debuggee.h"

static union {
    struct debuggee_state s;
    uint8_t page[4096];
} shared __attribute__((aligned(4096)));

static long callback(long sum)
{
    struct pl_frame_info f[4];
    long depth = pl_frames(f, 4);
    for (int i = 0; i < 4 && i < depth; i++)
        shared.s.frames[i] = f[i];
    shared.s.depth = (uint64_t)depth;
    shared.s.sp = peer_read_sp();
    shared.s.walks++;
    return sum;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    long debugger = atol(argv[1]), space = atol(argv[2]);
    struct klib_info lib;
    if (os_library("plib", &lib) <= 0)
        return 1;
    long cb = pl_make_gate((uint64_t)callback, PL_GATE_OWN_DATA, 4096, peer_read_gp(), peer_read_tp());
    if (cb < 0 || pl_grant(lib.space, (uint64_t)cb, 8, PL_G) < 0)
        return 1;
    shared.s.callback_entry = (uint64_t)callback;
    if (pl_grant((uint64_t)space, (uint64_t)&shared, sizeof shared, PL_R) < 0 ||
        os_debug_allow(debugger, &shared, sizeof shared) < 0)
        return 1;
    printf("debuggee: granted pid %ld (space %ld) R over 0x%lx..0x%lx and consented to its debugging\n", debugger,
           space, (unsigned long)&shared, (unsigned long)&shared + sizeof shared);
    /* No OS calls in the loop but plib's: a step never waits on the scheduler. */
    for (;;) {
        shared.s.counter++;
        for (int i = 0; i < 8; i++)
            shared.s.buf[i] = (char)('a' + (shared.s.counter + (uint64_t)i) % 26);
        pl_pass((uint64_t)shared.s.buf, 8, PL_R | PL_W);
        pl_call(lib.gate, PLIB_WORK, (long)shared.s.buf, 8, cb, 1);
    }
}
