/* A hosted C program on picolibc over semihosting: formatted output of
 * integers and floating point, malloc/free, qsort, setjmp/longjmp, string
 * functions, and a non-zero exit code.  Every result is also checked here,
 * so a wrong answer fails even if QEMU would print the same.
 * EXPECT_EXIT: 42
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("libc: FAIL %s\n", what);
        failures++;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static jmp_buf env;

static void deep(int depth)
{
    if (depth == 0)
        longjmp(env, 7);
    deep(depth - 1);
}

static void test_printf(void)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%d %u %ld %lx %llu %5.2f %e %g %s %c",
             -42, 42u, -1234567890123L, 0xdeadbeefUL, 18446744073709551615ULL,
             3.14159, 1e-10, 0.5, "str", 'z');
    printf("printf: %s\n", buf);
    check(strcmp(buf, "-42 42 -1234567890123 deadbeef 18446744073709551615  3.14 "
                      "1.000000e-10 0.5 str z") == 0, "snprintf");
    volatile double third = 1.0 / 3.0;
    volatile float f = 2.5f;
    snprintf(buf, sizeof buf, "%.15g %.9g %a", third, (double)f * f, 1.0);
    printf("floats: %s\n", buf);
    check(strcmp(buf, "0.333333333333333 6.25 0x1p+0") == 0, "float formatting");
}

static void test_malloc(void)
{
    enum { N = 64 };
    uint64_t *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = malloc((size_t)(i + 1) * 64);
        check(blocks[i] != NULL, "malloc");
        if (!blocks[i])
            return;
        for (int j = 0; j < (i + 1) * 8; j++)
            blocks[i][j] = (uint64_t)i * 1000 + (uint64_t)j;
    }
    uint64_t sum = 0;
    for (int i = 0; i < N; i++) {
        sum += blocks[i][i * 8];
        free(blocks[i]);
    }
    printf("malloc: sum %llu\n", (unsigned long long)sum);
    check(sum == 2016000 + 8 * 2016, "malloc contents");
    char *big = calloc(1, 1 << 20);
    check(big != NULL && big[12345] == 0, "calloc");
    big = realloc(big, 2 << 20);
    check(big != NULL, "realloc");
    free(big);
}

static void test_qsort(void)
{
    int v[100];
    uint32_t x = 12345;
    for (int i = 0; i < 100; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = (int)(x >> 8) % 1000 - 500;
    }
    qsort(v, 100, sizeof v[0], cmp_int);
    int sorted = 1;
    for (int i = 1; i < 100; i++)
        sorted &= v[i - 1] <= v[i];
    printf("qsort: %d %d %d\n", v[0], v[50], v[99]);
    check(sorted, "qsort order");
    int key = v[37];
    int *found = bsearch(&key, v, 100, sizeof v[0], cmp_int);
    check(found && *found == key, "bsearch");
}

static void test_setjmp(void)
{
    volatile int passes = 0;
    int r = setjmp(env);
    passes++;
    if (r == 0)
        deep(10);
    printf("setjmp: returned %d after %d passes\n", r, passes);
    check(r == 7 && passes == 2, "setjmp/longjmp");
}

static void test_strings(void)
{
    char buf[64];
    strcpy(buf, "hello");
    strcat(buf, ", world");
    check(strlen(buf) == 12, "strlen");
    check(strcmp(buf, "hello, world") == 0, "strcmp");
    check(strncmp(buf, "help", 3) == 0 && strncmp(buf, "help", 4) != 0, "strncmp");
    check(strchr(buf, 'w') == buf + 7 && strrchr(buf, 'o') == buf + 8, "strchr");
    check(strstr(buf, "wor") == buf + 7, "strstr");
    memset(buf, 'x', 10);
    buf[10] = 0;
    check(strcmp(buf, "xxxxxxxxxx") == 0, "memset");
    memmove(buf + 2, buf, 5);
    memcpy(buf, "ab", 2);
    check(memcmp(buf, "abxxxxxxxx", 10) == 0, "memmove/memcpy");
    check(strtol("-0x7f", NULL, 16) == -127 && strtoul("777", NULL, 8) == 511, "strtol");
    check(atoi("  123abc") == 123, "atoi");
    double d = strtod("2.5e3", NULL);
    check(d == 2500.0, "strtod");
    printf("strings: %s %ld %g\n", buf, strtol("-99", NULL, 10), d);
}

int main(void)
{
    printf("libc: start\n");
    test_printf();
    test_malloc();
    test_qsort();
    test_setjmp();
    test_strings();
    if (failures) {
        printf("libc: %d failures\n", failures);
        return 1;
    }
    printf("libc: all checks passed, exiting with 42\n");
    exit(42);
}
