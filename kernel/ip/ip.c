/* ip: lwIP (Debian's source, built NO_SYS with the raw API) in a space of
 * its own, between net (frames) and programs (sockets, sock.c).
 *
 * Nothing here runs lwIP but with the lock held.  ip's own thread brings
 * frames in from net and runs lwIP's timers; programs' gate calls run the
 * socket operations on their own threads.  The thread sleeps until net's
 * interrupt handler wakes it (SCHED_IRQ_WAKE: frames came) or lwIP's next
 * timer is due, but at most MAX_SLEEP ticks (a program's call may have
 * started a timer meanwhile).
 */
#include "ip.h"
#include "lwip/dhcp.h"
#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
/* lwIP's ip4.h defines ip_init() as an empty compatibility macro; here
 * ip_init is this space's init entry (KINIT_ENTRY below). */
#undef ip_init

#define MAX_SLEEP 10   /* ticks */
/* The address unless configured otherwise: QEMU's user network's guest. */
#define IP_DEFAULT_ADDR  0x0a00020fU   /* 10.0.2.15 */
#define IP_DEFAULT_MASK  0xffffff00U
#define IP_DEFAULT_GW    0x0a000202U   /* 10.0.2.2 */

uint64_t ip_sched_gate, ip_net_gate, ip_console_gate, ip_drv_gate;
const struct net_doorbell *ip_net_doorbell;
struct netif ip_netif;
volatile long ip_stats[IP_STAT_NET_RESTARTS + 1];

static volatile int locked;
static int events;
static uint8_t thread_stack[32768] __attribute__((aligned(16)));

void ip_lock(void)
{
    while (__atomic_exchange_n(&locked, 1, __ATOMIC_ACQUIRE))
        pl_call(ip_sched_gate, SCHED_YIELD);
}

void ip_unlock(void) { __atomic_store_n(&locked, 0, __ATOMIC_RELEASE); }
void ip_event(void) { events = 1; }
void ip_wait_event(void) { pl_call(ip_sched_gate, SCHED_WAIT, IP_KEY_EVENT, 1); }

static void set_address(uint32_t addr, uint32_t mask, uint32_t gw)
{
    ip4_addr_t a, m, g;
    ip4_addr_set_u32(&a, lwip_htonl(addr));
    ip4_addr_set_u32(&m, lwip_htonl(mask));
    ip4_addr_set_u32(&g, lwip_htonl(gw));
    netif_set_addr(&ip_netif, &a, &m, &g);
}

__attribute__((noreturn)) static void ip_thread(long unused)
{
    for (;;) {
        ip_lock();
        ip_netif_poll();
        sys_check_timeouts();
        uint32_t ms = sys_timeouts_sleeptime();
        int woke = events;
        events = 0;
        ip_unlock();
        if (woke)
            pl_call(ip_sched_gate, SCHED_WAKE, IP_KEY_EVENT);
        if (ip_net_doorbell->rx_ready != ip_net_doorbell->rx_seen)
            continue;                      /* more than one poll's worth came */
        long ticks = (long)(ms / (1000 / SCHED_TICK_HZ)) + 1;
        pl_call(ip_sched_gate, SCHED_WAIT, NET_KEY_RX, ticks < MAX_SLEEP ? ticks : MAX_SLEEP);
    }
}

/* The shell's gate: set the address (and read it, and the counts). */
static long ip_admin(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    if (op == IP_ADDR || op == IP_STAT)
        return ip_sock_gate(op, a1, a2, a3, a4, a5, a6, a7);
    if (op == IP_DHCP) {
        ip_lock();
        long r = a1 ? (dhcp_start(&ip_netif) == ERR_OK ? 0 : KE_NOMEM) : dhcp_supplied_address(&ip_netif);
        ip_unlock();
        return r;
    }
    if (op != IP_CONFIG)
        return KE_INVAL;
    uint32_t mask = (uint32_t)a2;
    if (!a1 || (mask & (~mask >> 1)))        /* a netmask is ones, then zeros */
        return KE_INVAL;
    ip_lock();
    dhcp_release_and_stop(&ip_netif);       /* a static address ends any lease */
    set_address((uint32_t)a1, mask, (uint32_t)a3);
    ip_unlock();
    return 0;
}

static void init(struct kinit *m)
{
    ip_sched_gate = m->gates[0];
    ip_net_gate = m->gates[1];
    ip_console_gate = m->gates[2];
    ip_drv_gate = m->gates[3];
    ip_net_doorbell = (const struct net_doorbell *)m->gates[4];
    lwip_init();
    ip4_addr_t any;
    ip4_addr_set_zero(&any);
    int up = netif_add(&ip_netif, &any, &any, &any, 0, ip_netif_init, ethernet_input) != 0;
    if (up) {
        set_address(IP_DEFAULT_ADDR, IP_DEFAULT_MASK, IP_DEFAULT_GW);
        netif_set_default(&ip_netif);
        netif_set_up(&ip_netif);
    }
    /* Socket calls run lwIP down to net's gate on the caller's stack. */
    long g = pl_make_gate((uint64_t)ip_sock_gate, PL_GATE_OWN_DATA, 5 * KSERVICE_STACK, 0, 0);
    long a = pl_make_gate((uint64_t)ip_admin, PL_GATE_OWN_DATA, 5 * KSERVICE_STACK, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)g, 8, PL_G | PL_P);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)a, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)g;
    m->out[1] = (uint64_t)a;
    m->out[2] = (uint64_t)ip_thread;
    m->out[3] = up ? (uint64_t)thread_stack : 0;
}
KINIT_ENTRY(ip, init)
