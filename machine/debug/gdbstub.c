/* The stub: run control and the commands of the remote serial protocol.
 * Framing lives in gdb_conn.c, registers in gdb_regs.c, breakpoints and
 * watchpoints in gdb_points.c, what an instruction accesses in gdb_access.c. */
#include "debug/gdbstub.h"
#include "debug/gdb_conn.h"
#include "debug/gdb_points.h"
#include "debug/gdb_regs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define INTERRUPT_POLL_STEPS 4096   /* steps between looks for Ctrl-C while stepping */

struct gdbstub {
    struct gdb_conn conn;
    struct hart *hart;
    gdb_monitor_fn monitor;
    void *monitor_ctx;
    struct gdb_points points;
    bool halted;               /* stopped: serving the debugger */
    bool step;                 /* resume for one instruction */
    bool resuming;             /* the first instruction after a resume: its breakpoint does not count */
    uint64_t resume_pc;
    bool killed;
    bool stop_next;            /* a step ended in RUN_STOP: report it once the board has seen it */
    char stop_reply[64];       /* why the hart last stopped, for `?` */
    char pkt[GDB_PACKET_MAX + 1];
};

static const char hexdig[] = "0123456789abcdef";

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
           c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Parse hex digits at *s (advancing it); false if there are none. */
static bool hex_u64(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t x = 0;
    while (hexval(*p) >= 0)
        x = x << 4 | (uint64_t)hexval(*p++);
    if (p == *s)
        return false;
    *v = x, *s = p;
    return true;
}

static char *put_bytes_hex(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *out++ = hexdig[b[i] >> 4];
        *out++ = hexdig[b[i] & 15];
    }
    *out = 0;
    return out;
}

