/* udpecho [PORT]: a UDP echo server (port 7 by default): every datagram
 * goes back to its sender.  Runs until killed; start it with `udpecho &`. */
#include <stdio.h>
#include <stdlib.h>
#include "kern.h"
#include "os.h"

static char buf[2048];

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    long s = os_udp_bind(port);
    if (s < 0) {
        printf("udpecho: cannot bind port %d (%ld)%s\n", port, s, s == KE_NOENT ? ": no network" : "");
        return 1;
    }
    printf("udpecho: listening on UDP port %d\n", port);
    for (long n_dgrams = 1;; n_dgrams++) {
        uint32_t addr;
        int from;
        long n = os_recvfrom(s, buf, sizeof buf, &addr, &from);
        if (n < 0) {
            printf("udpecho: recvfrom failed (%ld)\n", n);
            return 1;
        }
        os_sendto(s, buf, (size_t)n, addr, from);
        printf("udpecho: datagram %ld: %ld bytes from %u.%u.%u.%u:%d\n", n_dgrams, n,
               (unsigned)(addr >> 24), (unsigned)(addr >> 16 & 255), (unsigned)(addr >> 8 & 255),
               (unsigned)(addr & 255), from);
    }
}
