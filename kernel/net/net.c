/* net: the virtio-net driver, alone in its space with the device's
 * registers and the aperture registers of its DMA device (device 2) — boot
 * creates it only when the machine has a network device.
 *
 * The aperture covers net's DMA area and nothing else: both virtqueues and
 * the frame buffers.  So the device can touch no other memory, whatever the
 * rings say.  Frames cross into and out of that area by net's own loads and
 * stores, from and to a buffer its caller (ip) passes for the call.
 *
 * Completions are interrupt-driven: the handler (source 6, priority 1,
 * below sched's) acknowledges the device, publishes how far each used
 * ring has come (rx_ready, tx_done) and, when frames arrived, wakes ip's
 * thread with SCHED_IRQ_WAKE.  Each index has one writer, as in console,
 * so handler and gate need no lock; callers on different threads take
 * turns.
 *
 * proc can restart it (kern.h, drv; proc/driver.c): its data is all zeros
 * at boot, and a restart destroys the space, zeroes the data and runs
 * net_restart in a fresh space.  ip is its client: when a call fails it
 * asks proc for a restart, and proc's watchdog reads net's watch word.
 * net_inject is where the tests' misbehaviour waits for the next request.
 */
#include "kern.h"
#include "vio.h"

#define QSIZE 16
#define BUF 1536                 /* header + the largest frame, rounded up */
#define KEY_NET 0x6e657400UL

struct vq {
    struct vio_desc desc[QSIZE];
    struct { uint16_t flags, idx, ring[QSIZE], used_event; } avail;
    struct { uint16_t flags, idx; struct vio_used_elem ring[QSIZE]; uint16_t avail_event; } used
        __attribute__((aligned(4)));
};

/* DMA-visible state: exactly the aperture, whole pages of nothing else. */
struct dma_area {
    struct vq rx __attribute__((aligned(16)));
    struct vq tx __attribute__((aligned(16)));
    uint8_t rxbuf[QSIZE][BUF] __attribute__((aligned(16)));
    uint8_t txbuf[QSIZE][BUF] __attribute__((aligned(16)));
};
#define APERTURE_LEN ((sizeof(struct dma_area) + PEER_PAGE_SIZE - 1) & ~(PEER_PAGE_SIZE - 1))
static volatile union {
    struct dma_area a;
    uint8_t pages[APERTURE_LEN];
} aperture __attribute__((aligned(4096)));
#define dma (aperture.a)

/* All of it zero at boot, and zeroed by a restart. */
struct kinject net_inject;
/* Busy while a request is being served: proc's watchdog (which holds our
 * data, to restart us) restarts us if one request stays busy too long. */
struct kwatch net_watch;
uint8_t net_restart_stack[16384] __attribute__((aligned(16)));
struct kinit net_restart_msg;
static uint64_t sched_gate;
static uint64_t mac;
static int broken;                          /* the device could not be brought up */
static uint16_t rx_avail, tx_next;          /* written by the gate's code */
static volatile uint16_t tx_done;           /* written by the interrupt handler */
/* rx_ready (the handler's) and rx_seen (the gate's), on a page of their own
 * that ip may read. */
struct net_doorbell net_doorbell __attribute__((aligned(4096)));
#define doorbell net_doorbell
#define rx_ready doorbell.rx_ready
#define rx_seen doorbell.rx_seen
static volatile int needs_reset;            /* the handler saw DEVICE_NEEDS_RESET */
static struct kturn turn;
static volatile long stats[NET_STAT_RESET + 1];

#define reg_read(off) vio_reg_read(PEER_VIRTIO_NET, (off))
#define reg_write(off, v) vio_reg_write(PEER_VIRTIO_NET, (off), (v))

static void queue_init(int n, volatile struct vq *q)
{
    reg_write(VIO_QUEUE_SEL, n);
    reg_write(VIO_QUEUE_NUM, QSIZE);
    q->avail.flags = 0;
    q->avail.idx = 0;
    q->used.idx = 0;
    vio_queue_rings(PEER_VIRTIO_NET, n, (uint64_t)q->desc, (uint64_t)&q->avail, (uint64_t)&q->used);
}

/* Offer receive buffer i to the device. */
static void rx_post(uint16_t i)
{
    dma.rx.desc[i] = (struct vio_desc){ (uint64_t)dma.rxbuf[i], BUF, VIO_DESC_WRITE, 0 };
    dma.rx.avail.ring[rx_avail % QSIZE] = i;
    __sync_synchronize();
    dma.rx.avail.idx = ++rx_avail;
}

