/* lwIP's platform glue in the ip space: time from the peer timer, random
 * numbers, assertions, and the one C library function lwIP calls that
 * klib lacks. */
#include "ip.h"
#include "lwip/sys.h"

/* Milliseconds, from the timer (10 MHz); wraps as lwIP expects. */
u32_t sys_now(void)
{
    return (u32_t)(peer_timer_now() / (PEER_TIMEBASE_HZ / 1000));
}

/* xorshift64, seeded from the timer at the first call: TCP's initial
 * sequence numbers and ports need to differ between boots, not be secret. */
unsigned ip_rand(void)
{
    static uint64_t s;
    if (!s)
        s = peer_timer_now() * 0x9e3779b97f4a7c15UL | 1;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (unsigned)(s >> 16);
}

void ip_assert_failed(const char *msg, int line, const char *file)
{
    kprintf(ip_console_gate, "ip: lwIP assertion failed: %s (%s:%d)\n", msg, file, line);
    /* The lock stays taken: the stack's state cannot be trusted any more.
     * Faulting ends the gate call that got here (or ip's thread). */
    __builtin_trap();
}

/* netif_find() parses an interface number with atoi. */
int atoi(const char *s)
{
    return (int)katol(s);
}

int ip_held(uint64_t base, long len, uint64_t right)
{
    if (len <= 0 || base + (uint64_t)len < base)
        return len == 0;
    for (uint64_t a = base; a < base + (uint64_t)len; a = (a | (PEER_PAGE_SIZE - 1)) + 1)
        if (!(pl_query(a) & right))
            return 0;
    return (pl_query(base + (uint64_t)len - 1) & right) != 0;
}
