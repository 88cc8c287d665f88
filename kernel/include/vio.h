/* What the kernel's virtio-mmio drivers (blk, net) share: register access
 * with the fences MMIO wants, and the misbehaviour their test-only inject
 * path runs (kern.h INJECT_*) — always the driver's own code, in its own
 * space, so the isolation tests exercise what a buggy driver would do. */
#ifndef VIO_H
#define VIO_H
#include "kern.h"
#include <peerless/virtio.h>

static inline uint32_t vio_reg_read(uint64_t base, uint64_t off)
{
    __sync_synchronize();
    uint32_t v = *(volatile uint32_t *)(base + off);
    __sync_synchronize();
    return v;
}

static inline void vio_reg_write(uint64_t base, uint64_t off, uint32_t v)
{
    __sync_synchronize();
    *(volatile uint32_t *)(base + off) = v;
    __sync_synchronize();
}

/* INJECT_WILD stores `word` at target, INJECT_LOOP never returns,
 * INJECT_FAULT runs an illegal instruction; anything else (INJECT_DMA,
 * which each driver programs on its own device) returns to the caller. */
static inline void vio_misbehave(uint64_t kind, uint64_t target, uint64_t word)
{
    switch (kind) {
    case INJECT_WILD:
        *(volatile uint64_t *)target = word;
        break;
    case INJECT_LOOP:
        for (;;)
            __asm__ volatile("");
    case INJECT_FAULT:
        __asm__ volatile("unimp");
        break;
    }
}

#endif
