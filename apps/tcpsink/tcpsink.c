/* tcpsink [PORT]: a TCP sink (port 9, "discard", by default): reads all a
 * client sends and, at its end, answers with the count ("tcpsink: N
 * bytes").  For make bench's throughput from the host.  Runs until killed. */
#include <stdio.h>
#include <stdlib.h>
#include "kern.h"
#include "os.h"

static char buf[16384];
static char reply[64];

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 9;
    long l = os_tcp_listen(port);
    if (l < 0) {
        printf("tcpsink: cannot listen on port %d (%ld)%s\n", port, l, l == KE_NOENT ? ": no network" : "");
        return 1;
    }
    printf("tcpsink: listening on TCP port %d\n", port);
    for (;;) {
        long c = os_accept(l);
        if (c < 0) {
            printf("tcpsink: accept failed (%ld)\n", c);
            return 1;
        }
        long total = 0, n;
        while ((n = os_recv(c, buf, sizeof buf)) > 0)
            total += n;
        int len = snprintf(reply, sizeof reply, "tcpsink: %ld bytes\n", total);
        os_send(c, reply, (size_t)len);
        os_close(c);
    }
}
