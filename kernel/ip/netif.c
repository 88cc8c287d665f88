/* The network interface lwIP sends and receives through: net's gate.
 * A frame travels in one of ip's own buffers, passed to net for the call
 * (R to send, W to receive); net copies it into or out of its DMA area.
 *
 * ip is net's client in proc's driver facility (kern.h, drv): a call
 * that fails — unwound by a fault, cut by proc's watchdog, or net's device
 * stopped — is reported to proc, which restarts net (once per failure,
 * whoever reports it) and grants us its new gate.  The frame is lost; TCP
 * sends it again.  Every call goes through a gate of ip's own (the shim):
 * once net is restarted its old gate is gone, and calling a gate that is
 * gone is a fault of the calling frame — the shim's, which comes back to
 * us as a status, not ip's thread's or a program's call into ip (with
 * ip's lock taken). */
#include "ip.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

static uint8_t tx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));
static uint8_t rx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));

static uint64_t shim;          /* our own gate that calls net (below) */
static long gen;               /* net's generation ip_net_gate belongs to */
static long calls_before;      /* gate calls into net's earlier generations */

static long gate_calls(uint64_t gate)
{
    peer_ctl_write(PEER_COUNTERS, COUNTERS_GATE, gate);
    return (long)peer_ctl_read(PEER_COUNTERS, COUNTERS_GATE_CALLS);
}

long ip_net_calls(void) { return calls_before + gate_calls(ip_net_gate); }
long ip_net_restarts(void) { return ip_drv_gate ? pl_call(ip_drv_gate, DRV_GEN) : 0; }

static void net_failed(void);

/* The shim: one call into net, armed with the pass (a pass belongs to the
 * frame that armed it). */
static long net_shim(long op, long gate, long a1, long a2, long rights)
{
    if (rights)
        pl_pass((uint64_t)a1, (uint64_t)a2, (uint64_t)rights);
    long r = pl_call(gate, op, a1, a2);
    return pl_status() ? KE_FAULT : r;
}

/* One call into net (rights: the pass over [a1, a1+a2), or 0): its result,
 * or KE_FAULT if it failed or was unwound. */
static long net_call(long op, long a1, long a2, long rights)
{
    if (ip_net_doorbell->gate != ip_net_gate)
        net_failed();             /* restarted without us: learn its gate from proc */
    long r = pl_call(shim, op, (long)ip_net_gate, a1, a2, rights);
    return pl_status() ? KE_FAULT : r;
}

static void net_failed(void)
{
    if (!ip_drv_gate)
        return;
    long before = gate_calls(ip_net_gate);
    long g = pl_call(ip_drv_gate, DRV_RESTART, gen);
    if (g > 0 && !pl_status() && (uint64_t)g != ip_net_gate) {
        calls_before += before;
        ip_net_gate = (uint64_t)g;
        gen = pl_call(ip_drv_gate, DRV_GEN);
    }
}

static err_t link_output(struct netif *n, struct pbuf *p)
{
    if (p->tot_len > sizeof tx_frame)
        return ERR_BUF;
    u16_t len = pbuf_copy_partial(p, tx_frame, p->tot_len, 0);
    long r = net_call(NET_SEND, (long)tx_frame, len, PL_R);
    if (r == KE_FAULT)
        net_failed();
    if (r < 0)
        return ERR_IF;     /* lost: net failed (and was restarted), or its ring is full */
    ip_stats[IP_STAT_FRAMES_OUT]++;
    return ERR_OK;
}

err_t ip_netif_init(struct netif *n)
{
    shim = (uint64_t)pl_make_gate((uint64_t)net_shim, PL_GATE_OWN_DATA, KSERVICE_STACK + 1024, 0, 0);
    if (ip_drv_gate)
        gen = pl_call(ip_drv_gate, DRV_GEN);
    long mac = net_call(NET_MAC, 0, 0, 0);
    if (mac < 0)
        return ERR_IF;
    n->name[0] = 'e';
    n->name[1] = 'n';
    n->output = etharp_output;
    n->linkoutput = link_output;
    n->mtu = 1500;
    n->hwaddr_len = ETH_HWADDR_LEN;
    for (int i = 0; i < ETH_HWADDR_LEN; i++)
        n->hwaddr[i] = (u8_t)((uint64_t)mac >> (8 * i));
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

/* With the lock held: hand up to a ring's worth of waiting frames to lwIP. */
int ip_netif_poll(void)
{
    int n = 0;
    while (n < 16 && ip_net_doorbell->rx_ready != ip_net_doorbell->rx_seen) {
        long len = net_call(NET_RECV, (long)rx_frame, (long)sizeof rx_frame, PL_W);
        if (len == KE_FAULT)
            net_failed();
        if (len <= 0)
            break;
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (p) {
            pbuf_take(p, rx_frame, (u16_t)len);
            if (ip_netif.input(p, &ip_netif) != ERR_OK)
                pbuf_free(p);
        }
        ip_stats[IP_STAT_FRAMES_IN]++;
        n++;
    }
    return n;
}
