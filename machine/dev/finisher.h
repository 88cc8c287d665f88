/* SiFive test finisher ("sifive,test0"): the guest writes a status word to
 * offset 0 to end the run with a pass, a failure code, or a reset. */
#ifndef PEERLESS_FINISHER_H
#define PEERLESS_FINISHER_H

#include "dev/device.h"

#define FINISHER_MMIO_SIZE 0x1000

enum finisher_kind {
    FINISHER_PASS,    /* code is 0 */
    FINISHER_FAIL,    /* code is the 16-bit value from bits 31:16 */
    FINISHER_RESET,   /* code is 0 */
};

struct finisher;

/* on_finish is called from inside the guest's store; the board decides
 * what ending the run means (QEMU exits the process with `code`). */
struct finisher *finisher_new(void (*on_finish)(void *ctx, int kind, int code), void *ctx);
void finisher_free(struct finisher *f);

/* 2- and 4-byte accesses, as QEMU allows; reads return 0; status words
 * other than pass/fail/reset, and writes elsewhere, are ignored. */
struct mmio_region finisher_mmio(struct finisher *f, uint64_t base);

#endif
