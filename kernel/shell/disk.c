/* The shell's commands on the disk's files (the FAT volume fs serves):
 * paths start with /disk, as in programs (lib/os/files.c).
 *   ls /disk[/DIR]   a directory: size (or <dir>) and name
 *   echo TEXT > F    write TEXT and a newline to F (>> appends)
 *   rm F, mkdir D, rmdir D, mv A B, df
 * (`cat /disk/F` is the cat program.)  fs is found in dir the first time. */
#include "kern.h"
#include "shell.h"

static uint64_t fs;
static struct fs_dirent ent;
static char text[600];
static char both[520];

static uint64_t fs_gate(void)
{
    if (!fs) {
        uint64_t n[2];
        kname_pack("fs", n);
        long g = pl_call(shell_dir_gate, DIR_LOOKUP, n[0], n[1], (long)pl_self());
        fs = g > 0 ? (uint64_t)g : 0;
    }
    return fs;
}

static const char *why(long e)
{
    switch (e) {
    case KE_NOENT: return "no such file or directory";
    case KE_BUSY: return "it exists (or is the root)";
    case KE_ISDIR: return "is a directory";
    case KE_NOTDIR: return "not a directory";
    case KE_NOTEMPTY: return "directory not empty";
    case KE_NOMEM: return "no room (disk or directory full)";
    case KE_INVAL: return "invalid name or argument";
    case KE_FAULT: case KE_IO: return "I/O error (the driver failed the request)";
    }
    return "error";
}

/* The volume's path for a shell path, or 0 (with a message). */
static const char *volume_path(const char *cmd, const char *p)
{
    if (strncmp(p, "/disk", 5) || (p[5] && p[5] != '/')) {
        shell_say("%s: %s: only files under /disk can be changed or listed here\n", cmd, p);
        return 0;
    }
    if (!fs_gate()) {
        shell_say("%s: no file system (start with a FAT disk: --drive)\n", cmd);
        return 0;
    }
    return p[5] ? p + 5 : "/";
}

/* The path is copied to our data first: a literal ("/") lies in our code's
 * pages, which we may not pass on. */
static long call_path(long op, const char *p, long a3)
{
    static char copy[512];
    size_t len = kstrlcpy(copy, p, sizeof copy) ? strlen(copy) : 0;
    pl_pass((uint64_t)copy, len, PL_R);
    long r = pl_call(fs, op, (long)copy, (long)len, a3);
    return pl_status() ? KE_IO : r;
}

static long call_handle(long op, long h, void *buf, size_t len, uint64_t rights, long a3, long a4)
{
    if (buf)
        pl_pass((uint64_t)buf, len, rights);
    long r = pl_call(fs, op, h, (long)buf, a3, a4);
    return pl_status() ? KE_IO : r;
}

static void list(const char *arg)
{
    const char *p = volume_path("ls", arg);
    if (!p)
        return;
    long h = call_path(FS_OPEN, p, FS_O_DIR);
    if (h < 0) {
        shell_say("ls: %s: %s\n", arg, why(h));
        return;
    }
    long cookie = 0, n = 0;
    while ((cookie = call_handle(FS_READDIR, h, &ent, sizeof ent, PL_W, cookie, 0)) > 0) {
        if (ent.is_dir)
            shell_say("  %10s  %s/\n", "<dir>", ent.name);
        else
            shell_say("  %10lu  %s\n", (unsigned long)ent.size, ent.name);
        n++;
    }
    if (cookie < 0)
        shell_say("ls: %s: %s\n", arg, why(cookie));
    shell_say("  %ld entries\n", n);
    call_handle(FS_CLOSE, h, 0, 0, 0, 0, 0);
}

/* echo TEXT > FILE, echo TEXT >> FILE */
static void redirect(char *arg, char *gt)
{
    int append = gt[1] == '>';
    char *file = gt + 1 + append;
    while (*file == ' ')
        file++;
    char *end = gt;
    while (end > arg && end[-1] == ' ')
        end--;
    size_t n = (size_t)(end - arg);
    if (n + 1 > sizeof text) {
        shell_say("echo: too long\n");
        return;
    }
    memcpy(text, arg, n);
    text[n++] = '\n';
    const char *p = volume_path("echo", file);
    if (!p)
        return;
    long h = call_path(FS_OPEN, p, FS_O_CREAT | (append ? 0 : FS_O_TRUNC));
    if (h < 0) {
        shell_say("echo: %s: %s\n", file, why(h));
        return;
    }
    long off = 0;
    if (append) {
        struct fs_stat st;
        if (call_handle(FS_STAT, h, &st, sizeof st, PL_W, 0, 0) == 0)
            off = (long)st.size;
    }
    long r = call_handle(FS_WRITE, h, text, n, PL_R, (long)n, off);
    if (r < 0)
        shell_say("echo: %s: %s\n", file, why(r));
    call_handle(FS_CLOSE, h, 0, 0, 0, 0, 0);
}

static void simple(const char *cmd, long op, const char *arg)
{
    const char *p = volume_path(cmd, arg);
    if (!p)
        return;
    long r = call_path(op, p, 0);
    if (r < 0)
        shell_say("%s: %s: %s\n", cmd, arg, why(r));
}

static void move(char *arg)
{
    char *to = arg;
    while (*to && *to != ' ')
        to++;
    if (!*to) {
        shell_say("mv: usage: mv /disk/FROM /disk/TO\n");
        return;
    }
    *to++ = 0;
    while (*to == ' ')
        to++;
    const char *a = volume_path("mv", arg), *b = a ? volume_path("mv", to) : 0;
    if (!b)
        return;
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 2 > sizeof both) {
        shell_say("mv: names too long\n");
        return;
    }
    memcpy(both, a, la + 1);
    memcpy(both + la + 1, b, lb);
    pl_pass((uint64_t)both, la + 1 + lb, PL_R);
    long r = pl_call(fs, FS_RENAME, (long)both, (long)(la + 1 + lb));
    if (pl_status())
        r = KE_IO;
    if (r < 0)
        shell_say("mv: %s: %s\n", arg, why(r));
}

int shell_disk_command(const char *word, size_t len, char *arg)
{
#define IS(name) (len == sizeof name - 1 && !strncmp(word, name, len))
    char *gt = 0;
    for (char *c = arg; *c && !gt; c++)
        if (*c == '>')
            gt = c;
    if (IS("echo") && gt)
        redirect(arg, gt);
    else if (IS("ls") && *arg)
        list(arg);
    else if (IS("rm"))
        simple("rm", FS_UNLINK, arg);
    else if (IS("mkdir"))
        simple("mkdir", FS_MKDIR, arg);
    else if (IS("rmdir"))
        simple("rmdir", FS_RMDIR, arg);
    else if (IS("mv"))
        move(arg);
    else if (IS("df")) {
        if (!fs_gate()) {
            shell_say("df: no file system\n");
            return 1;
        }
        pl_pass((uint64_t)text, sizeof text, PL_W);
        long n = pl_call(fs, FS_INFO, (long)text, (long)sizeof text - 1);
        text[n > 0 ? n : 0] = 0;
        shell_say("/disk: %s", n > 0 ? text : "no answer\n");
    } else
        return 0;
    return 1;
#undef IS
}
