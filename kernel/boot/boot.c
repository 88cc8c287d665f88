/* boot: runs in the root space on thread 1.  It creates every other space,
 * grants each exactly the memory and devices it needs, runs each space's
 * init code (which makes that space's gates and hands them to the root),
 * wires the gates together (G to each space on just the gates it calls),
 * publishes them in dir, checks that every space holds what the table
 * below says and nothing more, and then gives its thread to sched as the
 * idle thread.  The root keeps grant 1 (every grant descends from it, so
 * dropping it would revoke the whole system), but after boot no code runs
 * in the root space and no gate leads into it: its authority is inert. */
#include "boot.h"
#include <peerless/virtio.h>

extern char __image_start[], __image_end[];
extern void mem_init(struct kinit *), sched_init(struct kinit *), console_init(struct kinit *),
    dir_init(struct kinit *), proc_init(struct kinit *), shell_init(struct kinit *), shell_main(void),
    fs_init(struct kinit *), sec_init(struct kinit *), ip_init(struct kinit *);
extern uint8_t shell_stack[65536];
#define shell_stack_lo (shell_stack)
#define shell_stack_hi (shell_stack + sizeof shell_stack)

/* blk's windows that boot hands to one service each (kern.h, blk). */
static uint64_t blk_gate_fs, blk_gate_sec;
static long blk_driver = -1;   /* blk's id in proc's driver table (kern.h, drv) */

/* The least-rights check: what each space must hold at each probe address
 * (kprobe_addr: spacectl, threadctl, irqctl, timer, uart, boot data, mem
 * data, sched data, console data, proc data, image, pool).  The probe runs
 * at the end of each init, while boot still lends the thread controller
 * (L: RW for the init only; the lend is revoked as the init returns). */
