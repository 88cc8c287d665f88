/* Breakpoints and watchpoints the debugger set: pc values to stop before,
 * and byte ranges whose change by an instruction stops after it. */
#ifndef PEERLESS_GDB_POINTS_H
#define PEERLESS_GDB_POINTS_H

#include "core/hart.h"

#define GDB_MAX_BREAKS  64
#define GDB_MAX_WATCHES 8
#define GDB_WATCH_MAX   64     /* bytes one watchpoint may cover */

struct gdb_watch {
    uint64_t addr;
    unsigned len;
    bool readable;             /* the bytes could be read at the last snapshot */
    uint8_t old[GDB_WATCH_MAX];
};

struct gdb_points {
    uint64_t breaks[GDB_MAX_BREAKS];
    unsigned nbreaks;
    struct gdb_watch watches[GDB_MAX_WATCHES];
    unsigned nwatches;
};

/* Software (Z0) and hardware (Z1) breakpoints are the same here: a pc the
 * hart stops before.  Insert may be repeated; false when full. */
bool points_add_break(struct gdb_points *p, uint64_t pc);
bool points_remove_break(struct gdb_points *p, uint64_t pc);
bool points_is_break(const struct gdb_points *p, uint64_t pc);

/* Write watchpoints over [addr, addr+len). */
bool points_add_watch(struct gdb_points *p, uint64_t addr, unsigned len);
bool points_remove_watch(struct gdb_points *p, uint64_t addr, unsigned len);
/* Before an instruction: remember the watched bytes.  After it: the
 * address of a watchpoint whose bytes changed, and true. */
void points_snapshot(struct gdb_points *p, struct hart *h);
bool points_changed(struct gdb_points *p, struct hart *h, uint64_t *addr);

bool points_any(const struct gdb_points *p);
void points_clear(struct gdb_points *p);

#endif