/* Reset the device and bring both queues up, every receive buffer offered:
 * 0, or KE_*. */
static long device_init(void)
{
    if (vio_negotiate(PEER_VIRTIO_NET, VIO_NET_F_MAC, 0) < 0)
        return KE_INVAL;
    for (int q = VIO_NET_RXQ; q <= VIO_NET_TXQ; q++) {
        reg_write(VIO_QUEUE_SEL, q);
        if (reg_read(VIO_QUEUE_NUM_MAX) < QSIZE)
            return KE_INVAL;
    }
    queue_init(VIO_NET_RXQ, &dma.rx);
    queue_init(VIO_NET_TXQ, &dma.tx);
    rx_seen = rx_avail = tx_next = 0;
    rx_ready = tx_done = 0;
    needs_reset = 0;
    for (uint16_t i = 0; i < QSIZE; i++)
        rx_post(i);
    mac = 0;
    for (int i = 0; i < 6; i++)
        mac |= (uint64_t)((reg_read(VIO_CONFIG + (i & ~3)) >> (8 * (i & 3))) & 0xff) << (8 * i);
    reg_write(VIO_STATUS, VIO_ST_ACK | VIO_ST_DRIVER | VIO_ST_FEATURES_OK | VIO_ST_DRIVER_OK);
    reg_write(VIO_QUEUE_NOTIFY, VIO_NET_RXQ);
    return 0;
}

/* Source 6: acknowledge, publish the used rings' progress. */
static long net_irq(long source)
{
    stats[NET_STAT_IRQ]++;
    uint32_t why = reg_read(VIO_INT_STATUS);
    reg_write(VIO_INT_ACK, why);
    if ((why & VIO_INT_CONFIG) && (reg_read(VIO_STATUS) & VIO_ST_NEEDS_RESET))
        needs_reset = 1;
    uint16_t came = dma.rx.used.idx;
    int frames = came != rx_ready;
    rx_ready = came;
    tx_done = dma.tx.used.idx;
    if (frames)
        pl_call(sched_gate, SCHED_IRQ_WAKE, NET_KEY_RX);
    return 0;
}

static void take_turn(void)
{
    kturn_take(&turn, sched_gate);
    if (needs_reset) {
        /* The device stopped on a bad access (it never should: the rings
         * lie in the aperture); start it afresh, dropping what was queued. */
        stats[NET_STAT_RESET]++;
        broken = device_init() < 0;
    }
}

static void give_turn(void)
{
    kturn_give(&turn, sched_gate);
}

/* The injected misbehaviour, once, on the next request with the turn
 * taken (tests only: proc's DRV_INJECT gate is the shell's).  Each is this
 * driver going wrong on its own: a store outside its rights faults, a loop
 * is cut by proc's watchdog, an illegal instruction faults, a transfer
 * outside the aperture is refused by the machine (the device then needs a
 * reset, and the call fails).  Faults unwind the call to ip with the turn
 * still taken: only a restart (fresh data) lets net serve again, which is
 * what ip asks proc for. */
static long misbehave(void)
{
    uint64_t kind = net_inject.kind, target = net_inject.target;
    if (kind == INJECT_NONE)
        return 0;
    net_inject.kind = INJECT_NONE;
    if (kind == INJECT_DMA) {   /* a frame to send from the target */
        uint16_t slot = tx_next % QSIZE;
        dma.tx.desc[slot] = (struct vio_desc){ target, 64, 0, 0 };
        dma.tx.avail.ring[tx_next % QSIZE] = slot;
        __sync_synchronize();
        dma.tx.avail.idx = ++tx_next;
        reg_write(VIO_QUEUE_NOTIFY, VIO_NET_TXQ);
        return reg_read(VIO_STATUS) & VIO_ST_NEEDS_RESET ? KE_FAULT : 0;
    }
    vio_misbehave(kind, target, 0x5741524e494e4721UL);   /* "WARNING!" */
    return 0;
}

