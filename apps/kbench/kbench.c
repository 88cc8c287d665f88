/* The peer kernel's micro-benchmarks, run from the shell: `kbench [-n N]
 * [OP...]` (default: every operation, each at its own iteration count;
 * -n N: N iterations of each).
 *
 * Each operation runs in a loop between two readings of the instret,
 * cycle and time CSRs, and kbench prints one line per operation,
 *
 *     op NAME ITERATIONS INSTRET CYCLES TICKS
 *
 * totals over the loop (TICKS of the 10 MHz time CSR, 100 ns of host time
 * each), which bench/kernel_bench.py turns into per-operation figures.
 * Every result that can be checked is (the thread id, the bytes written,
 * the library's sums, the partner's wake-ups, the exit statuses): a broken
 * call fails the run with "kbench: FAILED" instead of passing as a fast one.
 *
 * The operations:
 *   loop     the empty loop (the baseline)
 *   getpid   sched's SELF: a gate call into sched, which raises the software
 *            interrupt; its handler serves the request and the call returns
 *   write    an 8-byte string to the console (gate call into console, a
 *            pass of the buffer, its tx ring and the UART's interrupt)
 *   gate     a call into a library in its own space (apps/kblib) and back
 *   pingpong a round trip between two programs' threads through sched:
 *            wake the partner (apps/kpong), wait for it to wake us: two
 *            thread switches
 *   spawn    spawn the smallest program (kpong with no arguments) and
 *            wait for its exit
 *   login    log in as root with the default password (a boot without a
 *            disk has it: kernel/README.md) and log out: one Argon2id
 *            (m = 1 MiB, t = 3) in sec, a session gate made and removed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "bench.h"
#include "os.h"

/* Keys of the ping-pong's WAIT/WAKE: any numbers no other program uses. */
#define KEY_PING 0x6b62656e636801L
#define KEY_PONG 0x6b62656e636802L

static uint64_t sched_gate;
static long iterations_override;

static __attribute__((noreturn)) void fail(const char *what, long value)
{
    printf("kbench: FAILED: %s (%ld)\n", what, value);
    exit(1);
}

static long iterations(long n)
{
    return iterations_override > 0 ? iterations_override : n;
}

static void bench_loop(void)
{
    long n = iterations(100000);
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++)
        __asm__ volatile("");
    struct counters t1 = counters_now();
    report("loop", n, t0, t1);
}

static void bench_getpid(void)
{
    long n = iterations(20000), bad = 0;
    long tid = pl_call(sched_gate, SCHED_SELF);
    if (tid <= 0)
        fail("SCHED_SELF", tid);
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++)
        bad |= pl_call(sched_gate, SCHED_SELF) ^ tid;
    struct counters t1 = counters_now();
    if (bad)
        fail("SCHED_SELF gave another thread id", bad);
    report("getpid", n, t0, t1);
}

static void bench_write(void)
{
    static const char text[8] = "kbench. ";
    long n = iterations(2000), bad = 0;
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++)
        bad |= os_write(text, sizeof text) ^ (long)sizeof text;
    struct counters t1 = counters_now();
    printf("\n");
    if (bad)
        fail("a console write did not take all 8 bytes", bad);
    report("write", n, t0, t1);
}

static void bench_gate(void)
{
    struct klib_info lib;
    long g = os_library("kblib", &lib);
    if (g <= 0)
        fail("loading kblib", g);
    long (*inc)(long) = (long (*)(long))lib.gate;
    long n = iterations(100000), acc = 0;
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++)
        acc = inc(acc);
    struct counters t1 = counters_now();
    if (acc != n || pl_status() != 0)
        fail("the library's sum", acc);
    os_unload((long)lib.pid);
    report("gate", n, t0, t1);
}

/* Wake the partner; if it is not waiting yet (it has not reached its
 * WAIT, or a tick pre-empted it), let it run and try again. */
static long wake(long key)
{
    for (int tries = 0; tries < 1000; tries++) {
        if (pl_call(sched_gate, SCHED_WAKE, key) > 0)
            return tries;
        os_yield();
    }
    fail("the partner never waited", key);
}

static void bench_pingpong(void)
{
    long n = iterations(5000), retries = 0;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "kpong %ld %ld %ld", KEY_PING, KEY_PONG, n);
    long pid = os_spawn(cmd);
    if (pid <= 0)
        fail("spawning kpong", pid);
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++) {
        retries += wake(KEY_PING);
        if (pl_call(sched_gate, SCHED_WAIT, KEY_PONG, 10 * SCHED_TICK_HZ) != 1)
            fail("no pong in round", i);
    }
    struct counters t1 = counters_now();
    long st = os_wait(pid);
    if (st != 0)
        fail("kpong's exit status", st);
    report("pingpong", n, t0, t1);
    /* A retry means a tick landed inside a round: that round is slower. */
    printf("kbench: pingpong: %ld wake-ups retried\n", retries);
}

static void bench_spawn(void)
{
    long n = iterations(200);
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++) {
        long pid = os_spawn("kpong");
        if (pid <= 0)
            fail("spawning kpong", pid);
        long st = os_wait(pid);
        if (st != 0)
            fail("kpong's exit status", st);
    }
    struct counters t1 = counters_now();
    report("spawn", n, t0, t1);
}

static void bench_login(void)
{
    static const char pw[] = "peerless";
    uint64_t sec = os_lookup("sec"), root[2];
    if (!sec)
        fail("no sec gate", 0);
    kname_pack("root", root);
    long n = iterations(4);
    struct counters t0 = counters_now();
    for (long i = 0; i < n; i++) {
        pl_pass((uint64_t)pw, sizeof pw - 1, PL_R);
        long s = pl_call(sec, SEC_LOGIN, root[0], root[1], (long)pw, (long)sizeof pw - 1, (long)pl_self());
        if (s <= 0)
            fail("login as root", s);
        long r = pl_call((uint64_t)s, SEC_LOGOUT);
        if (r != 0)
            fail("logout", r);
    }
    struct counters t1 = counters_now();
    report("login", n, t0, t1);
}

static const struct { const char *name; void (*run)(void); } benches[] = {
    { "loop", bench_loop },   { "getpid", bench_getpid },     { "write", bench_write },
    { "gate", bench_gate },   { "spawn", bench_spawn },       { "pingpong", bench_pingpong },
    { "login", bench_login },
};
#define NBENCH (sizeof benches / sizeof benches[0])

int main(int argc, char **argv)
{
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        iterations_override = strtol(argv[2], 0, 0);
        first = 3;
    }
    sched_gate = os_lookup("sched");
    if (!sched_gate)
        fail("no sched gate", 0);
    for (int a = first; a < argc; a++) {
        size_t i = 0;
        while (i < NBENCH && strcmp(argv[a], benches[i].name))
            i++;
        if (i == NBENCH) {
            printf("usage: kbench [-n N] [loop|getpid|write|gate|pingpong|spawn|login]...\n");
            return 2;
        }
    }
    for (size_t i = 0; i < NBENCH; i++) {
        int chosen = first == argc;
        for (int a = first; a < argc; a++)
            chosen |= !strcmp(argv[a], benches[i].name);
        if (chosen)
            benches[i].run();
    }
    printf("kbench: done\n");
    return 0;
}
