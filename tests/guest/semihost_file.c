/* Semihosting file I/O through picolibc's stdio: create, write, seek,
 * read back, query the length, close and remove a file in the current
 * directory (the runner runs guests in build/guest).  The name includes
 * "guest-semihost" so it cannot clash with other tests' files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const name = "guest-semihost-file.tmp";
static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("semihost_file: FAIL %s\n", what);
        failures++;
    }
}

int main(void)
{
    static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz\n";
    char buf[64];

    remove(name);   /* a leftover from an interrupted run */
    FILE *f = fopen(name, "wb");
    check(f != NULL, "fopen for writing");
    if (!f)
        return 1;
    for (int i = 0; i < 100; i++)
        check(fwrite(text, 1, sizeof text - 1, f) == sizeof text - 1, "fwrite");
    check(fclose(f) == 0, "fclose after writing");

    f = fopen(name, "rb");
    check(f != NULL, "fopen for reading");
    if (!f)
        return 1;
    check(fseek(f, 0, SEEK_END) == 0, "fseek to end");
    long len = ftell(f);
    printf("semihost_file: length %ld\n", len);
    check(len == 100 * (long)(sizeof text - 1), "file length");

    check(fseek(f, 37 * 10 + 10, SEEK_SET) == 0, "fseek");
    memset(buf, 0, sizeof buf);
    check(fread(buf, 1, 5, f) == 5, "fread");
    printf("semihost_file: read \"%s\"\n", buf);
    check(strcmp(buf, "abcde") == 0, "fread contents");
    check(ftell(f) == 37 * 10 + 15, "ftell after read");

    check(fseek(f, -3, SEEK_END) == 0, "fseek from end");
    memset(buf, 0, sizeof buf);
    size_t n = fread(buf, 1, sizeof buf, f);
    check(n == 3 && strcmp(buf, "yz\n") == 0, "short read at end");
    check(fread(buf, 1, 1, f) == 0 && feof(f), "end of file");
    check(fclose(f) == 0, "fclose after reading");

    f = fopen(name, "ab");
    check(f != NULL && fputs("tail", f) >= 0 && fclose(f) == 0, "append");
    f = fopen(name, "rb");
    check(f != NULL, "reopen");
    if (f) {
        fseek(f, 0, SEEK_END);
        check(ftell(f) == len + 4, "length after append");
        fclose(f);
    }

    check(remove(name) == 0, "remove");
    check(fopen(name, "rb") == NULL, "file is gone");
    printf("semihost_file: %s\n", failures ? "FAIL" : "PASS");
    return failures != 0;
}
