/* SiFive CLINT (core-local interruptor), as on QEMU's `virt`: per-hart
 * machine software interrupt (msip) and timer (mtimecmp against the shared
 * mtime counter). */
#ifndef PEERLESS_CLINT_H
#define PEERLESS_CLINT_H

#include "dev/device.h"

#define CLINT_MMIO_SIZE   0x10000
#define CLINT_MSIP_OFF    0x0000   /* + 4 * hart, bit 0 only */
#define CLINT_MTIMECMP_OFF 0x4000  /* + 8 * hart */
#define CLINT_MTIME_OFF   0xbff8
#define CLINT_MAX_HARTS   4095     /* what fits below mtime */

struct clint;

/* `now` returns the free-running time base in mtime ticks; the guest's
 * mtime is that plus an offset changed by writes to mtime.  NULL if nharts
 * is out of range or memory runs out. */
struct clint *clint_new(int nharts, uint64_t (*now)(void *ctx), void *ctx);
void clint_free(struct clint *c);

/* Wire hart `hart`'s MSIP and MTIP interrupt outputs.  The current levels
 * are driven on the new lines at once. */
void clint_connect(struct clint *c, int hart, struct irq_line msip, struct irq_line mtip);

/* 4-byte accesses anywhere; 8-byte accesses to mtimecmp and mtime.  Holes
 * read as zero and ignore writes, as in QEMU. */
struct mmio_region clint_mmio(struct clint *c, uint64_t base);

/* Re-evaluate every hart's MTIP against the current time. */
void clint_update(struct clint *c);

/* The value of now() at which the earliest MTIP will rise (now() itself if
 * one is already due), or UINT64_MAX if no mtimecmp is ever reached. */
uint64_t clint_next_deadline(struct clint *c);

/* The guest-visible mtime. */
uint64_t clint_mtime(struct clint *c);

#endif
