/* Files for programs: picolibc's stdio calls open/read/write/lseek/close
 * (and stat, unlink, mkdir, rename...), which land here.  Paths under
 * "/disk/" are files of the FAT volume, served by the fs space (found in
 * dir as "fs"); any other path names a file of the boot image (read-only,
 * from proc).  fd 0 is the console's input, 1 and 2 its output. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"

uint64_t os_proc_gate(void);
void os_flush_out(void);

#define MAX_FILES 16
enum { F_FREE, F_IMAGE, F_DISK };
static struct file {
    int kind;
    uint64_t name[2];   /* F_IMAGE: its name, packed */
    long handle;        /* F_DISK: fs's handle */
    long off;
    int append;
} files[MAX_FILES];
static uint64_t fs;

/* The part after "/disk", or 0 if the path is not on the disk. */
static const char *on_disk(const char *path)
{
    if (strncmp(path, "/disk", 5) || (path[5] && path[5] != '/'))
        return 0;
    return path[5] ? path + 5 : "/";
}

static uint64_t fs_gate(void)
{
    if (!fs)
        fs = os_lookup("fs");
    return fs;
}

/* fs's errors as errno; -1 for the caller to return. */
static int fail(long e)
{
    switch (e) {
    case KE_NOENT: errno = ENOENT; break;
    case KE_BUSY: errno = EEXIST; break;
    case KE_ISDIR: errno = EISDIR; break;
    case KE_NOTDIR: errno = ENOTDIR; break;
    case KE_NOTEMPTY: errno = ENOTEMPTY; break;
    case KE_NOMEM: errno = ENOSPC; break;
    case KE_INVAL: errno = EINVAL; break;
    case KE_PERM: errno = EACCES; break;
    default: errno = EIO; break;
    }
    return -1;
}

/* A call to fs on a path (a1 the path, passed R; a2 its length; a3, a4):
 * the result, or KE_IO if the call was unwound. */
static long fs_call(long op, const void *buf, size_t len, uint64_t rights, long a1, long a3, long a4)
{
    if (!fs_gate())
        return KE_NOENT;
    if (buf && pl_pass((uint64_t)buf, len ? len : 1, rights) < 0)
        return KE_INVAL;
    long r = pl_call(fs, op, buf ? (long)buf : a1, buf ? (long)len : 0, a3, a4);
    return pl_status() ? KE_IO : r;
}

/* Calls on a handle: a1 handle, a2 buffer, a3, a4. */
static long fs_handle_call(long op, long handle, void *buf, size_t len, uint64_t rights, long a3, long a4)
{
    if (!fs_gate())
        return KE_NOENT;
    if (buf && pl_pass((uint64_t)buf, len ? len : 1, rights) < 0)
        return KE_INVAL;
    long r = pl_call(fs, op, handle, (long)buf, a3, a4);
    return pl_status() ? KE_IO : r;
}

static struct file *slot(int fd)
{
    int i = fd - 3;
    return i >= 0 && i < MAX_FILES && files[i].kind != F_FREE ? &files[i] : 0;
}

static long disk_size(struct file *f)
{
    struct fs_stat st;
    long r = fs_handle_call(FS_STAT, f->handle, &st, sizeof st, PL_W, 0, 0);
    return r < 0 ? r : (long)st.size;
}

