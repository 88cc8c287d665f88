/* The command line: `peerless run [options] PROGRAM.elf [guest args...]`. */
#include "board/board.h"

#include <errno.h>
#include <peerless/virt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: peerless run [options] PROGRAM.elf [guest arguments...]\n"
    "       peerless run [options] --bios FW [--kernel IMAGE] [--initrd FILE] [--append ARGS]\n"
    "\n"
    "Run a RISC-V ELF program, or boot firmware and an operating system, on an\n"
    "emulated machine.  Guest output goes to stdout; the guest's exit code\n"
    "becomes peerless's.\n"
    "\n"
    "options:\n"
    "  --machine NAME     the board: virt (QEMU-virt compatible; default) or peer\n"
    "                     (the peer-to-peer protection architecture, docs/ARCHITECTURE.md)\n"
    "  -m SIZE            RAM size: a number of MiB, or with a K, M or G suffix (default 128M)\n"
    "  --max-insns N      stop with status 124 after N instructions\n"
    "  --icount NS        virtual time: the clock advances NS nanoseconds per instruction,\n"
    "                     so timer interrupts land on the same instructions every run\n"
    "                     (idle time still passes at the host's pace)\n"
    "  --stats            print instructions retired, wall time and MIPS on stderr\n"
    "  --cost FILE        the cycle model's costs: lines `name = cycles` (see docs/PERFORMANCE.md)\n"
    "  --gdb PORT         serve GDB's remote protocol on 127.0.0.1:PORT (target remote :PORT)\n"
    "  --wait-gdb         with --gdb: stop before the first instruction until GDB continues\n"
    "  --trace FILE       (peer) write a Perfetto/Chrome trace of gate calls, interrupts,\n"
    "                     faults, grants and revocations (time: 1 ns per instruction)\n"
    "  --bios FW          raw firmware (OpenSBI fw_jump.bin) at 0x80000000; it starts\n"
    "                     in M mode with a0 = hart id, a1 = the device tree (virt only)\n"
    "  --kernel IMAGE     with --bios: a raw Linux Image (or ELF) at 0x80200000;\n"
    "                     without: the ELF program\n"
    "  --initrd FILE      initial RAM disk, named in /chosen of the device tree\n"
    "  --append ARGS      kernel command line (/chosen/bootargs)\n"
    "  --drive FILE       raw disk image as a virtio-blk device (virt and peer)\n"
    "  --netdev tap,ifname=NAME\n"
    "                     a virtio-net device on the host TAP interface NAME (virt and peer)\n"
    "  --virtio-console   a virtio console (Linux hvc0) takes stdin from the UART\n"
    "  -h, --help         this text\n"
    "\n"
    "exit status: the guest's, or 2 bad usage, 124 instruction limit,\n"
    "125 unhandled guest fault, 126 program could not be loaded.\n";

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "peerless: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'peerless --help' for usage)\n");
    return EXIT_USAGE;
}

/* "128", "128M", "64K", "1G" -> bytes (a bare number is MiB, as in QEMU). */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return false;
    unsigned shift = 20;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        default: return false;
        }
        if (end[1] && !(end[1] == 'B' && !end[2]) && !(end[1] == 'i' && end[2] == 'B' && !end[3]))
            return false;
    }
    if (n == 0 || n > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)n << shift;
    return true;
}

static bool parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        return false;
    *out = n;
    return true;
}

/* The semihosting command line: program name and guest arguments, space-separated. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    *p = 0;
    for (int i = 0; i < argc; i++)
        p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
    return s;
}

/* "tap,ifname=NAME" -> NAME (QEMU's spelling; the only backend we have). */
static const char *parse_netdev(const char *s)
{
    static const char prefix[] = "tap,ifname=";
    if (strncmp(s, prefix, sizeof prefix - 1) || !s[sizeof prefix - 1] || strchr(s + sizeof prefix - 1, ','))
        return NULL;
    return s + sizeof prefix - 1;
}

/* Options that name a file: the value, or NULL after reporting. */
static const char **file_option(struct board_options *o, const char *a)
{
    return !strcmp(a, "--bios") ? &o->bios : !strcmp(a, "--kernel") ? &o->kernel :
           !strcmp(a, "--initrd") ? &o->initrd : !strcmp(a, "--drive") ? &o->drive :
           !strcmp(a, "--append") ? &o->append : NULL;
}

