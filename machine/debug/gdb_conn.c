#define _GNU_SOURCE   /* accept4 */
#include "debug/gdb_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

bool conn_listen(struct gdb_conn *c, int port, char *err, size_t n)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->listen_fd < 0) {
        snprintf(err, n, "socket: %s", strerror(errno));
        return false;
    }
    int one = 1;
    setsockopt(c->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* Loopback only: whoever connects may read and write all of the guest. */
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(c->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(c->listen_fd, 1) < 0) {
        snprintf(err, n, "cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
        close(c->listen_fd);
        c->listen_fd = -1;
        return false;
    }
    return true;
}

bool conn_connected(const struct gdb_conn *c) { return c->fd >= 0; }

bool conn_accept(struct gdb_conn *c, bool block)
{
    if (c->fd >= 0)
        return true;
    struct pollfd p = { c->listen_fd, POLLIN, 0 };
    if (poll(&p, 1, block ? -1 : 0) <= 0)
        return false;
    c->fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (c->fd < 0)
        return false;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);   /* packets are small and answered */
    c->in_len = 0;
    c->interrupt = false;
    return true;
}

void conn_drop(struct gdb_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->in_len = 0;
}

void conn_close(struct gdb_conn *c)
{
    conn_drop(c);
    if (c->listen_fd >= 0)
        close(c->listen_fd);
    c->listen_fd = -1;
    free(c->last);
    c->last = NULL;
}

static void send_all(struct gdb_conn *c, const char *p, size_t n)
{
    while (n && c->fd >= 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            conn_drop(c);
            return;
        }
        p += w, n -= (size_t)w;
    }
}

void conn_put_packet(struct gdb_conn *c, const char *data, size_t len)
{
    char *pkt = malloc(len + 5);   /* $ data # xx and the NUL snprintf writes */
    if (!pkt)
        return;
    unsigned sum = 0;
    pkt[0] = '$';
    for (size_t i = 0; i < len; i++) {
        pkt[1 + i] = data[i];
        sum += (uint8_t)data[i];
    }
    snprintf(pkt + 1 + len, 4, "#%02x", sum & 0xff);
    send_all(c, pkt, len + 4);
    free(c->last);
    c->last = pkt, c->last_len = len + 4;
}

void conn_put_str(struct gdb_conn *c, const char *s) { conn_put_packet(c, s, strlen(s)); }

/* Take what the socket holds; false if the client went away. */
static bool fill(struct gdb_conn *c)
{
    if (c->in_len == sizeof c->in)
        c->in_len = 0;   /* garbage that never became a packet */
    ssize_t r = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        conn_drop(c);
        return false;
    }
    if (r > 0)
        c->in_len += (size_t)r;
    return true;
}

static void consume(struct gdb_conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
}

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
           ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* A complete packet from the buffer, if there is one; acknowledgements
 * and Ctrl-C bytes before it are handled on the way. */
static int parse(struct gdb_conn *c, char *buf, size_t cap)
{
    for (;;) {
        size_t i = 0;
        while (i < c->in_len && c->in[i] != '$') {
            if (c->in[i] == 0x03)
                c->interrupt = true;
            else if (c->in[i] == '-' && c->last)
                send_all(c, c->last, c->last_len);
            i++;
        }
        consume(c, i);
        if (c->in_len == 0)
            return -2;
        char *end = memchr(c->in, '#', c->in_len);
        if (!end || (size_t)(end - c->in) + 3 > c->in_len)
            return -2;   /* not all here yet */
        size_t body = (size_t)(end - c->in) - 1;
        unsigned sum = 0;
        for (size_t k = 0; k < body; k++)
            sum += (uint8_t)c->in[1 + k];
        int want = hexval(end[1]) * 16 + hexval(end[2]);
        if ((int)(sum & 0xff) != want) {
            consume(c, body + 4);
            send_all(c, "-", 1);
            continue;
        }
        send_all(c, "+", 1);
        /* Unescape: '}' x means x ^ 0x20 (binary data in X packets). */
        size_t n = 0;
        for (size_t k = 0; k < body && n + 1 < cap; k++) {
            char ch = c->in[1 + k];
            if (ch == '}' && k + 1 < body)
                ch = (char)(c->in[1 + ++k] ^ 0x20);
            buf[n++] = ch;
        }
        buf[n] = 0;
        consume(c, body + 4);
        return (int)n;
    }
}

int conn_get_packet(struct gdb_conn *c, char *buf, size_t cap, int timeout_ms)
{
    for (;;) {
        if (c->fd < 0)
            return -1;
        int n = parse(c, buf, cap);
        if (n >= 0)
            return n;
        struct pollfd p = { c->fd, POLLIN, 0 };
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -2;
        if (!fill(c))
            return -1;
    }
}

bool conn_poll_interrupt(struct gdb_conn *c)
{
    if (c->fd < 0)
        return false;
    struct pollfd p = { c->fd, POLLIN, 0 };
    if (poll(&p, 1, 0) > 0 && fill(c)) {
        /* Only the bytes outside packets matter while the guest runs. */
        for (size_t i = 0; i < c->in_len; i++)
            if (c->in[i] == 0x03) {
                c->interrupt = true;
                c->in[i] = '+';   /* consumed: parse skips it */
            }
    }
    return c->interrupt;
}

void conn_wait(struct gdb_conn *c, int timeout_ms)
{
    struct pollfd p = { c->fd >= 0 ? c->fd : c->listen_fd, POLLIN, 0 };
    poll(&p, 1, timeout_ms);
}
