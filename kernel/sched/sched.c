/* sched: threads, priorities, sleeping and waking, pre-emption.
 *
 * Every change to the scheduler's state happens in one place: its interrupt
 * handler, the gate of both the timer (source 1) and the software interrupt
 * (source 4), at one priority.  A handler runs to completion before another
 * of the same priority is taken, so the handler never races with itself —
 * no lock.  A thread asks for something (yield, sleep, create...) by
 * filling in its own request slot, which only it writes, and raising the
 * software interrupt: the handler, taken at once on the same thread, serves
 * the request of the thread it interrupted.  A timer tick that lands
 * between the two simply serves the request early.  The gates' code thus
 * never touches the thread table; the handler is the only writer.
 *
 * Switching threads is THREAD_SWITCH from within the handler: the handler's
 * frame stays on the old thread, which resumes inside it later and returns
 * from the interrupt as if nothing happened — that is pre-emption.
 */
#include "kern.h"

#define MAXT 64
#define SCHED_PRIO 2
#define PERIOD (PEER_TIMEBASE_HZ / SCHED_TICK_HZ)

struct req {
    volatile long op, a[7];
    volatile long result;
    volatile int submitted, done;
};
struct kthread {
    long tid;
    int state, prio, idle;
    int held;   /* a debugger holds it: not scheduled, stepped only */
    uint64_t key, deadline;
    struct req req;
};

/* Wakes posted by interrupt handlers (SCHED_IRQ_WAKE): a handler must not
 * use its interrupted thread's request slot (that thread may be filling it
 * in), so it claims a free slot here, any order, and raises the software
 * interrupt; our handler drains the slots.  A wake that finds no waiter
 * leaves a token: the next WAIT on that key returns at once, so a
 * completion that lands before its waiter asks is not lost. */
#define IRQ_WAKES 16
static volatile uint64_t irq_wake[IRQ_WAKES];
static uint64_t token[IRQ_WAKES];

static struct kthread threads[MAXT];
static struct kthread *running;   /* the one the handler last let run */
static uint64_t ticks;
static int rr;                     /* round-robin cursor */

static struct kthread *find(long tid)
{
    for (int i = 0; i < MAXT; i++)
        if (threads[i].state != KT_FREE && threads[i].tid == tid)
            return &threads[i];
    return 0;
}

/* Make the threads waiting on `key` ready: how many. */
static long wake(long key)
{
    long n = 0;
    for (int i = 0; i < MAXT; i++)
        if (threads[i].state == KT_WAITING && threads[i].key == (uint64_t)key && key) {
            threads[i].state = KT_READY;
            threads[i].req.result = 1;
            n++;
        }
    return n;
}

static long create(long *a)
{
    struct kthread *t = 0;
    for (int i = 0; i < MAXT && !t; i++)
        if (threads[i].state == KT_FREE)
            t = &threads[i];
    if (!t)
        return KE_NOMEM;
    long tid = peer_thread_create((uint64_t)a[0], (uint64_t)a[1], (uint64_t)a[2], (uint64_t)a[3],
                                  (uint64_t)a[4], (uint64_t)a[4], (uint64_t)a[5]);
    if (tid <= 0)
        return tid < 0 ? tid : KE_NOMEM;
    memset(t, 0, sizeof *t);
    t->tid = tid;
    t->prio = (int)a[6];
    t->state = KT_READY;
    return tid;
}

/* Serve the request of the thread the handler interrupted; returns 1 if it
 * should give up the hart. */
