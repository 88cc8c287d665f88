/* Sockets: what programs call through ip's gate (IP_* in kern.h).
 *
 * A socket is a slot here wrapping an lwIP pcb: lwIP's callbacks (run
 * with the lock held, on ip's thread as frames come in) queue what arrives
 * — connections on a listener, a pbuf chain on a TCP socket, datagrams on
 * a UDP one — and the gate calls, on the callers' threads, take from those
 * queues, waiting for an event when they are empty.  A caller's buffer is
 * its pass for the call; it is checked before the lock is taken, so no
 * fault can happen while the lock is held.
 */
#include "ip.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#define NSOCK 32
#define BACKLOG 8
#define NDGRAM 8

enum { S_FREE, S_LISTEN, S_TCP, S_UDP };

struct dgram { struct pbuf *p; uint32_t addr; uint16_t port; };

struct sock {
    int kind;
    struct tcp_pcb *tcp;          /* S_LISTEN, S_TCP: NULL once lwIP dropped it */
    struct udp_pcb *udp;
    struct pbuf *rx;              /* S_TCP: bytes received, not yet read */
    int eof;                      /* S_TCP: the peer closed, or the connection died */
    int pending[BACKLOG];         /* S_LISTEN: accepted sockets not yet taken */
    unsigned head, tail;
    struct dgram d[NDGRAM];       /* S_UDP: datagrams not yet read */
    unsigned dhead, dtail;
};

static struct sock socks[NSOCK];

static int sock_new(int kind)
{
    for (int i = 1; i < NSOCK; i++)
        if (socks[i].kind == S_FREE) {
            memset(&socks[i], 0, sizeof socks[i]);
            socks[i].kind = kind;
            return i;
        }
    return -1;
}

static struct sock *sock_get(long s, int kind)
{
    return s > 0 && s < NSOCK && socks[s].kind == kind ? &socks[s] : 0;
}

/* ---- lwIP's callbacks (lock held) ---- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct sock *k = &socks[(long)arg];
    if (!p)
        k->eof = 1;
    else if (k->rx)
        pbuf_cat(k->rx, p);
    else
        k->rx = p;
    ip_event();
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct sock *k = &socks[(long)arg];
    k->tcp = 0;               /* lwIP has freed it */
    k->eof = 1;
    ip_event();
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    ip_event();               /* room to send again */
    return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct sock *l = &socks[(long)arg];
    int s = err == ERR_OK && pcb && l->head - l->tail < BACKLOG ? sock_new(S_TCP) : -1;
    if (s < 0) {
        if (pcb)
            tcp_abort(pcb);
        return ERR_ABRT;
    }
    socks[s].tcp = pcb;
    tcp_arg(pcb, (void *)(long)s);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);
    tcp_sent(pcb, on_sent);
    tcp_nagle_disable(pcb);
    l->pending[l->head++ % BACKLOG] = s;
    ip_event();
    return ERR_OK;
}

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    struct sock *k = &socks[(long)arg];
    if (k->dhead - k->dtail >= NDGRAM) {
        pbuf_free(p);          /* full: dropped, as a socket buffer would */
        return;
    }
    k->d[k->dhead++ % NDGRAM] = (struct dgram){ p, lwip_ntohl(ip4_addr_get_u32(addr)), port };
    ip_event();
}

/* ---- the operations (lock not held on entry) ---- */

static long tcp_listen_on(long port)
{
    if (port <= 0 || port > 65535)
        return KE_INVAL;
    ip_lock();
    long r = KE_NOMEM;
    int s = sock_new(S_LISTEN);
    struct tcp_pcb *pcb = s > 0 ? tcp_new() : 0;
    if (pcb && tcp_bind(pcb, IP_ADDR_ANY, (u16_t)port) != ERR_OK) {
        tcp_close(pcb);
        r = KE_BUSY;
        pcb = 0;
    }
    struct tcp_pcb *l = pcb ? tcp_listen_with_backlog(pcb, BACKLOG) : 0;
    if (l) {
        socks[s].tcp = l;
        tcp_arg(l, (void *)(long)s);
        tcp_accept(l, on_accept);
        r = s;
    } else {
        if (pcb)
            tcp_close(pcb);
        if (s > 0)
            socks[s].kind = S_FREE;
    }
    ip_unlock();
    return r;
}

