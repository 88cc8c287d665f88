/* The paranoid library: lives in its own space and serves through a gate
 * into it (own data).  Its caller lends it a buffer for one call (a pass)
 * and a gate to call back; it keeps a secret the caller cannot read, and
 * tries to reach what it was not given (each try faults, which unwinds
 * the call that made it: the caller learns it from its status). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "peer_rt.h"
#include "kern.h"
#include "os.h"
#include "plib.h"

static char secret[64] = "the library's private key: 5eed";
static volatile char *last_buf;

static long plib_gate(long op, long a1, long a2, long a3, long quiet)
{
    switch (op) {
    case PLIB_WORK: {
        volatile char *buf = (volatile char *)a1;
        long sum = 0;
        if (!quiet)
            printf("plib: (space %lu) called with a %ld-byte buffer, rights 0x%lx over it for this call\n",
               (unsigned long)pl_self(), a2, pl_query((uint64_t)buf));
        for (long i = 0; i < a2; i++) {
            char c = buf[i];
            if (c >= 'a' && c <= 'z')
                buf[i] = (char)(c - 32);
            sum += (unsigned char)buf[i];
        }
        last_buf = buf;
        long r = pl_call(a3, sum);
        if (!quiet)
            printf("plib: the callback returned %ld (status %ld)\n", r, pl_status());
        return sum;
    }
    case PLIB_PEEK: return (long)*(volatile uint64_t *)a1;
    case PLIB_REUSE: return last_buf ? (long)last_buf[0] : -1;
    case PLIB_SECRET: return (long)secret;
    }
    return KE_INVAL;
}

int main(void)
{
    printf("plib: library loaded in space %lu for space %lu\n", (unsigned long)pl_self(),
           (unsigned long)os_client_space());
    return (int)os_serve((uint64_t)plib_gate, PL_GATE_OWN_DATA, PLIB_STACK);
}
