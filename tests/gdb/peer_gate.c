/* The peer program tests/gdb/run.sh debugs: the root space calls a gate
 * into space `lib`, whose entry calls a helper: a backtrace from the
 * helper must end at the gate frame (the callee's return address is the
 * return gate, where no memory is). */
#include <stdio.h>

#include "peer_rt.h"

PEER_BSS(lib) long lib_total;

PEER_TEXT(lib) long lib_inner(long x)
{
    lib_total += x;
    return lib_total;
}

PEER_TEXT(lib) long lib_entry(long x) { return lib_inner(x * 2) + 1; }

PEER_TEXT(lib) uint64_t lib_init(uint64_t arg)
{
    return (uint64_t)pl_make_gate((uint64_t)lib_entry, PL_GATE_OWN_DATA, 1024, peer_read_gp(), arg);
}
PEER_SPAWN_ENTRY(lib, lib_start, lib_init)

static uint8_t lib_stack[4096] __attribute__((aligned(16)));

int main(void)
{
    struct peer_image img = PEER_IMAGE(lib);
    long space = peer_space_new(&img);
    int ok;
    uint64_t gate = peer_spawn((uint64_t)space, lib_start, 0, lib_stack, sizeof lib_stack, &ok);
    if (space <= 1 || !ok)
        return 2;
    long r = pl_call(gate, 20);
    printf("gate returned %ld\n", r);
    return r == 41 ? 0 : 1;
}
