/* Semihosting: every call, against a fake guest RAM, pipes for the
 * console, a fake clock, and host files in a scratch directory. */
#include "unit.h"
#include "dev/semihost.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE 0x10000ULL

static uint8_t ram[RAM_SIZE];

static bool in_ram(uint64_t addr, size_t n)
{
    return addr >= RAM_BASE && n <= RAM_SIZE && addr - RAM_BASE <= RAM_SIZE - n;
}

static bool mem_read(void *ctx, uint64_t addr, void *buf, size_t n)
{
    if (!in_ram(addr, n))
        return false;
    memcpy(buf, &ram[addr - RAM_BASE], n);
    return true;
}

static bool mem_write(void *ctx, uint64_t addr, const void *buf, size_t n)
{
    if (!in_ram(addr, n))
        return false;
    memcpy(&ram[addr - RAM_BASE], buf, n);
    return true;
}

/* Guest addresses used below. */
#define ARGS  (RAM_BASE + 0x100)   /* parameter block */
#define STR   (RAM_BASE + 0x200)   /* a string */
#define STR2  (RAM_BASE + 0x300)
#define BUF   (RAM_BASE + 0x1000)  /* a data buffer */
#define NOWHERE 0x1000ULL          /* not RAM */

static void put64(uint64_t addr, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        ram[addr - RAM_BASE + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(uint64_t addr)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | ram[addr - RAM_BASE + i];
    return v;
}

static void args(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    put64(ARGS, a);
    put64(ARGS + 8, b);
    put64(ARGS + 16, c);
    put64(ARGS + 24, d);
}

static void put_str(uint64_t addr, const char *s)
{
    memcpy(&ram[addr - RAM_BASE], s, strlen(s) + 1);
}

static struct semihost *sh;

static uint64_t call(uint64_t op, uint64_t arg)
{
    return semihost_call(sh, op, arg);
}

static uint64_t sh_open(const char *name, uint64_t mode)
{
    put_str(STR, name);
    args(STR, mode, strlen(name), 0);
    return call(SEMIHOST_SYS_OPEN, ARGS);
}

static uint64_t sh_errno(void)
{
    return call(SEMIHOST_SYS_ERRNO, 0);
}

static ssize_t drain(int fd, char *buf, size_t cap)
{
    ssize_t n = read(fd, buf, cap);
    if (n >= 0 && (size_t)n < cap)
        buf[n] = '\0';
    return n < 0 ? 0 : n;
}

static int exit_calls, exit_code;
static void on_exit_cb(void *ctx, int code)
{
    exit_calls++;
    exit_code = code;
}

static uint64_t fake_ns;
static uint64_t fake_clock(void *ctx) { return fake_ns; }

static int count_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

int main(void)
{
    const uint64_t ERR = (uint64_t)-1;
    char text[256];
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err))
        return 2;
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    fcntl(in[0], F_SETFL, O_NONBLOCK);

    char dir[] = "/tmp/peerless-semihost-XXXXXX";
    char *olddir = getcwd(NULL, 0);
    if (!mkdtemp(dir) || chdir(dir) != 0)
        return 2;
    int fds_before = count_fds();

    struct guest_mem mem = { mem_read, mem_write, NULL };
    sh = semihost_new(mem, "prog.elf a b", on_exit_cb, NULL);
    semihost_set_console(sh, in[0], out[1], err[1]);

    /* Console output: WRITEC and WRITE0 leave a0 unchanged. */
    put_str(STR, "X");
    CHECK_EQ(call(SEMIHOST_SYS_WRITEC, STR), SEMIHOST_SYS_WRITEC);
    put_str(STR, "hello, world\n");
    CHECK_EQ(call(SEMIHOST_SYS_WRITE0, STR), SEMIHOST_SYS_WRITE0);
    CHECK_EQ(drain(out[0], text, sizeof text), 14);
    CHECK(strcmp(text, "Xhello, world\n") == 0);
    /* A WRITE0 longer than any internal buffer, ending at the end of RAM
     * without a NUL: everything up to the end comes out. */
    memset(&ram[RAM_SIZE - 1000], 'z', 1000);
    call(SEMIHOST_SYS_WRITE0, RAM_BASE + RAM_SIZE - 1000);
    CHECK_EQ(drain(out[0], text, sizeof text), 256);
    size_t total = 256;
    char chunk[1024];
    ssize_t n;
    while ((n = drain(out[0], chunk, sizeof chunk)) > 0)
        total += (size_t)n;
    CHECK_EQ(total, 1000);
    call(SEMIHOST_SYS_WRITEC, NOWHERE);      /* bad pointer: nothing */
    call(SEMIHOST_SYS_WRITE0, NOWHERE);
    CHECK_EQ(drain(out[0], text, sizeof text), 0);

    /* ":tt": read = stdin, write = stdout, append = stderr. */
    uint64_t tin = sh_open(":tt", 0), tout = sh_open(":tt", 4), terr = sh_open(":tt", 8);
    CHECK_EQ(tin, 1);                        /* handles start at 1 */
    CHECK_EQ(tout, 2);
    CHECK_EQ(terr, 3);
    memcpy(&ram[BUF - RAM_BASE], "to stdout", 9);
    args(tout, BUF, 9, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 0);   /* 0 bytes left over */
    CHECK_EQ(drain(out[0], text, sizeof text), 9);
    CHECK(strcmp(text, "to stdout") == 0);
    args(terr, BUF, 2, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 0);
    CHECK_EQ(drain(err[0], text, sizeof text), 2);
    CHECK(strcmp(text, "to") == 0);
    CHECK(write(in[1], "input", 5) == 5);
    args(tin, BUF, 100, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 95);    /* 5 of 100 read */
    CHECK(memcmp(&ram[BUF - RAM_BASE], "input", 5) == 0);
    args(tin, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_ISTTY, ARGS), 0);    /* a pipe */
    CHECK_EQ(sh_errno(), ENOTTY);
    /* READC. */
    CHECK(write(in[1], "q", 1) == 1);
    CHECK_EQ(call(SEMIHOST_SYS_READC, 0), 'q');
    /* Closing a console handle leaves the host descriptor open. */
    args(tout, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    CHECK(fcntl(out[1], F_GETFD) >= 0);
    args(tout, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), ERR);  /* already closed */
    CHECK_EQ(sh_errno(), EBADF);

    /* The features file. */
    uint64_t feat = sh_open(":semihosting-features", 0);
    CHECK(feat != ERR);
    args(feat, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_FLEN, ARGS), 5);
    args(feat, BUF, 3, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 0);
    args(feat, BUF + 3, 10, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 8);     /* 2 of 10 */
    CHECK(memcmp(&ram[BUF - RAM_BASE], "SHFB\x03", 5) == 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 10);    /* at the end */
    args(feat, 4, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), 0);
    args(feat, BUF, 1, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 0);
    CHECK_EQ(ram[BUF - RAM_BASE], 0x03);
    args(feat, 6, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), ERR);
    args(feat, BUF, 1, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 1);    /* not writable */
    CHECK_EQ(sh_errno(), EBADF);
    args(feat, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    CHECK_EQ(sh_open(":semihosting-features", 4), ERR);
    CHECK_EQ(sh_errno(), EACCES);

    /* Host files: write, reopen, length, seek, read. */
    uint64_t f = sh_open("data.txt", 4);
    CHECK(f != ERR);
    memcpy(&ram[BUF - RAM_BASE], "hello", 5);
    args(f, BUF, 5, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 0);
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_FLEN, ARGS), 5);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    f = sh_open("data.txt", 8);              /* append */
    memcpy(&ram[BUF - RAM_BASE], " you", 4);
    args(f, BUF, 4, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 0);
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    f = sh_open("data.txt", 1);              /* rb */
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_FLEN, ARGS), 9);
    CHECK_EQ(call(SEMIHOST_SYS_ISTTY, ARGS), 0);
    args(f, 6, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), 0);
    memset(&ram[BUF - RAM_BASE], 0, 16);
    args(f, BUF, 16, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 13);
    CHECK(memcmp(&ram[BUF - RAM_BASE], "you", 4) == 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 16);    /* end of file */
    args(f, BUF, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 0);     /* zero-length read */
    args(f, BUF, 1, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 1);    /* opened read-only */
    CHECK_EQ(sh_errno(), EBADF);
    args(f, (uint64_t)1 << 63, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), ERR);
    CHECK_EQ(sh_errno(), EINVAL);
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), 0);
    args(f, NOWHERE, 4, 0);                  /* read into non-RAM */
    CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 4);
    CHECK_EQ(sh_errno(), EFAULT);
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    /* "w+" truncates. */
    f = sh_open("data.txt", 6);
    args(f, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_FLEN, ARGS), 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);

    /* Rename and remove. */
    put_str(STR, "data.txt");
    put_str(STR2, "moved.txt");
    args(STR, 8, STR2, 9);
    CHECK_EQ(call(SEMIHOST_SYS_RENAME, ARGS), 0);
    CHECK_EQ(sh_open("data.txt", 0), ERR);
    CHECK_EQ(sh_errno(), ENOENT);
    CHECK(access("moved.txt", F_OK) == 0);
    put_str(STR, "moved.txt");
    args(STR, 9, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_REMOVE, ARGS), 0);
    CHECK_EQ(call(SEMIHOST_SYS_REMOVE, ARGS), ERR);
    CHECK_EQ(sh_errno(), ENOENT);
    args(NOWHERE, 9, STR2, 9);
    CHECK_EQ(call(SEMIHOST_SYS_RENAME, ARGS), ERR);
    CHECK_EQ(sh_errno(), EFAULT);

    /* Bad input. */
    CHECK_EQ(sh_open("x", 12), ERR);        /* no such mode */
    CHECK_EQ(sh_errno(), EINVAL);
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, NOWHERE), ERR);   /* block not in RAM */
    CHECK_EQ(sh_errno(), EFAULT);
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, RAM_BASE + RAM_SIZE - 8), ERR);  /* block runs off RAM */
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, UINT64_MAX - 7), ERR);          /* block wraps */
    args(NOWHERE, 0, 1, 0);
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, ARGS), ERR);
    CHECK_EQ(sh_errno(), EFAULT);
    memset(&ram[RAM_SIZE - 4], 'n', 4);      /* unterminated at end of RAM */
    args(RAM_BASE + RAM_SIZE - 4, 0, 4, 0);
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, ARGS), ERR);
    CHECK_EQ(sh_errno(), EFAULT);
    memset(&ram[BUF - RAM_BASE], 'a', 5000); /* absurdly long name */
    ram[BUF - RAM_BASE + 5000] = 0;
    args(BUF, 0, 5000, 0);
    CHECK_EQ(call(SEMIHOST_SYS_OPEN, ARGS), ERR);
    CHECK_EQ(sh_errno(), ENAMETOOLONG);
    for (uint64_t h = 0; h < 300; h += 37) {  /* handles never opened */
        args(h, BUF, 3, 0);
        CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 3);
        CHECK_EQ(sh_errno(), EBADF);
        CHECK_EQ(call(SEMIHOST_SYS_READ, ARGS), 3);
        CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), ERR);
        CHECK_EQ(call(SEMIHOST_SYS_FLEN, ARGS), ERR);
        CHECK_EQ(call(SEMIHOST_SYS_SEEK, ARGS), ERR);
        CHECK_EQ(call(SEMIHOST_SYS_ISTTY, ARGS), ERR);
    }
    args(UINT64_MAX, BUF, 3, 0);
    CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), ERR);
    /* Writing from a buffer that leaves RAM part way. */
    args(terr, RAM_BASE + RAM_SIZE - 2, 100000, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), 100000);
    CHECK_EQ(sh_errno(), EFAULT);
    args(terr, UINT64_MAX - 1, UINT64_MAX, 0);
    CHECK_EQ(call(SEMIHOST_SYS_WRITE, ARGS), UINT64_MAX);
    CHECK_EQ(call(0x99, 0), ERR);            /* unknown call */
    CHECK_EQ(sh_errno(), ENOSYS);
    CHECK_EQ(call(SEMIHOST_SYS_SYSTEM, ARGS), ERR);  /* refused */

    /* Running out of handles. */
    int opened = 0;
    while (sh_open(":tt", 4) != ERR)
        opened++;
    CHECK_EQ(opened, 255 - 2);               /* 1 and 3 are still open */
    CHECK_EQ(sh_errno(), EMFILE);
    for (uint64_t h = 2; h < 256; h++) {
        if (h == 3)
            continue;
        args(h, 0, 0, 0);
        CHECK_EQ(call(SEMIHOST_SYS_CLOSE, ARGS), 0);
    }

    /* ISERROR. */
    args((uint64_t)-5, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_ISERROR, ARGS), 1);
    args(5, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_ISERROR, ARGS), 0);
    CHECK_EQ(call(SEMIHOST_SYS_ISERROR, NOWHERE), ERR);

    /* GET_CMDLINE. */
    args(BUF, 5, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_GET_CMDLINE, ARGS), ERR);
    CHECK_EQ(sh_errno(), E2BIG);
    args(BUF, 13, 0, 0);                     /* exactly enough */
    CHECK_EQ(call(SEMIHOST_SYS_GET_CMDLINE, ARGS), 0);
    CHECK_EQ(get64(ARGS + 8), 12);
    CHECK(strcmp((char *)&ram[BUF - RAM_BASE], "prog.elf a b") == 0);
    args(NOWHERE, 100, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_GET_CMDLINE, ARGS), ERR);

    /* HEAPINFO: zeros unless the board says otherwise. */
    args(BUF, 0, 0, 0);
    memset(&ram[BUF - RAM_BASE], 0xff, 32);
    CHECK_EQ(call(SEMIHOST_SYS_HEAPINFO, ARGS), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(get64(BUF + 8 * i), 0);
    semihost_set_heapinfo(sh, 0x80400000, 0x87e00000);
    CHECK_EQ(call(SEMIHOST_SYS_HEAPINFO, ARGS), 0);
    CHECK_EQ(get64(BUF), 0x80400000);
    CHECK_EQ(get64(BUF + 8), 0x87e00000);
    CHECK_EQ(get64(BUF + 16), 0x87e00000);
    CHECK_EQ(get64(BUF + 24), 0x80400000);
    args(RAM_BASE + RAM_SIZE - 16, 0, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_HEAPINFO, ARGS), ERR);

    /* Time. */
    fake_ns = 5000000000ULL;
    semihost_set_clock(sh, fake_clock, NULL);
    fake_ns += 1234;
    CHECK_EQ(call(SEMIHOST_SYS_ELAPSED, ARGS), 0);
    CHECK_EQ(get64(ARGS), 1234);
    CHECK_EQ(call(SEMIHOST_SYS_ELAPSED, NOWHERE), ERR);
    CHECK_EQ(call(SEMIHOST_SYS_TICKFREQ, 0), 1000000000);
    fake_ns += 39999999;
    CHECK_EQ(call(SEMIHOST_SYS_CLOCK, 0), 4);  /* centiseconds */
    uint64_t t = call(SEMIHOST_SYS_TIME, 0);
    CHECK(t + 5 >= (uint64_t)time(NULL) && t <= (uint64_t)time(NULL));

    /* TMPNAM. */
    args(BUF, 7, 4, 0);
    CHECK_EQ(call(SEMIHOST_SYS_TMPNAM, ARGS), ERR);
    args(BUF, 7, 200, 0);
    CHECK_EQ(call(SEMIHOST_SYS_TMPNAM, ARGS), 0);
    CHECK(strstr((char *)&ram[BUF - RAM_BASE], "/peerless-") != NULL);
    CHECK(strlen((char *)&ram[BUF - RAM_BASE]) > 12);

    /* EXIT: normal exit carries the subcode, anything else is 1. */
    args(SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, 7, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_EXIT, ARGS), 0);
    CHECK_EQ(exit_calls, 1);
    CHECK_EQ(exit_code, 7);
    args(SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, 0, 0, 0);
    call(SEMIHOST_SYS_EXIT_EXTENDED, ARGS);
    CHECK_EQ(exit_calls, 2);
    CHECK_EQ(exit_code, 0);
    args(0x20023, 0, 0, 0);                  /* ADP_Stopped_RunTimeErrorUnknown */
    call(SEMIHOST_SYS_EXIT, ARGS);
    CHECK_EQ(exit_code, 1);
    CHECK_EQ(call(SEMIHOST_SYS_EXIT, NOWHERE), ERR);
    CHECK_EQ(exit_calls, 3);

    /* Files the guest leaves open are closed with the semihost. */
    CHECK(sh_open("left-open.txt", 4) != ERR);
    CHECK(sh_open("left-open2.txt", 4) != ERR);
    semihost_free(sh);
    CHECK_EQ(count_fds(), fds_before);
    remove("left-open.txt");
    remove("left-open2.txt");

    /* Defaults: no callback, no cmdline. */
    sh = semihost_new(mem, NULL, NULL, NULL);
    args(BUF, 1, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_GET_CMDLINE, ARGS), 0);
    CHECK_EQ(get64(ARGS + 8), 0);
    args(SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, 3, 0, 0);
    CHECK_EQ(call(SEMIHOST_SYS_EXIT, ARGS), 0);
    semihost_free(sh);

    if (chdir(olddir) != 0 || rmdir(dir) != 0)
        CHECK(!"scratch directory left behind");
    free(olddir);
    for (int i = 0; i < 2; i++) {
        close(in[i]);
        close(out[i]);
        close(err[i]);
    }
    return unit_report("semihost");
}