static int cmd_run(int argc, char **argv)
{
    struct board_options o = { .ram_size = VIRT_DRAM_DEFAULT_SIZE };
    const char *machine = "virt";
    int i;
    for (i = 0; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (!strcmp(a, "--machine")) {
            if (!val) return bad("%s needs a value", a);
            machine = val, i++;
        } else if (!strcmp(a, "-m")) {
            if (!val) return bad("%s needs a value", a);
            if (!parse_size(val, &o.ram_size)) return bad("bad RAM size '%s'", val);
            if (o.ram_size > (64ull << 30) || (o.ram_size & 0xfff))
                return bad("RAM size '%s' must be a multiple of 4 KiB and at most 64 GiB", val);
            i++;
        } else if (!strcmp(a, "--max-insns")) {
            if (!val) return bad("%s needs a value", a);
            if (!parse_count(val, &o.max_insns) || o.max_insns == 0) return bad("bad instruction count '%s'", val);
            i++;
        } else if (!strcmp(a, "--icount")) {
            if (!val) return bad("%s needs a value", a);
            if (!parse_count(val, &o.icount_ns) || o.icount_ns == 0 || o.icount_ns > 1000000000)
                return bad("bad --icount '%s' (nanoseconds per instruction, 1 to 1000000000)", val);
            i++;
        } else if (file_option(&o, a)) {
            if (!val) return bad("%s needs a value", a);
            *file_option(&o, a) = val, i++;
        } else if (!strcmp(a, "--netdev")) {
            if (!val) return bad("%s needs a value", a);
            if (!(o.tap = parse_netdev(val))) return bad("bad --netdev '%s' (expected tap,ifname=NAME)", val);
            i++;
        } else if (!strcmp(a, "--cost")) {
            static struct cost_model cost;
            char err[256];
            if (!val) return bad("%s needs a value", a);
            cost = default_costs;
            if (!cost_model_load(&cost, val, err, sizeof err)) return bad("%s", err);
            o.cost = &cost, i++;
        } else if (!strcmp(a, "--trace")) {
            if (!val) return bad("%s needs a value", a);
            o.trace = val, i++;
        } else if (!strcmp(a, "--virtio-console")) {
            o.virtio_console = true;
        } else if (!strcmp(a, "--stats")) {
            o.stats = true;
        } else if (!strcmp(a, "--gdb")) {
            uint64_t port;
            if (!val) return bad("%s needs a value", a);
            if (!parse_count(val, &port) || port == 0 || port > 65535) return bad("bad TCP port '%s'", val);
            o.gdb_port = (int)port, i++;
        } else if (!strcmp(a, "--wait-gdb")) {
            o.gdb_wait = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else {
            return bad("unknown option '%s'", a);
        }
    }
    int (*board_run)(const struct board_options *) =
        !strcmp(machine, "virt") ? virt_run : !strcmp(machine, "peer") ? peer_run : NULL;
    if (!board_run)
        return bad("unknown machine '%s' (known: virt, peer)", machine);
    /* The peer machine has a disk and a network too (DMA devices behind apertures). */
    bool booting = o.bios || o.kernel || o.initrd || o.append || o.virtio_console;
    if (booting && board_run != virt_run)
        return bad("--bios, --kernel, --initrd, --append and --virtio-console need --machine virt%s", "");
    if ((o.initrd || o.append) && !o.bios)
        return bad("--initrd and --append need --bios (the firmware passes the device tree on)%s", "");
    if (o.bios && !o.kernel && i < argc)
        return bad("with --bios, give the kernel with --kernel, not as '%s'", argv[i]);
    if (o.kernel && i < argc)
        return bad("both --kernel and a program '%s' given", argv[i]);
    if (!o.kernel && !o.bios && i >= argc)
        return bad("%s", "no program given");
    if (o.gdb_wait && !o.gdb_port)
        return bad("%s", "--wait-gdb needs --gdb PORT");
    /* The program's name and arguments (for semihosting); --kernel stands
     * for the program when there is none. */
    char *kernel_argv[1] = { (char *)(o.kernel ? o.kernel : o.bios) };
    if (i >= argc) {
        argc = 1, argv = kernel_argv, i = 0;
    }
    o.program = o.kernel ? o.kernel : argv[i];
    char *cmdline = join_args(argc - i, argv + i);
    if (!cmdline) {
        fprintf(stderr, "peerless: out of memory\n");
        return EXIT_LOAD;
    }
    o.cmdline = cmdline;
    fflush(stdout);
    int status = board_run(&o);
    free(cmdline);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bad("%s", "no command given");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2);
    return bad("unknown command '%s' (known: run)", argv[1]);
}
