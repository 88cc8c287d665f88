/* What apps/debuggee grants its debugger (R over this page, nothing else). */
#ifndef DEBUGGEE_H
#define DEBUGGEE_H
#include <stdint.h>
#include <peerless/peer.h>
struct debuggee_state {
    volatile uint64_t counter;          /* loops done */
    volatile uint64_t callback_entry;   /* the address of its callback's code */
    volatile uint64_t walks;            /* stack walks recorded so far */
    volatile uint64_t depth, sp;        /* the last one: spillet depth and sp in the callback */
    struct pl_frame_info frames[4];
    char buf[32];                       /* lent to plib for each call */
};
#endif
