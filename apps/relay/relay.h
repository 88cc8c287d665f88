/* A relay (apps/relay, relay2, relay3): a library that acts on grants from
 * inside its own space when asked, for the grants demo. */
#ifndef RELAY_H
#define RELAY_H
enum { RELAY_GRANT = 1,   /* a1 space, a2 base, a3 len, a4 rights -> grant id or PL_E_* */
       RELAY_QUERY,       /* a1 address -> this space's rights there */
       RELAY_READ,        /* a1 address -> the word there (a fault unwinds the call) */
       RELAY_REVOKE };    /* a1 grant id -> 0 or PL_E_* */
#endif
