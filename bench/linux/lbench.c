/* The conventional figures under Linux: a static riscv64 Linux program with
 * no C library (raw `ecall` system calls), run from busybox's shell in the
 * bench initramfs as /bin/lbench.  `lbench [-n SCALE]` (iterations times
 * SCALE) runs every operation, `lbench [-n SCALE] OP...` the ones named;
 * `lbench exit` exits 0 at once (the program the spawn loop runs).
 *
 * Each operation runs in a loop between two readings of the instret, cycle
 * and time CSRs, and lbench prints one line per operation,
 *
 *     op NAME ITERATIONS INSTRET CYCLES TICKS
 *
 * the same format as the peer kernel's kbench (apps/kbench/kbench.c), so
 * bench/linux_bench.py reads both the same way.  instret and cycle are
 * readable from user mode only when the kernel lets them be (sysctl
 * kernel.perf_user_access = 2, Linux's "legacy" mode); lbench probes them
 * in a child process first and, if reading them kills it, prints 0 for both
 * ("counters off").  The counters are the hart's: they count everything it
 * runs in the interval, kernel and the other process included.  time
 * (10 MHz) is always readable: Linux enables it for its vDSO.
 *
 * Every result that can be checked is (the parent's pid, the bytes moved,
 * the partner's count, exit statuses): a broken call fails the run with
 * "lbench: FAILED" instead of passing as a fast one.
 *
 * The operations:
 *   loop     the empty loop (the baseline)
 *   getppid  a null system call
 *   write    8 bytes to the console (stdout: ttyS0), a carriage return
 *            and spaces so nothing shows
 *   pipe     a round trip between two processes through two pipes: one
 *            byte there, one back; two context switches
 *   yield    sched_yield in two processes taking turns: one switch each
 *   fork     fork + the child's exit + wait4
 *   spawn    fork + execve of lbench itself (`lbench exit`, through
 *            /proc/self/exe) + wait4
 *
 * And two that run only when named, on a file system mounted at /mnt
 * (bench/fs_bench.py mounts the peer kernel's FAT volume there):
 *   fswrite  create /mnt/fsbench.dat, write FS_FILE bytes in FS_CHUNK
 *            writes, fsync, close: the data reaches the disk
 *   fsread   open it, drop its pages from the cache (fadvise DONTNEED),
 *            read it all in FS_CHUNK reads, check every byte, close
 */

typedef unsigned long u64;
typedef long i64;

enum {
    SYS_pipe2 = 59, SYS_close = 57, SYS_read = 63, SYS_write = 64,
    SYS_exit_group = 94, SYS_sched_yield = 124, SYS_kill = 129,
    SYS_getpid = 172, SYS_getppid = 173, SYS_clone = 220, SYS_execve = 221,
    SYS_mmap = 222, SYS_wait4 = 260, SYS_openat = 56, SYS_fsync = 82, SYS_fadvise64 = 223,
};
#define SIGCHLD 17
#define SIGKILL 9
#define PROT_RW 3
#define MAP_SHARED_ANON 0x21

static i64 sys3(i64 n, i64 a, i64 b, i64 c)
{
    register i64 a7 __asm__("a7") = n;
    register i64 a0 __asm__("a0") = a;
    register i64 a1 __asm__("a1") = b;
    register i64 a2 __asm__("a2") = c;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
    return a0;
}

static i64 sys6(i64 n, i64 a, i64 b, i64 c, i64 d, i64 e, i64 f)
{
    register i64 a7 __asm__("a7") = n;
    register i64 a0 __asm__("a0") = a;
    register i64 a1 __asm__("a1") = b;
    register i64 a2 __asm__("a2") = c;
    register i64 a3 __asm__("a3") = d;
    register i64 a4 __asm__("a4") = e;
    register i64 a5 __asm__("a5") = f;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
                     : "memory");
    return a0;
}

static __attribute__((noreturn)) void exit_now(int status)
{
    for (;;)
        sys3(SYS_exit_group, status, 0, 0);
}

static i64 fork_now(void)
{
    /* fork() is clone(SIGCHLD) with no new stack: the child continues here. */
    return sys6(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0);
}

static i64 wait_child(i64 pid, int *status)
{
    return sys6(SYS_wait4, pid, (i64)status, 0, 0, 0, 0);
}

/* ---- output ---- */

