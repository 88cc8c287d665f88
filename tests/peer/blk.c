/* The peer board's virtio-blk device (PEER_VIRTIO_BLK) is DMA device 1:
 * it reaches its rings and buffers only through that aperture and with its
 * owner's rights at the time of each access (section 9.5).  The root drives
 * the device directly with a minimal virtqueue; space A owns the aperture,
 * which covers the first page of the driver's area only.
 *
 * PEER_DRIVE: run.sh gives this test a disk made by tests/peer/mkdisk.py.
 */
#include "ptest.h"
#include <peerless/virtio.h>

#define AGENT lib
#include "agent.h"
#undef AGENT

#define QSIZE 8
#define DISK_SECTORS 64            /* mkdisk.py's default */

/* The driver's area: page 0 is what the aperture covers; page 1 is held by
 * A too, but lies outside the aperture. */
static volatile struct area {
    struct vio_desc desc[QSIZE];                                    /* 16-byte aligned */
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail __attribute__((aligned(2)));
    struct { uint16_t flags, idx; struct vio_used_elem ring[QSIZE]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
    struct vio_blk_req hdr __attribute__((aligned(16)));
    uint8_t status;
    uint8_t data[VIO_BLK_SECTOR] __attribute__((aligned(512)));
    uint8_t beyond[PEER_PAGE_SIZE] __attribute__((aligned(4096)));   /* page 1 */
} area __attribute__((aligned(4096)));

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint64_t ga;
static uint16_t next_avail;       /* the driver's copy of avail.idx */

#define APER(reg) (PEER_DMACTL + DMACTL_DEV(DMA_DEV_BLK) + (reg))

#define vio_read(off) vio_reg_read(PEER_VIRTIO_BLK, (off))
#define vio_write(off, v) vio_reg_write(PEER_VIRTIO_BLK, (off), (v))
#define a_store(reg, v) agent_store(ga, (reg), (v))
#define a_load(reg) agent_load(ga, (reg))

static uint8_t disk_byte(uint64_t sector, unsigned i) { return (uint8_t)(31 * sector + 7 * i + 0x5a); }

/* Reset the device and bring queue 0 up on the area's rings. */
static void device_init(void)
{
    vio_write(VIO_STATUS, 0);
    CHECK_EQ(vio_read(VIO_STATUS), 0);
    vio_write(VIO_STATUS, VIO_ST_ACK);
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER);
    vio_write(VIO_DEV_FEAT_SEL, 1);
    CHECK(vio_read(VIO_DEV_FEATURES) & VIO_F1_VERSION_1);
    vio_write(VIO_DRV_FEAT_SEL, 0);
    vio_write(VIO_DRV_FEATURES, 0);
    vio_write(VIO_DRV_FEAT_SEL, 1);
    vio_write(VIO_DRV_FEATURES, VIO_F1_VERSION_1);
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK);
    CHECK(vio_read(VIO_STATUS) & VIO_ST_FEATURES_OK);
    vio_write(VIO_QUEUE_SEL, 0);
    CHECK(vio_read(VIO_QUEUE_NUM_MAX) >= QSIZE);
    vio_write(VIO_QUEUE_NUM, QSIZE);
    area.avail.flags = 0;
    area.avail.idx = 0;
    area.used.idx = 0;
    next_avail = 0;
    vio_queue_rings(PEER_VIRTIO_BLK, 0, (uint64_t)area.desc, (uint64_t)&area.avail, (uint64_t)&area.used);
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
    CHECK_EQ(vio_read(VIO_STATUS), VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
}

/* Read `sector` into [buf, buf+VIO_BLK_SECTOR): returns the status byte the device
 * wrote, or -1 if the device did not hand the request back. */
static int blk_read(uint64_t sector, volatile uint8_t *buf)
{
    area.hdr.type = VIO_BLK_T_IN;
    area.hdr.reserved = 0;
    area.hdr.sector = sector;
    area.status = 0xff;
    area.desc[0] = (struct vio_desc){ (uint64_t)&area.hdr, sizeof area.hdr, VIO_DESC_NEXT, 1 };
    area.desc[1] = (struct vio_desc){ (uint64_t)buf, VIO_BLK_SECTOR, VIO_DESC_WRITE | VIO_DESC_NEXT, 2 };
    area.desc[2] = (struct vio_desc){ (uint64_t)&area.status, 1, VIO_DESC_WRITE, 0 };
    area.avail.ring[next_avail % QSIZE] = 0;
    __sync_synchronize();
    area.avail.idx = ++next_avail;
    uint16_t used_before = area.used.idx;
    vio_write(VIO_QUEUE_NOTIFY, 0);                 /* served before the store returns */
    if (area.used.idx == used_before)
        return -1;
    CHECK_EQ(area.used.ring[used_before % QSIZE].id, 0);
    /* Bytes written: the sector and the status, or the status alone. */
    CHECK_EQ(area.used.ring[used_before % QSIZE].len, area.status == VIO_BLK_S_OK ? VIO_BLK_SECTOR + 1 : 1);
    return area.status;
}

