/* A copy engine: the simplest DMA device.  Software gives it a source, a
 * destination and a length; GO copies through the device's DMA port and
 * raises its interrupt.  Registers are those of include/peerless/peer.h. */
#ifndef PEERLESS_DMAENGINE_H
#define PEERLESS_DMAENGINE_H

#include "dev/device.h"

struct dmaengine;

struct dmaengine *dmaengine_new(struct dma_port port, struct irq_line irq);
void dmaengine_free(struct dmaengine *e);
struct mmio_region dmaengine_mmio(struct dmaengine *e, uint64_t base);

#endif
