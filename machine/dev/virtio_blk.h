/* virtio-blk (device id 2) on a raw disk image: reads, writes, flushes and
 * the device id string.  A read-only image is offered as VIRTIO_BLK_F_RO. */
#ifndef PEERLESS_VIRTIO_BLK_H
#define PEERLESS_VIRTIO_BLK_H

#include "dev/virtio_mmio.h"

#define VIRTIO_ID_BLOCK        2
#define VIRTIO_BLK_F_RO        5
#define VIRTIO_BLK_F_BLK_SIZE  6
#define VIRTIO_BLK_F_FLUSH     9
#define VIRTIO_BLK_SECTOR      512

enum { VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4, VIRTIO_BLK_T_GET_ID = 8 };
enum { VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2 };
#define VIRTIO_BLK_ID_BYTES 20

struct virtio_blk;

/* Open `path` read-write (read-only if that is refused).  NULL with a
 * message in err on failure. */
struct virtio_blk *virtio_blk_new(const char *path, struct dma_port dma, struct irq_line irq,
                                  char *err, size_t errlen);
void virtio_blk_free(struct virtio_blk *b);
struct virtio_mmio *virtio_blk_transport(struct virtio_blk *b);

#endif
