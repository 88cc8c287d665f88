/* What a guest driver needs of virtio 1.x over MMIO (version 2) and of
 * virtio-blk: register offsets, status and interrupt bits, the split
 * virtqueue's layout and the block request, and register access.  The emulator's side is
 * machine/dev/virtio_mmio.h and virtio_blk.h; these are the same numbers,
 * from the virtio specification, for programs that cannot include those. */
#ifndef PEERLESS_VIRTIO_H
#define PEERLESS_VIRTIO_H

#include <stdint.h>

#define VIO_MAGIC_VALUE     0x000   /* reads 0x74726976, "virt" */
#define VIO_VERSION         0x004   /* 2 */
#define VIO_DEVICE_ID       0x008   /* 0: no device; 2: block */
#define VIO_DEV_FEATURES    0x010
#define VIO_DEV_FEAT_SEL    0x014
#define VIO_DRV_FEATURES    0x020
#define VIO_DRV_FEAT_SEL    0x024
#define VIO_QUEUE_SEL       0x030
#define VIO_QUEUE_NUM_MAX   0x034
#define VIO_QUEUE_NUM       0x038
#define VIO_QUEUE_READY     0x044
#define VIO_QUEUE_NOTIFY    0x050
#define VIO_INT_STATUS      0x060
#define VIO_INT_ACK         0x064
#define VIO_STATUS          0x070
#define VIO_DESC_LO         0x080
#define VIO_DESC_HI         0x084
#define VIO_AVAIL_LO        0x090
#define VIO_AVAIL_HI        0x094
#define VIO_USED_LO         0x0a0
#define VIO_USED_HI         0x0a4
#define VIO_CONFIG          0x100   /* virtio-blk: capacity in sectors, le64 */

#define VIO_MAGIC           0x74726976
#define VIO_ID_BLOCK        2
#define VIO_F1_VERSION_1    1       /* bit 0 of the feature word selected by 1 (bit 32) */

#define VIO_ST_ACK          1
#define VIO_ST_DRIVER       2
#define VIO_ST_DRIVER_OK    4
#define VIO_ST_FEATURES_OK  8
#define VIO_ST_NEEDS_RESET  64
#define VIO_INT_USED        1
#define VIO_INT_CONFIG      2

#define VIO_DESC_NEXT       1
#define VIO_DESC_WRITE      2

struct vio_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vio_used_elem { uint32_t id, len; };

#define VIO_BLK_SECTOR      512
#define VIO_BLK_T_IN        0
#define VIO_BLK_T_OUT       1
#define VIO_BLK_T_FLUSH     4
#define VIO_BLK_F_FLUSH     (1u << 9)   /* feature word 0: the device has a write cache to flush */
#define VIO_BLK_S_OK        0
#define VIO_BLK_S_IOERR     1
struct vio_blk_req { uint32_t type, reserved; uint64_t sector; };

/* virtio-net (device id 1): queue 0 receives, queue 1 transmits; every
 * frame is preceded by a 12-byte header (all zero from the driver: no
 * offloads).  Config: the MAC at VIO_CONFIG, then le16 status (1 = link up). */
#define VIO_ID_NET          1
#define VIO_NET_F_MAC       (1u << 5)   /* in feature word 0 */
#define VIO_NET_HDR         12
#define VIO_NET_RXQ         0
#define VIO_NET_TXQ         1
#define VIO_NET_FRAME_MAX   1514        /* Ethernet header + 1500 bytes (no VLAN tag, no FCS) */

/* A register of the device at `base`.  The fences order the driver's
 * memory accesses around it: the device reads and writes the rings when
 * QueueNotify is written. */
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

/* Queue n's three rings (the queue already sized), then ready. */
static inline void vio_queue_rings(uint64_t base, int n, uint64_t desc, uint64_t avail, uint64_t used)
{
    vio_reg_write(base, VIO_QUEUE_SEL, (uint32_t)n);
    vio_reg_write(base, VIO_DESC_LO, (uint32_t)desc);
    vio_reg_write(base, VIO_DESC_HI, (uint32_t)(desc >> 32));
    vio_reg_write(base, VIO_AVAIL_LO, (uint32_t)avail);
    vio_reg_write(base, VIO_AVAIL_HI, (uint32_t)(avail >> 32));
    vio_reg_write(base, VIO_USED_LO, (uint32_t)used);
    vio_reg_write(base, VIO_USED_HI, (uint32_t)(used >> 32));
    vio_reg_write(base, VIO_QUEUE_READY, 1);
}

#endif
