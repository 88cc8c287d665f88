/* Sockets for programs: calls to ip (lwIP in its own space), found in dir
 * at the first use.  A buffer is passed for the call only. */
#include <stdlib.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

static uint64_t ip_gate(void)
{
    static uint64_t g;
    if (!g)
        g = os_lookup("ip");
    return g;
}

#define IP(...) (ip_gate() ? pl_call(ip_gate(), __VA_ARGS__) : KE_NOENT)

long os_tcp_listen(int port) { return IP(IP_TCP_LISTEN, port); }
long os_accept(long sock) { return IP(IP_ACCEPT, sock); }
long os_close(long sock) { return IP(IP_CLOSE, sock); }
long os_udp_bind(int port) { return IP(IP_UDP_BIND, port); }
long os_ip_addr(int which) { return IP(IP_ADDR, which); }
long os_ip_stat(int which) { return IP(IP_STAT, which); }

long os_recv(long sock, void *buf, size_t len)
{
    if (!ip_gate())
        return KE_NOENT;
    pl_pass((uint64_t)buf, len, PL_W);
    return pl_call(ip_gate(), IP_RECV, sock, (long)buf, (long)len);
}

long os_send(long sock, const void *buf, size_t len)
{
    if (!ip_gate())
        return KE_NOENT;
    if (len == 0)
        return 0;
    pl_pass((uint64_t)buf, len, PL_R);
    return pl_call(ip_gate(), IP_SEND, sock, (long)buf, (long)len);
}

long os_sendto(long sock, const void *buf, size_t len, uint32_t addr, int port)
{
    if (!ip_gate())
        return KE_NOENT;
    if (len)
        pl_pass((uint64_t)buf, len, PL_R);
    return pl_call(ip_gate(), IP_SENDTO, sock, (long)buf, (long)len, (long)addr, port);
}

/* ip writes the sender, then the data: into a buffer of ours, then buf. */
long os_recvfrom(long sock, void *buf, size_t len, uint32_t *addr, int *port)
{
    if (!ip_gate())
        return KE_NOENT;
    uint8_t *tmp = malloc(sizeof(struct ip_from) + len);
    if (!tmp)
        return KE_NOMEM;
    pl_pass((uint64_t)tmp, sizeof(struct ip_from) + len, PL_W);
    long r = pl_call(ip_gate(), IP_RECVFROM, sock, (long)tmp, (long)(sizeof(struct ip_from) + len));
    if (r >= 0) {
        struct ip_from from;
        memcpy(&from, tmp, sizeof from);
        memcpy(buf, tmp + sizeof from, (size_t)r);
        if (addr)
            *addr = from.addr;
        if (port)
            *port = from.port;
    }
    free(tmp);
    return r;
}
