/* The network interface lwIP sends and receives through: net's gate.
 * A frame travels in one of ip's own buffers, passed to net for the call
 * (R to send, W to receive); net copies it into or out of its DMA area.
 *
 * ip is net's client in proc's driver facility (kern.h, drv): a call
 * that fails — unwound by a fault, cut by proc's watchdog, or net's device
 * stopped — is reported to proc, which restarts net (once per failure,
 * whoever reports it) and grants us its new gate.  The frame is lost; TCP
 * sends it again.  Every call goes through a gate of ip's own (the shim,
 * kdrv_call in klib), so a call to a gate gone with a restart comes back
 * to us as a status, not as an unwind of ip's thread's or a program's
 * call into ip (with ip's lock taken). */
#include "ip.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

static uint8_t tx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));
static uint8_t rx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));

static struct kdrv_client net;  /* net's gate, through our shim (klib) */
static long calls_before;      /* gate calls into net's earlier generations */

static long gate_calls(uint64_t gate)
{
    peer_ctl_write(PEER_COUNTERS, COUNTERS_GATE, gate);
    return (long)peer_ctl_read(PEER_COUNTERS, COUNTERS_GATE_CALLS);
}

long ip_net_calls(void) { return calls_before + gate_calls(net.gate); }
long ip_net_restarts(void) { return net.restart ? pl_call(net.restart, DRV_GEN) : 0; }

static void net_failed(void)
{
    uint64_t old = net.gate;
    long before = gate_calls(old);
    if (kdrv_renew(&net) && net.gate != old)
        calls_before += before;
}

/* One call into net (rights: the pass over [a1, a1+a2), or 0): its result,
 * or KE_FAULT if it failed or was unwound. */
static long net_call(long op, long a1, long a2, long rights)
{
    if (ip_net_doorbell->gate != net.gate)
        net_failed();             /* restarted without us: learn its gate from proc */
    return kdrv_call(&net, op, a1, a2, 0, (uint64_t)a1, a2, (uint64_t)rights);
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
    kdrv_client_init(&net, ip_net_gate, ip_drv_gate);
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
