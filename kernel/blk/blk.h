/* blk's two halves: the device (virtq.c: the virtqueue on blk's DMA
 * pages, one request at a time, completion by interrupt) and the windows
 * (blk.c: the gates, each confined to one run of sectors). */
#ifndef BLK_H
#define BLK_H

#include "kern.h"
#include <peerless/virtio.h>

/* The bounce buffer: every transfer goes through it, as the aperture
 * covers nothing but blk's own DMA pages. */
#define BLK_BOUNCE 4096

extern volatile uint8_t *const blk_bounce;
extern uint64_t blk_capacity;      /* sectors on the disk */

long blk_device_init(void);        /* reset the device, queue 0 up: 0 or KE_* */
long blk_open_aperture(void);      /* device 1's aperture over the DMA pages, for this space */
/* One request through the bounce buffer, waiting for its completion: 0, or KE_*. */
enum { BLK_IO_IN, BLK_IO_OUT, BLK_IO_FLUSH };
long blk_request(int kind, uint64_t sector, uint32_t len);
/* A read whose data goes to `addr` instead of the bounce buffer (the DMA
 * misbehaviour: outside the aperture, the machine refuses it). */
long blk_request_at(uint64_t addr, uint32_t len);
long blk_irq(long source);         /* the interrupt gate's entry */
void blk_set_sched(uint64_t gate);

#endif
