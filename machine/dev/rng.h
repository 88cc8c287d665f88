/* An entropy source: one read-only 64-bit register (RNG_DATA in
 * include/peerless/peer.h) that gives fresh random bits from the host's
 * getrandom on every read.  The peer machine has no other source of
 * unpredictable numbers (the timer's low bits are guessable). */
#ifndef PEERLESS_RNG_H
#define PEERLESS_RNG_H

#include "dev/device.h"

#define RNG_MMIO_SIZE 0x1000

struct rng;

struct rng *rng_new(void);
void rng_free(struct rng *r);

/* 8-byte reads of offset 0 only; everything else (and a read the host
 * cannot fill) is refused: the hart sees an access fault, never a number
 * that is not random. */
struct mmio_region rng_mmio(struct rng *r, uint64_t base);

#endif
