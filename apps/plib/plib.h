/* The paranoid library's operations (apps/plib): a library in a space of
 * its own, called through its gate by apps/paranoid. */
#ifndef PLIB_H
#define PLIB_H
enum { PLIB_WORK = 1,    /* a1 buf (R|W pass), a2 len, a3 callback gate: upper-cases the buffer,
                            calls back, returns the sum of its bytes;
                            a4 1: quietly (no printf) */
       PLIB_PEEK,        /* a1 address: loads from it (the caller's data, not passed) */
       PLIB_REUSE,       /* loads from the buffer of the last PLIB_WORK, after its pass ended */
       PLIB_SECRET };    /* -> the address of the library's private data */
#define PLIB_STACK 32768   /* what its gate needs: its printf, and the callback's needs */
#endif
