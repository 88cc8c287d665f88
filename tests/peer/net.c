/* The peer board's virtio-net device (PEER_VIRTIO_NET) is DMA device 2:
 * like the disk (blk.c), it reaches its rings and frames only through that
 * aperture and with its owner's rights at each access (section 9.9).  The
 * root drives the device directly; space A owns the aperture, which covers
 * the driver's rings and buffers (two pages) but not the page after.
 *
 * The device is real: run.sh starts this test inside a network namespace
 * whose TAP interface has 10.0.2.2/24, so an ARP request we send is
 * answered by the host's own kernel.
 *
 * PEER_NETDEV: run.sh gives this test --netdev tap (root only, else skipped).
 */
#include "ptest.h"
#include <peerless/virtio.h>

#define AGENT lib
#include "agent.h"
#undef AGENT

#define QSIZE 8
#define NRX 4
#define BUF 1536                     /* header + the largest frame, rounded up */
#define WAIT_TICKS (5 * PEER_TIMEBASE_HZ)

struct vq {
    struct vio_desc desc[QSIZE];
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail;
    struct { uint16_t flags, idx; struct vio_used_elem ring[QSIZE]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
};

/* Pages 0-1: what the aperture covers; page 2: held by A, outside it. */
static volatile struct area {
    struct vq rx __attribute__((aligned(16)));
    struct vq tx __attribute__((aligned(16)));
    uint8_t txbuf[BUF] __attribute__((aligned(16)));
    uint8_t rxbuf[NRX][BUF] __attribute__((aligned(16)));
    uint8_t beyond[PEER_PAGE_SIZE] __attribute__((aligned(4096)));
} area __attribute__((aligned(4096)));
#define INSIDE ((uint64_t)area.beyond - (uint64_t)&area)

static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint64_t ga;
static uint16_t rx_next, tx_next, rx_seen;
static uint8_t mac[6];

#define APER(reg) (PEER_DMACTL + DMACTL_DEV(DMA_DEV_NET) + (reg))

#define vio_read(off) vio_reg_read(PEER_VIRTIO_NET, (off))
#define vio_write(off, v) vio_reg_write(PEER_VIRTIO_NET, (off), (v))
#define a_store(reg, v) agent_store(ga, (reg), (v))
#define a_load(reg) agent_load(ga, (reg))

static void queue_init(int n, volatile struct vq *q)
{
    vio_write(VIO_QUEUE_SEL, n);
    CHECK(vio_read(VIO_QUEUE_NUM_MAX) >= QSIZE);
    vio_write(VIO_QUEUE_NUM, QSIZE);
    q->avail.flags = 0;
    q->avail.idx = 0;
    q->used.idx = 0;
    vio_queue_rings(PEER_VIRTIO_NET, n, (uint64_t)q->desc, (uint64_t)&q->avail, (uint64_t)&q->used);
}

static void device_init(void)
{
    vio_write(VIO_STATUS, 0);
    CHECK_EQ(vio_read(VIO_STATUS), 0);
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER);
    vio_write(VIO_DEV_FEAT_SEL, 0);
    CHECK(vio_read(VIO_DEV_FEATURES) & VIO_NET_F_MAC);
    vio_write(VIO_DEV_FEAT_SEL, 1);
    CHECK(vio_read(VIO_DEV_FEATURES) & VIO_F1_VERSION_1);
    vio_write(VIO_DRV_FEAT_SEL, 0);
    vio_write(VIO_DRV_FEATURES, VIO_NET_F_MAC);
    vio_write(VIO_DRV_FEAT_SEL, 1);
    vio_write(VIO_DRV_FEATURES, VIO_F1_VERSION_1);
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK);
    CHECK(vio_read(VIO_STATUS) & VIO_ST_FEATURES_OK);
    queue_init(VIO_NET_RXQ, &area.rx);
    queue_init(VIO_NET_TXQ, &area.tx);
    rx_next = tx_next = rx_seen = 0;
    vio_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
    CHECK_EQ(vio_read(VIO_STATUS), VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
}