int open(const char *path, int flags, ...)
{
    int i = 0;
    while (i < MAX_FILES && files[i].kind != F_FREE)
        i++;
    if (i == MAX_FILES) {
        errno = EMFILE;
        return -1;
    }
    struct file *f = &files[i];
    const char *p = on_disk(path);
    if (p) {
        long fl = (flags & O_CREAT ? FS_O_CREAT : 0) | (flags & O_TRUNC ? FS_O_TRUNC : 0) |
                  (flags & O_EXCL ? FS_O_EXCL : 0);
        long h = fs_call(FS_OPEN, p, strlen(p), PL_R, 0, fl, 0);
        if (h < 0)
            return fail(h);
        struct fs_stat st;
        if (fs_handle_call(FS_STAT, h, &st, sizeof st, PL_W, 0, 0) == 0 && st.is_dir &&
            (flags & O_ACCMODE) != O_RDONLY) {
            fs_handle_call(FS_CLOSE, h, 0, 0, 0, 0, 0);
            errno = EISDIR;
            return -1;
        }
        *f = (struct file){ .kind = F_DISK, .handle = h, .append = (flags & O_APPEND) != 0 };
        return i + 3;
    }
    if ((flags & O_ACCMODE) != O_RDONLY) {
        errno = EROFS;
        return -1;
    }
    if (strlen(path) > 16) {
        errno = ENOENT;
        return -1;
    }
    kname_pack(path, f->name);
    char probe;
    pl_pass((uint64_t)&probe, 1, PL_W);
    if (pl_call(os_proc_gate(), PROC_IMAGE_READ, f->name[0], f->name[1], 0, (long)&probe, 1) < 0) {
        errno = ENOENT;
        return -1;
    }
    f->kind = F_IMAGE;
    f->off = 0;
    return i + 3;
}

ssize_t read(int fd, void *buf, size_t len)
{
    if (fd == 0) {
        long n = os_read(buf, len);
        return n < 0 ? -1 : n;
    }
    struct file *f = slot(fd);
    if (!f) {
        errno = EBADF;
        return -1;
    }
    if (!len)
        return 0;
    long n;
    if (f->kind == F_DISK)
        n = fs_handle_call(FS_READ, f->handle, buf, len, PL_W, (long)len, f->off);
    else {
        pl_pass((uint64_t)buf, len, PL_W);
        n = pl_call(os_proc_gate(), PROC_IMAGE_READ, f->name[0], f->name[1], f->off, (long)buf, (long)len);
    }
    if (n < 0)
        return f->kind == F_DISK ? fail(n) : (errno = EIO, -1);
    f->off += n;
    return n;
}

ssize_t write(int fd, const void *buf, size_t len)
{
    if (fd == 1 || fd == 2) {
        os_flush_out();
        return os_write(buf, len) < 0 ? -1 : (ssize_t)len;
    }
    struct file *f = slot(fd);
    if (!f || f->kind != F_DISK) {
        errno = f ? EROFS : EBADF;
        return -1;
    }
    if (f->append) {
        long size = disk_size(f);
        if (size < 0)
            return fail(size);
        f->off = size;
    }
    if (!len)
        return 0;
    long n = fs_handle_call(FS_WRITE, f->handle, (void *)buf, len, PL_R, (long)len, f->off);
    if (n < 0)
        return fail(n);
    f->off += n;
    return n;
}

off_t lseek(int fd, off_t off, int whence)
{
    struct file *f = slot(fd);
    if (!f) {
        errno = fd >= 0 && fd < 3 ? ESPIPE : EBADF;
        return -1;
    }
    long base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off : -1;
    if (whence == SEEK_END) {
        if (f->kind != F_DISK) {
            errno = EINVAL;
            return -1;
        }
        if ((base = disk_size(f)) < 0)
            return fail(base);
    }
    if (base < 0 || base + off < 0) {
        errno = EINVAL;
        return -1;
    }
    f->off = base + off;
    return f->off;
}

int close(int fd)
{
    struct file *f = slot(fd);
    if (!f) {
        errno = EBADF;
        return -1;
    }
    long r = f->kind == F_DISK ? fs_handle_call(FS_CLOSE, f->handle, 0, 0, 0, 0, 0) : 0;
    f->kind = F_FREE;
    return r < 0 ? fail(r) : 0;
}

static int path_op(long op, const char *path)
{
    const char *p = on_disk(path);
    if (!p) {
        errno = EROFS;
        return -1;
    }
    long r = fs_call(op, p, strlen(p), PL_R, 0, 0, 0);
    return r < 0 ? fail(r) : 0;
}

int unlink(const char *path) { return path_op(FS_UNLINK, path); }
int rmdir(const char *path) { return path_op(FS_RMDIR, path); }
int mkdir(const char *path, mode_t mode)
{
    (void)mode;
    return path_op(FS_MKDIR, path);
}

