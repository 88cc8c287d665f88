/* The virtio-mmio transport and virtio-blk, driven as a guest driver would,
 * including the malformed rings a hostile guest can build. */
#include "dev/virtio_blk.h"
#include "unit.h"
#include "virtio_driver.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define HDR   (RAM_BASE + 0x10000)
#define DATA  (RAM_BASE + 0x11000)
#define STAT  (RAM_BASE + 0x20000)
#define BLK_F (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_BLK_F_FLUSH)

static char image[] = "/tmp/peerless-test-virtio-blk-XXXXXX";

static void header(uint32_t type, uint64_t sector)
{
    set32(HDR, type);
    set32(HDR + 4, 0);
    set64(HDR + 8, sector);
}

/* A request: header, data (device-writable for reads), status.  Returns
 * the status byte, or -1 if the device gave nothing back. */
static int request(struct mmio_region *r, uint32_t type, uint64_t sector, uint32_t len, bool data_in)
{
    header(type, sector);
    at(STAT)[0] = 0xee;
    uint16_t before = used_idx(0);
    set_desc(0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    if (len) {
        set_desc(0, 1, DATA, len, VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0), 2);
        set_desc(0, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
    } else {
        set_desc(0, 1, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
    }
    offer(r, 0, 0);
    return used_idx(0) == (uint16_t)(before + 1) ? at(STAT)[0] : -1;
}

static void test_registers(struct mmio_region *r)
{
    CHECK_EQ(rd32(r, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_VERSION_REG), 2);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
    wr32(r, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_DEVICE_FEATURES), 1);      /* VERSION_1 is bit 32 */
    wr32(r, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    CHECK(rd32(r, VIRTIO_MMIO_DEVICE_FEATURES) & 1u << VIRTIO_BLK_F_FLUSH);
    wr32(r, VIRTIO_MMIO_QUEUE_SEL, 0);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTIO_QUEUE_MAX);
    wr32(r, VIRTIO_MMIO_QUEUE_SEL, 1);                      /* blk has one queue */
    CHECK_EQ(rd32(r, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
    uint64_t v = 0;
    CHECK(!r->read(r->opaque, VIRTIO_MMIO_STATUS, 2, &v));  /* registers are 32-bit */
    /* capacity: 64 sectors, as 8 and as two 4-byte reads */
    CHECK(r->read(r->opaque, VIRTIO_MMIO_CONFIG, 8, &v));
    CHECK_EQ(v, 64);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_CONFIG + 4), 0);
    /* A driver that refuses VERSION_1 (a legacy driver) cannot get FEATURES_OK. */
    CHECK(!driver_init(r, 1, 1ull << VIRTIO_BLK_F_FLUSH));
    /* Nor one that claims features never offered. */
    CHECK(!driver_init(r, 1, BLK_F | 1ull << 40));
}

static void test_io(struct mmio_region *r)
{
    CHECK(driver_init(r, 1, BLK_F));
    for (int i = 0; i < 1024; i++)
        at(DATA)[i] = (uint8_t)(i * 7 + 1);
    CHECK_EQ(request(r, VIRTIO_BLK_T_OUT, 3, 1024, false), VIRTIO_BLK_S_OK);
    CHECK_EQ(irq_level, 1);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED_BUFFER);
    wr32(r, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED_BUFFER);
    CHECK_EQ(irq_level, 0);
    memset(at(DATA), 0, 1024);
    CHECK_EQ(request(r, VIRTIO_BLK_T_IN, 3, 1024, true), VIRTIO_BLK_S_OK);
    CHECK_EQ(used_len(0, 1), 1025);                          /* data and status written */
    CHECK_EQ(used_id(0, 1), 0);
    CHECK_EQ(at(DATA)[0], 1);
    CHECK_EQ(at(DATA)[1023], (uint8_t)(1023 * 7 + 1));
    /* The bytes are in the image file at sector 3. */
    int fd = open(image, O_RDONLY);
    uint8_t b[2] = { 0 };
    CHECK_EQ(pread(fd, b, 2, 3 * 512 + 1), 2);
    CHECK_EQ(b[0], 8);
    close(fd);
    CHECK_EQ(request(r, VIRTIO_BLK_T_FLUSH, 0, 0, false), VIRTIO_BLK_S_OK);
    CHECK_EQ(request(r, VIRTIO_BLK_T_GET_ID, 0, 20, true), VIRTIO_BLK_S_OK);
    CHECK(!memcmp(at(DATA), "peerless-", 9));
    CHECK_EQ(request(r, 99, 0, 0, false), VIRTIO_BLK_S_UNSUPP);
    /* Past the end, straddling it, and a partial sector: I/O errors. */
    CHECK_EQ(request(r, VIRTIO_BLK_T_IN, 64, 512, true), VIRTIO_BLK_S_IOERR);
    CHECK_EQ(request(r, VIRTIO_BLK_T_OUT, 63, 1024, false), VIRTIO_BLK_S_IOERR);
    CHECK_EQ(request(r, VIRTIO_BLK_T_IN, ~0ull, 512, true), VIRTIO_BLK_S_IOERR);
    CHECK_EQ(request(r, VIRTIO_BLK_T_IN, 0, 100, true), VIRTIO_BLK_S_IOERR);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

/* Each malformed ring must leave the device broken (NEEDS_RESET, config
 * interrupt) and the host unharmed; a reset brings it back. */
static void expect_broken(struct mmio_region *r, const char *what)
{
    bool broken = rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET;
    if (!broken)
        fprintf(stderr, "not broken by: %s\n", what);
    CHECK(broken);
    CHECK(rd32(r, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
    CHECK(driver_init(r, 1, BLK_F));
    CHECK_EQ(rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);
}

static void test_malformed(struct mmio_region *r)
{
    CHECK(driver_init(r, 1, BLK_F));
    header(VIRTIO_BLK_T_IN, 0);
    /* A loop: 0 -> 1 -> 0. */
    set_desc(0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
    set_desc(0, 1, DATA, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
    offer(r, 0, 0);
    expect_broken(r, "a descriptor loop");
    /* next beyond the queue */
    set_desc(0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, QSIZE + 3);
    offer(r, 0, 0);
    expect_broken(r, "next past the queue");
    /* head beyond the queue */
    offer(r, 0, 200);
    expect_broken(r, "head past the queue");
    /* The data buffer is not RAM; wraps around the address space; is huge. */
    static const struct { uint64_t addr; uint32_t len; const char *what; } bad[] = {
        { 0x1000, 512, "a buffer outside RAM" },
        { ~0ull - 100, 512, "a buffer wrapping around" },
        { RAM_BASE + RAM_SIZE - 256, 512, "a buffer running off the end of RAM" },
        { DATA, 0xffffffff, "a 4 GiB buffer" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        header(VIRTIO_BLK_T_IN, 0);
        set_desc(0, 0, HDR, 16, VIRTQ_DESC_F_NEXT, 1);
        set_desc(0, 1, bad[i].addr, bad[i].len, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
        set_desc(0, 2, STAT, 1, VIRTQ_DESC_F_WRITE, 0);
        offer(r, 0, 0);
        expect_broken(r, bad[i].what);
    }
    /* Indirect descriptors were not offered. */
    set_desc(0, 0, HDR, 16, VIRTQ_DESC_F_INDIRECT, 0);
    offer(r, 0, 0);
    expect_broken(r, "an indirect descriptor");
    /* Readable after writable. */
    set_desc(0, 0, STAT, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    set_desc(0, 1, HDR, 16, 0, 0);
    offer(r, 0, 0);
    expect_broken(r, "readable after writable");
    /* The avail index runs more than a ring ahead. */
    set16(avail_addr(0) + 2, QSIZE + 5);
    wr32(r, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    expect_broken(r, "avail index too far ahead");
    /* Rings outside RAM. */
    wr32(r, VIRTIO_MMIO_STATUS, 0);
    wr32(r, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    wr32(r, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr32(r, VIRTIO_MMIO_DRIVER_FEATURES, 1);
    wr32(r, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    wr32(r, VIRTIO_MMIO_QUEUE_SEL, 0);
    wr32(r, VIRTIO_MMIO_QUEUE_NUM, 8);
    wr32(r, VIRTIO_MMIO_QUEUE_DRIVER_LOW, 0x4000);
    wr32(r, VIRTIO_MMIO_QUEUE_READY, 1);
    wr32(r, VIRTIO_MMIO_STATUS, 0xf);
    wr32(r, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    expect_broken(r, "an avail ring outside RAM");
    /* A queue size that is not a power of two never becomes ready. */
    wr32(r, VIRTIO_MMIO_STATUS, 0);
    wr32(r, VIRTIO_MMIO_QUEUE_SEL, 0);
    wr32(r, VIRTIO_MMIO_QUEUE_NUM, 12);
    wr32(r, VIRTIO_MMIO_QUEUE_READY, 1);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_QUEUE_READY), 0);
}

int main(void)
{
    int fd = mkstemp(image);
    CHECK(fd >= 0 && ftruncate(fd, 64 * 512) == 0);
    close(fd);
    char err[256];
    struct virtio_blk *b = virtio_blk_new(image, test_dma, test_irq, err, sizeof err);
    CHECK(b != NULL);
    if (b) {
        struct mmio_region r = virtio_mmio_region(virtio_blk_transport(b), 0x10001000);
        test_registers(&r);
        test_io(&r);
        test_malformed(&r);
        virtio_blk_free(b);
    }
    CHECK(virtio_blk_new("/nonexistent/disk.img", test_dma, test_irq, err, sizeof err) == NULL);
    CHECK(strstr(err, "/nonexistent/disk.img") != NULL);
    unlink(image);
    return unit_report("virtio_blk");
}
