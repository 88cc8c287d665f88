/* Breakpoints and watchpoints the debugger set: pc values to stop before,
 * and byte ranges an instruction that writes (changes), reads or accesses
 * them stops after. */
#ifndef PEERLESS_GDB_POINTS_H
#define PEERLESS_GDB_POINTS_H

#include "core/hart.h"
#include "debug/gdb_access.h"

#define GDB_MAX_BREAKS  64
#define GDB_MAX_WATCHES 8
#define GDB_WATCH_MAX   64     /* bytes one watchpoint may cover */

/* The Z packet types 2, 3 and 4. */
enum watch_kind { WATCH_WRITE = 2, WATCH_READ = 3, WATCH_ACCESS = 4 };

struct gdb_watch {
    enum watch_kind kind;
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
    unsigned nreads;           /* read and access watchpoints among them */
    struct mem_access access;  /* the stepped instruction's, at the last snapshot */
    uint64_t instret;          /* and the hart's count then */
};

/* Software (Z0) and hardware (Z1) breakpoints are the same here: a pc the
 * hart stops before.  Insert may be repeated; false when full. */
bool points_add_break(struct gdb_points *p, uint64_t pc);
bool points_remove_break(struct gdb_points *p, uint64_t pc);
bool points_is_break(const struct gdb_points *p, uint64_t pc);

/* Watchpoints of a kind over [addr, addr+len). */
bool points_add_watch(struct gdb_points *p, enum watch_kind kind, uint64_t addr, unsigned len);
bool points_remove_watch(struct gdb_points *p, enum watch_kind kind, uint64_t addr, unsigned len);
/* Before an instruction: remember the bytes write watchpoints cover, and
 * (only when a read or access watchpoint exists: it costs a decode) what
 * the instruction will read and write.  After it: the watchpoint it
 * fired, or NULL.  A write watchpoint fires when its bytes changed; a
 * read or access watchpoint when the instruction retired and its access
 * overlapped the range (a read, or either). */
void points_snapshot(struct gdb_points *p, struct hart *h);
const struct gdb_watch *points_fired(struct gdb_points *p, struct hart *h);

bool points_any(const struct gdb_points *p);
void points_clear(struct gdb_points *p);

#endif
