/* Making spaces and running their first code (see peer_rt.h). */
#include "peer_rt.h"

extern char __rodata_start[], __rodata_end[];

long peer_space_new(const struct peer_image *image)
{
    long space = peer_space_create();
    if (space <= 0)
        return space < 0 ? space : PL_E_SPACE;
    long g;
    if ((g = pl_grant(space, image->text_lo, image->text_hi - image->text_lo, PL_X)) < 0)
        return g;
    if (image->data_hi > image->data_lo &&
        (g = pl_grant(space, image->data_lo, image->data_hi - image->data_lo, PL_R | PL_W)) < 0)
        return g;
    if ((g = pl_grant(space, (uint64_t)__rodata_start,
                      (uint64_t)(__rodata_end - __rodata_start), PL_R)) < 0)
        return g;
    return space;
}

uint64_t peer_spawn(uint64_t space, void (*entry)(struct peer_spawn_msg *), uint64_t arg,
                    void *stack, size_t stack_size, int *ok)
{
    *ok = 0;
    uint64_t lo = (uint64_t)stack, hi = (lo + stack_size) & ~15UL;
    /* The message sits at the top of the new thread's stack, which the
     * new space reaches through the hunk rule. */
    volatile struct peer_spawn_msg *m = (volatile struct peer_spawn_msg *)hi - 1;
    m->creator = peer_thread_current();
    m->arg = arg;
    m->result = 0;
    m->done = 0;

    /* The init code needs the thread controller to switch back. */
    long lend = pl_grant(space, PEER_THREADCTL, PEER_PAGE_SIZE, PL_R | PL_W);
    if (lend < 0)
        return 0;
    long thread = peer_thread_create((uint64_t)entry, (uint64_t)m & ~15UL, lo, hi, space, space, (uint64_t)m);
    if (thread > 0) {
        peer_thread_switch((uint64_t)thread);
        /* Back here when the init code switched back. */
        peer_thread_stop((uint64_t)thread);
    }
    pl_revoke(lend);
    if (thread <= 0 || !m->done)
        return 0;
    *ok = 1;
    return m->result;
}