int rename(const char *from, const char *to)
{
    const char *a = on_disk(from), *b = on_disk(to);
    if (!a || !b) {
        errno = a || b ? EXDEV : EROFS;
        return -1;
    }
    char both[1024];
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > sizeof both) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(both, a, la + 1);
    memcpy(both + la + 1, b, lb);
    long r = fs_call(FS_RENAME, both, la + 1 + lb, PL_R, 0, 0, 0);
    return r < 0 ? fail(r) : 0;
}

static void fill_stat(struct stat *st, const struct fs_stat *s)
{
    memset(st, 0, sizeof *st);
    st->st_size = (off_t)s->size;
    st->st_mode = s->is_dir ? S_IFDIR | 0755 : S_IFREG | (s->attr & 1 ? 0444 : 0644);
    st->st_nlink = 1;
    st->st_blksize = 512;
    st->st_blocks = (blkcnt_t)((s->size + 511) / 512);
}

int fstat(int fd, struct stat *st)
{
    struct file *f = slot(fd);
    if (fd >= 0 && fd < 3) {
        memset(st, 0, sizeof *st);
        st->st_mode = S_IFCHR | 0600;
        return 0;
    }
    if (!f) {
        errno = EBADF;
        return -1;
    }
    struct fs_stat s = { 0 };
    if (f->kind == F_DISK) {
        long r = fs_handle_call(FS_STAT, f->handle, &s, sizeof s, PL_W, 0, 0);
        if (r < 0)
            return fail(r);
    } else {
        /* a boot-image file: its size is where reading ends */
        char c;
        long lo = 0, hi = 1 << 24;
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            pl_pass((uint64_t)&c, 1, PL_W);
            if (pl_call(os_proc_gate(), PROC_IMAGE_READ, f->name[0], f->name[1], mid, (long)&c, 1) > 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        s.size = (uint64_t)lo;
    }
    fill_stat(st, &s);
    return 0;
}

int stat(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int r = fstat(fd, st);
    close(fd);
    return r;
}

int ftruncate(int fd, off_t size)
{
    struct file *f = slot(fd);
    if (!f || f->kind != F_DISK) {
        errno = f ? EROFS : EBADF;
        return -1;
    }
    long r = pl_call(fs, FS_TRUNCATE, f->handle, (long)size);
    if (pl_status())
        r = KE_IO;
    if (r < 0)
        return fail(r);
    return 0;
}

int fsync(int fd)
{
    if (!slot(fd)) {
        errno = EBADF;
        return -1;
    }
    long r = fs_call(FS_SYNC, 0, 0, 0, 0, 0, 0);
    return r < 0 ? fail(r) : 0;
}

/* ---- directories (picolibc has no <dirent.h>: os.h declares these) ---- */

struct os_dir {
    long handle, cookie;
    struct os_dirent ent;
};
static struct os_dir dirs[4];
static int dir_used[4];

struct os_dir *os_opendir(const char *path)
{
    const char *p = on_disk(path);
    if (!p) {
        errno = ENOENT;
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (!dir_used[i]) {
            long h = fs_call(FS_OPEN, p, strlen(p), PL_R, 0, FS_O_DIR, 0);
            if (h < 0) {
                fail(h);
                return 0;
            }
            dir_used[i] = 1;
            dirs[i].handle = h;
            dirs[i].cookie = 0;
            return &dirs[i];
        }
    errno = EMFILE;
    return 0;
}

struct os_dirent *os_readdir(struct os_dir *d)
{
    struct fs_dirent e;
    if (d->cookie < 0)
        return 0;
    long next = fs_handle_call(FS_READDIR, d->handle, &e, sizeof e, PL_W, d->cookie, 0);
    if (next <= 0) {
        d->cookie = -1;
        if (next < 0)
            fail(next);
        return 0;
    }
    d->cookie = next;
    memcpy(d->ent.name, e.name, sizeof d->ent.name);
    d->ent.name[sizeof d->ent.name - 1] = 0;
    d->ent.size = (long)e.size;
    d->ent.is_dir = (int)e.is_dir;
    return &d->ent;
}

int os_closedir(struct os_dir *d)
{
    fs_handle_call(FS_CLOSE, d->handle, 0, 0, 0, 0, 0);
    dir_used[d - dirs] = 0;
    return 0;
}
