/* shell: reads lines from the console and runs built-in commands and the
 * programs of the boot image.  It holds G on the console, dir, proc and
 * sched gates, W on the test finisher (halt), and its own pages. */
#include "kern.h"
#include "shell.h"

static uint64_t console_gate, dir_gate, proc_gate, sched_gate;
uint64_t shell_console_gate, shell_dir_gate;
uint8_t shell_stack[65536] __attribute__((aligned(16)));

#define say(...) kprintf(console_gate, __VA_ARGS__)

static char line[512];
static char out[4096];

static const char *const demos[][2] = {
    { "hello", "printf, malloc and arguments from an ordinary C program" },
    { "crash", "a program that faults: contained, the shell goes on" },
    { "spin", "a busy loop that timer pre-emption interrupts (try `spin &`, then ps)" },
    { "cat", "cat FILE: print a file of the boot image or of the disk, /disk/... (fopen/fgets)" },
    { "badcall", "OS calls with buffers not held or not passed: refused, nothing breaks" },
    { "paranoid", "a library in its own space, a buffer lent for one call, a callback, a stack walk" },
    { "shared", "one shared library (its code on each caller's data) used by two programs" },
    { "grants", "a chain of grants A->B->C->D and a cascading revoke, step by step" },
    { "debug", "a debugger that steps a program and reads only what it granted" },
    { "crashdrv", "a driver that writes wildly, loops, faults: contained and restarted" },
    { "many [N]", "create and destroy 100000 spaces: time and memory per space" },
    { "echod [PORT]", "TCP echo server (port 7; with --netdev): try `echod &`" },
    { "udpecho [PORT]", "UDP echo server (port 7; with --netdev)" },
    { "httpd [PORT]", "HTTP server (port 80; with --netdev): / and /stats" },
    { "blkread", "(with a disk) the disk's read-only window in dir: its first sector, its limits" },
    { "fileio [DIR]", "(with a disk) fopen/fprintf/fgets/fseek, rename, readdir... on /disk" },
    { "fsbench [-n N]", "(with a disk) write and read back a 256 KiB file, timed (make bench)" },
};

static const char *const builtins[][2] = {
    { "help", "this list" },
    { "echo WORDS", "print the words" },
    { "ls", "the boot image: programs and files" },
    { "ls /disk[/DIR]", "a directory of the disk's FAT volume" },
    { "echo T > F", "write T to /disk/F (>> appends)" },
    { "rm, mkdir, rmdir", "remove a file, make or remove a directory of /disk" },
    { "mv A B", "rename /disk/A to /disk/B" },
    { "df", "the disk's volume" },
    { "inject blk|net K", "(tests) blk or net misbehaves on its next request: wild, loop, fault, dma" },
    { "canary", "(tests) whether the page blk or net was aimed at is intact" },
    { "ps", "running programs" },
    { "kill PID", "end a program (or library) and reclaim what it held" },
    { "wait PID", "wait for a program started with & (one that ended is announced before a prompt)" },
    { "spaces", "every space and the rights it was given" },
    { "gates", "the service gates published in dir" },
    { "ifconfig [A/N [GW]]", "(with --netdev) show or set ip's address, e.g. 10.0.2.15/24 10.0.2.2, or dhcp" },
    { "netstat", "(with --netdev) frames, and gate calls into net and ip" },
    { "halt, exit", "stop the machine" },
    { "login USER", "log in (the password is not echoed)" },
    { "whoami", "who is logged in" },
    { "logout", "end the session" },
    { "passwd", "change your password (asks the old one)" },
    { "adduser NAME", "add a user (root only)" },
};