static bool get_bytes_hex(const char *s, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(s[2 * i]), lo = hi < 0 ? -1 : hexval(s[2 * i + 1]);
        if (lo < 0)
            return false;
        b[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static void reply(struct gdbstub *g, const char *s) { conn_put_str(&g->conn, s); }

/* --- stopping and resuming --- */

static void stop(struct gdbstub *g, const char *why)
{
    snprintf(g->stop_reply, sizeof g->stop_reply, "%sthread:1;", why);
    g->halted = true;
    g->conn.interrupt = false;
    reply(g, g->stop_reply);
}

static void resume(struct gdbstub *g, bool step)
{
    g->halted = false;
    g->step = step;
    g->resuming = true;
    g->resume_pc = g->hart->pc;
    g->conn.interrupt = false;
}

/* The debugger went away (detach or a closed connection): the guest runs
 * on freely, and a new debugger may connect. */
static void detach(struct gdbstub *g)
{
    points_clear(&g->points);
    g->halted = false;
    g->step = false;
    conn_drop(&g->conn);
}

/* --- commands --- */

static void read_registers(struct gdbstub *g)
{
    char *out = g->pkt;
    for (unsigned r = 0; r < GDB_G_REGS; r++) {
        uint64_t v = 0;
        gdb_reg_read(g->hart, r, &v);
        out = put_bytes_hex(out, (const uint8_t *)&v, 8);   /* the host is little-endian, as RISC-V */
    }
    reply(g, g->pkt);
}

static void write_registers(struct gdbstub *g, const char *s)
{
    for (unsigned r = 0; r < GDB_G_REGS && strlen(s) >= 16; r++, s += 16) {
        uint64_t v;
        if (!get_bytes_hex(s, (uint8_t *)&v, 8))
            break;
        gdb_reg_write(g->hart, r, v);
    }
    reply(g, "OK");
}

static void read_register(struct gdbstub *g, const char *s)
{
    uint64_t n, v = 0;
    if (!hex_u64(&s, &n))
        return reply(g, "E01");
    enum gdb_reg_status st = gdb_reg_read(g->hart, (unsigned)n, &v);
    if (st == GDB_REG_NONE)
        return reply(g, "E01");
    if (st == GDB_REG_UNAVAILABLE)
        return reply(g, "xxxxxxxxxxxxxxxx");
    put_bytes_hex(g->pkt, (const uint8_t *)&v, 8);
    reply(g, g->pkt);
}

static void write_register(struct gdbstub *g, const char *s)
{
    uint64_t n, v = 0;
    if (!hex_u64(&s, &n) || *s++ != '=' || !get_bytes_hex(s, (uint8_t *)&v, 8))
        return reply(g, "E01");
    reply(g, gdb_reg_write(g->hart, (unsigned)n, v) ? "OK" : "E01");
}

/* "ADDR,LEN" then `sep`. */
static bool addr_len(const char **s, uint64_t *addr, uint64_t *len, char sep)
{
    return hex_u64(s, addr) && *(*s)++ == ',' && hex_u64(s, len) && (!sep || *(*s)++ == sep);
}

static void read_memory(struct gdbstub *g, const char *s)
{
    uint64_t addr, len;
    uint8_t buf[GDB_PACKET_MAX / 2];
    if (!addr_len(&s, &addr, &len, 0))
        return reply(g, "E01");
    if (len > sizeof buf)
        len = sizeof buf;
    /* Byte by byte past the first failure, so a read that runs into an
     * unmapped page returns what precedes it. */
    uint64_t n = 0;
    if (hart_read_mem(g->hart, addr, buf, (unsigned)len))
        n = len;
    else
        while (n < len && hart_read_mem(g->hart, addr + n, buf + n, 1))
            n++;
    if (n == 0 && len)
        return reply(g, "E14");
    put_bytes_hex(g->pkt, buf, n);
    reply(g, g->pkt);
}

/* M (hex data) and X (binary data) */
static void write_memory(struct gdbstub *g, const char *s, size_t n, bool binary)
{
    const char *end = s + n;
    uint64_t addr, len;
    uint8_t buf[GDB_PACKET_MAX];
    if (!addr_len(&s, &addr, &len, ':') || len > sizeof buf)
        return reply(g, "E01");
    if (binary ? (uint64_t)(end - s) < len : !get_bytes_hex(s, buf, len))
        return reply(g, "E01");
    if (binary)
        memcpy(buf, s, len);
    reply(g, len == 0 || hart_write_mem(g->hart, addr, buf, (unsigned)len) ? "OK" : "E14");
}

/* Z/z TYPE,ADDR,KIND */
static void breakpoint(struct gdbstub *g, const char *s, bool insert)
{
    int type = *s++ - '0';
    uint64_t addr, kind;
    if (*s++ != ',' || !addr_len(&s, &addr, &kind, 0))
        return reply(g, "E01");
    bool ok;
    switch (type) {
    case 0: case 1:   /* software and hardware breakpoints alike: a pc to stop before */
        ok = insert ? points_add_break(&g->points, addr) : (points_remove_break(&g->points, addr), true);
        break;
    case WATCH_WRITE: case WATCH_READ: case WATCH_ACCESS:
        ok = insert ? points_add_watch(&g->points, (enum watch_kind)type, addr, (unsigned)kind)
                    : (points_remove_watch(&g->points, (enum watch_kind)type, addr, (unsigned)kind), true);
        break;
    default:
        return reply(g, "");
    }
    reply(g, ok ? "OK" : "E0e");
}

/* vCont;ACTION[:THREAD]...: one thread, so the first action decides. */
static void vcont(struct gdbstub *g, const char *s)
{
    if (!strcmp(s, "?"))
        return reply(g, "vCont;c;C;s;S");
    if (*s++ != ';')
        return reply(g, "");
    switch (*s) {
    case 'c': case 'C': return resume(g, false);
    case 's': case 'S': return resume(g, true);
    }
    reply(g, "E01");
}

static void xfer_features(struct gdbstub *g, const char *s)
{
    static const char prefix[] = "target.xml:";
    if (strncmp(s, prefix, sizeof prefix - 1))
        return reply(g, "E00");
    s += sizeof prefix - 1;
    uint64_t off, len;
    if (!addr_len(&s, &off, &len, 0))
        return reply(g, "E01");
    const char *xml = gdb_target_xml();
    size_t total = strlen(xml);
    if (off > total)
        off = total;
    if (len > sizeof g->pkt - 2)
        len = sizeof g->pkt - 2;
    size_t n = total - off < len ? total - off : len;
    g->pkt[0] = off + n < total ? 'm' : 'l';
    memcpy(g->pkt + 1, xml + off, n);   /* the XML holds none of $ # } * */
    conn_put_packet(&g->conn, g->pkt, n + 1);
}

/* `monitor`: the commands every machine has, then the board's own. */
static bool monitor_common(struct gdbstub *g, const char *cmd, FILE *out)
{
    struct hart *h = g->hart;
    static const char *const modes[4] = { "U", "S", "?", "M" };
    if (!strcmp(cmd, "help")) {
        fprintf(out, "monitor hart: privilege mode, pc, satp, mstatus, instructions retired\n");
        return false;   /* and the board's help */
    }
    if (!strcmp(cmd, "hart") || !strcmp(cmd, "priv")) {
        if (h->prot)
            fprintf(out, "hart %" PRIu64 ": no privilege modes (a protection unit), code space %u, data space %u\n",
                    h->mhartid, h->code_space, h->data_space);
        else
            fprintf(out, "hart %" PRIu64 ": %s mode\n", h->mhartid, modes[h->priv & 3]);
        fprintf(out, "pc 0x%016" PRIx64 "\n", h->pc);
        fprintf(out, "satp 0x%016" PRIx64 " mstatus 0x%016" PRIx64 " instret %" PRIu64 "\n",
                h->satp, h->mstatus, h->instret);
        return true;
    }
    return false;
}

static void monitor(struct gdbstub *g, const char *hex)
{
    char cmd[512];
    size_t n = strlen(hex) / 2;
    if (n >= sizeof cmd || !get_bytes_hex(hex, (uint8_t *)cmd, n))
        return reply(g, "E01");
    cmd[n] = 0;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return reply(g, "E01");
    bool known = monitor_common(g, cmd, out);
    if (!known && g->monitor)
        known = g->monitor(g->monitor_ctx, cmd, out);
    if (!known && strcmp(cmd, "help"))
        fprintf(out, "unknown monitor command '%s' (try 'monitor help')\n", cmd);
    fclose(out);
    /* Console output packets, then OK. */
    for (size_t off = 0; off < len; off += 2048) {
        size_t chunk = len - off < 2048 ? len - off : 2048;
        g->pkt[0] = 'O';
        put_bytes_hex(g->pkt + 1, (const uint8_t *)text + off, chunk);
        reply(g, g->pkt);
    }
    free(text);
    reply(g, "OK");
}

static void query(struct gdbstub *g, const char *s)
{
    if (!strncmp(s, "Supported", 9))
        reply(g, "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;vContSupported+");
    else if (!strncmp(s, "Xfer:features:read:", 19))
        xfer_features(g, s + 19);
    else if (!strcmp(s, "Attached"))
        reply(g, "1");   /* quitting GDB detaches and lets the guest run on */
    else if (!strcmp(s, "fThreadInfo"))
        reply(g, "m1");
    else if (!strcmp(s, "sThreadInfo"))
        reply(g, "l");
    else if (!strcmp(s, "C"))
        reply(g, "QC1");
    else if (!strncmp(s, "Rcmd,", 5))
        monitor(g, s + 5);
    else
        reply(g, "");
}

static void command(struct gdbstub *g, char *s, size_t n)
{
    uint64_t addr;
    const char *arg = s + 1;
    switch (s[0]) {
    case '?': return reply(g, g->stop_reply);
    case 'g': return read_registers(g);
    case 'G': return write_registers(g, arg);
    case 'p': return read_register(g, arg);
    case 'P': return write_register(g, arg);
    case 'm': return read_memory(g, arg);
    case 'M': return write_memory(g, arg, n - 1, false);
    case 'X': return write_memory(g, arg, n - 1, true);
    case 'Z': return breakpoint(g, arg, true);
    case 'z': return breakpoint(g, arg, false);
    case 'c': case 's':
        if (hex_u64(&arg, &addr))
            g->hart->pc = addr;
        return resume(g, s[0] == 's');
    case 'q': return query(g, arg);
    case 'H': case 'T': return reply(g, "OK");   /* one thread: any is it, and it is alive */
    case 'D':
        reply(g, "OK");
        return detach(g);
    case 'k':
        g->killed = true;
        return detach(g);
    case 'v':
        if (!strncmp(arg, "Cont", 4))
            return vcont(g, arg + 4);
        return reply(g, "");
    }
    reply(g, "");
}

/* Serve the debugger until it resumes the hart, detaches or kills. */
static void serve(struct gdbstub *g)
{
    while (g->halted && !g->killed) {
        int n = conn_get_packet(&g->conn, g->pkt, sizeof g->pkt, -1);
        if (n == -1)
            return detach(g);
        if (n >= 0)
            command(g, g->pkt, (size_t)n);
    }
}

/* --- running --- */

struct gdbstub *gdbstub_open(int port, bool wait, struct hart *h, gdb_monitor_fn monitor, void *ctx,
                             char *err, size_t n)
{
    struct gdbstub *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    if (!conn_listen(&g->conn, port, err, n)) {
        free(g);
        return NULL;
    }
    g->hart = h;
    g->monitor = monitor, g->monitor_ctx = ctx;
    snprintf(g->stop_reply, sizeof g->stop_reply, "T05thread:1;");
    if (wait) {
        fprintf(stderr, "peerless: waiting for gdb on 127.0.0.1:%d\n", port);
        conn_accept(&g->conn, true);
        g->halted = true;
    }
    return g;
}

void gdbstub_close(struct gdbstub *g)
{
    if (!g)
        return;
    conn_close(&g->conn);
    free(g);
}

bool gdbstub_killed(const struct gdbstub *g) { return g->killed; }

void gdbstub_idle(struct gdbstub *g, int ms) { conn_wait(&g->conn, ms); }

void gdbstub_exited(struct gdbstub *g, int status, bool fault)
{
    if (!conn_connected(&g->conn) || g->killed)
        return;
    char msg[8];
    snprintf(msg, sizeof msg, fault ? "X0b" : "W%02x", status & 0xff);   /* a fault reads as SIGSEGV */
    reply(g, msg);
    conn_drop(&g->conn);
}

/* One instruction, as the debugger sees it: interrupts that are pending
 * are taken first (hart_run with no budget does only that), then
 * hart_step. */
static enum run_exit step_one(struct gdbstub *g)
{
    struct hart *h = g->hart;
    enum run_exit r = hart_run(h, 0);
    if (r != RUN_BUDGET)
        return r;
    bool retired;
    if (!hart_step(h, &retired))
        return h->stop ? RUN_STOP : RUN_FATAL;
    return h->wfi ? RUN_WFI : RUN_BUDGET;
}

/* The stop reply for a watchpoint that fired ("T05" when none did). */
static void watch_reply(const struct gdb_watch *w, char *why, size_t n)
{
    static const char *const names[] = { [WATCH_WRITE] = "watch", [WATCH_READ] = "rwatch", [WATCH_ACCESS] = "awatch" };
    if (w)
        snprintf(why, n, "T05%s:%" PRIx64 ";", names[w->kind], w->addr);
    else
        snprintf(why, n, "T05");
}

/* Run with breakpoints or watchpoints: one instruction at a time. */
static enum run_exit run_checked(struct gdbstub *g, int64_t budget)
{
    struct hart *h = g->hart;
    for (int64_t i = 0; i < budget; i++) {
        if (points_is_break(&g->points, h->pc) && !(g->resuming && h->pc == g->resume_pc)) {
            stop(g, "T05hwbreak:;");
            return RUN_BUDGET;
        }
        g->resuming = false;
        points_snapshot(&g->points, h);
        enum run_exit r = step_one(g);
        const struct gdb_watch *w = points_fired(&g->points, h);
        if (w) {
            char why[48];
            watch_reply(w, why, sizeof why);
            stop(g, why);
        }
        if (r != RUN_BUDGET || g->halted)
            return r;
        if (i % INTERRUPT_POLL_STEPS == INTERRUPT_POLL_STEPS - 1 && conn_poll_interrupt(&g->conn))
            return RUN_BUDGET;
    }
    return RUN_BUDGET;
}

enum run_exit gdbstub_run(struct gdbstub *g, int64_t budget)
{
    struct hart *h = g->hart;
    if (!conn_connected(&g->conn) && conn_accept(&g->conn, false))
        g->halted = true;   /* a debugger that connects finds the hart stopped */
    if (g->stop_next && conn_connected(&g->conn))
        stop(g, "T05");     /* the step that the board's stop (a reset) interrupted */
    g->stop_next = false;
    if (g->halted)
        serve(g);
    if (g->killed)
        return RUN_BUDGET;
    enum run_exit r;
    if (g->step) {
        g->step = false;
        points_snapshot(&g->points, h);
        r = step_one(g);
        char why[48];
        watch_reply(points_fired(&g->points, h), why, sizeof why);
        if (r == RUN_STOP)
            g->stop_next = true;   /* unless the machine ends there (then gdbstub_exited) */
        else if (r != RUN_FATAL)
            stop(g, why);
        return r;
    }
    r = points_any(&g->points) ? run_checked(g, budget) : hart_run(h, budget);
    g->resuming = false;
    if (!g->halted && conn_poll_interrupt(&g->conn))
        stop(g, "T02");
    if (!conn_connected(&g->conn) && (g->halted || points_any(&g->points)))
        detach(g);
    return r;
}