static long sock_accept(long s)
{
    for (;;) {
        ip_lock();
        struct sock *l = sock_get(s, S_LISTEN);
        long r = !l ? KE_INVAL : l->head != l->tail ? l->pending[l->tail++ % BACKLOG] : 0;
        ip_unlock();
        if (r)
            return r;
        ip_wait_event();
    }
}

static long sock_recv(long s, volatile uint8_t *buf, long len)
{
    if (len <= 0 || !ip_held((uint64_t)buf, len, PL_W))
        return KE_INVAL;
    for (;;) {
        ip_lock();
        struct sock *k = sock_get(s, S_TCP);
        long r = -1;
        if (!k) {
            r = KE_INVAL;
        } else if (k->rx) {
            u16_t n = (u16_t)(len < k->rx->tot_len ? len : k->rx->tot_len);
            r = pbuf_copy_partial(k->rx, (void *)buf, n, 0);
            k->rx = pbuf_free_header(k->rx, n);
            if (k->tcp)
                tcp_recved(k->tcp, n);
        } else if (k->eof) {
            r = 0;
        }
        ip_unlock();
        if (r != -1)
            return r;
        ip_wait_event();
    }
}

static long sock_send(long s, const volatile uint8_t *buf, long len)
{
    if (len < 0 || !ip_held((uint64_t)buf, len, PL_R))
        return KE_INVAL;
    long done = 0;
    while (done < len) {
        ip_lock();
        struct sock *k = sock_get(s, S_TCP);
        long r = 0;
        if (!k || !k->tcp) {
            r = k ? KE_NOENT : KE_INVAL;       /* the connection is gone */
        } else {
            long n = tcp_sndbuf(k->tcp);
            if (n > len - done)
                n = len - done;
            if (n > 0 && tcp_sndqueuelen(k->tcp) < TCP_SND_QUEUELEN - 1 &&
                tcp_write(k->tcp, (const void *)(buf + done), (u16_t)n, TCP_WRITE_FLAG_COPY) == ERR_OK)
                done += n;
            tcp_output(k->tcp);
        }
        ip_unlock();
        if (r < 0)
            return done ? done : r;
        if (done < len)
            ip_wait_event();
    }
    return done;
}

static long sock_close(long s)
{
    ip_lock();
    long r = 0;
    struct sock *k = s > 0 && s < NSOCK && socks[s].kind != S_FREE ? &socks[s] : 0;
    if (!k) {
        r = KE_INVAL;
    } else if (k->kind == S_UDP) {
        udp_remove(k->udp);
        while (k->dtail != k->dhead)
            pbuf_free(k->d[k->dtail++ % NDGRAM].p);
    } else {
        if (k->tcp) {
            tcp_arg(k->tcp, 0);
            if (k->kind == S_LISTEN) {
                tcp_accept(k->tcp, 0);
            } else {
                tcp_recv(k->tcp, 0);
                tcp_err(k->tcp, 0);
                tcp_sent(k->tcp, 0);
            }
            if (tcp_close(k->tcp) != ERR_OK)
                tcp_abort(k->tcp);
        }
        if (k->rx)
            pbuf_free(k->rx);
        /* Connections accepted but never taken go with their listener. */
        while (k->kind == S_LISTEN && k->tail != k->head) {
            struct sock *c = &socks[k->pending[k->tail++ % BACKLOG]];
            if (c->tcp) {
                tcp_arg(c->tcp, 0);
                tcp_recv(c->tcp, 0);
                tcp_err(c->tcp, 0);
                tcp_abort(c->tcp);
            }
            if (c->rx)
                pbuf_free(c->rx);
            c->kind = S_FREE;
        }
    }
    if (k)
        k->kind = S_FREE;
    ip_unlock();
    return r;
}

static long udp_bind_on(long port)
{
    if (port < 0 || port > 65535)
        return KE_INVAL;
    ip_lock();
    long r = KE_NOMEM;
    int s = sock_new(S_UDP);
    struct udp_pcb *pcb = s > 0 ? udp_new() : 0;
    if (pcb && udp_bind(pcb, IP_ADDR_ANY, (u16_t)port) == ERR_OK) {
        socks[s].udp = pcb;
        udp_recv(pcb, on_datagram, (void *)(long)s);
        r = s;
    } else {
        if (pcb) {
            udp_remove(pcb);
            r = KE_BUSY;
        }
        if (s > 0)
            socks[s].kind = S_FREE;
    }
    ip_unlock();
    return r;
}

