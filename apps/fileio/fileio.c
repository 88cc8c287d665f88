/* fileio: an ordinary C program using the disk's files through picolibc's
 * stdio (fopen, fprintf, fgets, fread, fseek) and the POSIX calls lib/os
 * provides (mkdir, stat, rename, unlink, ftruncate) and its directory
 * listing (os_opendir): each step says what it got, and the program exits
 * 0 only if every result is the expected one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "os.h"

static int bad;

static void check(int ok, const char *what)
{
    printf("fileio: %s: %s\n", what, ok ? "ok" : "WRONG");
    bad += !ok;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/disk/fileio";
    char path[128], path2[128], line[128];
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        printf("fileio: mkdir %s: errno %d\n", dir, errno);
        return 1;
    }
    snprintf(path, sizeof path, "%s/Numbers written by fprintf.txt", dir);
    FILE *f = fopen(path, "w");
    check(f != 0, "fopen for writing a long name");
    if (!f)
        return 1;
    for (int i = 0; i < 300; i++)
        fprintf(f, "number %d squared is %d\n", i, i * i);
    check(fclose(f) == 0, "fclose");

    struct stat st;
    check(stat(path, &st) == 0 && S_ISREG(st.st_mode), "stat");
    printf("fileio: size %ld bytes\n", (long)st.st_size);

    f = fopen(path, "r");
    int n = 0, good = 1;
    while (f && fgets(line, sizeof line, f)) {
        char want[64];
        snprintf(want, sizeof want, "number %d squared is %d\n", n, n * n);
        good &= !strcmp(line, want);
        n++;
    }
    check(f && n == 300 && good, "fgets reads back all 300 lines");
    /* fseek and fread in the middle */
    char chunk[16] = { 0 };
    check(f && fseek(f, 22, SEEK_SET) == 0 && fread(chunk, 1, 8, f) == 8 && !memcmp(chunk, "number 1", 8),
          "fseek + fread");
    if (f)
        fclose(f);

    f = fopen(path, "a");
    fprintf(f, "appended\n");
    fclose(f);
    f = fopen(path, "r");
    fseek(f, -9, SEEK_END);
    check(fgets(line, sizeof line, f) && !strcmp(line, "appended\n"), "append, then read from the end");
    fclose(f);

    int fd = open(path, O_RDWR);
    check(fd >= 0 && ftruncate(fd, 100) == 0 && fstat(fd, &st) == 0 && st.st_size == 100, "ftruncate to 100");
    check(fsync(fd) == 0, "fsync (the disk's FLUSH)");
    close(fd);

    snprintf(path2, sizeof path2, "%s/renamed.txt", dir);
    check(rename(path, path2) == 0 && stat(path, &st) != 0 && stat(path2, &st) == 0, "rename");

    struct os_dir *d = os_opendir(dir);
    int entries = 0, seen = 0;
    for (struct os_dirent *e; d && (e = os_readdir(d));) {
        printf("fileio: entry %s (%ld bytes)\n", e->name, e->size);
        entries++;
        seen += !strcmp(e->name, "renamed.txt") && e->size == 100;
    }
    if (d)
        os_closedir(d);
    check(entries == 1 && seen == 1, "readdir");

    check(fopen("/disk/no/such/file", "r") == 0 && errno == ENOENT, "a missing file is ENOENT");
    check(unlink(path2) == 0 && rmdir(dir) == 0, "unlink and rmdir");
    check(fopen("motd", "r") != 0, "the boot image's files still open");
    printf("fileio: %s\n", bad ? "FAILED" : "every file call as expected");
    return bad != 0;
}
