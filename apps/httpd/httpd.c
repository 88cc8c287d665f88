/* httpd [PORT]: a tiny HTTP/1.0 server (port 80 by default): / is a fixed
 * page, /stats the network's counters — frames, and gate calls into net and
 * ip counted by the machine (PEER_COUNTERS, read by ip) — anything else 404.
 * One request per connection.  Runs until killed; start it with `httpd &`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kern.h"
#include "os.h"

static char req[2048], body[1024], head[256];

static const char page[] =
    "<!DOCTYPE html>\n<html><head><title>peerless</title></head>\n"
    "<body><h1>Hello from the peer kernel</h1>\n"
    "<p>This page came from httpd, a program in its own space, through ip (lwIP in its own space) "
    "and net (the virtio-net driver in its own space).</p></body></html>\n";

/* Read until the end of the request's head (or the buffer is full). */
static long read_request(long c)
{
    long n = 0, r;
    while (n < (long)sizeof req - 1 && (r = os_recv(c, req + n, sizeof req - 1 - n)) > 0) {
        n += r;
        req[n] = 0;
        if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
            break;
    }
    return n;
}

static void reply(long c, const char *status, const char *type, const char *text, size_t len)
{
    int h = snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n", status, type, len);
    os_send(c, head, (size_t)h);
    os_send(c, text, len);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 80;
    long l = os_tcp_listen(port);
    if (l < 0) {
        printf("httpd: cannot listen on port %d (%ld)%s\n", port, l, l == KE_NOENT ? ": no network" : "");
        return 1;
    }
    printf("httpd: serving on TCP port %d\n", port);
    for (long served = 1;; served++) {
        long c = os_accept(l);
        if (c < 0) {
            printf("httpd: accept failed (%ld)\n", c);
            return 1;
        }
        if (read_request(c) > 0) {
            char path[128] = "";
            sscanf(req, "GET %127s", path);
            if (!strcmp(path, "/")) {
                reply(c, "200 OK", "text/html", page, sizeof page - 1);
            } else if (!strcmp(path, "/stats")) {
                int n = snprintf(body, sizeof body,
                                 "frames_in %ld\nframes_out %ld\ngate_calls_into_net %ld\n"
                                 "gate_calls_into_ip %ld\nnet_restarts %ld\nrequests %ld\n",
                                 os_ip_stat(IP_STAT_FRAMES_IN), os_ip_stat(IP_STAT_FRAMES_OUT),
                                 os_ip_stat(IP_STAT_NET_CALLS), os_ip_stat(IP_STAT_IP_CALLS),
                                 os_ip_stat(IP_STAT_NET_RESTARTS), served);
                reply(c, "200 OK", "text/plain", body, (size_t)n);
            } else {
                static const char missing[] = "not found\n";
                reply(c, "404 Not Found", "text/plain", missing, sizeof missing - 1);
            }
            printf("httpd: %s %s\n", path[0] ? "GET" : "?", path[0] ? path : "(not a GET)");
        }
        os_close(c);
    }
}
