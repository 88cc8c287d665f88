/* A program that faults: it stores to memory it was never granted (the
 * kernel's console data).  proc, its fault gate, ends it with the fault
 * as its status; no other space notices. */
#include <stdio.h>
#include <stdint.h>

int main(void)
{
    printf("crash: storing to 0x80000000, which this program was never granted\n");
    *(volatile uint64_t *)0x80000000UL = 0xdead;
    printf("crash: still alive?!\n");
    return 0;
}
