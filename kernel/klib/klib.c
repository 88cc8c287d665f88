/* klib: the few C library functions the kernel's spaces use.  Every kernel
 * space holds X (and R) over this code, so it runs in whichever space calls
 * it, on that space's data; it has no data of its own.  The compiler's own
 * calls to memcpy/memset land here too, which is why the kernel does not
 * link picolibc (its code is not in any space's pages). */
#include "kern.h"

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if ((((uintptr_t)dp | (uintptr_t)sp | n) & 7) == 0) {
        for (size_t i = 0; i < n; i += 8)
            *(uint64_t *)(dp + i) = *(const uint64_t *)(sp + i);
        return d;
    }
    for (size_t i = 0; i < n; i++)
        dp[i] = sp[i];
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    if (dp < sp)
        for (size_t i = 0; i < n; i++)
            dp[i] = sp[i];
    else
        for (size_t i = n; i > 0; i--)
            dp[i - 1] = sp[i - 1];
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    for (size_t i = 0; i < n; i++)
        dp[i] = (uint8_t)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i] || !a[i])
            return (uint8_t)a[i] - (uint8_t)b[i];
    }
    return 0;
}

char *kstrlcpy(char *d, const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n && s[i]; i++)
        d[i] = s[i];
    if (n)
        d[i] = 0;
    return d;
}

long katol(const char *s)
{
    long v = 0, sign = 1;
    while (*s == ' ')
        s++;
    if (*s == '-')
        sign = -1, s++;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    return v * sign;
}

/* printf-style formatting: %d %i %u %x %p %s %c %%, with l/z/ll and a width. */
struct out { char *buf; size_t size, n; };

static void put(struct out *o, char c)
{
    if (o->n + 1 < o->size)
        o->buf[o->n] = c;
    o->n++;
}

static void put_num(struct out *o, uint64_t v, unsigned base, int neg, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    for (int i = n; i < width; i++)
        put(o, pad);
    while (n)
        put(o, tmp[--n]);
}

int kvfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0, left = 0;
        if (*fmt == '-')
            left = 1, fmt++;
        if (*fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z')
            lng = 1, fmt++;
        switch (*fmt) {
        case 'd': case 'i': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u': put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad); break;
        case 'x': put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad); break;
        case 'p': put(&o, '0'); put(&o, 'x'); put_num(&o, (uint64_t)va_arg(ap, void *), 16, 0, width, pad); break;
        case 'c': put(&o, (char)va_arg(ap, int)); break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = (int)strlen(s);
            if (!left)
                for (int i = len; i < width; i++)
                    put(&o, ' ');
            while (*s)
                put(&o, *s++);
            if (left)
                for (int i = len; i < width; i++)
                    put(&o, ' ');
            break;
        }
        case '%': put(&o, '%'); break;
        default: put(&o, '%'); put(&o, *fmt); break;
        }
        if (!*fmt)
            break;
    }
    if (size)
        buf[o.n < size ? o.n : size - 1] = 0;
    return (int)o.n;
}

int kfmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvfmt(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void kappend(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    if (*pos >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = kvfmt(buf + *pos, size - *pos, fmt, ap);
    va_end(ap);
    *pos += (size_t)n;
    if (*pos > size - 1)
        *pos = size - 1;
}

/* The text is on this thread's stack, so the pass is of our own hunk. */
long kwrite(uint64_t console_gate, const char *s, size_t n)
{
    if (!console_gate || !n)
        return 0;
    if (pl_pass((uint64_t)s, n, PL_R) < 0)
        return KE_FAULT;
    return pl_call(console_gate, CON_WRITE, (long)s, (long)n);
}

int kprintf(uint64_t console_gate, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = kvfmt(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = sizeof buf - 1;
    kwrite(console_gate, buf, (size_t)n);
    return n;
}

/* The rights a space holds over a fixed set of probe addresses: boot checks
 * them against what each space should hold (least authority). */
extern char __boot_data_start[], __mem_data_start[], __sched_data_start[], __console_data_start[],
    __dir_data_start[], __proc_data_start[], __shell_data_start[], __image_start[];
const uint64_t kprobe_addr[16] = {
    PEER_SPACECTL, PEER_THREADCTL, PEER_IRQCTL, PEER_TIMER, PEER_UART0_BASE,
    (uint64_t)__boot_data_start, (uint64_t)__mem_data_start, (uint64_t)__sched_data_start,
    (uint64_t)__console_data_start, (uint64_t)__proc_data_start, (uint64_t)__image_start,
    KMEM_POOL_BASE,
};
const char *const kprobe_name[16] = {
    "spacectl", "threadctl", "irqctl", "timer", "uart", "boot-data", "mem-data", "sched-data",
    "console-data", "proc-data", "image", "pool",
};

void kprobe_rights(int64_t probe[16])
{
    for (int i = 0; i < KPROBES; i++)
        probe[i] = pl_query(kprobe_addr[i]);
}

/* Whether the running space (with any pass of its caller's) holds `right`
 * over every byte of [base, base + len): checked before a service takes
 * its turn, as a fault with the turn taken would stop every caller.  An
 * empty range is held; a negative or wrapping one is not. */
int kheld(uint64_t base, long len, uint64_t right)
{
    if (len < 0 || base + (uint64_t)len < base)
        return 0;
    if (len == 0)
        return 1;
    for (uint64_t a = base; a < base + (uint64_t)len; a = (a | (PEER_PAGE_SIZE - 1)) + 1)
        if (!(pl_query(a) & right))
            return 0;
    return (pl_query(base + (uint64_t)len - 1) & right) != 0;
}

/* A service's turn: one caller thread at a time inside it.  A caller that
 * finds it taken sleeps in sched on the turn's key; the giver wakes the
 * key only when someone sleeps on it. */
void kturn_take(struct kturn *t, uint64_t sched_gate)
{
    while (__atomic_exchange_n(&t->taken, 1, __ATOMIC_ACQUIRE)) {
        __atomic_add_fetch(&t->waiting, 1, __ATOMIC_ACQ_REL);
        pl_call(sched_gate, SCHED_WAIT, (long)t->key, 1);
        __atomic_sub_fetch(&t->waiting, 1, __ATOMIC_ACQ_REL);
    }
}

void kturn_give(struct kturn *t, uint64_t sched_gate)
{
    __atomic_store_n(&t->taken, 0, __ATOMIC_RELEASE);
    if (__atomic_load_n(&t->waiting, __ATOMIC_ACQUIRE))
        pl_call(sched_gate, SCHED_WAKE, (long)t->key);
}

/* A client's calls into a driver proc can restart (kern.h, drv) go
 * through a gate of the client's own, the shim, whose code is this: once
 * the driver is restarted its old gate is gone, and calling a gate that is
 * gone faults the calling frame — the shim's, which comes back to the
 * client as a status, not as an unwind of its own caller's call (with the
 * client's turn taken).  The shim arms the pass: a pass belongs to the
 * frame that armed it. */
static long kdrv_shim(long op, long gate, long a1, long a2, long a3, long pass, long pass_len, long rights)
{
    if (rights)
        pl_pass((uint64_t)pass, (uint64_t)pass_len, (uint64_t)rights);
    long r = pl_call(gate, op, a1, a2, a3);
    return pl_status() ? KE_FAULT : r;
}

void kdrv_client_init(struct kdrv_client *c, uint64_t gate, uint64_t restart)
{
    c->gate = gate;
    c->restart = restart;
    c->shim = (uint64_t)pl_make_gate((uint64_t)kdrv_shim, PL_GATE_OWN_DATA, KSERVICE_STACK + 1024, 0, 0);
    c->gen = restart ? pl_call(restart, DRV_GEN) : 0;
}

long kdrv_call(struct kdrv_client *c, long op, long a1, long a2, long a3, uint64_t pass, long pass_len,
               uint64_t rights)
{
    long r = pl_call(c->shim, op, (long)c->gate, a1, a2, a3, (long)pass, pass_len, (long)rights);
    return pl_status() ? KE_FAULT : r;
}

int kdrv_renew(struct kdrv_client *c)
{
    if (!c->restart)
        return 0;
    long g = pl_call(c->restart, DRV_RESTART, c->gen);
    if (g <= 0 || pl_status())
        return 0;
    c->gate = (uint64_t)g;
    c->gen = pl_call(c->restart, DRV_GEN);
    return 1;
}