#define L   (PL_R | PL_W)
#define RW  (PL_R | PL_W)
#define RWP (PL_R | PL_W | PL_P)
static const int64_t expected[NSPACES][KPROBES] = {
    [S_MEM]     = { 0, L, 0, 0, 0,   0, RWP, 0, 0, 0, 0, RWP | PL_X },
    [S_SCHED]   = { 0, RW, 0, RW, 0, 0, 0, RWP, 0, 0, 0, 0 },
    [S_CONSOLE] = { 0, L, 0, 0, RW,  0, 0, 0, RWP, 0, 0, 0 },
    [S_DIR]     = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_PROC]    = { RW, L, 0, 0, 0,  0, 0, 0, 0, RWP, PL_R, 0 },
    [S_SHELL]   = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_BLK]     = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_FS]      = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_SEC]     = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_NET]     = { 0, L, 0, 0, 0,   0, 0, 0, 0, 0, 0, 0 },
    [S_IP]      = { 0, L, 0, PL_R, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static int check_rights(int s, const struct kinit *m)
{
    int bad = 0;
    for (int i = 0; i < KPROBES; i++)
        if (m->probe[i] != expected[s][i]) {
            kprintf(boot_console_gate, "boot: %s holds 0x%lx over %s, expected 0x%lx\n", spaces[s].name,
                    (long)m->probe[i], kprobe_name[i], (long)expected[s][i]);
            bad++;
        }
    return bad;
}

void boot_main(void)
{
    struct kinit m[NSPACES];
    memset(m, 0, sizeof m);
    boot_new_space(&spaces[S_MEM], SPACE_IMAGE(mem));
    boot_new_space(&spaces[S_SCHED], SPACE_IMAGE(sched));
    boot_new_space(&spaces[S_CONSOLE], SPACE_IMAGE(console));
    boot_new_space(&spaces[S_DIR], SPACE_IMAGE(dir));
    boot_new_space(&spaces[S_PROC], SPACE_IMAGE(proc));
    boot_new_space(&spaces[S_SHELL], SPACE_IMAGE(shell));

    /* mem owns free RAM and the program slots. */
    boot_give(&spaces[S_MEM], "ram", KMEM_POOL_BASE, KPROG_SLOT_BASE + KPROG_SLOTS * KPROG_SLOT_SIZE - KMEM_POOL_BASE,
         PL_R | PL_W | PL_X | PL_P);
    boot_run_init(&spaces[S_MEM], mem_init, &m[S_MEM]);
    uint64_t mem_gate = m[S_MEM].out[0];

    /* sched: the thread controller and the timer. */
    boot_give(&spaces[S_SCHED], "threadctl", PEER_THREADCTL, PEER_PAGE_SIZE, RW);
    boot_give(&spaces[S_SCHED], "timer", PEER_TIMER, PEER_PAGE_SIZE, RW);
    boot_run_init(&spaces[S_SCHED], sched_init, &m[S_SCHED]);
    uint64_t sched_gate = m[S_SCHED].out[0], sched_admin = m[S_SCHED].out[1];
    peer_irq_config(IRQ_SRC_TIMER, m[S_SCHED].out[2], 2);
    peer_irq_config(IRQ_SRC_SOFT, m[S_SCHED].out[2], 2);

    /* console: the UART, and sched to wait for input. */
    boot_give(&spaces[S_CONSOLE], "uart", PEER_UART0_BASE, PEER_PAGE_SIZE, RW);
    boot_give_gate(&spaces[S_CONSOLE], "sched", sched_gate, PL_G);
    m[S_CONSOLE].gates[0] = sched_gate;
    boot_run_init(&spaces[S_CONSOLE], console_init, &m[S_CONSOLE]);
    boot_console_gate = (long)m[S_CONSOLE].out[0];
    peer_irq_config(IRQ_SRC_UART, m[S_CONSOLE].out[1], 3);
    kprintf(boot_console_gate, "boot: mem, sched and console are up\n");

    /* dir: nothing but its own pages; gates arrive as they are registered. */
    boot_run_init(&spaces[S_DIR], dir_init, &m[S_DIR]);
    uint64_t dir_gate = m[S_DIR].out[0], dir_admin = m[S_DIR].out[1];

    /* proc: the space controller, the boot image, and the services it uses;
     * G|P on dir's and console's gates, to hand them to programs. */
    boot_give(&spaces[S_PROC], "spacectl", PEER_SPACECTL, PEER_PAGE_SIZE, RW);
    boot_give(&spaces[S_PROC], "image", (uint64_t)__image_start, (uint64_t)(__image_end - __image_start), PL_R);
    boot_give_gate(&spaces[S_PROC], "mem", mem_gate, PL_G);
    boot_give_gate(&spaces[S_PROC], "sched-admin", sched_admin, PL_G);
    boot_give_gate(&spaces[S_PROC], "console", boot_console_gate, PL_G);
    boot_give_gate(&spaces[S_PROC], "dir", dir_gate, PL_G | PL_P);
    boot_give_gate(&spaces[S_PROC], "dir-admin", dir_admin, PL_G);
    m[S_PROC].gates[0] = mem_gate;
    m[S_PROC].gates[1] = sched_admin;
    m[S_PROC].gates[2] = (uint64_t)boot_console_gate;
    m[S_PROC].gates[3] = dir_gate;
    m[S_PROC].gates[4] = dir_admin;
    boot_run_init(&spaces[S_PROC], proc_init, &m[S_PROC]);
    uint64_t proc_gate = m[S_PROC].out[0];

    /* shell: the finisher (to halt), and the user gates. */
    boot_give(&spaces[S_SHELL], "finisher", PEER_TEST_BASE, PEER_PAGE_SIZE, PL_W);
    boot_give_gate(&spaces[S_SHELL], "console", boot_console_gate, PL_G);
    boot_give_gate(&spaces[S_SHELL], "dir", dir_gate, PL_G);
    boot_give_gate(&spaces[S_SHELL], "proc", proc_gate, PL_G);
    boot_give_gate(&spaces[S_SHELL], "sched", sched_gate, PL_G);
    m[S_SHELL].gates[0] = (uint64_t)boot_console_gate;
    m[S_SHELL].gates[1] = dir_gate;
    m[S_SHELL].gates[2] = proc_gate;
    m[S_SHELL].gates[3] = sched_gate;
    /* (its init runs after the disk's spaces: it may get a test gate of theirs) */

    /* blk, if there is a disk (an empty slot reads device id 0): a
     * driver in its own space, which proc can restart (drivers.c). */
    uint64_t blk_gate = 0;
    if (*(volatile uint32_t *)(PEER_VIRTIO_BLK + VIO_DEVICE_ID) == VIO_ID_BLOCK) {
        blk_driver = boot_start_blk(SPACE_IMAGE(blk), m[S_PROC].out[3], sched_gate, &m[S_BLK]);
        /* The windows (kern.h): the read-only one is published in dir;
         * blk_gate_fs is the file system's; blk_gate_sec (partition 2) is
         * the security service's alone: boot holds G|P on it and gives it
         * to no other space. */
        blk_gate = m[S_BLK].out[BLK_OUT_PUBLIC];
        blk_gate_fs = m[S_BLK].out[BLK_OUT_FS];
        blk_gate_sec = m[S_BLK].out[BLK_OUT_SEC];
        kprintf(boot_console_gate, "boot: disk: %s\n", m[S_BLK].out[BLK_OUT_UP] ? "blk drives it" : "it did not come up");
        if (m[S_BLK].out[BLK_OUT_UP])
            kprintf(boot_console_gate, "boot: disk windows: fs %ld sectors at %ld, sec %ld sectors at %ld\n",
                    pl_call(blk_gate_fs, BLK_SECTORS), pl_call(blk_gate_fs, BLK_START),
                    pl_call(blk_gate_sec, BLK_SECTORS), pl_call(blk_gate_sec, BLK_START));
    }

    /* net and ip, if there is a network device.  net: a driver as blk
     * is (drivers.c).  ip (lwIP): net's gate, proc's DRV_RESTART gate for it, R on
     * net's doorbell page, sched, the console for its messages, the timer,
     * the counters for /stats; a thread of its own. */
    uint64_t ip_gate = 0;
    long net_driver = -1;
    if (*(volatile uint32_t *)(PEER_VIRTIO_NET + VIO_DEVICE_ID) == VIO_ID_NET) {
        net_driver = boot_start_net(SPACE_IMAGE(net), m[S_PROC].out[3], sched_gate, &m[S_NET]);
        extern struct net_doorbell net_doorbell;
        boot_new_space(&spaces[S_IP], SPACE_IMAGE(ip));
        boot_give(&spaces[S_IP], "timer", PEER_TIMER, PEER_PAGE_SIZE, PL_R);
        boot_give(&spaces[S_IP], "counters", PEER_COUNTERS, PEER_PAGE_SIZE, RW);
        boot_give(&spaces[S_IP], "net-doorbell", (uint64_t)&net_doorbell, PEER_PAGE_SIZE, PL_R);
        boot_give_gate(&spaces[S_IP], "net", m[S_NET].out[NET_OUT_GATE], PL_G);
        boot_give_gate(&spaces[S_IP], "sched", sched_gate, PL_G);
        boot_give_gate(&spaces[S_IP], "console", boot_console_gate, PL_G);
        long drv = net_driver < 0 ? 0 : pl_call(m[S_PROC].out[3], DRV_CLIENT, net_driver, NET_OUT_GATE, spaces[S_IP].id);
        if (drv > 0)
            kappend(spaces[S_IP].rights, sizeof spaces[S_IP].rights, &spaces[S_IP].len, " net-restart:G");
        m[S_IP].gates[0] = sched_gate;
        m[S_IP].gates[1] = m[S_NET].out[NET_OUT_GATE];
        m[S_IP].gates[2] = (uint64_t)boot_console_gate;
        m[S_IP].gates[3] = drv > 0 ? (uint64_t)drv : 0;
        m[S_IP].gates[4] = (uint64_t)&net_doorbell;
        boot_run_init(&spaces[S_IP], ip_init, &m[S_IP]);
        if (m[S_NET].out[NET_OUT_UP] && m[S_IP].out[3]) {
            ip_gate = m[S_IP].out[0];
            uint64_t lo = m[S_IP].out[3], hi = lo + 32768;   /* ip.c's thread_stack */
            if (pl_call(sched_admin, SCHED_CREATE, (long)m[S_IP].out[2], (long)hi, (long)lo, (long)hi,
                        spaces[S_IP].id, 0, 1) <= 0)
                boot_halt("cannot start ip's thread");
            /* the shell's `ifconfig` and `netstat` */
            boot_give_gate(&spaces[S_SHELL], "ip-admin", m[S_IP].out[1], PL_G);
            m[S_SHELL].gates[6] = m[S_IP].out[1];
        }
        /* The shell (only it) may make net misbehave, for the isolation tests. */
        long t = net_driver < 0 ? 0 : pl_call(m[S_PROC].out[3], DRV_TESTER, net_driver, spaces[S_SHELL].id);
        m[S_SHELL].gates[5] = t > 0 ? (uint64_t)t : 0;
        if (t > 0)
            kappend(spaces[S_SHELL].rights, sizeof spaces[S_SHELL].rights, &spaces[S_SHELL].len, " net-inject:G");
        kprintf(boot_console_gate, "boot: network: %s\n",
                ip_gate ? "net drives it, ip (lwIP) at 10.0.2.15/24" : "it did not come up");
    }

    /* fs, if partition 1 is there: its own pages, G on blk's fs window
     * (nothing else of the disk) and on sched.  It is published in dir
     * only if the volume mounted. */
    uint64_t fs_gate = 0;
    if (blk_gate_fs && pl_call(blk_gate_fs, BLK_SECTORS) > 0) {
        boot_new_space(&spaces[S_FS], SPACE_IMAGE(fs));
        boot_give_gate(&spaces[S_FS], "blk-fs", blk_gate_fs, PL_G);
        boot_give_gate(&spaces[S_FS], "sched", sched_gate, PL_G);
        m[S_FS].gates[0] = blk_gate_fs;
        m[S_FS].gates[1] = sched_gate;
        /* proc gives fs a DRV_RESTART gate for its window (G granted) */
        long drv = blk_driver < 0 ? 0 : pl_call(m[S_PROC].out[3], DRV_CLIENT, blk_driver, BLK_OUT_FS, spaces[S_FS].id);
        m[S_FS].gates[2] = drv > 0 ? (uint64_t)drv : 0;
        if (drv > 0)
            kappend(spaces[S_FS].rights, sizeof spaces[S_FS].rights, &spaces[S_FS].len, " blk-restart:G");
        boot_run_init(&spaces[S_FS], fs_init, &m[S_FS]);
        if (m[S_FS].out[1])
            fs_gate = m[S_FS].out[0];
        char info[160];
        pl_pass((uint64_t)info, sizeof info, PL_W);
        long n = pl_call(m[S_FS].out[0], FS_INFO, (long)info, (long)sizeof info - 1);
        info[n > 0 ? n : 0] = 0;
        kprintf(boot_console_gate, "boot: fs: %s", n > 0 ? info : "no answer\n");
    }

    /* sec: the accounts.  The entropy source (R), the console (to report),
     * sched, and blk's window on partition 2 when there is a disk, with a
     * DRV_RESTART gate for it: no other space is given those. */
    boot_new_space(&spaces[S_SEC], SPACE_IMAGE(sec));
    boot_give(&spaces[S_SEC], "rng", PEER_RNG, PEER_PAGE_SIZE, PL_R);
    boot_give_gate(&spaces[S_SEC], "console", boot_console_gate, PL_G);
    boot_give_gate(&spaces[S_SEC], "sched", sched_gate, PL_G);
    if (blk_gate_sec)
        boot_give_gate(&spaces[S_SEC], "disk2", blk_gate_sec, PL_G);
    m[S_SEC].gates[0] = (uint64_t)boot_console_gate;
    m[S_SEC].gates[1] = sched_gate;
    m[S_SEC].gates[2] = blk_gate_sec;
    if (blk_gate_sec && blk_driver >= 0) {
        long drv = pl_call(m[S_PROC].out[3], DRV_CLIENT, blk_driver, BLK_OUT_SEC, spaces[S_SEC].id);
        m[S_SEC].gates[3] = drv > 0 ? (uint64_t)drv : 0;
        if (drv > 0)
            kappend(spaces[S_SEC].rights, sizeof spaces[S_SEC].rights, &spaces[S_SEC].len, " blk-restart:G");
    }
    boot_run_init(&spaces[S_SEC], sec_init, &m[S_SEC]);
    uint64_t sec_gate = m[S_SEC].out[0];

    /* After a restart, proc publishes blk's new public gate in dir; the
     * shell (only it) may make blk misbehave, for the isolation tests. */
    if (blk_driver >= 0) {
        uint64_t n[2];
        kname_pack("blk", n);
        pl_call(m[S_PROC].out[3], DRV_PUBLISH, blk_driver, BLK_OUT_PUBLIC, (long)n[0], (long)n[1], spaces[S_DIR].id);
        long t = pl_call(m[S_PROC].out[3], DRV_TESTER, blk_driver, spaces[S_SHELL].id);
        m[S_SHELL].gates[4] = t > 0 ? (uint64_t)t : 0;
        if (t > 0)
            kappend(spaces[S_SHELL].rights, sizeof spaces[S_SHELL].rights, &spaces[S_SHELL].len, " blk-inject:G");
    }
    boot_run_init(&spaces[S_SHELL], shell_init, &m[S_SHELL]);

    /* Least authority, checked: each space's own view of its rights. */
    int bad = 0, checked = 0;
    for (int s = 0; s < NSPACES; s++)
        if (spaces[s].id) {
            bad += check_rights(s, &m[s]);
            checked++;
        }
    if (bad)
        boot_halt("rights check failed");
    kprintf(boot_console_gate, "boot: rights of %d spaces checked against the table: least authority holds\n", checked);

    /* Publish the user gates and the spaces in dir (dir needs G|P on a
     * gate to hand it on). */
    static const char *const names[] = { "console", "sched", "proc", "dir", "blk", "fs", "sec", "ip" };
    uint64_t gates[] = { (uint64_t)boot_console_gate, sched_gate, proc_gate, dir_gate, blk_gate, fs_gate, sec_gate,
                         ip_gate };
    for (int i = 0; i < 8; i++) {
        uint64_t n[2];
        if (!gates[i])
            continue;   /* no disk, or no network */
        kname_pack(names[i], n);
        if (pl_grant((uint64_t)spaces[S_DIR].id, gates[i], 8, PL_G | PL_P) < 0 ||
            pl_call(dir_admin, DIR_REGISTER, n[0], n[1], gates[i]) < 0)
            boot_halt("cannot register a gate in dir");
    }
    {
        uint64_t n[2];
        kname_pack("root", n);
        static const char root_rights[] = "everything (grant 1, inert after boot)";
        pl_pass((uint64_t)root_rights, sizeof root_rights - 1, PL_R);
        pl_call(dir_admin, DIR_SPACE_ADD, n[0], n[1], PEER_ROOT_SPACE, (long)root_rights, sizeof root_rights - 1);
    }
    for (int s = 0; s < NSPACES; s++) {
        uint64_t n[2];
        if (!spaces[s].id)
            continue;
        kname_pack(spaces[s].name, n);
        pl_pass((uint64_t)spaces[s].rights, spaces[s].len, PL_R);
        pl_call(dir_admin, DIR_SPACE_ADD, n[0], n[1], spaces[s].id, (long)spaces[s].rights, (long)spaces[s].len);
    }

    /* The shell's thread, then this thread becomes sched's idle thread. */
    long t = pl_call(sched_admin, SCHED_CREATE, (long)shell_main, (long)shell_stack_hi, (long)shell_stack_lo,
                     (long)shell_stack_hi, spaces[S_SHELL].id, 0, 1);
    if (t <= 0)
        boot_halt("cannot start the shell");
    /* proc's watchdog thread, in proc's space on a stack of proc's. */
    t = pl_call(sched_admin, SCHED_CREATE, (long)m[S_PROC].out[1], (long)(m[S_PROC].out[2] + 32768),
                (long)m[S_PROC].out[2], (long)(m[S_PROC].out[2] + 32768), spaces[S_PROC].id, 0, 1);
    if (t <= 0)
        boot_halt("cannot start proc's watchdog");
    /* sec's start-up (self-test, the store) on a stack of sec's, above the
     * shell's priority: it is done before the shell's first prompt. */
    t = pl_call(sched_admin, SCHED_CREATE, (long)m[S_SEC].out[1], (long)(m[S_SEC].out[2] + m[S_SEC].out[3]),
                (long)m[S_SEC].out[2], (long)(m[S_SEC].out[2] + m[S_SEC].out[3]), spaces[S_SEC].id, 0, 2);
    if (t <= 0)
        boot_halt("cannot start sec");
    peer_ctl_write(PEER_THREADCTL, THREADCTL_ON_FAULT, PEER_BOOT_THREAD);
    kprintf(boot_console_gate, "boot: done; the root space goes quiet\n");
    pl_call(sched_admin, SCHED_IDLE);
    boot_halt("the idle thread returned");
}
