/* The shared library (apps/shlib): code with no data of its own that runs
 * on each caller's data space (PL_GATE_CALLER_DATA). */
#ifndef SHLIB_H
#define SHLIB_H
#include <stdint.h>
/* Lives in the caller's memory; the library updates it. */
struct shlib_tally {
    uint64_t calls, sum;
    uint64_t data_space, code_space;   /* what the library saw itself running in */
};
/* gate(struct shlib_tally *t, long x) -> t->calls after adding x */
#endif