static int serve(struct kthread *me)
{
    long *a = (long *)me->req.a, r = 0;
    int resched = 0;
    switch (me->req.op) {
    case SCHED_YIELD: resched = 1; break;
    case SCHED_SLEEP:
        me->state = KT_WAITING;
        me->key = 0;
        me->deadline = ticks + (uint64_t)(a[0] > 0 ? a[0] : 1);
        resched = 1;
        break;
    case SCHED_WAIT:
        for (int i = 0; i < IRQ_WAKES; i++)
            if (a[0] && token[i] == (uint64_t)a[0]) {
                token[i] = 0;      /* woken already: do not wait */
                me->req.result = 1;
                return 0;
            }
        me->state = KT_WAITING;
        me->key = (uint64_t)a[0];
        me->deadline = a[1] > 0 ? ticks + (uint64_t)a[1] : 0;
        resched = 1;
        break;
    case SCHED_WAKE: r = wake(a[0]); break;
    case SCHED_SELF: r = me->tid; break;
    case SCHED_TICKS: r = (long)ticks; break;
    case SCHED_CREATE: r = create(a); break;
    case SCHED_KILL: {
        struct kthread *t = find(a[0]);
        if (!t || t->idle)
            r = KE_NOENT;
        else if (t == me) {
            me->state = KT_ZOMBIE;
            resched = 1;
        } else {
            peer_thread_stop((uint64_t)t->tid);
            t->state = KT_FREE;
        }
        break;
    }
    case SCHED_EXIT:
        /* Ended and its waiters woken in one step: whoever wakes finds the
         * thread gone for good, so may reuse what it ran on (its stack). */
        me->state = KT_ZOMBIE;
        wake(a[0]);
        resched = 1;
        break;
    case SCHED_STATE: {
        struct kthread *t = find(a[0]);
        r = t ? t->state : KT_FREE;
        break;
    }
    case SCHED_IDLE:
        me->idle = 1;
        me->prio = -1;
        peer_timer_set_cmp(peer_timer_now() + PERIOD);
        resched = 1;
        break;
    case SCHED_COUNT:
        for (int i = 0; i < MAXT; i++)
            r += threads[i].state != KT_FREE && threads[i].state != KT_ZOMBIE;
        break;
    case SCHED_HOLD: {
        struct kthread *t = find(a[0]);
        if (!t || t == me || t->idle)
            r = KE_NOENT;
        else
            t->held = a[1] != 0;
        break;
    }
    case SCHED_STEP:
    case SCHED_GETREG: {
        /* Only a held thread: it is not running and nothing else will run
         * it meanwhile.  The step runs it here, inside this handler, with
         * interrupts waiting (THREAD_STEP). */
        struct kthread *t = find(a[0]);
        if (!t || !t->held || t == me)
            r = KE_PERM;
        else {
            const uint64_t args[2] = { (uint64_t)a[0], (uint64_t)a[1] };
            r = peer_thread_cmd(me->req.op == SCHED_STEP ? THREAD_STEP : THREAD_GETREG, args, 2);
            if (me->req.op == SCHED_STEP && peer_thread_state((uint64_t)t->tid) == THREAD_FAULTED)
                t->state = KT_FAULTED;
        }
        break;
    }
    default: r = KE_INVAL;
    }
    if (me->req.op != SCHED_WAIT)
        me->req.result = r;
    else
        me->req.result = 0;   /* becomes 1 if woken before the deadline */
    return resched;
}

/* Serve the wakes interrupt handlers posted: 1 if a thread was woken. */
static int drain_irq_wakes(void)
{
    int woke = 0;
    for (int i = 0; i < IRQ_WAKES; i++) {
        uint64_t key = __atomic_exchange_n(&irq_wake[i], 0, __ATOMIC_ACQ_REL);
        if (!key)
            continue;
        long n = wake((long)key);
        woke |= n > 0;
        for (int k = 0; k < IRQ_WAKES && !n; k++)
            if (token[k] == key)
                n = 1;                       /* one token per key is enough */
        for (int k = 0; k < IRQ_WAKES && !n; k++)
            if (!token[k]) {
                token[k] = key;
                n = 1;
            }
    }
    return woke;
}

/* The highest-priority ready thread, round robin among equals; the idle
 * thread only when nothing else can run. */
static struct kthread *pick(void)
{
    struct kthread *best = 0;
    for (int k = 1; k <= MAXT; k++) {
        struct kthread *t = &threads[(rr + k) % MAXT];
        if ((t->state == KT_READY || t->state == KT_RUNNING) && !t->held && (!best || t->prio > best->prio))
            best = t;
    }
    if (best)
        rr = (int)(best - threads);
    return best;
}