/* Offer a receive buffer (descriptor i of the rx queue). */
static void rx_post(int i, volatile uint8_t *buf)
{
    area.rx.desc[i] = (struct vio_desc){ (uint64_t)buf, BUF, VIO_DESC_WRITE, 0 };
    area.rx.avail.ring[rx_next % QSIZE] = (uint16_t)i;
    __sync_synchronize();
    area.rx.avail.idx = ++rx_next;
    vio_write(VIO_QUEUE_NOTIFY, VIO_NET_RXQ);
}

/* An ARP request "who has 10.0.2.2? tell 10.0.2.15" in buf (header first). */
static unsigned arp_request(volatile uint8_t *buf)
{
    static const uint8_t body[] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    unsigned n = 0;
    for (int i = 0; i < VIO_NET_HDR; i++) buf[n++] = 0;
    for (int i = 0; i < 6; i++) buf[n++] = 0xff;
    for (int i = 0; i < 6; i++) buf[n++] = mac[i];
    buf[n++] = 0x08, buf[n++] = 0x06;
    for (unsigned i = 0; i < sizeof body; i++) buf[n++] = body[i];
    for (int i = 0; i < 6; i++) buf[n++] = mac[i];
    buf[n++] = 10, buf[n++] = 0, buf[n++] = 2, buf[n++] = 15;
    for (int i = 0; i < 6; i++) buf[n++] = 0;
    buf[n++] = 10, buf[n++] = 0, buf[n++] = 2, buf[n++] = 2;
    while (n < VIO_NET_HDR + 60) buf[n++] = 0;       /* the minimum Ethernet frame */
    return n;
}

/* Send [buf, buf+len): returns whether the device handed it back. */
static int tx_send(volatile uint8_t *buf, unsigned len)
{
    area.tx.desc[0] = (struct vio_desc){ (uint64_t)buf, len, 0, 0 };
    area.tx.avail.ring[tx_next % QSIZE] = 0;
    __sync_synchronize();
    area.tx.avail.idx = ++tx_next;
    uint16_t before = area.tx.used.idx;
    vio_write(VIO_QUEUE_NOTIFY, VIO_NET_TXQ);        /* sent before the store returns */
    return area.tx.used.idx != before;
}

static int is_arp_reply(volatile const uint8_t *f)
{
    f += VIO_NET_HDR;
    for (int i = 0; i < 6; i++)
        if (f[i] != mac[i] || f[32 + i] != mac[i])
            return 0;
    return f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2 &&
           f[28] == 10 && f[29] == 0 && f[30] == 2 && f[31] == 2;
}

/* Wait for the host's ARP reply, re-offering buffers that held other
 * frames (IPv6 chatter of the host): its length, or 0 after WAIT_TICKS.
 * As an ARP client does, ask again each second without an answer (a
 * request the host's side took before it was ready goes unanswered). */
static uint32_t await_arp_reply(void)
{
    uint64_t end = peer_timer_now() + WAIT_TICKS, again = peer_timer_now() + PEER_TIMEBASE_HZ;
    while (peer_timer_now() < end) {
        if (peer_timer_now() >= again) {
            tx_send(area.txbuf, arp_request(area.txbuf));
            again += PEER_TIMEBASE_HZ;
        }
        if (area.rx.used.idx == rx_seen)
            continue;
        volatile struct vio_used_elem *e = &area.rx.used.ring[rx_seen % QSIZE];
        rx_seen++;
        CHECK(e->id < NRX);
        uint32_t len = e->len;
        if (len >= VIO_NET_HDR + 42 && is_arp_reply(area.rxbuf[e->id]))
            return len;
        rx_post((int)e->id, area.rxbuf[e->id]);
    }
    return 0;
}

static uint64_t wait_needs_reset(void)
{
    uint64_t end = peer_timer_now() + WAIT_TICKS;
    while (peer_timer_now() < end && !(vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET))
        ;
    return vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET;
}

