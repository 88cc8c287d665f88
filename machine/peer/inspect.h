/* Read-only views of the protection unit, for the debugger's `monitor`
 * commands (spaces, the regions a space holds, gates, the running
 * thread's spillet) and for the reports of faults. */
#ifndef PEERLESS_PEER_INSPECT_H
#define PEERLESS_PEER_INSPECT_H

#include "peer/peer.h"

#include <stdio.h>

/* Print what `cmd` asks about to out; false for a command it does not
 * know ("help" lists them and returns true). */
bool peer_inspect(const struct peer *p, const char *cmd, FILE *out);

/* Names for reports: a fault's cause (PL_FAULT_*), a right (PL_R...). */
const char *peer_fault_name(uint64_t cause);
const char *peer_right_name(uint64_t right);

/* A code address's name for reports (the program's symbol, "" if none). */
typedef void (*peer_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t n);

/* t's last fault that unwound a frame, and its frames then, innermost
 * first: the gate (address and its entry's symbol), the space that called
 * it and the pc it returns to.  Prints nothing when there was none. */
void peer_report_unwound(const struct peer *p, const struct thread *t, peer_symbolize_fn sym, void *ctx,
                         FILE *out);

#endif
