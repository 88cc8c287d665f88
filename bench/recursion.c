/* Call-heavy recursion: naive Fibonacci, Ackermann and Takeuchi.  Almost
 * all the work is calls, returns and stack-frame traffic.  The arguments
 * come through volatile variables so the compiler cannot fold the results.
 */
#include <stdio.h>

__attribute__((noinline)) static long fib(long n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static long ackermann(long m, long n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

__attribute__((noinline)) static long tak(long x, long y, long z)
{
    if (y >= x)
        return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static volatile long fib_n = 33, ack_m = 3, ack_n = 10;
static volatile long tak_x = 24, tak_y = 16, tak_z = 8;

int main(void)
{
    long f = fib(fib_n);
    long a = ackermann(ack_m, ack_n);
    long t = tak(tak_x, tak_y, tak_z);
    /* Closed forms for the first two: wrong arithmetic must not pass. */
    long f_check = 0, f_next = 1;
    for (long i = 0; i < fib_n; i++) {
        long s = f_check + f_next;
        f_check = f_next;
        f_next = s;
    }
    if (f != f_check || a != (8L << ack_n) - 3) {
        printf("recursion: wrong result fib %ld ack %ld\n", f, a);
        return 1;
    }
    printf("recursion: fib(%ld) %ld ackermann(%ld,%ld) %ld tak(%ld,%ld,%ld) %ld\n",
           (long)fib_n, f, (long)ack_m, (long)ack_n, a,
           (long)tak_x, (long)tak_y, (long)tak_z, t);
    return 0;
}
