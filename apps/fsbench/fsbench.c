/* File throughput through the disk's spaces (fs, then blk), the peer
 * kernel's side of bench/fs_bench.py: `fsbench [-n N] [fswrite] [fsread]`
 * (default: both, N = 4 iterations each).
 *
 * The same operations, byte pattern and sizes as lbench's fswrite and
 * fsread (bench/linux/lbench.c), which Linux runs on the same FAT image:
 *   fswrite  create /disk/fsbench.dat, write FS_FILE bytes in FS_CHUNK
 *            writes, fsync, close (fs writes through: the data is on the
 *            disk when each write returns; fsync flushes the disk's cache)
 *   fsread   open it, read it all in FS_CHUNK reads, check every byte,
 *            close (fs keeps a 32-sector cache, far smaller than the file,
 *            so the reads go to the disk as Linux's do after DONTNEED)
 *
 * Each prints `op NAME ITERATIONS INSTRET CYCLES TICKS`, kbench's format.
 * A byte read back wrong, or a short read or write, fails the run with
 * "fsbench: FAILED".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "os.h"

#define FS_FILE (256 * 1024)
#define FS_CHUNK 4096
static const char path[] = "/disk/fsbench.dat";
static unsigned char buf[FS_CHUNK];
static long last_pass = -1;     /* the pattern fsread expects */

static __attribute__((noreturn)) void fail(const char *what, long value)
{
    printf("fsbench: FAILED: %s (%ld)\n", what, value);
    exit(1);
}

/* lbench's pattern: different for each pass. */
static unsigned char byte_at(uint64_t i, long pass)
{
    return (unsigned char)(i * 7 + (uint64_t)pass * 13 + (i >> 12));
}

static void fswrite(long n)
{
    struct counters t0 = counters_now();
    for (long it = 0; it < n; it++) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            fail("open /disk/fsbench.dat for writing (is there a disk?)", fd);
        for (uint64_t off = 0; off < FS_FILE; off += FS_CHUNK) {
            for (uint64_t i = 0; i < FS_CHUNK; i++)
                buf[i] = byte_at(off + i, it);
            ssize_t w = write(fd, buf, FS_CHUNK);
            if (w != FS_CHUNK)
                fail("write", (long)w);
        }
        if (fsync(fd) != 0)
            fail("fsync", -1);
        close(fd);
        last_pass = it;
    }
    report("fswrite", n, t0, counters_now());
}

static void fsread(long n)
{
    if (last_pass < 0)
        fail("fsread needs fswrite first (in the same run)", 0);
    struct counters t0 = counters_now();
    for (long it = 0; it < n; it++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            fail("open /disk/fsbench.dat", fd);
        uint64_t off = 0;
        for (;;) {
            ssize_t got = read(fd, buf, FS_CHUNK);
            if (got < 0)
                fail("read", (long)got);
            if (got == 0)
                break;
            for (ssize_t i = 0; i < got; i++)
                if (buf[i] != byte_at(off + (uint64_t)i, last_pass))
                    fail("a byte read back differs at", (long)(off + (uint64_t)i));
            off += (uint64_t)got;
        }
        if (off != FS_FILE)
            fail("bytes read back", (long)off);
        close(fd);
    }
    report("fsread", n, t0, counters_now());
}

int main(int argc, char **argv)
{
    long n = 4;
    int a = 1, any = 0, do_write = 0, do_read = 0;
    if (argc > 2 && !strcmp(argv[1], "-n")) {
        n = atol(argv[2]);
        a = 3;
    }
    if (n < 0) {
        printf("usage: fsbench [-n N] [fswrite] [fsread]\n");
        return 2;
    }
    for (; a < argc; a++, any = 1) {
        if (!strcmp(argv[a], "fswrite"))
            do_write = 1;
        else if (!strcmp(argv[a], "fsread"))
            do_read = 1;
        else {
            printf("usage: fsbench [-n N] [fswrite] [fsread]\n");
            return 2;
        }
    }
    if (!any)
        do_write = do_read = 1;
    if (do_write)
        fswrite(n);
    if (do_read)
        fsread(n);
    printf("fsbench: done\n");
    return 0;
}