static void check_sector(volatile const uint8_t *p, uint64_t sector)
{
    for (unsigned i = 0; i < VIO_BLK_SECTOR; i++)
        if (p[i] != disk_byte(sector, i)) {
            printf("  byte %u of sector %lu: 0x%02x, expected 0x%02x\n", i, (unsigned long)sector,
                   p[i], disk_byte(sector, i));
            CHECK(0);
        }
    ptest_checks++;
}

/* A request that the aperture or the owner's rights stopped: no used
 * entry, the device asks for a reset and says so with an interrupt. */
static void check_refused(int r, long violations_before)
{
    CHECK_EQ(r, -1);
    CHECK(area.status != VIO_BLK_S_OK);
    CHECK(vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET);
    CHECK(vio_read(VIO_INT_STATUS) & VIO_INT_CONFIG);
    CHECK(a_load(APER(DMACTL_VIOLATIONS)) > violations_before);
    vio_write(VIO_INT_ACK, VIO_INT_CONFIG | VIO_INT_USED);
}

int main(void)
{
    long A;
    struct peer_image ia = PEER_IMAGE(lib);
    A = peer_space_new(&ia);
    CHECK(A > 1);
    int ok;
    ga = peer_spawn(A, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);
    CHECK(pl_grant(A, PEER_DMACTL, PEER_PAGE_SIZE, PL_R | PL_W) > 0);
    uint64_t page0 = (uint64_t)&area;
    long g = pl_grant(A, page0, 2 * PEER_PAGE_SIZE, PL_R | PL_W);
    CHECK(g > 0);

    printf("blk: the device\n");
    CHECK_EQ(vio_read(VIO_MAGIC_VALUE), VIO_MAGIC);
    CHECK_EQ(vio_read(VIO_VERSION), 2);
    CHECK_EQ(vio_read(VIO_DEVICE_ID), VIO_ID_BLOCK);
    CHECK_EQ(vio_read(VIO_CONFIG), DISK_SECTORS);
    CHECK_EQ(vio_read(VIO_CONFIG + 4), 0);

    printf("blk: with the aperture closed the device reaches nothing\n");
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), 0);
    device_init();
    fill(area.data, VIO_BLK_SECTOR, 0xee);
    check_refused(blk_read(0, area.data), -1);
    check_filled(area.data, VIO_BLK_SECTOR, 0xee);

    printf("blk: reads through the owner's aperture\n");
    a_store(APER(DMACTL_BASE), page0);
    a_store(APER(DMACTL_LEN), PEER_PAGE_SIZE);
    a_store(APER(DMACTL_SET), 1);
    CHECK_EQ(a_load(APER(DMACTL_RESULT)), 0);
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), A);
    long violations = a_load(APER(DMACTL_VIOLATIONS));
    device_init();
    CHECK_EQ(blk_read(0, area.data), VIO_BLK_S_OK);
    check_sector(area.data, 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_BLK, IRQCTL_SRC_PENDING), 1);
    CHECK(vio_read(VIO_INT_STATUS) & VIO_INT_USED);
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_BLK, IRQCTL_SRC_PENDING), 0);
    CHECK_EQ(blk_read(5, area.data), VIO_BLK_S_OK);
    check_sector(area.data, 5);
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    CHECK_EQ(blk_read(DISK_SECTORS, area.data), VIO_BLK_S_IOERR);  /* past the end: IOERR, handed back */
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), violations);

    printf("blk: a buffer outside the aperture\n");
    fill(area.beyond, PEER_PAGE_SIZE, 0xc3);
    check_refused(blk_read(1, area.beyond), violations);
    check_filled(area.beyond, PEER_PAGE_SIZE, 0xc3);
    violations = a_load(APER(DMACTL_VIOLATIONS));

    printf("blk: a buffer that runs past the aperture's end\n");
    device_init();
    volatile uint8_t *straddle = (volatile uint8_t *)(page0 + PEER_PAGE_SIZE - VIO_BLK_SECTOR / 2);
    fill(straddle, VIO_BLK_SECTOR / 2, 0x3c);
    check_refused(blk_read(1, straddle), violations);
    check_filled(straddle, VIO_BLK_SECTOR / 2, 0x3c);       /* not even the part inside */
    check_filled(area.beyond, PEER_PAGE_SIZE, 0xc3);
    violations = a_load(APER(DMACTL_VIOLATIONS));

    printf("blk: revoking the owner's grant stops the device\n");
    device_init();
    CHECK_EQ(blk_read(2, area.data), VIO_BLK_S_OK);     /* still good before */
    check_sector(area.data, 2);
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    CHECK_EQ(pl_revoke(g), 0);
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), A);        /* latched, but A holds nothing there */
    fill(area.data, VIO_BLK_SECTOR, 0xee);
    check_refused(blk_read(3, area.data), violations);
    check_filled(area.data, VIO_BLK_SECTOR, 0xee);
    CHECK_EQ(area.used.idx, next_avail - 1);         /* the device wrote no used entry */

    printf("blk: granting again lets it work (rights are checked at each access)\n");
    g = pl_grant(A, page0, PEER_PAGE_SIZE, PL_R | PL_W);
    CHECK(g > 0);
    device_init();
    CHECK_EQ(blk_read(3, area.data), VIO_BLK_S_OK);
    check_sector(area.data, 3);
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    printf("blk: ok (%d checks)\n", ptest_checks);
    return 0;
}
