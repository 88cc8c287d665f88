/* RISC-V (ARM-compatible) semihosting, following QEMU 7.2's
 * semihosting/arm-compat-semi.c for results and error conventions:
 * SYS_WRITE and SYS_READ return the number of bytes NOT transferred (the
 * whole length on error), most others 0 or -1 with SYS_ERRNO set to the
 * host errno.  Every guest pointer goes through struct guest_mem, and every
 * string read from the guest is bounded. */
#include "dev/semihost.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES   256            /* handles 1..MAX_FILES-1; 0 is never used */
#define MAX_NAME    4096           /* longest file name accepted, with NUL */
#define CHUNK       65536          /* host buffer for reads and writes */
#define RESULT_ERR  ((uint64_t)-1)

/* ":semihosting-features": magic "SHFB" then a feature bitmap:
 * bit 0 extended exit, bit 1 separate stdout/stderr via ":tt". */
static const uint8_t features_file[] = { 'S', 'H', 'F', 'B', 0x03 };

enum file_kind { FILE_FREE, FILE_HOST, FILE_FEATURES };

struct sh_file {
    enum file_kind kind;
    int fd;          /* FILE_HOST */
    bool owned;      /* we opened fd and must close it (not a console fd) */
    uint64_t pos;    /* FILE_FEATURES read position */
};

struct semihost {
    struct guest_mem mem;
    char *cmdline;
    void (*on_exit)(void *ctx, int code);
    void *ctx;
    int in_fd, out_fd, err_fd;
    uint64_t (*now_ns)(void *ctx);
    void *clock_ctx;
    uint64_t start_ns;
    uint64_t heap_base, heap_limit;
    uint64_t err;                  /* what SYS_ERRNO returns */
    struct sh_file files[MAX_FILES];
};

static uint64_t fail(struct semihost *s, int err)
{
    s->err = (uint64_t)err;
    return RESULT_ERR;
}

/* ---- guest memory ---- */

static bool get_arg(struct semihost *s, uint64_t block, int i, uint64_t *v)
{
    uint8_t b[8];
    uint64_t addr = block + 8 * (uint64_t)i;
    if (addr < block || !s->mem.read(s->mem.ctx, addr, b, 8))
        return false;
    uint64_t x = 0;
    for (int k = 7; k >= 0; k--)
        x = (x << 8) | b[k];
    *v = x;
    return true;
}

static bool put_word(struct semihost *s, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    for (int k = 0; k < 8; k++)
        b[k] = (uint8_t)(v >> (8 * k));
    return s->mem.write(s->mem.ctx, addr, b, 8);
}

/* Read the guest's NUL-terminated string at addr into buf.  Returns 0 or
 * an errno value. */
static int get_string(struct semihost *s, uint64_t addr, char *buf, size_t cap)
{
    for (size_t i = 0; i < cap; i++) {
        if (addr + i < addr || !s->mem.read(s->mem.ctx, addr + i, &buf[i], 1))
            return EFAULT;
        if (buf[i] == '\0')
            return 0;
    }
    return ENAMETOOLONG;
}

/* ---- host I/O ---- */

/* Write everything unless the host refuses; returns bytes written. */
static size_t write_all(int fd, const void *buf, size_t n, int *err)
{
    const char *p = buf;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            *err = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    return done;
}

static uint64_t default_now_ns(void *ctx)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t elapsed_ns(struct semihost *s)
{
    return s->now_ns(s->clock_ctx) - s->start_ns;
}

/* ---- handles ---- */

static struct sh_file *lookup(struct semihost *s, uint64_t handle)
{
    if (handle == 0 || handle >= MAX_FILES || s->files[handle].kind == FILE_FREE)
        return NULL;
    return &s->files[handle];
}

static int alloc_handle(struct semihost *s)
{
    for (int h = 1; h < MAX_FILES; h++)
        if (s->files[h].kind == FILE_FREE)
            return h;
    return -1;
}

static void release(struct sh_file *f)
{
    if (f->kind == FILE_HOST && f->owned)
        close(f->fd);
    memset(f, 0, sizeof *f);
}

/* ---- calls ---- */

/* fopen modes r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b. */
static const int open_flags[12] = {
    O_RDONLY, O_RDONLY, O_RDWR, O_RDWR,
    O_WRONLY | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_TRUNC,
    O_RDWR | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_TRUNC,
    O_WRONLY | O_CREAT | O_APPEND, O_WRONLY | O_CREAT | O_APPEND,
    O_RDWR | O_CREAT | O_APPEND, O_RDWR | O_CREAT | O_APPEND,
};