static u64 str_len(const char *s)
{
    u64 n = 0;
    while (s[n])
        n++;
    return n;
}

static void put(const char *s)
{
    sys3(SYS_write, 1, (i64)s, (i64)str_len(s));
}

static void put_u64(u64 v)
{
    char buf[24];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(buf + i);
}

static __attribute__((noreturn)) void fail(const char *what, i64 value)
{
    put("lbench: FAILED ");
    put(what);
    put(" ");
    if (value < 0) {
        put("-");
        value = -value;
    }
    put_u64((u64)value);
    put("\n");
    exit_now(1);
}

/* ---- counters ---- */

static int have_counters;

struct counters { u64 instret, cycles, ticks; };

static inline __attribute__((always_inline)) struct counters counters_now(void)
{
    struct counters c = {0, 0, 0};
    if (have_counters)
        __asm__ volatile("rdinstret %0\n\trdcycle %1" : "=r"(c.instret), "=r"(c.cycles) :: "memory");
    __asm__ volatile("rdtime %0" : "=r"(c.ticks) :: "memory");
    return c;
}

/* Reading instret traps (SIGILL) unless the kernel enabled it for user mode:
 * try it in a child, whose death does not matter. */
static int probe_counters(void)
{
    i64 pid = fork_now();
    if (pid == 0) {
        u64 v;
        __asm__ volatile("rdinstret %0\n\trdcycle %0" : "=r"(v));
        exit_now(0);
    }
    if (pid < 0)
        fail("fork for the counter probe", pid);
    int status = 0;
    if (wait_child(pid, &status) != pid)
        fail("wait for the counter probe", 0);
    return status == 0;      /* exited 0; a signal leaves its number here */
}

static void report(const char *name, i64 n, struct counters t0, struct counters t1)
{
    put("op ");
    put(name);
    put(" ");
    put_u64((u64)n);
    put(" ");
    put_u64(t1.instret - t0.instret);
    put(" ");
    put_u64(t1.cycles - t0.cycles);
    put(" ");
    put_u64(t1.ticks - t0.ticks);
    put("\n");
}

/* ---- operations ---- */

static void op_loop(i64 n)
{
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++)
        __asm__ volatile("" ::: "memory");
    report("loop", n, t0, counters_now());
}

static void op_getppid(i64 n)
{
    i64 parent = sys3(SYS_getppid, 0, 0, 0);
    i64 bad = 0;
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++)
        bad |= sys3(SYS_getppid, 0, 0, 0) ^ parent;
    struct counters t1 = counters_now();
    if (bad || parent <= 0)
        fail("getppid", parent);
    report("getppid", n, t0, t1);
}

static void op_write(i64 n)
{
    static const char blank[8] = "       \r";
    i64 bad = 0;
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++)
        bad |= sys3(SYS_write, 1, (i64)blank, 8) ^ 8;
    struct counters t1 = counters_now();
    if (bad)
        fail("write", bad);
    report("write", n, t0, t1);
}

static void op_pipe(i64 n)
{
    int there[2], back[2];
    i64 r;
    if ((r = sys3(SYS_pipe2, (i64)there, 0, 0)) < 0 || (r = sys3(SYS_pipe2, (i64)back, 0, 0)) < 0)
        fail("pipe2", r);
    i64 pid = fork_now();
    if (pid < 0)
        fail("fork", pid);
    if (pid == 0) {
        /* The partner: echo each byte back, plus one; end at end of file
         * (which needs our copy of the write end closed too). */
        sys3(SYS_close, there[1], 0, 0);
        sys3(SYS_close, back[0], 0, 0);
        unsigned char b;
        while (sys3(SYS_read, there[0], (i64)&b, 1) == 1) {
            b++;
            if (sys3(SYS_write, back[1], (i64)&b, 1) != 1)
                exit_now(2);
        }
        exit_now(0);
    }
    sys3(SYS_close, there[0], 0, 0);
    sys3(SYS_close, back[1], 0, 0);
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++) {
        unsigned char out = (unsigned char)i, in = 0;
        if (sys3(SYS_write, there[1], (i64)&out, 1) != 1 || sys3(SYS_read, back[0], (i64)&in, 1) != 1)
            fail("pipe round trip", i);
        if (in != (unsigned char)(out + 1))
            fail("pipe echo", in);
    }
    struct counters t1 = counters_now();
    sys3(SYS_close, there[1], 0, 0);
    int status = -1;
    if (wait_child(pid, &status) != pid || status != 0)
        fail("pipe partner's exit", status);
    sys3(SYS_close, back[0], 0, 0);
    report("pipe", n, t0, t1);
}

