/* A relay: a library in its own space that grants, revokes, queries and
 * reads on request, so that a chain of grants between spaces can be built
 * and shown step by step (apps/grants).  relay2 and relay3 are the same
 * code as separate images (each image has its own slot). */
#include <stdio.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "../relay/relay.h"

static long relay_gate(long op, long a1, long a2, long a3, long a4)
{
    switch (op) {
    case RELAY_GRANT: return pl_grant((uint64_t)a1, (uint64_t)a2, (uint64_t)a3, (uint64_t)a4);
    case RELAY_QUERY: return pl_query((uint64_t)a1);
    case RELAY_READ: return (long)*(volatile uint64_t *)a1;
    case RELAY_REVOKE: return pl_revoke(a1);
    }
    return KE_INVAL;
}

int main(void)
{
    return (int)os_serve((uint64_t)relay_gate, PL_GATE_OWN_DATA, 1024);
}