static uint64_t sys_open(struct semihost *s, uint64_t args)
{
    uint64_t name_addr, mode;
    char name[MAX_NAME];
    if (!get_arg(s, args, 0, &name_addr) || !get_arg(s, args, 1, &mode))
        return fail(s, EFAULT);
    /* The length argument (word 2) is redundant with the NUL terminator;
     * QEMU ignores it too. */
    int e = get_string(s, name_addr, name, sizeof name);
    if (e)
        return fail(s, e);
    if (mode >= 12)
        return fail(s, EINVAL);
    int h = alloc_handle(s);
    if (h < 0)
        return fail(s, EMFILE);
    struct sh_file *f = &s->files[h];

    if (strcmp(name, ":tt") == 0) {
        f->kind = FILE_HOST;
        f->fd = mode < 4 ? s->in_fd : mode < 8 ? s->out_fd : s->err_fd;
        f->owned = false;
    } else if (strcmp(name, ":semihosting-features") == 0) {
        if (mode > 1)     /* read-only: only "r" and "rb" */
            return fail(s, EACCES);
        f->kind = FILE_FEATURES;
        f->pos = 0;
    } else {
        int fd = open(name, open_flags[mode] | O_CLOEXEC, 0644);
        if (fd < 0)
            return fail(s, errno);
        f->kind = FILE_HOST;
        f->fd = fd;
        f->owned = true;
    }
    return (uint64_t)h;
}

static uint64_t sys_close(struct semihost *s, uint64_t args)
{
    uint64_t handle;
    if (!get_arg(s, args, 0, &handle))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f)
        return fail(s, EBADF);
    int rc = 0;
    if (f->kind == FILE_HOST && f->owned && close(f->fd) < 0)
        rc = errno;
    f->owned = false;
    release(f);
    return rc ? fail(s, rc) : 0;
}

static void sys_writec(struct semihost *s, uint64_t addr)
{
    uint8_t c;
    int err;
    if (s->mem.read(s->mem.ctx, addr, &c, 1))
        write_all(s->out_fd, &c, 1, &err);
}

static void sys_write0(struct semihost *s, uint64_t addr)
{
    char buf[256];
    size_t n = 0;
    int err = 0;
    /* Stream the string out: it may be longer than any buffer, and it ends
     * at its NUL, at the end of guest RAM, or at the top of the address
     * space, whichever comes first. */
    for (;;) {
        char c;
        if (!s->mem.read(s->mem.ctx, addr, &c, 1) || c == '\0')
            break;
        buf[n++] = c;
        if (n == sizeof buf) {
            write_all(s->out_fd, buf, n, &err);
            n = 0;
        }
        if (++addr == 0)
            break;
    }
    write_all(s->out_fd, buf, n, &err);
}

static uint64_t sys_write(struct semihost *s, uint64_t args)
{
    uint64_t handle, addr, len;
    if (!get_arg(s, args, 0, &handle) || !get_arg(s, args, 1, &addr) || !get_arg(s, args, 2, &len))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f || f->kind != FILE_HOST) {
        s->err = EBADF;
        return len;
    }
    char *buf = malloc(CHUNK);
    if (!buf) {
        s->err = ENOMEM;
        return len;
    }
    uint64_t done = 0;
    while (done < len) {
        size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
        if (addr + done < addr || !s->mem.read(s->mem.ctx, addr + done, buf, n)) {
            s->err = EFAULT;
            break;
        }
        int err = 0;
        size_t w = write_all(f->fd, buf, n, &err);
        done += w;
        if (w < n) {
            s->err = (uint64_t)err;
            break;
        }
    }
    free(buf);
    return len - done;
}

static uint64_t sys_read(struct semihost *s, uint64_t args)
{
    uint64_t handle, addr, len;
    if (!get_arg(s, args, 0, &handle) || !get_arg(s, args, 1, &addr) || !get_arg(s, args, 2, &len))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f) {
        s->err = EBADF;
        return len;
    }
    if (f->kind == FILE_FEATURES) {
        uint64_t avail = sizeof features_file - f->pos;
        size_t n = len < avail ? (size_t)len : (size_t)avail;
        if (n > 0 && !s->mem.write(s->mem.ctx, addr, features_file + f->pos, n)) {
            s->err = EFAULT;
            return len;
        }
        f->pos += n;
        return len - n;
    }
    /* One host read, like read(2): a console returns what is available. */
    size_t want = len < CHUNK ? (size_t)len : CHUNK;
    if (want == 0)
        return 0;
    char *buf = malloc(want);
    if (!buf) {
        s->err = ENOMEM;
        return len;
    }
    ssize_t got;
    do
        got = read(f->fd, buf, want);
    while (got < 0 && errno == EINTR);
    uint64_t result;
    if (got < 0) {
        s->err = (uint64_t)errno;
        result = len;
    } else if (got > 0 && !s->mem.write(s->mem.ctx, addr, buf, (size_t)got)) {
        s->err = EFAULT;
        result = len;
    } else {
        result = len - (uint64_t)got;
    }
    free(buf);
    return result;
}

