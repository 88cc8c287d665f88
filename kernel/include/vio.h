/* What the kernel's virtio-mmio drivers (blk, net) share beyond the
 * register access of <peerless/virtio.h>: feature negotiation, and the
 * misbehaviour their test-only inject path runs (kern.h INJECT_*) — always
 * the driver's own code, in its own space, so the isolation tests exercise
 * what a buggy driver would do. */
#ifndef VIO_H
#define VIO_H
#include "kern.h"
#include <peerless/virtio.h>

/* Reset the device and agree on features: VERSION_1 and all of `need`
 * (feature word 0), plus whatever of `may` it offers -> the agreed word 0,
 * or KE_INVAL (the device lacks something, or refused FEATURES_OK). */
static inline long vio_negotiate(uint64_t base, uint32_t need, uint32_t may)
{
    vio_reg_write(base, VIO_STATUS, 0);
    vio_reg_write(base, VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER);
    vio_reg_write(base, VIO_DEV_FEAT_SEL, 1);
    if (!(vio_reg_read(base, VIO_DEV_FEATURES) & VIO_F1_VERSION_1))
        return KE_INVAL;
    vio_reg_write(base, VIO_DEV_FEAT_SEL, 0);
    uint32_t offered = vio_reg_read(base, VIO_DEV_FEATURES);
    if ((offered & need) != need)
        return KE_INVAL;
    uint32_t agreed = need | (offered & may);
    vio_reg_write(base, VIO_DRV_FEAT_SEL, 0);
    vio_reg_write(base, VIO_DRV_FEATURES, agreed);
    vio_reg_write(base, VIO_DRV_FEAT_SEL, 1);
    vio_reg_write(base, VIO_DRV_FEATURES, VIO_F1_VERSION_1);
    vio_reg_write(base, VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK);
    if (!(vio_reg_read(base, VIO_STATUS) & VIO_ST_FEATURES_OK))
        return KE_INVAL;
    return agreed;
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
