/* The virt program tests/gdb/run.sh debugs: a call chain to break in and
 * backtrace, a variable to watch, FP state, and (built with -DSPIN) a loop
 * that never ends, for Ctrl-C.  Exits with 7 when it ran as written. */
#include <stdio.h>

volatile long counter;
volatile double scale = 1.5;

__attribute__((noinline)) long leaf(long x)
{
    counter += x;
    return counter * 2;
}

__attribute__((noinline)) long middle(long x) { return leaf(x + 1) + 1; }

int main(void)
{
#ifdef SPIN
    for (;;)
        counter++;
#endif
    double d = scale;
    for (int i = 0; i < 5; i++) {
        middle(i);
        d *= scale;
    }
    printf("counter %ld\n", counter);
    return counter == 15 && d > 11 ? 7 : 1;
}
