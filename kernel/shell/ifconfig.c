/* The shell's `ifconfig`: show ip's address, netmask and gateway, or set
 * them ("A.B.C.D/N [GW]", or "dhcp": lease them from a DHCP server), and `netstat`: ip's counts — both through ip's
 * admin gate (boot gives the shell G on it only with a network). */
#include "kern.h"
#include "shell.h"

uint64_t shell_ip_admin, shell_sched_gate;   /* the admin gate: set by shell_init */

/* "a.b.c.d" at *s -> the address (a<<24 | ...), *s past it; -1 if malformed. */
static long parse_addr(const char **s)
{
    long addr = 0;
    for (int i = 0; i < 4; i++) {
        long part = 0;
        int digits = 0;
        while (**s >= '0' && **s <= '9' && digits < 4) {
            part = part * 10 + (*(*s)++ - '0');
            digits++;
        }
        if (!digits || part > 255 || (i < 3 && *(*s)++ != '.'))
            return -1;
        addr = addr << 8 | part;
    }
    return addr;
}

static void show(const char *what, long a)
{
    shell_say("%s%lu.%lu.%lu.%lu", what, (unsigned long)(a >> 24 & 255), (unsigned long)(a >> 16 & 255),
              (unsigned long)(a >> 8 & 255), (unsigned long)(a & 255));
}

void shell_ifconfig(const char *arg)
{
    if (!shell_ip_admin) {
        shell_say("ifconfig: no network (boot with --netdev)\n");
        return;
    }
    if (!strcmp(arg, "dhcp")) {
        if (pl_call(shell_ip_admin, IP_DHCP, 1) < 0) {
            shell_say("ifconfig: ip cannot start DHCP\n");
            return;
        }
        int ticks = 0;
        while (ticks < 1000 && pl_call(shell_ip_admin, IP_DHCP, 0) != 1) {
            pl_call(shell_sched_gate, SCHED_SLEEP, 10);
            ticks += 10;
        }
        shell_say(ticks < 1000 ? "ifconfig: leased by DHCP\n" : "ifconfig: no DHCP answer in 10 s (still asking)\n");
    } else if (*arg) {
        const char *s = arg;
        long addr = parse_addr(&s), bits = -1, gw = pl_call(shell_ip_admin, IP_ADDR, 2);   /* kept if not given */
        if (addr >= 0 && *s == '/') {
            s++;
            bits = katol(s);
            while (*s >= '0' && *s <= '9')
                s++;
        }
        while (*s == ' ')
            s++;
        if (*s)
            gw = parse_addr(&s);
        if (addr <= 0 || bits < 1 || bits > 32 || gw < 0 || *s) {
            shell_say("usage: ifconfig [A.B.C.D/N [GATEWAY] | dhcp]\n");
            return;
        }
        uint32_t mask = (uint32_t)(0xffffffffUL << (32 - bits));
        if (pl_call(shell_ip_admin, IP_CONFIG, addr, (long)mask, gw) < 0) {
            shell_say("ifconfig: ip refused the address\n");
            return;
        }
    }
    show("ip: address ", pl_call(shell_ip_admin, IP_ADDR, 0));
    show(" netmask ", pl_call(shell_ip_admin, IP_ADDR, 1));
    show(" gateway ", pl_call(shell_ip_admin, IP_ADDR, 2));
    shell_say("\n");
}

/* Frames, and gate calls into net and ip as the machine counts them
 * (PEER_COUNTERS, read by ip): make bench takes differences. */
void shell_netstat(void)
{
    if (!shell_ip_admin) {
        shell_say("netstat: no network (boot with --netdev)\n");
        return;
    }
    static const char *const names[] = { "frames_in", "frames_out", "net_calls", "ip_calls", "net_restarts" };
    long v[5];
    for (int i = 0; i < 5; i++)
        v[i] = pl_call(shell_ip_admin, IP_STAT, i);
    shell_say("netstat:");
    for (int i = 0; i < 5; i++)
        shell_say(" %s %ld", names[i], v[i]);
    shell_say("\n");
}
