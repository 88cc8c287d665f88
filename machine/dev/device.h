/* The whole interface between a device and the board that wires it.
 *
 * A device is one file.  It exposes a memory-mapped register window
 * (struct mmio_region) and drives interrupt wires (struct irq_line) that the
 * board connects to an interrupt controller or straight to a hart.  Devices
 * know nothing of the CPU core.
 */
#ifndef PEERLESS_DEVICE_H
#define PEERLESS_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmio_region {
    const char *name;
    uint64_t base, size;
    void *opaque;
    /* `off` is relative to base; size is 1, 2, 4 or 8.  Return false for an
     * access the device does not support (the hart sees an access fault). */
    bool (*read)(void *opaque, uint64_t off, int size, uint64_t *val);
    bool (*write)(void *opaque, uint64_t off, int size, uint64_t val);
};

/* An interrupt wire.  Levels, not edges: set(…, 1) while asserted. */
struct irq_line {
    void (*set)(void *ctx, int n, int level);
    void *ctx;
    int n;
};

static inline void irq_set(const struct irq_line *l, int level)
{
    if (l->set)
        l->set(l->ctx, l->n, level);
}

/* Byte access to guest physical memory, for devices that read or write it
 * (semihosting now, DMA later).  Return false if any byte is not RAM. */
struct guest_mem {
    bool (*read)(void *ctx, uint64_t addr, void *buf, size_t n);
    bool (*write)(void *ctx, uint64_t addr, const void *buf, size_t n);
    void *ctx;
};

/* A device's DMA path: the board decides what it may reach (on the peer
 * machine, its aperture and its owner's rights).  Each call moves all n
 * bytes or none and returns false. */
struct dma_port {
    bool (*read)(void *ctx, uint64_t addr, void *buf, uint64_t n);
    bool (*write)(void *ctx, uint64_t addr, const void *buf, uint64_t n);
    void *ctx;
};

#endif
