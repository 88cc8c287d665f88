#include "debug/gdb_points.h"

#include <string.h>

bool points_is_break(const struct gdb_points *p, uint64_t pc)
{
    for (unsigned i = 0; i < p->nbreaks; i++)
        if (p->breaks[i] == pc)
            return true;
    return false;
}

bool points_add_break(struct gdb_points *p, uint64_t pc)
{
    if (points_is_break(p, pc))
        return true;
    if (p->nbreaks == GDB_MAX_BREAKS)
        return false;
    p->breaks[p->nbreaks++] = pc;
    return true;
}

bool points_remove_break(struct gdb_points *p, uint64_t pc)
{
    for (unsigned i = 0; i < p->nbreaks; i++)
        if (p->breaks[i] == pc) {
            p->breaks[i] = p->breaks[--p->nbreaks];
            return true;
        }
    return false;
}

bool points_add_watch(struct gdb_points *p, enum watch_kind kind, uint64_t addr, unsigned len)
{
    if (len == 0 || len > GDB_WATCH_MAX || p->nwatches == GDB_MAX_WATCHES)
        return false;
    p->watches[p->nwatches++] = (struct gdb_watch){ .kind = kind, .addr = addr, .len = len };
    if (kind != WATCH_WRITE)
        p->nreads++;
    return true;
}

bool points_remove_watch(struct gdb_points *p, enum watch_kind kind, uint64_t addr, unsigned len)
{
    for (unsigned i = 0; i < p->nwatches; i++)
        if (p->watches[i].kind == kind && p->watches[i].addr == addr && p->watches[i].len == len) {
            p->watches[i] = p->watches[--p->nwatches];
            if (kind != WATCH_WRITE)
                p->nreads--;
            return true;
        }
    return false;
}

void points_snapshot(struct gdb_points *p, struct hart *h)
{
    for (unsigned i = 0; i < p->nwatches; i++) {
        struct gdb_watch *w = &p->watches[i];
        if (w->kind == WATCH_WRITE)
            w->readable = hart_read_mem(h, w->addr, w->old, w->len);
    }
    p->access = p->nreads ? access_at_pc(h) : (struct mem_access){ 0 };
    p->instret = h->instret;
}

static bool overlaps(const struct gdb_watch *w, const struct mem_access *a)
{
    return a->len && a->addr < w->addr + w->len && w->addr < a->addr + a->len;
}

const struct gdb_watch *points_fired(struct gdb_points *p, struct hart *h)
{
    const struct mem_access *a = &p->access;
    bool retired = h->instret != p->instret;
    for (unsigned i = 0; i < p->nwatches; i++) {
        struct gdb_watch *w = &p->watches[i];
        if (w->kind == WATCH_WRITE) {
            uint8_t now[GDB_WATCH_MAX];
            bool readable = hart_read_mem(h, w->addr, now, w->len);
            /* Only a change of readable bytes counts: a mapping that comes or goes
             * (a context switch) is not a write. */
            if (readable && w->readable && memcmp(now, w->old, w->len))
                return w;
        } else if (retired && overlaps(w, a) && (a->reads || (w->kind == WATCH_ACCESS && a->writes))) {
            return w;
        }
    }
    return NULL;
}

bool points_any(const struct gdb_points *p) { return p->nbreaks || p->nwatches; }

void points_clear(struct gdb_points *p) { p->nbreaks = p->nwatches = p->nreads = 0; }
