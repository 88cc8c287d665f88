/* The virtio 1.x memory-mapped transport ("virtio,mmio", version 2) and the
 * split virtqueue, shared by the virtio devices.
 *
 * A device (virtio_blk.c, virtio_net.c, ...) describes itself with struct
 * virtio_device_ops and gets a transport that owns the register window, the
 * feature negotiation, the status byte, the queues and the interrupt.  It
 * then takes request chains off a queue with virtio_pop(), moves bytes with
 * virtio_chain_read()/virtio_chain_write() and hands them back with
 * virtio_push().  All guest memory goes through the board's dma_port.
 *
 * A malformed ring or descriptor chain (an index past the queue, a loop, a
 * chain too long or too large, memory that is not RAM, an indirect
 * descriptor, which is not offered) never reaches the host: the transport
 * sets DEVICE_NEEDS_RESET, raises a configuration-change interrupt and
 * stops serving the queues until the driver resets the device, as the
 * virtio specification (2.1.2) prescribes.
 */
#ifndef PEERLESS_VIRTIO_MMIO_H
#define PEERLESS_VIRTIO_MMIO_H

#include "dev/device.h"

#define VIRTIO_MMIO_SIZE        0x1000
#define VIRTIO_MMIO_MAGIC       0x74726976   /* "virt" */
#define VIRTIO_MMIO_VERSION     2
#define VIRTIO_MMIO_VENDOR      0x52454550   /* "PEER" */

/* Register offsets. */
enum {
    VIRTIO_MMIO_MAGIC_VALUE = 0x000, VIRTIO_MMIO_VERSION_REG = 0x004,
    VIRTIO_MMIO_DEVICE_ID = 0x008, VIRTIO_MMIO_VENDOR_ID = 0x00c,
    VIRTIO_MMIO_DEVICE_FEATURES = 0x010, VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
    VIRTIO_MMIO_DRIVER_FEATURES = 0x020, VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
    VIRTIO_MMIO_QUEUE_SEL = 0x030, VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
    VIRTIO_MMIO_QUEUE_NUM = 0x038, VIRTIO_MMIO_QUEUE_READY = 0x044,
    VIRTIO_MMIO_QUEUE_NOTIFY = 0x050, VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
    VIRTIO_MMIO_INTERRUPT_ACK = 0x064, VIRTIO_MMIO_STATUS = 0x070,
    VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080, VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
    VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090, VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
    VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0, VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
    VIRTIO_MMIO_SHM_SEL = 0x0ac, VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0,
    VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4, VIRTIO_MMIO_SHM_BASE_LOW = 0x0b8,
    VIRTIO_MMIO_SHM_BASE_HIGH = 0x0bc, VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
    VIRTIO_MMIO_CONFIG = 0x100,
};

/* Device status bits. */
enum {
    VIRTIO_STATUS_ACKNOWLEDGE = 1, VIRTIO_STATUS_DRIVER = 2, VIRTIO_STATUS_DRIVER_OK = 4,
    VIRTIO_STATUS_FEATURES_OK = 8, VIRTIO_STATUS_NEEDS_RESET = 64, VIRTIO_STATUS_FAILED = 128,
};

/* Interrupt status bits. */
enum { VIRTIO_INT_USED_BUFFER = 1, VIRTIO_INT_CONFIG = 2 };

/* Descriptor flags. */
enum { VIRTQ_DESC_F_NEXT = 1, VIRTQ_DESC_F_WRITE = 2, VIRTQ_DESC_F_INDIRECT = 4 };
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

#define VIRTIO_F_VERSION_1      32
#define VIRTIO_QUEUE_MAX        256    /* QueueNumMax of every queue */
#define VIRTIO_MAX_QUEUES       4
#define VIRTIO_CHAIN_MAX_BYTES  (64u << 20)   /* larger chains are malformed */

struct virtio_device_ops {
    uint32_t device_id;            /* 0: an empty slot, as on QEMU's virt */
    uint64_t features;             /* offered, besides VIRTIO_F_VERSION_1 */
    int num_queues;
    /* Device-specific configuration space (offset from 0x100). */
    bool (*config_read)(void *dev, uint64_t off, int size, uint64_t *val);
    bool (*config_write)(void *dev, uint64_t off, int size, uint64_t val);
    /* The driver wrote QueueNotify for queue q (only while DRIVER_OK). */
    void (*notify)(void *dev, int q);
    /* The driver reset the device (status 0). */
    void (*reset)(void *dev);
};

/* One descriptor chain taken off a queue: its readable segments first, then
 * its writable ones, as the specification requires of their order. */
#define VIRTQ_CHAIN_MAX_SEGS VIRTIO_QUEUE_MAX
struct virtq_seg {
    uint64_t addr;
    uint32_t len;
};
struct virtq_chain {
    int queue;
    uint16_t head;
    int nread, nwrite;
    uint64_t read_len, write_len;  /* bytes in the readable / writable segments */
    struct virtq_seg seg[VIRTQ_CHAIN_MAX_SEGS];   /* readable, then writable */
};

struct virtio_mmio;

/* ops may describe an empty slot (device_id 0); dev is the ops' context. */
struct virtio_mmio *virtio_mmio_new(const struct virtio_device_ops *ops, void *dev,
                                    struct dma_port dma, struct irq_line irq);
void virtio_mmio_free(struct virtio_mmio *t);
/* A machine reset: the device as at power-on (status 0, no queues). */
void virtio_mmio_reset(struct virtio_mmio *t);
/* 4-byte registers; the configuration space takes 1, 2, 4 and 8 bytes. */
struct mmio_region virtio_mmio_region(struct virtio_mmio *t, uint64_t base);

/* Has the driver made queue q ready and set DRIVER_OK (and is the device
 * not broken)? */
bool virtio_queue_live(const struct virtio_mmio *t, int q);
/* Is there a chain waiting on queue q? */
bool virtio_queue_has_buffer(struct virtio_mmio *t, int q);
/* Take the next chain off queue q: 1 if one was taken, 0 if none is
 * waiting, -1 if the ring is malformed (the device then needs a reset). */
int virtio_pop(struct virtio_mmio *t, int q, struct virtq_chain *c);
/* Copy n bytes at offset off of the chain's readable part into buf, or buf
 * into its writable part.  False if the range exceeds the part or memory
 * refuses (the device then needs a reset). */
bool virtio_chain_read(struct virtio_mmio *t, const struct virtq_chain *c, uint64_t off, void *buf, uint64_t n);
bool virtio_chain_write(struct virtio_mmio *t, const struct virtq_chain *c, uint64_t off, const void *buf, uint64_t n);
/* Return the chain with `written` bytes written, and interrupt the driver
 * unless it asked not to be. */
void virtio_push(struct virtio_mmio *t, const struct virtq_chain *c, uint32_t written);
/* The configuration space changed: bump its generation, interrupt. */
void virtio_config_changed(struct virtio_mmio *t);
/* Mark the device broken: NEEDS_RESET and a configuration interrupt. */
void virtio_needs_reset(struct virtio_mmio *t);
uint64_t virtio_driver_features(const struct virtio_mmio *t);
uint8_t virtio_status(const struct virtio_mmio *t);

#endif
