/* lwIP's configuration for the ip space: the raw API without an operating
 * system (NO_SYS): one lock (ip.c) serialises every entry into the stack,
 * from ip's own thread (frames in, timers) and from programs' gate calls.
 * Every pool and the heap are static arrays: they live in ip's own pages. */
#ifndef IP_LWIPOPTS_H
#define IP_LWIPOPTS_H

#define NO_SYS                  1
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_SOCKET             0
#define LWIP_NETCONN            0
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define LWIP_ICMP               1
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_RAW                0
#define LWIP_DHCP               1   /* `ifconfig dhcp` */
#define LWIP_DHCP_DOES_ACD_CHECK 0  /* no conflict probing (seconds) on the offered address */
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                0
#define LWIP_SINGLE_NETIF       1
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_STATS              0

#define MEM_ALIGNMENT           8
#define MEM_SIZE                (256 * 1024)
#define MEMP_NUM_PBUF           32
#define MEMP_NUM_UDP_PCB        8
#define MEMP_NUM_TCP_PCB        16
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define PBUF_POOL_SIZE          64

#define TCP_MSS                 1460
#define TCP_WND                 (16 * TCP_MSS)
#define TCP_SND_BUF             (16 * TCP_MSS)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
#define MEMP_NUM_TCP_SEG        TCP_SND_QUEUELEN

#define LWIP_NO_CTYPE_H         1   /* lwIP's own isdigit & co. */

#endif