static long net_send(const volatile uint8_t *frame, long len)
{
    if (broken)
        return KE_NOENT;
    if (len < 14 || len > NET_FRAME_MAX || !kheld((uint64_t)frame, len, PL_R))
        return KE_INVAL;
    take_turn();
    net_watch.seq++;
    net_watch.busy = 1;
    long r = misbehave();
    if (r < 0) {
        net_watch.busy = 0;
        give_turn();
        return r;
    }
    r = len;
    if ((uint16_t)(tx_next - tx_done) >= QSIZE) {
        stats[NET_STAT_DROP]++;
        r = KE_BUSY;
    } else {
        uint16_t slot = tx_next % QSIZE;
        volatile uint8_t *b = dma.txbuf[slot];
        for (int i = 0; i < VIO_NET_HDR; i++)
            b[i] = 0;
        for (long i = 0; i < len; i++)
            b[VIO_NET_HDR + i] = frame[i];
        dma.tx.desc[slot] = (struct vio_desc){ (uint64_t)b, (uint32_t)(VIO_NET_HDR + len), 0, 0 };
        dma.tx.avail.ring[tx_next % QSIZE] = slot;
        __sync_synchronize();
        dma.tx.avail.idx = ++tx_next;
        reg_write(VIO_QUEUE_NOTIFY, VIO_NET_TXQ);
        stats[NET_STAT_TX]++;
    }
    net_watch.busy = 0;
    give_turn();
    return r;
}

static long net_recv(volatile uint8_t *buf, long len)
{
    if (broken)
        return KE_NOENT;
    if (len <= 0 || !kheld((uint64_t)buf, len, PL_W))
        return KE_INVAL;
    if (rx_seen == rx_ready)
        return 0;          /* nothing waits: no turn taken, no wake-up owed */
    take_turn();
    net_watch.seq++;
    net_watch.busy = 1;
    long r = misbehave();
    while (r == 0 && rx_seen != rx_ready) {
        volatile struct vio_used_elem *e = &dma.rx.used.ring[rx_seen % QSIZE];
        uint32_t id = e->id, n = e->len;
        rx_seen++;
        if (id >= QSIZE)
            continue;
        if (n <= VIO_NET_HDR || n - VIO_NET_HDR > (uint64_t)len) {
            stats[NET_STAT_DROP]++;        /* empty, or larger than the caller takes */
        } else {
            r = n - VIO_NET_HDR;
            for (long i = 0; i < r; i++)
                buf[i] = dma.rxbuf[id][VIO_NET_HDR + i];
            stats[NET_STAT_RX]++;
        }
        rx_post((uint16_t)id);
        reg_write(VIO_QUEUE_NOTIFY, VIO_NET_RXQ);
    }
    net_watch.busy = 0;
    give_turn();
    return r;
}

static long net_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case NET_SEND: return net_send((const volatile uint8_t *)a1, a2);
    case NET_RECV: return net_recv((volatile uint8_t *)a1, a2);
    case NET_MAC: return broken ? KE_NOENT : (long)mac;
    case NET_STATS: return a1 >= 0 && a1 <= NET_STAT_RESET ? stats[a1] : KE_INVAL;
    }
    return KE_INVAL;
}

/* The aperture of DMA device 2 over the DMA area, for this space. */
static long open_aperture(void)
{
    uint64_t regs = PEER_DMACTL + DMACTL_DEV(DMA_DEV_NET);
    peer_ctl_write(regs, DMACTL_BASE, (uint64_t)&aperture);
    peer_ctl_write(regs, DMACTL_LEN, APERTURE_LEN);
    peer_ctl_write(regs, DMACTL_SET, 1);
    return (long)peer_ctl_read(regs, DMACTL_RESULT);
}

/* m->gates: [0] sched, [1] the space to grant the gate to (0: the root, at
 * boot; proc at a restart). */
static void init(struct kinit *m)
{
    sched_gate = m->gates[0];
    turn.key = KEY_NET;   /* set here: a restart starts from zeroed data */
    broken = reg_read(VIO_MAGIC_VALUE) != VIO_MAGIC || reg_read(VIO_DEVICE_ID) != VIO_ID_NET ||
             open_aperture() != 0 || device_init() != 0;
    long g = pl_make_gate((uint64_t)net_gate, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    /* Its interrupt handler calls sched: it needs room for that call too. */
    long i = pl_make_gate((uint64_t)net_irq, PL_GATE_OWN_DATA, KSERVICE_STACK + 1024, 0, 0);
    pl_grant(m->gates[1] ? m->gates[1] : PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    m->out[NET_OUT_GATE] = (uint64_t)g;
    doorbell.gate = (uint64_t)g;
    m->out[NET_OUT_IRQ] = (uint64_t)i;
    m->out[NET_OUT_UP] = (uint64_t)!broken;
}
KINIT_ENTRY(net, init)

/* After a restart (proc/driver.c): the same init on a thread proc made in
 * the fresh space; proc kills the thread once it sees done. */
void net_restart(struct kinit *m)
{
    init(m);
    m->done = 1;
    for (;;)
        pl_call(sched_gate, SCHED_WAIT, KEY_NET + 1, 0);
}
