/* fsbench [KIB]: file throughput through lib/os, fs and blk (a program's
 * write() and read() on /disk).  Writes a KIB-KiB file (default 1024) in
 * 4 KiB write() calls and syncs it, reads it back in 4 KiB read() calls
 * checking every byte, then deletes it.  For each it prints
 *
 *     fsop NAME BYTES INSTRET CYCLES TICKS
 *
 * (totals read from the instret, cycle and time CSRs; a tick is 100 ns of
 * host time): bench/fs_bench.py tabulates them.  The instructions count
 * every space's work on this thread: lib/os, fs, blk, and the interrupts
 * taken while it runs. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "os.h"

static unsigned char block[4096];

struct counters { unsigned long instret, cycles, ticks; };
static inline __attribute__((always_inline)) struct counters now(void)
{
    struct counters c;
    __asm__ volatile("rdinstret %0\n\trdcycle %1\n\trdtime %2" : "=r"(c.instret), "=r"(c.cycles), "=r"(c.ticks)::"memory");
    return c;
}

static void report(const char *name, long bytes, struct counters a, struct counters b)
{
    printf("fsop %s %ld %lu %lu %lu\n", name, bytes, b.instret - a.instret, b.cycles - a.cycles, b.ticks - a.ticks);
}

static unsigned char byte_at(long i) { return (unsigned char)(i * 7 + i / 4096); }

int main(int argc, char **argv)
{
    long kib = argc > 1 ? atol(argv[1]) : 1024, bytes = kib * 1024;
    const char *path = "/disk/fsbench.dat";
    if (kib <= 0) {
        printf("usage: fsbench [KIB]\n");
        return 2;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0) {
        printf("fsbench: cannot create %s\n", path);
        return 1;
    }
    struct counters t0 = now();
    for (long at = 0; at < bytes; at += sizeof block) {
        for (unsigned i = 0; i < sizeof block; i++)
            block[i] = byte_at(at + i);
        if (write(fd, block, sizeof block) != (long)sizeof block) {
            printf("fsbench: write failed at %ld\n", at);
            return 1;
        }
    }
    fsync(fd);
    struct counters t1 = now();
    close(fd);
    report("write", bytes, t0, t1);

    fd = open(path, O_RDONLY);
    long bad = 0, got = 0;
    t0 = now();
    for (long n; (n = read(fd, block, sizeof block)) > 0; got += n)
        for (long i = 0; i < n; i++)
            bad += block[i] != byte_at(got + i);
    t1 = now();
    close(fd);
    report("read", got, t0, t1);
    unlink(path);
    if (bad || got != bytes) {
        printf("fsbench: FAILED: read %ld of %ld bytes, %ld wrong\n", got, bytes, bad);
        return 1;
    }
    printf("fsbench: done\n");
    return 0;
}
