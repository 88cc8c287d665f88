/* blk: the virtio-blk driver, alone in its space with the disk's registers
 * and the aperture registers of its DMA device (device 1) — boot creates it
 * only when the machine has a disk.
 *
 * The aperture covers one page of blk's own data: the virtqueue, the
 * request header, the status byte and a one-sector bounce buffer.  So the
 * disk can read and write nothing else, whatever the rings say: not the
 * callers' memory, not even the rest of blk's.  A caller passes its buffer
 * (W) for the call; blk copies each sector from the bounce buffer into it
 * with its own loads and stores, so the pass is checked like any access.
 *
 * The device serves a request when notified (on this machine, before the
 * notifying store completes); blk still waits for the used ring properly,
 * yielding through sched, so a slower device would work too.  Callers on
 * different threads take turns: there is one request slot.
 */
#include "kern.h"
#include <peerless/virtio.h>

#define QSIZE 8
#define KEY_BLK 0x626c6b00UL

/* DMA-visible state: exactly one page, the aperture. */
static volatile struct dma_page {
    struct vio_desc desc[QSIZE];
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail;
    struct { uint16_t flags, idx; struct vio_used_elem ring[QSIZE]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
    struct vio_blk_req req __attribute__((aligned(16)));
    uint8_t status;
    uint8_t bounce[VIO_BLK_SECTOR] __attribute__((aligned(512)));
} dma __attribute__((aligned(4096)));
_Static_assert(sizeof dma <= PEER_PAGE_SIZE, "blk: the DMA page must fit the aperture");

static uint64_t sched_gate;
static uint64_t capacity;          /* sectors */
static uint16_t next_avail;
static int broken;                 /* the device could not be brought up */
static volatile int turn;          /* 0 free, 1 taken: between caller threads */

static uint32_t reg_read(uint64_t off)
{
    __sync_synchronize();
    uint32_t v = *(volatile uint32_t *)(PEER_VIRTIO_BLK + off);
    __sync_synchronize();
    return v;
}

static void reg_write(uint64_t off, uint32_t v)
{
    __sync_synchronize();
    *(volatile uint32_t *)(PEER_VIRTIO_BLK + off) = v;
    __sync_synchronize();
}

/* Reset the device and bring queue 0 up on the DMA page: 0, or KE_*. */
static long device_init(void)
{
    reg_write(VIO_STATUS, 0);
    reg_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER);
    reg_write(VIO_DEV_FEAT_SEL, 1);
    if (!(reg_read(VIO_DEV_FEATURES) & VIO_F1_VERSION_1))
        return KE_INVAL;
    reg_write(VIO_DRV_FEAT_SEL, 0);
    reg_write(VIO_DRV_FEATURES, 0);
    reg_write(VIO_DRV_FEAT_SEL, 1);
    reg_write(VIO_DRV_FEATURES, VIO_F1_VERSION_1);
    reg_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK);
    if (!(reg_read(VIO_STATUS) & VIO_ST_FEATURES_OK))
        return KE_INVAL;
    reg_write(VIO_QUEUE_SEL, 0);
    if (reg_read(VIO_QUEUE_NUM_MAX) < QSIZE)
        return KE_INVAL;
    reg_write(VIO_QUEUE_NUM, QSIZE);
    uint64_t d = (uint64_t)dma.desc, a = (uint64_t)&dma.avail, u = (uint64_t)&dma.used;
    reg_write(VIO_DESC_LO, (uint32_t)d);
    reg_write(VIO_DESC_HI, (uint32_t)(d >> 32));
    reg_write(VIO_AVAIL_LO, (uint32_t)a);
    reg_write(VIO_AVAIL_HI, (uint32_t)(a >> 32));
    reg_write(VIO_USED_LO, (uint32_t)u);
    reg_write(VIO_USED_HI, (uint32_t)(u >> 32));
    dma.avail.flags = 0;
    dma.avail.idx = 0;
    dma.used.idx = 0;
    next_avail = 0;
    reg_write(VIO_QUEUE_READY, 1);
    reg_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
    capacity = reg_read(VIO_CONFIG) | (uint64_t)reg_read(VIO_CONFIG + 4) << 32;
    return 0;
}

