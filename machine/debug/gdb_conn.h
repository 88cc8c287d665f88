/* The debugger's connection: a TCP listener on the loopback interface, one
 * client at a time, and GDB remote serial protocol packet framing
 * ($data#checksum, acknowledgements, binary escapes, the Ctrl-C byte). */
#ifndef PEERLESS_GDB_CONN_H
#define PEERLESS_GDB_CONN_H

#include <stdbool.h>
#include <stddef.h>

#define GDB_PACKET_MAX 16384   /* the PacketSize we announce */

struct gdb_conn {
    int listen_fd, fd;         /* fd < 0: no client */
    char in[GDB_PACKET_MAX * 2 + 64];
    size_t in_len;             /* bytes received, not yet consumed */
    char *last;                /* the last packet sent, for a '-' (resend) */
    size_t last_len;
    bool interrupt;            /* a Ctrl-C byte arrived */
};

/* Listen on 127.0.0.1:port; false with a message in err. */
bool conn_listen(struct gdb_conn *c, int port, char *err, size_t n);
/* Accept a client: wait for one when `block`, else only take a pending one. */
bool conn_accept(struct gdb_conn *c, bool block);
bool conn_connected(const struct gdb_conn *c);
void conn_drop(struct gdb_conn *c);
void conn_close(struct gdb_conn *c);

/* Wait up to timeout_ms (-1: forever) for a packet; its body, unescaped
 * and NUL-terminated, goes to buf.  Returns its length; -1 if the client
 * went away, -2 on timeout (or a Ctrl-C byte: c->interrupt). */
int conn_get_packet(struct gdb_conn *c, char *buf, size_t cap, int timeout_ms);
/* Read what has arrived without waiting: true if a Ctrl-C byte came. */
bool conn_poll_interrupt(struct gdb_conn *c);
/* Wait up to timeout_ms for anything from the client or a new client. */
void conn_wait(struct gdb_conn *c, int timeout_ms);
void conn_put_packet(struct gdb_conn *c, const char *data, size_t len);
void conn_put_str(struct gdb_conn *c, const char *s);

#endif
