/* Section 11: interrupts are involuntary gate calls.  A timer interrupt
 * taken inside a callee runs its handler and the callee resumes exactly;
 * a higher priority pre-empts a running handler, the same or lower waits;
 * a faulting handler is unwound and its source disabled; a source without
 * a gate is disabled; a handler that needs more stack than there is runs
 * on the emergency stack; an armed pass does not leak into a handler; a
 * handler frame left behind by a destroyed space, when its thread comes
 * back, does not disable the source that has a new handler by then. */
#include "ptest.h"

#define AGENT lib
#include "agent.h"
#undef AGENT

enum mode { M_SIMPLE, M_NEST_UP, M_NEST_DOWN, M_FAULT, M_SP, M_PASS };
static volatile int mode;
static volatile uint64_t seen;            /* the callee polls it */
static volatile long irq_source, irq_level, irq_count, irq_space;
static volatile uint64_t irq_sp;
static volatile char log_buf[16];
static volatile int log_n;
static volatile long levels[8];
static volatile uint64_t probe_addr, probe_gate;
static volatile long probe_result, probe_status;
static uint8_t stack_a[4096] __attribute__((aligned(16)));
static uint8_t emergency[128 * 1024] __attribute__((aligned(16)));

/* Write junk into every register a C function may clobber, so that the
 * interrupted code's survival does not depend on luck. */
__asm__(".text\n"
        ".globl scramble\n"
        "scramble:\n"
        "  .irp n, 5,6,7,10,11,12,13,14,15,16,17,28,29,30,31\n"
        "  li x\\n, 0xbad00000 + \\n\n"
        "  .endr\n"
        "  .irp n, 0,1,2,3,4,5,6,7,10,11,12,13,14,15,16,17,28,29,30,31\n"
        "  fmv.d.x f\\n, t0\n"
        "  .endr\n"
        "  ret\n");
void scramble(void);

static void log_event(char c)
{
    int n = log_n;
    if (n < (int)sizeof log_buf - 1)
        log_buf[n] = c;
    log_n = n + 1;
}

static long handler(long source)
{
    scramble();
    irq_count++;
    irq_source = source;
    irq_space = (long)pl_self();
    irq_sp = peer_read_sp();
    long level = (long)peer_irq_level();
    if (irq_count <= 8)
        levels[irq_count - 1] = level;
    switch (mode) {
    case M_SIMPLE:
        irq_level = level;
        peer_timer_set_cmp(~0UL);
        seen = 1;
        break;
    case M_NEST_UP:
    case M_NEST_DOWN:
        if (source == IRQ_SRC_SOFT) {
            log_event('S');
            if (mode == M_NEST_UP)
                peer_timer_set_cmp(0);     /* the timer pre-empts here */
            log_event('s');
            peer_timer_soft(0);
        } else {
            log_event('T');
            if (mode == M_NEST_DOWN)
                peer_timer_soft(1);       /* waits until this returns */
            log_event('t');
            peer_timer_set_cmp(~0UL);
        }
        break;
    case M_FAULT:
        __asm__ volatile("csrr t0, mstatus" ::: "t0");
        log_event('!');                   /* never */
        break;
    case M_SP:
        peer_timer_soft(0);
        break;
    case M_PASS:
        probe_result = pl_call(probe_gate, AG_QUERY, probe_addr);
        probe_status = pl_status();
        peer_timer_soft(0);
        break;
    }
    return 0;
}

/* A handler in lib's space that switches threads from inside itself (as a
 * scheduler's does), leaving its frame on the interrupted thread. */
PEER_BSS(lib) volatile long lib_handler_entered, lib_handler_back;
PEER_TEXT(lib) long lib_switching_handler(long source)
{
    (void)source;
    peer_timer_soft(0);
    lib_handler_entered = 1;
    peer_thread_switch(PEER_BOOT_THREAD);
    lib_handler_back = 1;         /* never: when this thread comes back, lib is gone */
    return 0;
}

static uint8_t stack_t2[8192] __attribute__((aligned(16)));
static volatile long t2_stage;
static void t2_main(long arg)
{
    (void)arg;
    __asm__ volatile(".option push\n.option norelax\nla gp, __global_pointer$\n.option pop\nla tp, __tls_base");
    t2_stage = 1;
    peer_timer_soft(1);           /* lib's handler runs, and switches away inside */
    t2_stage = 2;                 /* its frame was unwound: on we go */
    for (;;)
        peer_thread_switch(PEER_BOOT_THREAD);
}

