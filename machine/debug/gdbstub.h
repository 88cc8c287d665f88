/* A GDB remote serial protocol stub: `peerless run --gdb PORT` lets
 * gdb-multiarch attach over TCP (127.0.0.1 only) to inspect and control
 * the hart: registers (with FP and CSRs), memory, breakpoints, write, read
 * and access watchpoints, single-step, Ctrl-C, and `monitor` commands.
 *
 * The run loop (board/loop.c) runs the hart through gdbstub_run instead of
 * hart_run; boards and the core know nothing of sockets.  While any
 * breakpoint or watchpoint exists the hart runs one instruction at a time
 * (hart_step), checking them around each; otherwise at full speed in
 * slices, looking for Ctrl-C between them. */
#ifndef PEERLESS_GDBSTUB_H
#define PEERLESS_GDBSTUB_H

#include "core/hart.h"

#include <stdio.h>

/* A board's own `monitor` commands: print to out and return true, or
 * return false for a command it does not know.  "help" lists them. */
typedef bool (*gdb_monitor_fn)(void *ctx, const char *cmd, FILE *out);

struct gdbstub;

/* Listen on 127.0.0.1:port.  With `wait`, block until GDB connects and
 * stay stopped before the first instruction until it continues.  NULL with
 * a message in err if the port cannot be had. */
struct gdbstub *gdbstub_open(int port, bool wait, struct hart *h, gdb_monitor_fn monitor, void *ctx,
                             char *err, size_t n);
void gdbstub_close(struct gdbstub *g);

/* Run up to `budget` instructions under the debugger's control (serving
 * it first while the hart is stopped).  Returns as hart_run does. */
enum run_exit gdbstub_run(struct gdbstub *g, int64_t budget);
/* Did the debugger kill the machine (`kill`)? */
bool gdbstub_killed(const struct gdbstub *g);
/* While the guest idles: wait up to `ms` for the debugger (Ctrl-C, a new
 * connection), so an idle guest can still be interrupted. */
void gdbstub_idle(struct gdbstub *g, int ms);
/* The run ended (guest exit or fatal fault): tell the debugger. */
void gdbstub_exited(struct gdbstub *g, int status, bool fault);

#endif