static long sched_irq(long source)
{
    int resched = 0;
    if (source == IRQ_SRC_SOFT)
        peer_timer_soft(0);
    if (source == IRQ_SRC_TIMER) {
        ticks++;
        peer_timer_set_cmp(peer_timer_now() + PERIOD);
        resched = 1;
    }
    resched |= drain_irq_wakes();
    struct kthread *me = find((long)peer_thread_current());
    if (!me)
        return 0;
    /* The hart came back to us without our switching: the thread that ran
     * stopped on a fault and the machine resumed THREADCTL_ON_FAULT. */
    if (running && running != me && running->state == KT_RUNNING &&
        peer_thread_state((uint64_t)running->tid) == THREAD_FAULTED)
        running->state = KT_FAULTED;
    if (me->state == KT_READY)
        me->state = KT_RUNNING;
    running = me;
    if (me->req.submitted) {
        me->req.submitted = 0;
        resched |= serve(me);
        me->req.done = 1;
    }
    for (int i = 0; i < MAXT; i++) {
        struct kthread *t = &threads[i];
        if (t->state == KT_WAITING && t->deadline && ticks >= t->deadline)
            t->state = KT_READY;
        if (t->state == KT_ZOMBIE && t != me) {
            peer_thread_stop((uint64_t)t->tid);
            t->state = KT_FREE;
        }
    }
    if (!resched)
        return 0;
    struct kthread *next = pick();
    if (!next || next == me)
        return 0;
    if (me->state == KT_RUNNING)
        me->state = KT_READY;
    next->state = KT_RUNNING;
    running = next;
    peer_thread_switch((uint64_t)next->tid);
    /* Resumed: some later handler switched back to this thread. */
    return 0;
}

static long request(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    struct kthread *me = find((long)peer_thread_current());
    if (!me)
        return KE_NOENT;
    struct req *q = &me->req;
    q->op = op;
    q->a[0] = a1, q->a[1] = a2, q->a[2] = a3, q->a[3] = a4, q->a[4] = a5, q->a[5] = a6, q->a[6] = a7;
    q->done = 0;
    __asm__ volatile("fence rw, rw" ::: "memory");
    q->submitted = 1;
    peer_timer_soft(1);   /* taken before the next instruction */
    while (!q->done)
        ;
    return q->result;
}

/* From an interrupt handler of priority below sched's (or any thread):
 * post a wake for `key` and return at once. */
static long irq_wake_post(uint64_t key)
{
    if (!key)
        return KE_INVAL;
    for (int i = 0; i < IRQ_WAKES; i++) {
        uint64_t free_slot = 0;
        if (__atomic_compare_exchange_n(&irq_wake[i], &free_slot, key, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            peer_timer_soft(1);
            return 0;
        }
    }
    peer_timer_soft(1);
    return KE_BUSY;   /* every slot taken: the waiter's deadline covers it */
}

static long sched_user(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    if (op == SCHED_IRQ_WAKE)
        return irq_wake_post((uint64_t)a1);
    if (op < SCHED_YIELD || op > SCHED_TICKS)
        return KE_PERM;
    return request(op, a1, a2, a3, a4, a5, a6, a7);
}

static long sched_admin(long op, long a1, long a2, long a3, long a4, long a5, long a6, long a7)
{
    long r = request(op, a1, a2, a3, a4, a5, a6, a7);
    if (op == SCHED_IDLE)
        for (;;)
            __asm__ volatile("wfi");   /* interrupts still come: wfi only waits for them */
    return r;
}

static void init(struct kinit *m)
{
    /* Boot's thread is known from the start: it becomes the idle thread. */
    threads[0].tid = PEER_BOOT_THREAD;
    threads[0].state = KT_RUNNING;
    running = &threads[0];
    peer_timer_set_cmp(~0UL);
    long u = pl_make_gate((uint64_t)sched_user, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    long a = pl_make_gate((uint64_t)sched_admin, PL_GATE_OWN_DATA, KSERVICE_STACK, 0, 0);
    long i = pl_make_gate((uint64_t)sched_irq, PL_GATE_OWN_DATA, 2048, 0, 0);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)u, 8, PL_G | PL_P);
    pl_grant(PEER_ROOT_SPACE, (uint64_t)a, 8, PL_G | PL_P);
    m->out[0] = (uint64_t)u;
    m->out[1] = (uint64_t)a;
    m->out[2] = (uint64_t)i;
}
KINIT_ENTRY(sched, init)