static void op_yield(i64 n)
{
    /* A page both processes see: the partner counts its turns there. */
    volatile i64 *shared = (volatile i64 *)sys6(SYS_mmap, 0, 4096, PROT_RW, MAP_SHARED_ANON, -1, 0);
    if ((i64)shared < 0 && (i64)shared > -4096)
        fail("mmap", (i64)shared);
    shared[0] = 0;
    i64 pid = fork_now();
    if (pid < 0)
        fail("fork", pid);
    if (pid == 0) {
        for (;;) {
            shared[0]++;
            sys3(SYS_sched_yield, 0, 0, 0);
        }
    }
    /* Let the partner start, then measure n of our yields. */
    while (shared[0] == 0)
        sys3(SYS_sched_yield, 0, 0, 0);
    i64 before = shared[0];
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++)
        sys3(SYS_sched_yield, 0, 0, 0);
    struct counters t1 = counters_now();
    i64 partner = shared[0] - before;
    sys3(SYS_kill, pid, SIGKILL, 0);
    int status = 0;
    wait_child(pid, &status);
    /* Taking turns, the partner ran once per yield of ours; if the scheduler
     * let a yield return without switching, the per-yield figure would not
     * be a switch, so demand strict alternation within 1%. */
    if (partner < n - n / 100 || partner > n + n / 100 + 1)
        fail("yield: the partner's turns were", partner);
    report("yield", n, t0, t1);
}

static void op_fork(i64 n)
{
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++) {
        i64 pid = fork_now();
        if (pid == 0)
            exit_now(7);
        if (pid < 0)
            fail("fork", pid);
        int status = 0;
        if (wait_child(pid, &status) != pid || status != 7 << 8)
            fail("fork child's exit status", status);
    }
    report("fork", n, t0, counters_now());
}

static void op_spawn(i64 n)
{
    /* argv[0] is whatever the shell was given (a bare name found in PATH),
     * so the program's own file is named through /proc. */
    char *self = "/proc/self/exe";
    char *argv[] = {"lbench", "exit", 0};
    char *envp[] = {0};
    struct counters t0 = counters_now();
    for (i64 i = 0; i < n; i++) {
        i64 pid = fork_now();
        if (pid == 0) {
            sys3(SYS_execve, (i64)self, (i64)argv, (i64)envp);
            exit_now(99);
        }
        if (pid < 0)
            fail("fork", pid);
        int status = -1;
        if (wait_child(pid, &status) != pid || status != 0)
            fail("spawned lbench's exit status", status);
    }
    report("spawn", n, t0, counters_now());
}

#define AT_FDCWD (-100)
#define O_WRONLY_CREAT_TRUNC 01101
#define POSIX_FADV_DONTNEED 4
#define FS_FILE (256 * 1024)
#define FS_CHUNK 4096
static const char fs_path[] = "/mnt/fsbench.dat";
static unsigned char fs_buf[FS_CHUNK];

/* The byte at offset i of the file, different for each pass so a read
 * cannot pass on an older copy. */
static unsigned char fs_byte(u64 i, i64 pass) { return (unsigned char)(i * 7 + (u64)pass * 13 + (i >> 12)); }
static i64 fs_pass;

static void op_fswrite(i64 n)
{
    struct counters t0 = counters_now();
    for (i64 it = 0; it < n; it++) {
        fs_pass = it;
        i64 fd = sys6(SYS_openat, AT_FDCWD, (i64)fs_path, O_WRONLY_CREAT_TRUNC, 0644, 0, 0);
        if (fd < 0)
            fail("open /mnt/fsbench.dat for writing (is a file system mounted at /mnt?)", fd);
        for (u64 off = 0; off < FS_FILE; off += FS_CHUNK) {
            for (u64 i = 0; i < FS_CHUNK; i++)
                fs_buf[i] = fs_byte(off + i, it);
            i64 w = sys3(SYS_write, fd, (i64)fs_buf, FS_CHUNK);
            if (w != FS_CHUNK)
                fail("write /mnt/fsbench.dat", w);
        }
        i64 r = sys3(SYS_fsync, fd, 0, 0);
        if (r < 0)
            fail("fsync /mnt/fsbench.dat", r);
        sys3(SYS_close, fd, 0, 0);
    }
    report("fswrite", n, t0, counters_now());
}

