/* A fault in a nested gate call: the root space calls lib's gate, lib
 * calls lib2's, and lib2 loads from an address it holds no right over.
 * The fault unwinds lib2's call (lib gets the status and hands it back).
 * Built with -DSTOP, the root then stores where no memory is: a fault
 * with no gate call to unwind, which stops the machine, and its report
 * must show the earlier fault and the gate frames it found.  Without, the
 * root exits 0 and --stats shows them. */
#include "peer_rt.h"

#define FORBIDDEN 0x1234

PEER_TEXT(lib2) long lib2_entry(uint64_t addr) { return *(volatile long *)addr; }

PEER_TEXT(lib2) uint64_t lib2_init(uint64_t arg)
{
    return (uint64_t)pl_make_gate((uint64_t)lib2_entry, PL_GATE_OWN_DATA, 1024, peer_read_gp(), arg);
}
PEER_SPAWN_ENTRY(lib2, lib2_start, lib2_init)

PEER_TEXT(lib) long lib_entry(uint64_t gate2)
{
    pl_call(gate2, FORBIDDEN);
    return pl_status();
}

PEER_TEXT(lib) uint64_t lib_init(uint64_t arg)
{
    return (uint64_t)pl_make_gate((uint64_t)lib_entry, PL_GATE_OWN_DATA, 2048, peer_read_gp(), arg);
}
PEER_SPAWN_ENTRY(lib, lib_start, lib_init)

static uint8_t lib_stack[4096] __attribute__((aligned(16)));
static uint8_t lib2_stack[4096] __attribute__((aligned(16)));

int main(void)
{
    struct peer_image i1 = PEER_IMAGE(lib), i2 = PEER_IMAGE(lib2);
    long s1 = peer_space_new(&i1), s2 = peer_space_new(&i2);
    int ok1, ok2;
    uint64_t g1 = peer_spawn((uint64_t)s1, lib_start, 0, lib_stack, sizeof lib_stack, &ok1);
    uint64_t g2 = peer_spawn((uint64_t)s2, lib2_start, 0, lib2_stack, sizeof lib2_stack, &ok2);
    if (s1 <= 1 || s2 <= 1 || !ok1 || !ok2 || pl_grant((uint64_t)s1, g2, PEER_GATE_STRIDE, PL_G) <= 0)
        return 2;
    long status = pl_call(g1, g2);
    if (status != PL_FAULT_LOAD)
        return 3;
#ifdef STOP
    *(volatile long *)8 = status;
#endif
    return 0;
}