int main(void)
{
    _Static_assert(sizeof area == 3 * PEER_PAGE_SIZE, "two pages inside, one beyond");
    struct peer_image ia = PEER_IMAGE(lib);
    long A = peer_space_new(&ia);
    CHECK(A > 1);
    int ok;
    ga = peer_spawn(A, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);
    CHECK(pl_grant(A, PEER_DMACTL, PEER_PAGE_SIZE, PL_R | PL_W) > 0);
    uint64_t base = (uint64_t)&area;
    CHECK(pl_grant(A, base, sizeof area, PL_R | PL_W) > 0);

    printf("net: the device\n");
    CHECK_EQ(vio_read(VIO_MAGIC_VALUE), VIO_MAGIC);
    CHECK_EQ(vio_read(VIO_VERSION), 2);
    CHECK_EQ(vio_read(VIO_DEVICE_ID), VIO_ID_NET);
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)(vio_read(VIO_CONFIG + (i & ~3)) >> (8 * (i & 3)));
    CHECK_EQ(mac[0], 0x52);
    CHECK_EQ(mac[5], 0x56);
    CHECK_EQ(vio_read(VIO_CONFIG + 4) >> 16 & 1, 1);   /* link up */

    printf("net: with the aperture closed the device sends nothing\n");
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), 0);
    device_init();
    CHECK(!tx_send(area.txbuf, arp_request(area.txbuf)));
    CHECK(vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET);
    vio_write(VIO_INT_ACK, VIO_INT_CONFIG | VIO_INT_USED);

    printf("net: through the owner's aperture, an ARP request is answered by the host\n");
    a_store(APER(DMACTL_BASE), base);
    a_store(APER(DMACTL_LEN), INSIDE);
    a_store(APER(DMACTL_SET), 1);
    CHECK_EQ(a_load(APER(DMACTL_RESULT)), 0);
    CHECK_EQ(a_load(APER(DMACTL_OWNER)), A);
    long violations = a_load(APER(DMACTL_VIOLATIONS));
    device_init();
    for (int i = 0; i < NRX; i++)
        rx_post(i, area.rxbuf[i]);
    CHECK(tx_send(area.txbuf, arp_request(area.txbuf)));
    uint32_t len = await_arp_reply();
    CHECK(len >= VIO_NET_HDR + 42);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_NET, IRQCTL_SRC_PENDING), 1);
    CHECK(vio_read(VIO_INT_STATUS) & VIO_INT_USED);
    vio_write(VIO_INT_ACK, VIO_INT_USED);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_NET, IRQCTL_SRC_PENDING), 0);
    CHECK_EQ(a_load(APER(DMACTL_VIOLATIONS)), violations);

    printf("net: a frame to send outside the aperture\n");
    arp_request(area.beyond);
    CHECK(!tx_send(area.beyond, arp_request(area.beyond)));
    CHECK(vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET);
    CHECK(a_load(APER(DMACTL_VIOLATIONS)) > violations);
    violations = a_load(APER(DMACTL_VIOLATIONS));
    vio_write(VIO_INT_ACK, VIO_INT_CONFIG | VIO_INT_USED);

    printf("net: a receive buffer outside the aperture\n");
    device_init();
    fill(area.beyond, PEER_PAGE_SIZE, 0xc3);
    area.rx.desc[0] = (struct vio_desc){ (uint64_t)area.beyond, BUF < PEER_PAGE_SIZE ? BUF : PEER_PAGE_SIZE,
                                          VIO_DESC_WRITE, 0 };
    area.rx.avail.ring[0] = 0;
    __sync_synchronize();
    area.rx.avail.idx = ++rx_next;
    vio_write(VIO_QUEUE_NOTIFY, VIO_NET_RXQ);
    /* The reply has nowhere to go.  (A frame the host sent on its own may
     * have stopped the device already: then the send is not served.) */
    CHECK(tx_send(area.txbuf, arp_request(area.txbuf)) || (vio_read(VIO_STATUS) & VIO_ST_NEEDS_RESET));
    CHECK(wait_needs_reset());
    CHECK_EQ(area.rx.used.idx, 0);
    check_filled(area.beyond, PEER_PAGE_SIZE, 0xc3);
    CHECK(a_load(APER(DMACTL_VIOLATIONS)) > violations);
    vio_write(VIO_INT_ACK, VIO_INT_CONFIG | VIO_INT_USED);

    printf("net: after a reset it works again\n");
    device_init();
    for (int i = 0; i < NRX; i++)
        rx_post(i, area.rxbuf[i]);
    CHECK(tx_send(area.txbuf, arp_request(area.txbuf)));
    CHECK(await_arp_reply() >= VIO_NET_HDR + 42);
    printf("net: ok (%d checks)\n", ptest_checks);
    return 0;
}
