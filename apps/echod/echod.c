/* echod [PORT]: a TCP echo server (port 7 by default) through ip's
 * sockets: every byte a client sends comes back, one client at a time,
 * until it closes.  Runs until killed; start it with `echod &`. */
#include <stdio.h>
#include <stdlib.h>
#include "kern.h"
#include "os.h"

static char buf[4096];

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    long l = os_tcp_listen(port);
    if (l < 0) {
        printf("echod: cannot listen on port %d (%ld)%s\n", port, l, l == KE_NOENT ? ": no network" : "");
        return 1;
    }
    printf("echod: listening on TCP port %d\n", port);
    for (long clients = 1;; clients++) {
        long c = os_accept(l);
        if (c < 0) {
            printf("echod: accept failed (%ld)\n", c);
            return 1;
        }
        long total = 0, n;
        while ((n = os_recv(c, buf, sizeof buf)) > 0) {
            if (os_send(c, buf, (size_t)n) != n)
                break;
            total += n;
        }
        os_close(c);
        printf("echod: client %ld: echoed %ld bytes\n", clients, total);
    }
}
