/* Growing arrays (spaces, grants, threads, frames, gates): at least
 * need + 1 elements, doubling, new elements zeroed. */
#ifndef PEERLESS_PEER_GROW_H
#define PEERLESS_PEER_GROW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline bool peer_grow(void **arr, uint64_t *cap, uint64_t need, size_t elem, uint64_t first)
{
    if (need < *cap)
        return true;
    uint64_t n = *cap ? *cap : first;
    while (n <= need)
        n *= 2;
    void *p = realloc(*arr, n * elem);
    if (!p)
        return false;
    memset((char *)p + *cap * elem, 0, (n - *cap) * elem);
    *arr = p;
    *cap = n;
    return true;
}

#endif