static void op_fsread(i64 n)
{
    struct counters t0 = counters_now();
    for (i64 it = 0; it < n; it++) {
        i64 fd = sys6(SYS_openat, AT_FDCWD, (i64)fs_path, 0, 0, 0, 0);
        if (fd < 0)
            fail("open /mnt/fsbench.dat (run fswrite first)", fd);
        i64 r = sys6(SYS_fadvise64, fd, 0, 0, POSIX_FADV_DONTNEED, 0, 0);
        if (r < 0)
            fail("fadvise", r);
        u64 off = 0;
        for (;;) {
            i64 got = sys3(SYS_read, fd, (i64)fs_buf, FS_CHUNK);
            if (got < 0)
                fail("read /mnt/fsbench.dat", got);
            if (got == 0)
                break;
            for (i64 i = 0; i < got; i++)
                if (fs_buf[i] != fs_byte(off + (u64)i, fs_pass))
                    fail("a byte read back differs at", (i64)(off + (u64)i));
            off += (u64)got;
        }
        if (off != FS_FILE)
            fail("bytes read back", (i64)off);
        sys3(SYS_close, fd, 0, 0);
    }
    report("fsread", n, t0, counters_now());
}

static int same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static i64 parse_positive(const char *s)
{
    i64 v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static const char *const OPS[] = {"loop", "getppid", "write", "pipe", "yield", "fork", "spawn",
                                  "fswrite", "fsread"};
#define N_OPS (sizeof OPS / sizeof OPS[0])
#define N_DEFAULT_OPS 7   /* the file ops run only when named */

static void run_op(unsigned which, i64 scale)
{
    switch (which) {
    case 0: op_loop(100000 * scale); break;
    case 1: op_getppid(20000 * scale); break;
    case 2: op_write(2000 * scale); break;
    case 3: op_pipe(2000 * scale); break;
    case 4: op_yield(2000 * scale); break;
    case 5: op_fork(100 * scale); break;
    case 6: op_spawn(100 * scale); break;
    case 7: op_fswrite(4 * scale); break;
    default: op_fsread(4 * scale); break;
    }
}

static void usage_exit(void)
{
    put("usage: lbench [-n SCALE] [loop|getppid|write|pipe|yield|fork|spawn|fswrite|fsread]... | lbench exit\n");
    exit_now(2);
}

int lbench_main(int argc, char **argv)
{
    if (argc == 2 && same(argv[1], "exit"))
        return 0;
    i64 scale = 1;
    int first = 1;
    if (argc >= 3 && same(argv[1], "-n")) {
        scale = parse_positive(argv[2]);
        first = 3;
    }
    if (scale <= 0)
        usage_exit();
    int chosen[N_OPS] = {0};
    for (int a = first; a < argc; a++) {
        unsigned k = 0;
        while (k < N_OPS && !same(argv[a], OPS[k]))
            k++;
        if (k == N_OPS)
            usage_exit();
        chosen[k] = 1;
    }
    if (sys3(SYS_getpid, 0, 0, 0) <= 0)
        fail("getpid", 0);
    have_counters = probe_counters();
    put(have_counters ? "lbench: counters on\n" : "lbench: counters off (instret and cycle trap)\n");
    for (unsigned k = 0; k < N_OPS; k++)
        if ((first == argc && k < N_DEFAULT_OPS) || chosen[k])
            run_op(k, scale);
    put("lbench: done\n");
    return 0;
}

/* The kernel starts us with sp at argc, then argv[], NULL, envp[]. */
__asm__(".globl _start\n"
        "_start:\n"
        /* gp for the linker's gp-relative relaxation (no C runtime sets it). */
        "  .option push\n"
        "  .option norelax\n"
        "  la gp, __global_pointer$\n"
        "  .option pop\n"
        "  ld a0, 0(sp)\n"
        "  addi a1, sp, 8\n"
        "  andi sp, sp, -16\n"
        "  call lbench_main\n"
        "  li a7, 94\n"
        "  ecall\n");