static uint64_t sys_readc(struct semihost *s)
{
    uint8_t c;
    ssize_t got;
    do
        got = read(s->in_fd, &c, 1);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return fail(s, errno);
    if (got == 0)
        return fail(s, EIO);      /* end of input */
    return c;
}

static uint64_t sys_istty(struct semihost *s, uint64_t args)
{
    uint64_t handle;
    if (!get_arg(s, args, 0, &handle))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f)
        return fail(s, EBADF);
    if (f->kind == FILE_HOST && isatty(f->fd))
        return 1;
    s->err = ENOTTY;
    return 0;
}

static uint64_t sys_seek(struct semihost *s, uint64_t args)
{
    uint64_t handle, pos;
    if (!get_arg(s, args, 0, &handle) || !get_arg(s, args, 1, &pos))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f)
        return fail(s, EBADF);
    if (f->kind == FILE_FEATURES) {
        if (pos > sizeof features_file)
            return fail(s, EINVAL);
        f->pos = pos;
        return 0;
    }
    if (pos > (uint64_t)INT64_MAX)
        return fail(s, EINVAL);
    if (lseek(f->fd, (off_t)pos, SEEK_SET) < 0)
        return fail(s, errno);
    return 0;
}

static uint64_t sys_flen(struct semihost *s, uint64_t args)
{
    uint64_t handle;
    if (!get_arg(s, args, 0, &handle))
        return fail(s, EFAULT);
    struct sh_file *f = lookup(s, handle);
    if (!f)
        return fail(s, EBADF);
    if (f->kind == FILE_FEATURES)
        return sizeof features_file;
    struct stat st;
    if (fstat(f->fd, &st) < 0)
        return fail(s, errno);
    return (uint64_t)st.st_size;
}

static uint64_t sys_tmpnam(struct semihost *s, uint64_t args)
{
    uint64_t addr, id, len;
    if (!get_arg(s, args, 0, &addr) || !get_arg(s, args, 1, &id) || !get_arg(s, args, 2, &len))
        return fail(s, EFAULT);
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char name[MAX_NAME];
    int n = snprintf(name, sizeof name, "%s/peerless-%x%02x", dir,
                     (unsigned)getpid(), (unsigned)(id & 0xff));
    if (n < 0 || (size_t)n >= sizeof name || (uint64_t)n + 1 > len)
        return RESULT_ERR;    /* buffer too small: QEMU sets no errno */
    if (!s->mem.write(s->mem.ctx, addr, name, (size_t)n + 1))
        return fail(s, EFAULT);
    return 0;
}

static uint64_t sys_remove(struct semihost *s, uint64_t args)
{
    uint64_t addr;
    char name[MAX_NAME];
    if (!get_arg(s, args, 0, &addr))
        return fail(s, EFAULT);
    int e = get_string(s, addr, name, sizeof name);
    if (e)
        return fail(s, e);
    if (remove(name) < 0)
        return fail(s, errno);
    return 0;
}

static uint64_t sys_rename(struct semihost *s, uint64_t args)
{
    uint64_t from_addr, to_addr;
    char from[MAX_NAME], to[MAX_NAME];
    if (!get_arg(s, args, 0, &from_addr) || !get_arg(s, args, 2, &to_addr))
        return fail(s, EFAULT);
    int e = get_string(s, from_addr, from, sizeof from);
    if (!e)
        e = get_string(s, to_addr, to, sizeof to);
    if (e)
        return fail(s, e);
    if (rename(from, to) < 0)
        return fail(s, errno);
    return 0;
}

static uint64_t sys_get_cmdline(struct semihost *s, uint64_t args)
{
    uint64_t addr, size;
    if (!get_arg(s, args, 0, &addr) || !get_arg(s, args, 1, &size))
        return fail(s, EFAULT);
    size_t n = strlen(s->cmdline) + 1;
    if (n > size)
        return fail(s, E2BIG);
    if (!put_word(s, args + 8, n - 1) || !s->mem.write(s->mem.ctx, addr, s->cmdline, n))
        return fail(s, EFAULT);
    return 0;
}

static uint64_t sys_heapinfo(struct semihost *s, uint64_t args)
{
    uint64_t addr;
    if (!get_arg(s, args, 0, &addr))
        return fail(s, EFAULT);
    const uint64_t info[4] = { s->heap_base, s->heap_limit, s->heap_limit, s->heap_base };
    for (int i = 0; i < 4; i++)
        if (addr + 8 * (uint64_t)i < addr || !put_word(s, addr + 8 * (uint64_t)i, info[i]))
            return fail(s, EFAULT);
    return 0;
}

