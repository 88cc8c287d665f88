/* Restarting driver spaces (kern.h, "drv"): proc keeps, for each driver
 * boot registers, what it takes to make the driver afresh — its image, its
 * device pages, its interrupt source — and who holds its gates.  Boot gave
 * proc those pages with P, so every grant a restarted driver holds comes
 * from proc, and destroying the driver's space takes all of it back.
 *
 * A restart: destroy the space (calls running in it are unwound at their
 * next instruction), zero its data (its pristine state: boot checked it
 * was all zeros), make a space, grant it its code, klib, its data, its
 * devices and G on sched, run its restart entry on a thread of its own
 * until it says done (it has made its gates and granted them to proc),
 * then point its interrupt source at its new interrupt gate, give each
 * client G on its gate and publish the public ones in dir again.
 *
 * Who asks: a client whose call failed (its DRV_RESTART gate says which
 * generation failed, so two clients reporting one failure restart once),
 * and the watchdog (lib.c's thread calls driver_watch every 2 ticks): the
 * driver's watch word (in its data) staying busy on the same request for
 * DRV_DEADLINE_TICKS means the driver loops; restarting it unwinds the
 * call, and the client retries.  Whoever called, fs or a program. */
#include "proc.h"

#define MAX_DRIVERS 4
#define MAX_CLIENTS 4

struct client { uint64_t space, out, gate; };
struct driver {
    int used;
    struct kdriver d;
    volatile struct kwatch *watch;
    uint64_t last_seq, stuck;
    long gen;
    struct client clients[MAX_CLIENTS];
    struct { uint64_t out, name[2]; } published[2];
    uint64_t dir_space;
    volatile int restarting;
};
static struct driver drivers[MAX_DRIVERS];

static long give(uint64_t space, uint64_t base, uint64_t len, uint64_t rights)
{
    return len ? pl_grant(space, base, len, rights) : 0;
}

static void rights_text(const struct driver *v, char *out, size_t size)
{
    size_t pos = 0;
    kappend(out, size, &pos, "text:RX data:RWP");
    for (int i = 0; i < 4; i++)
        if (v->d.dev[i][1])
            kappend(out, size, &pos, " dev%d:RW", i);
    kappend(out, size, &pos, " sched:G (restarted %ld)", v->gen);
}

static long restart(struct driver *v, const char *why)
{
    struct kdriver *d = &v->d;
    say("proc: driver %s: %s; restarting it\n", d->name, why);
    if (d->dma_regs)
        say("proc: driver %s: its DMA device has had %ld transfers stopped by the aperture\n", d->name,
            (long)peer_ctl_read(d->dma_regs, DMACTL_VIOLATIONS));
    if (d->space) {
        pl_call(dir_admin, DIR_SPACE_DEL, (long)d->space);
        peer_space_destroy(d->space);
        d->space = 0;
    }
    memset((void *)d->data_lo, 0, d->data_hi - d->data_lo);
    long s = peer_space_create();
    if (s <= 0)
        return KE_NOMEM;
    extern char __klib_text_start[], __klib_text_end[];
    if (give((uint64_t)s, d->text_lo, d->text_hi - d->text_lo, PL_R | PL_X) < 0 ||
        give((uint64_t)s, (uint64_t)__klib_text_start, (uint64_t)(__klib_text_end - __klib_text_start),
             PL_R | PL_X) < 0 ||
        give((uint64_t)s, d->data_lo, d->data_hi - d->data_lo, PL_R | PL_W | PL_P) < 0 ||
        give((uint64_t)s, d->sched_gate, 8, PL_G) < 0)
        return KE_PERM;
    for (int i = 0; i < 4; i++)
        if (give((uint64_t)s, d->dev[i][0], d->dev[i][1], d->dev[i][2]) < 0)
            return KE_PERM;
    d->space = (uint64_t)s;
    struct kinit *m = (struct kinit *)d->msg;
    m->gates[0] = d->sched_gate;
    m->gates[1] = pl_self();   /* grant the gates to proc */
    m->done = 0;
    long t = pl_call(sched_admin, SCHED_CREATE, (long)d->entry, (long)d->stack_hi, (long)d->stack_lo,
                     (long)d->stack_hi, s, (long)m, 1);
    if (t <= 0)
        return KE_NOMEM;
    for (int i = 0; i < 500 && !m->done; i++)
        pl_call(sched_admin, SCHED_SLEEP, 1);
    pl_call(sched_admin, SCHED_KILL, t);
    if (!m->done) {
        say("proc: driver %s: its init did not finish\n", d->name);
        return KE_BUSY;
    }
    memcpy(d->out, m->out, sizeof d->out);
    v->gen++;
    if (d->irq_source) {
        peer_irq_config((unsigned)d->irq_source, d->out[d->irq_out], (unsigned)d->irq_prio);
        /* an interrupt taken while the driver was gone faulted: not its fault */
        peer_ctl_write(PEER_IRQCTL, IRQCTL_SRC((unsigned)d->irq_source) + IRQCTL_SRC_FAULT, 0);
    }
    for (int i = 0; i < MAX_CLIENTS; i++)
        if (v->clients[i].space)
            pl_grant(v->clients[i].space, d->out[v->clients[i].out], 8, PL_G);
    for (int i = 0; i < 2; i++)
        if (v->published[i].name[0]) {
            uint64_t g = d->out[v->published[i].out];
            pl_call(dir_admin, DIR_UNREGISTER, (long)v->published[i].name[0], (long)v->published[i].name[1]);
            pl_grant(v->dir_space, g, 8, PL_G | PL_P);   /* dir hands it on */
            pl_call(dir_admin, DIR_REGISTER, (long)v->published[i].name[0], (long)v->published[i].name[1], (long)g);
        }
    char text[160];
    rights_text(v, text, sizeof text);
    uint64_t n[2];
    kname_pack(d->name, n);
    pl_pass((uint64_t)text, strlen(text), PL_R);
    pl_call(dir_admin, DIR_SPACE_ADD, (long)n[0], (long)n[1], s, (long)text, (long)strlen(text));
    say("proc: driver %s restarted in space %ld (generation %ld)\n", d->name, s, v->gen);
    return 0;
}

