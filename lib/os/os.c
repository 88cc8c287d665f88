/* The guest runtime of the peer kernel: OS-call wrappers (gate calls into
 * the service spaces) and picolibc's I/O glue: stdin/stdout/stderr on the
 * console.  The file calls (open, read, write...) are in files.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

/* A copy of the start block: proc leaves it at the top of our stack, which
 * a callback (our code called back from another space) may not read, since
 * it lies above the callback's hunk (ARCHITECTURE.md 7.3). */
static struct kstart start_copy, *start = &start_copy;
static char *argv_copy[32];
static uint64_t console_gate, proc_gate, sched_gate;

const struct kstart *os_start_block(void) { return start; }
uint64_t os_proc_gate(void) { return proc_gate; }

uint64_t os_dir_gate(void) { return start->dir_gate; }

uint64_t os_lookup(const char *name)
{
    uint64_t n[2];
    kname_pack(name, n);
    long g = pl_call(start->dir_gate, DIR_LOOKUP, n[0], n[1], (long)pl_self());
    return g < 0 ? 0 : (uint64_t)g;
}

long os_write(const void *buf, size_t len)
{
    if (!len)
        return 0;
    if (pl_pass((uint64_t)buf, len, PL_R) < 0)
        return KE_FAULT;
    return pl_call(console_gate, CON_WRITE, (long)buf, (long)len);
}

long os_read(void *buf, size_t len)
{
    if (pl_pass((uint64_t)buf, len, PL_W) < 0)
        return KE_FAULT;
    return pl_call(console_gate, CON_READ, (long)buf, (long)len);
}

long os_spawn(const char *cmdline)
{
    size_t len = strlen(cmdline);
    pl_pass((uint64_t)cmdline, len, PL_R);
    return pl_call(proc_gate, PROC_SPAWN, (long)cmdline, (long)len);
}
long os_wait(long pid) { return pl_call(proc_gate, PROC_WAIT, pid); }
long os_kill(long pid) { return pl_call(proc_gate, PROC_KILL, pid); }
long os_yield(void) { return pl_call(sched_gate, SCHED_YIELD); }
long os_sleep(long ticks) { return pl_call(sched_gate, SCHED_SLEEP, ticks); }
long os_ticks(void) { return pl_call(sched_gate, SCHED_TICKS); }
long os_pid(void) { return (long)start->pid; }

/* ---- stdio on the console: output is line-buffered here ---- */
static char obuf[256];
static size_t olen;
static void flush_out(void);
static char ibuf[256];
static size_t ilen, ipos;

void os_flush_out(void);
void os_flush_out(void) { flush_out(); }

static void flush_out(void)
{
    if (olen)
        os_write(obuf, olen);
    olen = 0;
}

static int con_put(char c, FILE *f)
{
    (void)f;
    obuf[olen++] = c;
    if (c == '\n' || olen == sizeof obuf)
        flush_out();
    return (unsigned char)c;
}

static int con_get(FILE *f)
{
    (void)f;
    if (ipos == ilen) {
        flush_out();
        long n = os_read(ibuf, sizeof ibuf);
        if (n <= 0)
            return _FDEV_EOF;
        ilen = (size_t)n;
        ipos = 0;
    }
    return (unsigned char)ibuf[ipos++];
}

static int con_flush(FILE *f)
{
    (void)f;
    flush_out();
    return 0;
}

static FILE con_stream = FDEV_SETUP_STREAM(con_put, con_get, con_flush, _FDEV_SETUP_RW);
FILE *const stdin = &con_stream;
FILE *const stdout = &con_stream;
FILE *const stderr = &con_stream;

void _exit(int status)
{
    os_exit(status);
}

void os_exit(int status)
{
    flush_out();
    pl_call(proc_gate, PROC_EXIT, status, (long)start->pid);
    for (;;)
        ;
}

int main(int argc, char **argv);

void os_start(struct kstart *s)
{
    memcpy(&start_copy, s, sizeof start_copy);
    int argc = 0;
    for (char **v = (char **)s->argv; *v && argc < 31; v++)
        argv_copy[argc++] = start_copy.args + (*v - s->args);
    argv_copy[argc] = 0;
    start_copy.argc = (uint64_t)argc;
    start_copy.argv = (uint64_t)argv_copy;
    s = &start_copy;
    console_gate = os_lookup("console");
    proc_gate = os_lookup("proc");
    sched_gate = os_lookup("sched");
    exit(main((int)s->argc, (char **)s->argv));
}
