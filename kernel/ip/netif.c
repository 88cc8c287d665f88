/* The network interface lwIP sends and receives through: net's gate.
 * A frame travels in one of ip's own buffers, passed to net for the call
 * (R to send, W to receive); net copies it into or out of its DMA area. */
#include "ip.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

static uint8_t tx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));
static uint8_t rx_frame[NET_FRAME_MAX] __attribute__((aligned(8)));

static err_t link_output(struct netif *n, struct pbuf *p)
{
    if (p->tot_len > sizeof tx_frame)
        return ERR_BUF;
    u16_t len = pbuf_copy_partial(p, tx_frame, p->tot_len, 0);
    pl_pass((uint64_t)tx_frame, len, PL_R);
    long r = pl_call(ip_net_gate, NET_SEND, (long)tx_frame, len);
    if (pl_status() != 0 || r < 0)
        return ERR_IF;     /* net is down or restarting, or its ring is full: the frame is lost */
    ip_stats[IP_STAT_FRAMES_OUT]++;
    return ERR_OK;
}

err_t ip_netif_init(struct netif *n)
{
    long mac = pl_call(ip_net_gate, NET_MAC);
    if (pl_status() != 0 || mac < 0)
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
        pl_pass((uint64_t)rx_frame, sizeof rx_frame, PL_W);
        long len = pl_call(ip_net_gate, NET_RECV, (long)rx_frame, (long)sizeof rx_frame);
        if (pl_status() != 0 || len <= 0)
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
