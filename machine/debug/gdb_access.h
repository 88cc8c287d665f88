/* What memory the instruction at the hart's pc is about to read and write:
 * for read and access watchpoints, which cannot be seen from memory's
 * contents as a write can.  Decoded with the core's decoder from the
 * debugger's view of memory, before the instruction runs. */
#ifndef PEERLESS_GDB_ACCESS_H
#define PEERLESS_GDB_ACCESS_H

#include "core/hart.h"

struct mem_access {
    uint64_t addr;
    unsigned len;              /* 0: the instruction touches no memory */
    bool reads, writes;
};

/* The access of the instruction at h->pc (len 0 for none, or when the
 * instruction cannot be read). */
struct mem_access access_at_pc(struct hart *h);

#endif