static long sock_sendto(long s, const volatile uint8_t *buf, long len, uint64_t addr, long port)
{
    if (len < 0 || len > 65507 || port <= 0 || port > 65535 || !ip_held((uint64_t)buf, len, PL_R))
        return KE_INVAL;
    ip_lock();
    long r = KE_INVAL;
    struct sock *k = sock_get(s, S_UDP);
    struct pbuf *p = k ? pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM) : 0;
    if (k && !p)
        r = KE_NOMEM;
    if (p) {
        pbuf_take(p, (const void *)buf, (u16_t)len);
        ip_addr_t to;
        ip4_addr_set_u32(&to, lwip_htonl((u32_t)addr));
        r = udp_sendto(k->udp, p, &to, (u16_t)port) == ERR_OK ? len : KE_NOMEM;
        pbuf_free(p);
    }
    ip_unlock();
    return r;
}

static long sock_recvfrom(long s, volatile uint8_t *buf, long len)
{
    if (len < (long)sizeof(struct ip_from) || !ip_held((uint64_t)buf, len, PL_W))
        return KE_INVAL;
    for (;;) {
        ip_lock();
        struct sock *k = sock_get(s, S_UDP);
        long r = k ? -1 : KE_INVAL;
        if (k && k->dtail != k->dhead) {
            struct dgram *d = &k->d[k->dtail++ % NDGRAM];
            long room = len - (long)sizeof(struct ip_from);
            u16_t n = (u16_t)(room < d->p->tot_len ? room : d->p->tot_len);
            volatile struct ip_from *from = (volatile struct ip_from *)buf;
            from->addr = d->addr;
            from->port = d->port;
            from->pad = 0;
            r = pbuf_copy_partial(d->p, (void *)(buf + sizeof(struct ip_from)), n, 0);
            pbuf_free(d->p);
        }
        ip_unlock();
        if (r != -1)
            return r;
        ip_wait_event();
    }
}

static long address(long which)
{
    const ip4_addr_t *a = which == 0 ? netif_ip4_addr(&ip_netif) : which == 1 ? netif_ip4_netmask(&ip_netif)
                        : which == 2 ? netif_ip4_gw(&ip_netif) : 0;
    return a ? (long)lwip_ntohl(ip4_addr_get_u32(a)) : KE_INVAL;
}

/* Gate calls into a space, from the machine's counters (section 9.7). */
static long calls_into(uint64_t space)
{
    peer_ctl_write(PEER_COUNTERS, COUNTERS_SPACE, space);
    return (long)peer_ctl_read(PEER_COUNTERS, COUNTERS_CALLS);
}

static long count(long which)
{
    switch (which) {
    case IP_STAT_FRAMES_IN:
    case IP_STAT_FRAMES_OUT: return ip_stats[which];
    case IP_STAT_NET_RESTARTS: return ip_net_restarts();
    case IP_STAT_NET_CALLS: return ip_net_calls();
    case IP_STAT_IP_CALLS: return calls_into(pl_self());
    }
    return KE_INVAL;
}

long ip_sock_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    switch (op) {
    case IP_TCP_LISTEN: return tcp_listen_on(a1);
    case IP_ACCEPT: return sock_accept(a1);
    case IP_RECV: return sock_recv(a1, (volatile uint8_t *)a2, a3);
    case IP_SEND: return sock_send(a1, (const volatile uint8_t *)a2, a3);
    case IP_CLOSE: return sock_close(a1);
    case IP_UDP_BIND: return udp_bind_on(a1);
    case IP_SENDTO: return sock_sendto(a1, (const volatile uint8_t *)a2, a3, (uint64_t)a4, a5);
    case IP_RECVFROM: return sock_recvfrom(a1, (volatile uint8_t *)a2, a3);
    case IP_ADDR: return address(a1);
    case IP_STAT: return count(a1);
    }
    return KE_INVAL;
}
