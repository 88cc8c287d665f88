/* virtio-net on one end of a SOCK_SEQPACKET pair standing for the TAP
 * interface: frames the guest sends come out of the other end, frames
 * written there reach the guest's receive buffers. */
#include "dev/virtio_net.h"
#include "unit.h"
#include "virtio_driver.h"

#include <sys/socket.h>
#include <unistd.h>

#define NET_F (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC)
#define TXBUF (RAM_BASE + 0x10000)
#define RXBUF (RAM_BASE + 0x20000)

static void test_config(struct mmio_region *r)
{
    CHECK_EQ(rd32(r, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
    uint64_t v = 0;
    CHECK(r->read(r->opaque, VIRTIO_MMIO_CONFIG, 1, &v));
    CHECK_EQ(v, 0x52);
    CHECK(r->read(r->opaque, VIRTIO_MMIO_CONFIG + 4, 2, &v));
    CHECK_EQ(v, 0x5634);
    CHECK(r->read(r->opaque, VIRTIO_MMIO_CONFIG + 6, 2, &v));
    CHECK_EQ(v, 1);                                         /* link up */
}

static void test_transmit(struct mmio_region *r, int peer)
{
    memset(at(TXBUF), 0, VIRTIO_NET_HDR_BYTES);
    for (int i = 0; i < 60; i++)
        at(TXBUF + VIRTIO_NET_HDR_BYTES + i)[0] = (uint8_t)(0xa0 + i);
    /* Header and frame split over two descriptors, as Linux may. */
    set_desc(1, 0, TXBUF, VIRTIO_NET_HDR_BYTES + 20, VIRTQ_DESC_F_NEXT, 1);
    set_desc(1, 1, TXBUF + VIRTIO_NET_HDR_BYTES + 20, 40, 0, 0);
    offer(r, 1, 0);
    uint8_t frame[128];
    ssize_t n = read(peer, frame, sizeof frame);
    CHECK_EQ(n, 60);
    CHECK_EQ(frame[0], 0xa0);
    CHECK_EQ(frame[59], 0xa0 + 59);
    CHECK_EQ(used_idx(1), 1);
    CHECK_EQ(irq_level, 1);
    wr32(r, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED_BUFFER);
}

static void test_receive(struct mmio_region *r, struct virtio_net *n, int peer)
{
    uint8_t frame[100];
    for (int i = 0; i < 100; i++)
        frame[i] = (uint8_t)i;
    CHECK_EQ(write(peer, frame, sizeof frame), 100);
    virtio_net_poll(n);                 /* no buffer yet: the frame waits */
    CHECK_EQ(used_idx(0), 0);
    set_desc(0, 0, RXBUF, 2048, VIRTQ_DESC_F_WRITE, 0);
    offer(r, 0, 0);                     /* a buffer: the waiting frame arrives */
    CHECK_EQ(used_idx(0), 1);
    CHECK_EQ(used_len(0, 0), VIRTIO_NET_HDR_BYTES + 100);
    CHECK_EQ(get16(RXBUF + 10), 1);     /* num_buffers */
    CHECK_EQ(at(RXBUF + VIRTIO_NET_HDR_BYTES + 99)[0], 99);
    CHECK_EQ(irq_level, 1);
    wr32(r, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED_BUFFER);

    /* A frame larger than the buffer is dropped, the buffer returned empty. */
    set_desc(0, 1, RXBUF, 50, VIRTQ_DESC_F_WRITE, 0);
    offer(r, 0, 1);
    CHECK_EQ(write(peer, frame, sizeof frame), 100);
    virtio_net_poll(n);
    CHECK_EQ(used_idx(0), 2);
    CHECK_EQ(used_len(0, 1), 0);
    CHECK_EQ(rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET, 0);

    /* A receive buffer outside RAM breaks the device, not the host. */
    set_desc(0, 2, 0x1000, 2048, VIRTQ_DESC_F_WRITE, 0);
    offer(r, 0, 2);
    CHECK_EQ(write(peer, frame, sizeof frame), 100);
    virtio_net_poll(n);
    CHECK(rd32(r, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
}

int main(void)
{
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    struct virtio_net *n = virtio_net_new(sv[0], mac, test_dma, test_irq);
    struct mmio_region r = virtio_mmio_region(virtio_net_transport(n), 0x10002000);
    test_config(&r);
    CHECK(driver_init(&r, 2, NET_F));
    test_transmit(&r, sv[1]);
    test_receive(&r, n, sv[1]);
    virtio_net_free(n);
    close(sv[1]);

    char err[256];
    CHECK_EQ(virtio_net_open_tap("an-interface-name-far-too-long", err, sizeof err), -1);
    CHECK(strstr(err, "too long") != NULL);
    (void)used_id;
    return unit_report("virtio_net");
}
