/* The ip space's own declarations: lwIP with a netif over net's gate
 * (netif.c), sockets for programs (sock.c), the thread and the lock that
 * serialises every entry into lwIP (ip.c), the platform glue (port.c). */
#ifndef IP_IP_H
#define IP_IP_H

#include "kern.h"
#include "lwip/netif.h"

#define IP_KEY_EVENT 0x69700000UL   /* sched WAIT key of callers waiting on a socket */

extern uint64_t ip_sched_gate, ip_net_gate, ip_console_gate;
extern uint64_t ip_drv_gate;          /* proc's DRV_RESTART gate for net (0: none) */
extern const struct net_doorbell *ip_net_doorbell;
extern struct netif ip_netif;
extern volatile long ip_stats[IP_STAT_NET_RESTARTS + 1];

/* The lock: every lwIP call is made holding it.  A holder never faults
 * (callers' buffers are checked before it is taken). */
void ip_lock(void);
void ip_unlock(void);
/* With the lock held: something a waiting caller may want happened. */
void ip_event(void);
/* Without it: wait a little for an event (at most a tick). */
void ip_wait_event(void);

err_t ip_netif_init(struct netif *n);
int ip_netif_poll(void);              /* frames taken from net and handed to lwIP */
long ip_net_calls(void);              /* gate calls into net, every generation of it */
long ip_net_restarts(void);

long ip_sock_gate(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7);

/* Whether this space (with the caller's pass) holds `right` over all of
 * [base, base+len). */
int ip_held(uint64_t base, long len, uint64_t right);

#endif
