/* netsup: net's supervisor.  It stops the driver when it misbehaves and
 * starts it afresh, while ip, the programs and every other space go on.
 *
 * Its thread checks, every tick, what the machine itself counts about net:
 * faults taken in net's code (a wild store, an illegal instruction: the
 * machine stopped the access and unwound the call), accesses its device
 * made outside the aperture (stopped before any byte moved), and how long
 * a call has been inside net (from net's doorbell page: a loop).  Then:
 *   1. reset the device (no more DMA, no more interrupts);
 *   2. revoke net's grant over its code — netsup made it, from the R|X|P
 *      boot gave it — so a thread still running there faults at its next
 *      instruction and its call is unwound to its caller;
 *   3. grant the code again and call NET_RESTART: net zeroes its state,
 *      reopens its aperture and brings the device up.
 * netsup holds no right over net's data, ip's or anyone else's.
 */
#include "kern.h"
#include <peerless/virtio.h>

#define STUCK (PEER_TIMEBASE_HZ / 2)     /* a call inside net for 0.5 s is a loop */
#define UNWIND_TICKS 10                  /* how long a looping thread gets to fault out */

static uint64_t sched_gate, console_gate, net_admin, net_space, text_lo, text_len;
static const struct net_doorbell *bell;
static long text_grant;
static uint64_t seen_faults, seen_violations;
static uint8_t thread_stack[16384] __attribute__((aligned(16)));

static uint64_t faults_in_net(void)
{
    peer_ctl_write(PEER_COUNTERS, COUNTERS_SPACE, net_space);
    return peer_ctl_read(PEER_COUNTERS, COUNTERS_FAULTS);
}

static uint64_t violations(void)
{
    return peer_ctl_read(PEER_DMACTL + DMACTL_DEV(DMA_DEV_NET), DMACTL_VIOLATIONS);
}

static void restart(const char *why)
{
    kprintf(console_gate, "netsup: net %s: stopping it\n", why);
    *(volatile uint32_t *)(PEER_VIRTIO_NET + VIO_STATUS) = 0;
    uint64_t faults = faults_in_net();
    if (pl_revoke(text_grant) != 0)
        kprintf(console_gate, "netsup: cannot take back net's code\n");
    for (int i = 0; i < UNWIND_TICKS && bell->inside && faults_in_net() == faults; i++)
        pl_call(sched_gate, SCHED_SLEEP, 1);
    text_grant = pl_grant(net_space, text_lo, text_len, PL_R | PL_X);
    long r = text_grant > 0 ? pl_call(net_admin, NET_RESTART) : KE_PERM;
    if (pl_status() != 0)
        r = KE_FAULT;
    seen_faults = faults_in_net();
    seen_violations = violations();
    kprintf(console_gate, "netsup: net restarted (%s; restart %lu)\n",
            r == 0 ? "the device is up again" : "the device did not come up", (unsigned long)bell->restarts);
}

__attribute__((noreturn)) static void watchdog(long unused)
{
    seen_faults = faults_in_net();
    seen_violations = violations();
    for (;;) {
        pl_call(sched_gate, SCHED_SLEEP, 1);
        uint64_t since = bell->since;
        if (faults_in_net() != seen_faults)
            restart("faulted");
        else if (violations() != seen_violations)
            restart("made its device access memory outside its aperture");
        else if (since && peer_timer_now() - since > STUCK)
            restart("ran a call for more than 0.5 s");
    }
}

/* Grant net its code (so that this space can take it back), and report
 * the thread boot should start. */
static void init(struct kinit *m)
{
    sched_gate = m->gates[0];
    console_gate = m->gates[1];
    net_space = m->gates[2];
    text_lo = m->gates[3];
    text_len = m->gates[4];
    text_grant = pl_grant(net_space, text_lo, text_len, PL_R | PL_X);
    m->out[0] = text_grant > 0;
    m->out[1] = (uint64_t)watchdog;
    m->out[2] = (uint64_t)thread_stack;
}

/* Boot's second visit, once net is up: its doorbell and admin gate. */
static void wire(struct kinit *m)
{
    bell = (const struct net_doorbell *)m->gates[0];
    net_admin = m->gates[1];
}
KINIT_ENTRY(netsup, init)
KINIT_ENTRY(netsup_wire, wire)