/* One restart at a time; a second asker waits for it. */
static long restart_once(struct driver *v, long seen, const char *why)
{
    while (__atomic_exchange_n(&v->restarting, 1, __ATOMIC_ACQUIRE))
        pl_call(sched_admin, SCHED_SLEEP, 1);
    long r = 0;
    if (seen == v->gen)
        r = restart(v, why);
    v->stuck = 0;
    __atomic_store_n(&v->restarting, 0, __ATOMIC_RELEASE);
    return r;
}

/* (lib.c's watchdog thread, every 2 ticks) */
void driver_watch(void)
{
    for (int i = 0; i < MAX_DRIVERS; i++) {
        struct driver *v = &drivers[i];
        if (!v->used || v->restarting)
            continue;
        /* A fault in its interrupt handler disables the source (the machine
         * does): that is the driver failing too, and it is restarted.  (A
         * thread that was inside the old space's handler when a restart
         * destroyed it faults when it comes back; once the source has the
         * new handler's gate, the machine leaves the source alone, and
         * before that, restart clears what it recorded.) */
        unsigned src = (unsigned)v->d.irq_source;
        uint64_t cause = src ? peer_irq_src_read(src, IRQCTL_SRC_FAULT) : 0;
        if (cause) {
            peer_ctl_write(PEER_IRQCTL, IRQCTL_SRC(src) + IRQCTL_SRC_FAULT, 0);
            restart_once(v, v->gen, "its interrupt handler faulted");
            continue;
        }
        if (!v->watch)
            continue;
        uint64_t busy = v->watch->busy, seq = v->watch->seq;
        if (!busy || seq != v->last_seq) {
            v->last_seq = seq;
            v->stuck = 0;
            continue;
        }
        v->stuck += 2;
        if (v->stuck >= DRV_DEADLINE_TICKS)
            restart_once(v, v->gen, "watchdog: a call ran past its deadline");
    }
}

static long drv_register(const volatile struct kdriver *in, uint64_t watch)
{
    for (int i = 0; i < MAX_DRIVERS; i++)
        if (!drivers[i].used) {
            struct driver *v = &drivers[i];
            memset(v, 0, sizeof *v);
            for (size_t k = 0; k < sizeof v->d; k++)
                ((char *)&v->d)[k] = ((const volatile char *)in)[k];
            v->d.name[sizeof v->d.name - 1] = 0;
            v->watch = (volatile struct kwatch *)watch;
            v->used = 1;
            return i;
        }
    return KE_NOMEM;
}

static long drv_client(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    uint64_t who = peer_read_tp();
    struct driver *v = &drivers[(who >> 8) % MAX_DRIVERS];
    uint64_t out = who & 0xff;
    if (!v->used)
        return KE_NOENT;
    switch (op) {
    case DRV_RESTART: {
        long r = restart_once(v, a1, "a client's call failed");
        return r < 0 ? r : (long)v->d.out[out];
    }
    case DRV_GEN: return v->gen;
    }
    return KE_INVAL;
}

static long drv_tester(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    struct driver *v = &drivers[peer_read_tp() % MAX_DRIVERS];
    if (!v->used || !v->d.inject)
        return KE_NOENT;
    if (op != DRV_INJECT || a1 < INJECT_WILD || a1 > INJECT_DMA)
        return KE_INVAL;
    volatile struct kinject *j = (volatile struct kinject *)v->d.inject;
    j->target = (uint64_t)a2;
    j->kind = (uint64_t)a1;
    return 0;
}

/* proc's "drv-admin" gate: boot's. */
long drv_admin(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    if (op == DRV_REGISTER)
        return drv_register((const volatile struct kdriver *)a1, (uint64_t)a2);
    if (a1 < 0 || a1 >= MAX_DRIVERS || !drivers[a1].used)
        return KE_NOENT;
    struct driver *v = &drivers[a1];
    switch (op) {
    case DRV_CLIENT:
        for (int i = 0; i < MAX_CLIENTS; i++)
            if (!v->clients[i].space) {
                long g = pl_make_gate((uint64_t)drv_client, PL_GATE_OWN_DATA, KSERVICE_STACK, 0,
                                      (uint64_t)a1 << 8 | (uint64_t)a2);
                if (g < 0 || pl_grant((uint64_t)a3, (uint64_t)g, 8, PL_G) < 0)
                    return KE_PERM;
                v->clients[i] = (struct client){ (uint64_t)a3, (uint64_t)a2, (uint64_t)g };
                return g;
            }
        return KE_NOMEM;
    case DRV_PUBLISH:
        for (int i = 0; i < 2; i++)
            if (!v->published[i].name[0]) {
                v->published[i].out = (uint64_t)a2;
                v->published[i].name[0] = (uint64_t)a3;
                v->published[i].name[1] = (uint64_t)a4;
                v->dir_space = (uint64_t)a5;
                return 0;
            }
        return KE_NOMEM;
    case DRV_TESTER: {
        long g = pl_make_gate((uint64_t)drv_tester, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, (uint64_t)a1);
        if (g < 0 || pl_grant((uint64_t)a2, (uint64_t)g, 8, PL_G) < 0)
            return KE_PERM;
        return g;
    }
    }
    return KE_INVAL;
}