/* One sector into the bounce buffer: 0, or KE_*. */
static long read_sector(uint64_t sector)
{
    dma.req.type = VIO_BLK_T_IN;
    dma.req.reserved = 0;
    dma.req.sector = sector;
    dma.status = 0xff;
    dma.desc[0] = (struct vio_desc){ (uint64_t)&dma.req, sizeof dma.req, VIO_DESC_NEXT, 1 };
    dma.desc[1] = (struct vio_desc){ (uint64_t)dma.bounce, VIO_BLK_SECTOR, VIO_DESC_WRITE | VIO_DESC_NEXT, 2 };
    dma.desc[2] = (struct vio_desc){ (uint64_t)&dma.status, 1, VIO_DESC_WRITE, 0 };
    uint16_t used = dma.used.idx;
    dma.avail.ring[next_avail % QSIZE] = 0;
    __sync_synchronize();
    dma.avail.idx = ++next_avail;
    reg_write(VIO_QUEUE_NOTIFY, 0);
    while (dma.used.idx == used) {
        if (reg_read(VIO_STATUS) & VIO_ST_NEEDS_RESET) {
            /* The device refused the rings (it never should: they lie in
             * the aperture); start it afresh for the next caller. */
            broken = device_init() < 0;
            return KE_FAULT;
        }
        pl_call(sched_gate, SCHED_YIELD);
    }
    reg_write(VIO_INT_ACK, VIO_INT_USED);
    return dma.status == VIO_BLK_S_OK ? 0 : KE_INVAL;
}

/* Whether this space (with the caller's pass) holds W over the whole
 * buffer: checked before taking the turn, as a fault with the turn taken
 * would stop every caller. */
static int writable(uint64_t base, long len)
{
    if (len <= 0 || base + (uint64_t)len < base)
        return 0;
    for (uint64_t a = base; a < base + (uint64_t)len; a = (a | (PEER_PAGE_SIZE - 1)) + 1)
        if (!(pl_query(a) & PL_W))
            return 0;
    return (pl_query(base + (uint64_t)len - 1) & PL_W) != 0;
}

static long blk_read(uint64_t sector, volatile uint8_t *buf, long len)
{
    if (broken)
        return KE_NOENT;
    if (len <= 0 || len % VIO_BLK_SECTOR || sector > capacity ||
        (uint64_t)len / VIO_BLK_SECTOR > capacity - sector || !writable((uint64_t)buf, len))
        return KE_INVAL;
    while (__atomic_exchange_n(&turn, 1, __ATOMIC_ACQUIRE))
        pl_call(sched_gate, SCHED_WAIT, KEY_BLK, 1);
    long r = 0;
    for (long done = 0; r == 0 && done < len; done += VIO_BLK_SECTOR, sector++) {
        r = read_sector(sector);
        for (int i = 0; r == 0 && i < VIO_BLK_SECTOR; i++)
            buf[done + i] = dma.bounce[i];
    }
    __atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
    pl_call(sched_gate, SCHED_WAKE, KEY_BLK);
    return r < 0 ? r : len;
}

static long blk_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case BLK_READ: return blk_read((uint64_t)a1, (volatile uint8_t *)a2, a3);
    case BLK_SECTORS: return broken ? KE_NOENT : (long)capacity;
    }
    return KE_INVAL;
}

/* The aperture of DMA device 1 over the DMA page, for this space. */
static long open_aperture(void)
{
    uint64_t regs = PEER_DMACTL + DMACTL_DEV(DMA_DEV_BLK);
    peer_ctl_write(regs, DMACTL_BASE, (uint64_t)&dma);
    peer_ctl_write(regs, DMACTL_LEN, PEER_PAGE_SIZE);
    peer_ctl_write(regs, DMACTL_SET, 1);
    return (long)peer_ctl_read(regs, DMACTL_RESULT);
}

static void init(struct kinit *m)
{
    sched_gate = m->gates[0];
    broken = reg_read(VIO_MAGIC_VALUE) != VIO_MAGIC || reg_read(VIO_DEVICE_ID) != VIO_ID_BLOCK ||
             open_aperture() != 0 || device_init() != 0;
    long g = pl_make_gate((uint64_t)blk_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)!broken;
}
KINIT_ENTRY(blk, init)
