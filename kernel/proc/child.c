/* Child spaces: a program may ask proc for empty spaces of its own, to
 * grant its memory into (proc holds the space controller; programs do
 * not).  proc remembers each child in a table whose memory it asks mem for,
 * in CHILD_CHUNK pieces charged to the program, so a program's children
 * count against its quota like any memory, and they are destroyed when it
 * ends.  Deleting searches from the newest child, so destroying in the
 * reverse order of creation costs the same for each. */
#include "proc.h"

long child_new(long pid)
{
    struct proc *p = proc_caller(pid);
    if (!p)
        return KE_PERM;
    long i = p->nchildren, chunk = i / (long)CHILD_PER_CHUNK;
    if (chunk >= CHILD_CHUNKS)
        return KE_NOMEM;
    if (!p->children[chunk]) {
        long base = pl_call(mem_gate, MEM_ALLOC, p->space, 0, (long)CHILD_CHUNK, (long)pl_self());
        if (base <= 0)
            return KE_NOMEM;
        p->children[chunk] = (uint64_t *)base;
    }
    long s = peer_space_create();
    if (s <= 0)
        return KE_NOMEM;
    p->children[chunk][i % (long)CHILD_PER_CHUNK] = (uint64_t)s;
    p->nchildren = i + 1;
    return s;
}

long child_del(long pid, uint64_t space)
{
    struct proc *p = proc_caller(pid);
    if (!p)
        return KE_PERM;
    for (long i = p->nchildren - 1; i >= 0; i--) {
        uint64_t *slot = &p->children[i / (long)CHILD_PER_CHUNK][i % (long)CHILD_PER_CHUNK];
        if (*slot != space)
            continue;
        peer_space_destroy(space);
        long last = p->nchildren - 1;
        *slot = p->children[last / (long)CHILD_PER_CHUNK][last % (long)CHILD_PER_CHUNK];
        p->nchildren = last;
        /* A table chunk emptied: back to mem. */
        if (last % (long)CHILD_PER_CHUNK == 0) {
            long chunk = last / (long)CHILD_PER_CHUNK;
            pl_call(mem_gate, MEM_FREE, (long)p->children[chunk]);
            p->children[chunk] = 0;
        }
        return 0;
    }
    return KE_NOENT;
}

/* When the program ends (its table chunks go back with MEM_RECLAIM). */
void child_release_all(struct proc *p)
{
    for (long i = 0; i < p->nchildren; i++)
        peer_space_destroy(p->children[i / (long)CHILD_PER_CHUNK][i % (long)CHILD_PER_CHUNK]);
    p->nchildren = 0;
    for (int c = 0; c < CHILD_CHUNKS; c++)
        p->children[c] = 0;
}