static void help(void)
{
    say("built-in commands:\n");
    for (unsigned i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        say("  %-15s %s\n", builtins[i][0], builtins[i][1]);
    say("programs and demos (PROGRAM [ARGS] runs one and waits; a final & does not wait):\n");
    for (unsigned i = 0; i < sizeof demos / sizeof demos[0]; i++)
        say("  %-15s %s\n", demos[i][0], demos[i][1]);
}

/* Call a gate that fills a buffer we pass it for the call. */
static long fill(uint64_t gate, long op)
{
    pl_pass((uint64_t)out, sizeof out, PL_W);
    long n = pl_call(gate, op, (long)out, sizeof out);
    if (n > 0)
        kwrite(console_gate, out, (size_t)n);
    return n;
}

static void halt(int code)
{
    say("shell: halting\n");
    *(volatile uint32_t *)PEER_TEST_BASE = code ? (((uint32_t)code << 16) | 0x3333u) : 0x5555u;
    for (;;)
        ;
}

static void report(long pid, long status)
{
    if (status == KE_NOENT)
        say("wait: no such process %ld\n", pid);
    else if (status <= -1000)
        say("shell: pid %ld ended by fault %ld\n", pid, -1000 - status);
    else if (status)
        say("shell: pid %ld exited with status %ld\n", pid, status);
}

/* Programs started with &, until they are announced done (before a prompt)
 * or waited for: each ended one is reaped, so that its slot and its entry
 * in proc's table are free for the next. */
#define JOBS 16
static long jobs[JOBS];

static void job_add(long pid)
{
    for (int i = 0; i < JOBS; i++)
        if (!jobs[i]) {
            jobs[i] = pid;
            return;
        }
    say("shell: %ld is not followed (%d jobs already): `wait %ld` for it\n", pid, JOBS, pid);
}

static void job_forget(long pid)
{
    for (int i = 0; i < JOBS; i++)
        if (jobs[i] == pid)
            jobs[i] = 0;
}

static void jobs_done(void)
{
    for (int i = 0; i < JOBS; i++) {
        long done = jobs[i] ? pl_call(proc_gate, PROC_DONE, jobs[i]) : 0;
        if (done == 0)
            continue;
        long pid = jobs[i], status = done > 0 ? pl_call(proc_gate, PROC_WAIT, pid) : KE_NOENT;
        jobs[i] = 0;
        if (status == KE_NOENT)
            continue;   /* someone else waited for it */
        if (status <= -1000)
            say("[%ld] done: ended by fault %ld\n", pid, -1000 - status);
        else
            say("[%ld] done: status %ld\n", pid, status);
    }
}

static void run(char *cmd, size_t len)
{
    int background = 0;
    while (len && (cmd[len - 1] == ' ' || cmd[len - 1] == '&')) {
        if (cmd[len - 1] == '&')
            background = 1;
        cmd[--len] = 0;
    }
    pl_pass((uint64_t)cmd, len, PL_R);
    long pid = pl_call(proc_gate, PROC_SPAWN, (long)cmd, (long)len);
    if (pid == KE_NOENT) {
        say("shell: %s: no such command or program (try help)\n", cmd);
        return;
    }
    if (pid < 0) {
        say("shell: %s: cannot start (error %ld)\n", cmd, pid);
        return;
    }
    if (background) {
        say("[%ld]\n", pid);
        job_add(pid);
        return;
    }
    report(pid, pl_call(proc_gate, PROC_WAIT, pid));
}

static void command(char *s)
{
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
        s[--len] = 0;
    if (!len)
        return;
    char *arg = s;
    while (*arg && *arg != ' ')
        arg++;
    size_t word = (size_t)(arg - s);
    while (*arg == ' ')
        arg++;
#define IS(name) (word == sizeof name - 1 && !strncmp(s, name, word))
    if (shell_disk_command(s, word, arg))
        ;
    else if (IS("inject"))
        shell_inject(arg);
    else if (IS("canary"))
        shell_canary();
    else if (IS("help"))
        help();
    else if (IS("echo"))
        say("%s\n", arg);
    else if (IS("ls"))
        fill(proc_gate, PROC_IMAGES);
    else if (IS("ps"))
        fill(proc_gate, PROC_LIST);
    else if (IS("spaces"))
        fill(dir_gate, DIR_SPACES);
    else if (IS("gates"))
        fill(dir_gate, DIR_LIST);
    else if (IS("kill")) {
        long r = pl_call(proc_gate, PROC_KILL, katol(arg));
        if (r < 0)
            say("kill: no such process %s\n", arg);
    } else if (IS("wait")) {
        long pid = katol(arg);
        job_forget(pid);
        report(pid, pl_call(proc_gate, PROC_WAIT, pid));
    } else if (IS("ifconfig")) {
        shell_sched_gate = sched_gate;
        shell_ifconfig(arg);
    } else if (IS("netstat"))
        shell_netstat();
    else if (IS("login"))
        login_cmd(arg);
    else if (IS("logout"))
        logout_cmd(arg);
    else if (IS("whoami"))
        whoami_cmd(arg);
    else if (IS("passwd"))
        passwd_cmd(arg);
    else if (IS("adduser"))
        adduser_cmd(arg);
    else if (IS("halt") || IS("exit"))
        halt((int)katol(arg));
    else
        run(s, len);
}

void shell_main(void)
{
    say("\nPeerless peer kernel.  Type help for the commands and demos.\n");
    for (;;) {
        jobs_done();
        say("peer> ");
        pl_pass((uint64_t)line, sizeof line - 1, PL_W);
        long n = pl_call(console_gate, CON_READ, (long)line, sizeof line - 1);
        if (n <= 0) {
            if (pl_status())
                say("shell: console call failed (%ld)\n", pl_status());
            if (n == 0)
                halt(0);
            continue;
        }
        line[n] = 0;
        command(line);
    }
}

static void init(struct kinit *m)
{
    console_gate = shell_console_gate = m->gates[0];
    dir_gate = shell_dir_gate = m->gates[1];
    proc_gate = m->gates[2];
    sched_gate = m->gates[3];
    shell_inject_gate = m->gates[4];
    shell_net_inject = m->gates[5];   /* with a network: proc's DRV_INJECT gate for net */
    shell_ip_admin = m->gates[6];     /* and ip's admin gate (ifconfig, netstat) */
}
KINIT_ENTRY(shell, init)