static void reset_log(int m)
{
    mode = m;
    log_n = 0;
    irq_count = 0;
    for (unsigned i = 0; i < sizeof log_buf; i++)
        log_buf[i] = 0;
}

int main(void)
{
    struct peer_image ia = PEER_IMAGE(lib);
    long a = peer_space_new(&ia);
    CHECK(a > 1);
    int ok;
    uint64_t ga = peer_spawn(a, lib_start, 0, stack_a, sizeof stack_a, &ok);
    CHECK(ok);
    /* The handler: a gate into the root. */
    long gh = pl_make_gate((uint64_t)handler, PL_GATE_OWN_DATA, 2048, peer_read_gp(), peer_read_tp());
    CHECK(gh > 0);
    peer_timer_set_cmp(~0UL);
    peer_timer_soft(0);

    printf("irq: a timer interrupt inside a callee\n");
    reset_log(M_SIMPLE);
    seen = 0;
    peer_irq_config(IRQ_SRC_TIMER, gh, 5);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_TIMER, IRQCTL_SRC_PRIO), 5);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_TIMER, IRQCTL_SRC_GATE), gh);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_TIMER, IRQCTL_SRC_PENDING), 0);
    peer_timer_set_cmp(peer_timer_now() + 200);
    CHECK_EQ(pl_pass((uint64_t)&seen, 8, PL_R), 0);
    long sum = pl_call(ga, AG_SPIN, (uint64_t)&seen, 5000000);
    CHECK_EQ(pl_status(), 0);
    CHECK_EQ(irq_count, 1);
    CHECK(lib_spin_left > 0);            /* it ended because of the handler */
    CHECK_EQ(sum, AG_SPIN_SUM);          /* every register as it was */
    CHECK_EQ(irq_source, IRQ_SRC_TIMER);
    CHECK_EQ(irq_level, 5);
    CHECK_EQ(irq_space, PEER_ROOT_SPACE);
    CHECK_EQ(peer_irq_level(), 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_TIMER, IRQCTL_SRC_PENDING), 0);
    /* The handler ran on this thread's stack, below the callee's. */
    CHECK(irq_sp < peer_read_sp() && irq_sp > peer_read_sp() - 8192);

    printf("irq: a higher priority pre-empts a handler\n");
    peer_irq_config(IRQ_SRC_SOFT, gh, 3);
    peer_irq_config(IRQ_SRC_TIMER, gh, 7);
    reset_log(M_NEST_UP);
    peer_timer_soft(1);
    printf("  order: %s\n", (const char *)log_buf);
    CHECK_EQ(log_n, 4);
    CHECK(log_buf[0] == 'S' && log_buf[1] == 'T' && log_buf[2] == 't' && log_buf[3] == 's');
    CHECK_EQ(levels[0], 3);
    CHECK_EQ(levels[1], 7);
    CHECK_EQ(peer_irq_level(), 0);

    printf("irq: a lower priority waits\n");
    reset_log(M_NEST_DOWN);
    peer_timer_set_cmp(0);
    printf("  order: %s\n", (const char *)log_buf);
    CHECK_EQ(log_n, 4);
    CHECK(log_buf[0] == 'T' && log_buf[1] == 't' && log_buf[2] == 'S' && log_buf[3] == 's');
    CHECK_EQ(levels[0], 7);
    CHECK_EQ(levels[1], 3);

    printf("irq: the same priority waits\n");
    peer_irq_config(IRQ_SRC_SOFT, gh, 7);
    reset_log(M_NEST_DOWN);
    peer_timer_set_cmp(0);
    printf("  order: %s\n", (const char *)log_buf);
    CHECK_EQ(log_n, 4);
    CHECK(log_buf[0] == 'T' && log_buf[1] == 't' && log_buf[2] == 'S' && log_buf[3] == 's');
    CHECK_EQ(peer_irq_level(), 0);

    printf("irq: a handler that faults is unwound, its source disabled\n");
    peer_irq_config(IRQ_SRC_TIMER, 0, 0);
    peer_irq_config(IRQ_SRC_SOFT, gh, 4);
    reset_log(M_FAULT);
    {
        volatile uint64_t before = 0x1234567;
        peer_timer_soft(1);
        CHECK_EQ(before, 0x1234567);
    }
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(log_n, 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_FAULT), PL_FAULT_EXC(2));
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_PRIO), 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_PENDING), 1);
    CHECK_EQ(peer_irq_level(), 0);
    peer_timer_soft(0);

    printf("irq: a source without a gate is disabled\n");
    peer_irq_config(IRQ_SRC_SOFT, 0, 3);
    peer_timer_soft(1);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_PRIO), 0);
    peer_timer_soft(0);
    /* Or whose gate is gone. */
    long gone = pl_make_gate((uint64_t)handler, PL_GATE_OWN_DATA, 2048, peer_read_gp(), peer_read_tp());
    CHECK(gone > 0);
    peer_irq_config(IRQ_SRC_SOFT, gone, 3);
    CHECK_EQ(pl_ungate(gone), 0);
    reset_log(M_SP);
    peer_timer_soft(1);
    CHECK_EQ(irq_count, 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_PRIO), 0);
    peer_timer_soft(0);

    printf("irq: the emergency stack\n");
    peer_irq_emergency_stack((uint64_t)emergency, (uint64_t)emergency + sizeof emergency);
    /* More than the 64 KiB boot stack has, less than the emergency one. */
    long gbig = pl_make_gate((uint64_t)handler, PL_GATE_OWN_DATA, 96 * 1024, peer_read_gp(), peer_read_tp());
    CHECK(gbig > 0);
    peer_irq_config(IRQ_SRC_SOFT, gbig, 3);
    reset_log(M_SP);
    peer_timer_soft(1);
    CHECK_EQ(irq_count, 1);
    CHECK(irq_sp >= (uint64_t)emergency && irq_sp < (uint64_t)emergency + sizeof emergency);

    printf("irq: an armed pass stays with the code that armed it\n");
    static volatile uint64_t lent[4] = { 0x4e4e };
    peer_irq_config(IRQ_SRC_SOFT, gh, 3);
    reset_log(M_PASS);
    probe_addr = (uint64_t)lent;
    probe_gate = ga;
    CHECK_EQ(pl_pass((uint64_t)lent, 32, PL_R), 0);
    peer_timer_soft(1);                   /* the handler calls lib */
    CHECK_EQ(irq_count, 1);
    CHECK_EQ(probe_status, 0);
    CHECK_EQ(probe_result, 0);            /* the handler's call carried no pass */
    EXPECT_RETURN(pl_call(ga, AG_LOAD, (uint64_t)lent), 0x4e4e);   /* ours did */
    printf("irq: a handler frame left by a destroyed space does not disable the source's new handler\n");
    long gs = pl_call(ga, AG_GATE, (uint64_t)lib_switching_handler, PL_GATE_OWN_DATA, 1024, 0);
    CHECK(gs > 0);
    CHECK(pl_grant(a, PEER_THREADCTL, 0x1000, PL_R | PL_W) > 0);
    CHECK(pl_grant(a, PEER_TIMER, 0x1000, PL_R | PL_W) > 0);
    peer_irq_config(IRQ_SRC_SOFT, gs, 3);
    peer_ctl_write(PEER_IRQCTL, IRQCTL_SRC(IRQ_SRC_SOFT) + IRQCTL_SRC_FAULT, 0);   /* the fault above */
    uint64_t lo = (uint64_t)stack_t2, hi = lo + sizeof stack_t2;
    long t = peer_thread_create((uint64_t)t2_main, hi, lo, hi, PEER_ROOT_SPACE, PEER_ROOT_SPACE, 0);
    CHECK(t > PEER_BOOT_THREAD);
    peer_thread_switch(t);
    CHECK_EQ(t2_stage, 1);
    CHECK_EQ(lib_handler_entered, 1);         /* thread t is inside lib's handler */
    CHECK_EQ(peer_space_destroy(a), 0);
    peer_irq_config(IRQ_SRC_SOFT, gh, 3);     /* the source's new handler */
    peer_thread_switch(t);                    /* t faults in the gone handler */
    CHECK_EQ(t2_stage, 2);
    CHECK_EQ(lib_handler_back, 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_PRIO), 3);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_FAULT), 0);
    CHECK_EQ(peer_irq_src_read(IRQ_SRC_SOFT, IRQCTL_SRC_GATE), gh);
    reset_log(M_SP);
    peer_timer_soft(1);
    CHECK_EQ(irq_count, 1);                   /* and the new one serves it */
    CHECK_EQ(irq_space, PEER_ROOT_SPACE);
    printf("irq: ok (%d checks)\n", ptest_checks);
    return 0;
}
