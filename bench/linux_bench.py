#!/usr/bin/env python3
"""The conventional baseline: Debian's riscv64 Linux on the `virt` machine,
on Peerless and on QEMU with the same firmware, kernel and initramfs.

Each boot is timed from the emulator's start to the shell's prompt; then
the shell runs `lbench` (bench/linux/lbench.c, in the bench initramfs as
/bin/lbench) after enabling the user counters (`echo 2 >
/proc/sys/kernel/perf_user_access`), then `poweroff`, timed from the command
to the emulator's exit (both exit when Linux powers the machine off: the
test finisher).  RUNS boots on each emulator, alternating; the fastest boot,
poweroff and run of each operation count.

lbench prints `op NAME ITERATIONS INSTRET CYCLES TICKS` per operation,
totals over a loop (the kbench format): per-operation figures are those
minus the empty loop's.  Guest instructions and modelled cycles come from
Peerless only: QEMU without -icount counts neither (its instret and cycle
follow the host's clock), so on QEMU only host time is given.

With --kernel-results (bench/kernel_bench.py's table of the peer kernel's
operations), a third table sets the two systems' figures side by side.

LINUX_BENCH_LOG=FILE appends every console's output to FILE.

Usage: linux_bench.py --peerless PATH [--runs N] [--out FILE]
                      [--kernel-results FILE] [--command TEXT]
                      FW_JUMP.BIN IMAGE INITRD
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

from measure import Failure, fmt, machine_description, markdown_table, text_table, NS_PER_TICK, per_op

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "linux"))
import console  # noqa: E402

BOOT_TIMEOUT_S = 600
LBENCH_TIMEOUT_S = 300
POWEROFF_TIMEOUT_S = 120
PROMPT = b"~ # "
BANNER = b"peerless-linux: initramfs ready"
APPEND = "console=ttyS0"
MEMORY = "512M"

OP_LINE = re.compile(r"^op (\w+) (\d+) (\d+) (\d+) (\d+)$")

OPERATIONS = [
    ("getppid", "null system call (getppid)"),
    ("write", "write of 8 bytes to the console (ttyS0)"),
    ("pipe", "pipe round trip between two processes (1 byte there and back: two context switches)"),
    ("yield", "context switch: sched_yield between two processes taking turns (one switch per call)"),
    ("fork", "fork + exit + wait4 (no exec)"),
    ("spawn", "fork + execve of lbench itself (static, no libc) + exit + wait4"),
]

# The peer kernel's counterpart of each Linux operation: (Linux op, the
# start of the kernel table's operation text, how they compare).
COUNTERPARTS = [
    ("getppid", "getpid-like OS call", "null call: a trap into Linux / a gate call into sched"),
    ("write", "write of an 8-byte string", "8 bytes to the console"),
    ("pipe", "ping-pong between two programs", "round trip between two processes / programs (two switches)"),
    ("spawn", "spawn of the smallest program", "start the smallest program and wait for its exit"),
]


def qemu_argv(fw, image, initrd):
    return ["qemu-system-riscv64", "-machine", "virt", "-m", MEMORY, "-nographic",
            "-bios", fw, "-kernel", image, "-initrd", initrd, "-append", APPEND]


def peerless_argv(peerless, fw, image, initrd):
    return [peerless, "run", "--machine", "virt", "-m", MEMORY, "--bios", fw,
            "--kernel", image, "--initrd", initrd, "--append", APPEND]


class Console(console.Console):
    """The shared console; a command starts with nothing seen."""

    def __init__(self, argv):
        super().__init__(argv, os.environ.get("LINUX_BENCH_LOG", os.devnull), label="bench: Linux")

    def send(self, line):
        self.seen = b""
        super().send(line)


def one_boot(argv, scale):
    """Boot, run lbench, power off: {"boot": s, "poweroff": s, "ops": {...},
    "counters": bool}; raises Failure."""
    start = time.monotonic()
    con = Console(argv)
    try:
        if not (con.expect(BANNER, BOOT_TIMEOUT_S) and con.expect(PROMPT, BOOT_TIMEOUT_S)):
            raise Failure("no shell prompt within %d s: %s" % (BOOT_TIMEOUT_S, " ".join(argv)))
        boot = time.monotonic() - start
        con.send("echo 2 > /proc/sys/kernel/perf_user_access; lbench -n %d" % scale)
        done = con.expect(b"lbench: done", LBENCH_TIMEOUT_S) and con.expect(PROMPT, LBENCH_TIMEOUT_S)
        out = con.text.decode("utf-8", "replace").replace("\r\n", "\n")
        if not done or "FAILED" in out:
            raise Failure("lbench did not finish:\n" + "\n".join(out.splitlines()[-6:]))
        ops = {}
        for line in out.splitlines():
            m = OP_LINE.match(line.strip())
            if m:
                ops[m.group(1)] = tuple(int(g) for g in m.groups()[1:])
        missing = [n for n in ["loop"] + [o for o, _ in OPERATIONS] if n not in ops]
        if missing:
            raise Failure("no measurement of %s in:\n%s" % (", ".join(missing), out))
        t = time.monotonic()
        con.send("poweroff")
        status = con.wait_exit(POWEROFF_TIMEOUT_S)
        if status != 0:
            raise Failure("poweroff: the emulator %s" % ("did not exit" if status is None
                                                          else "exited with %d" % status))
        return {"boot": boot, "poweroff": time.monotonic() - t, "ops": ops,
                "counters": "lbench: counters on" in out}
    finally:
        con.kill()


class Best:
    """The fastest boot, poweroff and run of each operation on one emulator."""

    def __init__(self):
        self.boot = self.poweroff = None
        self.ops = {}
        self.counters = True

    def add(self, r):
        self.boot = r["boot"] if self.boot is None else min(self.boot, r["boot"])
        self.poweroff = r["poweroff"] if self.poweroff is None else min(self.poweroff, r["poweroff"])
        self.counters = self.counters and r["counters"]
        for name, v in r["ops"].items():
            if name not in self.ops or v[3] < self.ops[name][3]:
                self.ops[name] = v



def boot_table(p, q):
    rows = []
    for what, a, b in [("boot to the shell prompt (emulator start to `~ # `)", p.boot, q.boot),
                       ("`poweroff` to the emulator's exit", p.poweroff, q.poweroff),
                       ("total", p.boot + p.poweroff, q.boot + q.poweroff)]:
        rows.append([what, fmt(a, ".2f"), fmt(b, ".2f"), fmt(b / a, ".2f")])
    return rows, ["", "peerless s", "QEMU s", "peerless/QEMU (speed)"]


def op_table(p, q):
    rows = []
    for name, what in OPERATIONS:
        pi, pc, pns = per_op(p.ops[name], p.ops["loop"])
        _, _, qns = per_op(q.ops[name], q.ops["loop"])
        rows.append([what, fmt(p.ops[name][0], ","),
                     fmt(pi, ",.0f") if p.counters else "-",
                     fmt(pc, ",.0f") if p.counters else "-",
                     fmt(pns, ",.0f"), fmt(qns, ",.0f"), fmt(qns / pns, ".2f")])
    return rows, ["operation", "iterations", "guest instructions / op (peerless)",
                  "modelled cycles / op (peerless)", "host ns / op (peerless)",
                  "host ns / op (QEMU)", "peerless/QEMU (speed)"]


def kernel_figures(path):
    """The peer kernel's table (bench/kernel_bench.py): operation text ->
    (instructions, cycles, host ns) as printed."""
    figures = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 5 and cells[2][:1].isdigit():
                figures[cells[0]] = (cells[2], cells[3], cells[4])
    return figures


def comparison_table(p, kernel):
    rows = []
    for name, prefix, what in COUNTERPARTS:
        peer = next((v for k, v in kernel.items() if k.startswith(prefix)), None)
        if peer is None:
            continue
        li, lc, lns = per_op(p.ops[name], p.ops["loop"])
        rows.append([what, fmt(li, ",.0f") if p.counters else "-", peer[0],
                     fmt(lc, ",.0f") if p.counters else "-", peer[1], fmt(lns, ",.0f"), peer[2]])
    return rows, ["operation", "Linux instructions", "peer kernel instructions",
                  "Linux modelled cycles", "peer kernel modelled cycles",
                  "Linux host ns", "peer kernel host ns"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--scale", type=int, default=1, help="lbench -n SCALE")
    ap.add_argument("--out", default="build/bench/linux-results.md")
    ap.add_argument("--kernel-results", default="build/bench/kernel-os.md")
    ap.add_argument("--command", default=" ".join(sys.argv))
    ap.add_argument("fw")
    ap.add_argument("image")
    ap.add_argument("initrd")
    args = ap.parse_args()
    if args.runs < 1 or args.scale < 1:
        ap.error("--runs and --scale must be at least 1")

    emulators = [("peerless", peerless_argv(args.peerless, args.fw, args.image, args.initrd)),
                 ("QEMU", qemu_argv(args.fw, args.image, args.initrd))]
    best = {name: Best() for name, _ in emulators}
    started = time.monotonic()
    try:
        for run in range(args.runs):
            for name, argv in emulators:
                print("booting Linux on %s (%d of %d) ..." % (name, run + 1, args.runs),
                      file=sys.stderr, flush=True)
                r = one_boot(argv, args.scale)
                print("  shell after %.2f s, poweroff %.2f s" % (r["boot"], r["poweroff"]),
                      file=sys.stderr, flush=True)
                best[name].add(r)
    except Failure as e:
        print("FAIL linux bench: %s" % e, file=sys.stderr)
        text = "### Linux on virt\n\nFAILED: %s\n" % str(e).splitlines()[0]
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
        return 1
    elapsed = time.monotonic() - started
    p, q = best["peerless"], best["QEMU"]

    rows, header = boot_table(p, q)
    print(text_table(rows, header))
    lines = ["### Linux on virt: boot and poweroff, peerless vs QEMU", "",
             "Debian's riscv64 Linux (`build/linux`: OpenSBI `fw_jump.bin`, the kernel "
             "`Image`) with the bench initramfs (`build/bench/linux/initrd.cpio.gz`: "
             "the test initramfs plus `/bin/lbench`), the same files on both; "
             "fastest of %d boots each (wall time)." % args.runs, "",
             markdown_table(rows, header), "",
             "`poweroff` includes busybox init's two fixed one-second pauses (after "
             "sending SIGTERM, then SIGKILL, to every process), the same on both.", ""]
    rows, header = op_table(p, q)
    print(text_table(rows, header))
    lines += ["### Linux on virt: system calls and switches (lbench)", "",
              "Per iteration of a loop of each operation, minus the empty loop's cost; "
              "the fastest run of each (host time) of `lbench -n %d` (bench/linux/lbench.c) "
              "in %d boots per emulator.  Guest instructions from `instret`, *modelled "
              "cycles* from `cycle` (user-readable with `kernel.perf_user_access = 2`; "
              "on Peerless only: QEMU counts neither without -icount), host ns from the "
              "10 MHz `time` CSR over the whole loop.  Instructions and cycles include "
              "everything the hart ran: the kernel, and the other process in pipe, "
              "yield, fork and spawn." % (args.scale, args.runs), "",
              markdown_table(rows, header), ""]
    if not p.counters:
        lines += ["instret and cycle were not readable from user mode (reading them "
                  "trapped), so no instruction or cycle counts.", ""]
    if os.path.exists(args.kernel_results):
        rows, header = comparison_table(p, kernel_figures(args.kernel_results))
        if rows:
            lines += ["### Linux beside the peer kernel (both on Peerless)", "",
                      "Linux's figures above (on `--machine virt`) next to the peer kernel's "
                      "counterparts from `%s` (on `--machine peer`)." % args.kernel_results, "",
                      markdown_table(rows, header), ""]
    lines += machine_description(args.peerless, args.runs, args.command, with_load=True)
    lines = [l for l in lines if not l.startswith("- Best of ")]
    lines.insert(-2, "- Best of %d boots per emulator, alternating (%.0f s in all)"
                 % (args.runs, elapsed))
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print("written to %s" % args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