static uint64_t sys_exit(struct semihost *s, uint64_t args)
{
    /* On RV64 both SYS_EXIT and SYS_EXIT_EXTENDED take {reason, subcode}. */
    uint64_t reason, subcode;
    if (!get_arg(s, args, 0, &reason) || !get_arg(s, args, 1, &subcode))
        return fail(s, EFAULT);
    int code = reason == SEMIHOST_ADP_STOPPED_APPLICATION_EXIT ? (int)(uint32_t)subcode : 1;
    if (s->on_exit)
        s->on_exit(s->ctx, code);
    return 0;
}

uint64_t semihost_call(struct semihost *s, uint64_t op, uint64_t arg)
{
    uint64_t v;
    switch (op) {
    case SEMIHOST_SYS_OPEN:     return sys_open(s, arg);
    case SEMIHOST_SYS_CLOSE:    return sys_close(s, arg);
    case SEMIHOST_SYS_WRITEC:   sys_writec(s, arg); return op;
    case SEMIHOST_SYS_WRITE0:   sys_write0(s, arg); return op;
    case SEMIHOST_SYS_WRITE:    return sys_write(s, arg);
    case SEMIHOST_SYS_READ:     return sys_read(s, arg);
    case SEMIHOST_SYS_READC:    return sys_readc(s);
    case SEMIHOST_SYS_ISERROR:
        if (!get_arg(s, arg, 0, &v))
            return fail(s, EFAULT);
        return (int64_t)v < 0;
    case SEMIHOST_SYS_ISTTY:    return sys_istty(s, arg);
    case SEMIHOST_SYS_SEEK:     return sys_seek(s, arg);
    case SEMIHOST_SYS_FLEN:     return sys_flen(s, arg);
    case SEMIHOST_SYS_TMPNAM:   return sys_tmpnam(s, arg);
    case SEMIHOST_SYS_REMOVE:   return sys_remove(s, arg);
    case SEMIHOST_SYS_RENAME:   return sys_rename(s, arg);
    case SEMIHOST_SYS_CLOCK:    return elapsed_ns(s) / 10000000u;   /* centiseconds */
    case SEMIHOST_SYS_TIME:     return (uint64_t)time(NULL);
    case SEMIHOST_SYS_SYSTEM:   return fail(s, EPERM);  /* never run host commands */
    case SEMIHOST_SYS_ERRNO:    return s->err;
    case SEMIHOST_SYS_GET_CMDLINE: return sys_get_cmdline(s, arg);
    case SEMIHOST_SYS_HEAPINFO: return sys_heapinfo(s, arg);
    case SEMIHOST_SYS_EXIT:
    case SEMIHOST_SYS_EXIT_EXTENDED: return sys_exit(s, arg);
    case SEMIHOST_SYS_ELAPSED:
        if (!put_word(s, arg, elapsed_ns(s)))
            return fail(s, EFAULT);
        return 0;
    case SEMIHOST_SYS_TICKFREQ: return 1000000000u;     /* ELAPSED counts ns */
    default:                    return fail(s, ENOSYS);
    }
}

struct semihost *semihost_new(struct guest_mem mem, const char *cmdline,
                              void (*on_exit)(void *ctx, int code), void *ctx)
{
    struct semihost *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cmdline = strdup(cmdline ? cmdline : "");
    if (!s->cmdline) {
        free(s);
        return NULL;
    }
    s->mem = mem;
    s->on_exit = on_exit;
    s->ctx = ctx;
    s->in_fd = 0;
    s->out_fd = 1;
    s->err_fd = 2;
    s->now_ns = default_now_ns;
    s->start_ns = s->now_ns(NULL);
    return s;
}

void semihost_free(struct semihost *s)
{
    if (!s)
        return;
    for (int h = 1; h < MAX_FILES; h++)
        release(&s->files[h]);
    free(s->cmdline);
    free(s);
}

void semihost_set_console(struct semihost *s, int in_fd, int out_fd, int err_fd)
{
    s->in_fd = in_fd;
    s->out_fd = out_fd;
    s->err_fd = err_fd;
}

void semihost_set_clock(struct semihost *s, uint64_t (*now_ns)(void *ctx), void *ctx)
{
    s->now_ns = now_ns;
    s->clock_ctx = ctx;
    s->start_ns = now_ns(ctx);
}

void semihost_set_heapinfo(struct semihost *s, uint64_t heap_base, uint64_t heap_limit)
{
    s->heap_base = heap_base;
    s->heap_limit = heap_limit;
}
