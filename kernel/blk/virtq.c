/* blk's device half: virtio-blk over MMIO, queue 0 on blk's DMA pages.
 *
 * The aperture (device 1) covers exactly the DMA pages below: the
 * virtqueue, the request header, the status byte and the bounce buffer.
 * So the disk can read and write nothing else, whatever the rings say.
 *
 * Completion is by interrupt: blk's interrupt gate (source 5, priority 1,
 * below sched's) acknowledges the device and posts a wake for the waiting
 * thread with SCHED_IRQ_WAKE; the waiter sleeps in SCHED_WAIT until then
 * (boot's init threads, which sched does not know, poll instead).
 * (This device model completes a request during the notifying store, so
 * the wake usually lands before the waiter asks: sched keeps it as a
 * token and the WAIT returns at once.)  The wait has a deadline only as a
 * safety net against a lost interrupt: it rechecks the used ring then.
 */
#include "blk.h"
#include "vio.h"

#define QSIZE 8
#define KEY_DONE 0x626c6b64UL   /* "blkd": a request completed */

static volatile struct dma_pages {
    struct vio_desc desc[QSIZE];
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail;
    struct { uint16_t flags, idx; struct vio_used_elem ring[QSIZE]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
    struct vio_blk_req req __attribute__((aligned(16)));
    uint8_t status;
    uint8_t bounce[BLK_BOUNCE] __attribute__((aligned(512)));
} dma __attribute__((aligned(4096)));
#define DMA_BYTES ((sizeof dma + PEER_PAGE_SIZE - 1) & ~(PEER_PAGE_SIZE - 1))

volatile uint8_t *const blk_bounce = dma.bounce;
uint64_t blk_capacity;
static uint64_t sched_gate;
static uint16_t next_avail;
static volatile long irqs;

void blk_set_sched(uint64_t gate) { sched_gate = gate; }

#define reg_read(off) vio_reg_read(PEER_VIRTIO_BLK, (off))
#define reg_write(off, v) vio_reg_write(PEER_VIRTIO_BLK, (off), (v))

long blk_open_aperture(void)
{
    uint64_t regs = PEER_DMACTL + DMACTL_DEV(DMA_DEV_BLK);
    peer_ctl_write(regs, DMACTL_BASE, (uint64_t)&dma);
    peer_ctl_write(regs, DMACTL_LEN, DMA_BYTES);
    peer_ctl_write(regs, DMACTL_SET, 1);
    return (long)peer_ctl_read(regs, DMACTL_RESULT);
}

long blk_device_init(void)
{
    if (reg_read(VIO_MAGIC_VALUE) != VIO_MAGIC || reg_read(VIO_DEVICE_ID) != VIO_ID_BLOCK)
        return KE_NOENT;
    if (vio_negotiate(PEER_VIRTIO_BLK, 0, VIO_BLK_F_FLUSH) < 0)
        return KE_INVAL;
    reg_write(VIO_QUEUE_SEL, 0);
    if (reg_read(VIO_QUEUE_NUM_MAX) < QSIZE)
        return KE_INVAL;
    reg_write(VIO_QUEUE_NUM, QSIZE);
    dma.avail.flags = 0;
    dma.avail.idx = 0;
    dma.used.idx = 0;
    next_avail = 0;
    vio_queue_rings(PEER_VIRTIO_BLK, 0, (uint64_t)dma.desc, (uint64_t)&dma.avail, (uint64_t)&dma.used);
    reg_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
    blk_capacity = reg_read(VIO_CONFIG) | (uint64_t)reg_read(VIO_CONFIG + 4) << 32;
    return 0;
}

/* Source 5: acknowledge what the device raised and wake the waiter. */
long blk_irq(long source)
{
    uint32_t st = reg_read(VIO_INT_STATUS);
    reg_write(VIO_INT_ACK, st);
    irqs++;
    pl_call(sched_gate, SCHED_IRQ_WAKE, KEY_DONE);
    return 0;
}

static long submit(int kind, uint64_t sector, uint64_t data, uint32_t len);

long blk_request(int kind, uint64_t sector, uint32_t len)
{
    if (len > BLK_BOUNCE)
        return KE_INVAL;
    return submit(kind, sector, (uint64_t)dma.bounce, len);
}

long blk_request_at(uint64_t addr, uint32_t len) { return submit(BLK_IO_IN, 0, addr, len); }

static long submit(int kind, uint64_t sector, uint64_t data, uint32_t len)
{
    static const uint32_t type[] = { VIO_BLK_T_IN, VIO_BLK_T_OUT, VIO_BLK_T_FLUSH };
    dma.req.type = type[kind];
    dma.req.reserved = 0;
    dma.req.sector = kind == BLK_IO_FLUSH ? 0 : sector;
    dma.status = 0xff;
    int n = 0;
    dma.desc[n] = (struct vio_desc){ (uint64_t)&dma.req, sizeof dma.req, VIO_DESC_NEXT, (uint16_t)(n + 1) };
    n++;
    if (kind != BLK_IO_FLUSH) {
        dma.desc[n] = (struct vio_desc){ data, len,
                                         (uint16_t)(VIO_DESC_NEXT | (kind == BLK_IO_IN ? VIO_DESC_WRITE : 0)),
                                         (uint16_t)(n + 1) };
        n++;
    }
    dma.desc[n] = (struct vio_desc){ (uint64_t)&dma.status, 1, VIO_DESC_WRITE, 0 };
    uint16_t used = dma.used.idx;
    dma.avail.ring[next_avail % QSIZE] = 0;
    __sync_synchronize();
    dma.avail.idx = ++next_avail;
    reg_write(VIO_QUEUE_NOTIFY, 0);
    for (long spins = 0; dma.used.idx == used; spins++) {
        if (reg_read(VIO_STATUS) & VIO_ST_NEEDS_RESET) {
            /* The device refused a transfer outside the aperture (the
             * rings lie inside it, so only a driver bug does this): start
             * it afresh for the next request. */
            blk_device_init();
            return KE_FAULT;
        }
        /* sched does not know boot's init threads (KE_NOENT): they poll. */
        if (pl_call(sched_gate, SCHED_WAIT, KEY_DONE, 10) < 0 && spins > 10000000)
            return KE_BUSY;
    }
    return dma.status == VIO_BLK_S_OK ? 0 : KE_INVAL;
}
