/* SiFive PLIC (platform-level interrupt controller), laid out as on QEMU's
 * `virt`: level-triggered sources 1..nsources-1 (source 0 does not exist),
 * contexts numbered hart*2 + (0 for M-mode, 1 for S-mode), 3 priority bits. */
#ifndef PEERLESS_PLIC_H
#define PEERLESS_PLIC_H

#include "dev/device.h"

#define PLIC_MMIO_SIZE      0x600000
#define PLIC_PRIORITY_OFF   0x000000   /* + 4 * source */
#define PLIC_PENDING_OFF    0x001000   /* 32 sources a word */
#define PLIC_ENABLE_OFF     0x002000   /* + 0x80 * context */
#define PLIC_CONTEXT_OFF    0x200000   /* + 0x1000 * context: threshold */
#define PLIC_CLAIM_OFF      4          /* after the threshold: claim/complete */
#define PLIC_MAX_SOURCES    1024
#define PLIC_MAX_CONTEXTS   1024       /* what fits in the window */
#define PLIC_MAX_PRIORITY   7

struct plic;

/* NULL if the counts are out of range or memory runs out. */
struct plic *plic_new(int nsources, int ncontexts);
void plic_free(struct plic *p);

/* Wire context `ctx`'s interrupt output (to MEIP or SEIP of its hart). */
void plic_connect(struct plic *p, int ctx, struct irq_line out);

/* Only 4-byte aligned accesses; holes read as zero and ignore writes. */
struct mmio_region plic_mmio(struct plic *p, uint64_t base);

/* Drive source `src`'s input level.  Out-of-range sources are ignored. */
void plic_set_irq(struct plic *p, int src, int level);

/* An interrupt wire into source `src`, for a device's irq output. */
struct irq_line plic_source_line(struct plic *p, int src);

#endif
