/* Read-only views of the protection unit, for the debugger's `monitor`
 * commands (spaces, the regions a space holds, gates, the running
 * thread's spillet). */
#ifndef PEERLESS_PEER_INSPECT_H
#define PEERLESS_PEER_INSPECT_H

#include "peer/peer.h"

#include <stdio.h>

/* Print what `cmd` asks about to out; false for a command it does not
 * know ("help" lists them and returns true). */
bool peer_inspect(const struct peer *p, const char *cmd, FILE *out);

#endif
