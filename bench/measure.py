#!/usr/bin/env python3
"""Run benchmark ELFs on Peerless and on QEMU, side by side, and tabulate.

Each benchmark runs RUNS times on each emulator, alternating, and the best
(lowest) wall time counts.  Both emulators must exit 0 and print the same
output every time; otherwise the benchmark is reported as failed and the
script exits non-zero.  The guest instruction count comes from Peerless's
`--stats` report; QEMU's MIPS use the same count (the guest runs the same
instructions on both).

Usage: measure.py [--peerless PATH] [--runs N] [--out FILE] [--command TEXT]
                  [--peer DIR --peer-out FILE] ELF...
       measure.py --describe [--peerless PATH] [--runs N] [--command TEXT]
Without --peerless only QEMU runs (instruction counts and MIPS are then
unknown).

With --peer DIR, DIR holds a build of each benchmark for the peer machine
under the same file name; in each round it also runs on `peerless run
--machine peer`, must print the same output, and a second table (peer vs
virt, both on Peerless) goes to --peer-out.  A benchmark that fails only on
peer keeps its row in the first table.

--describe prints the machine description alone (for other result files).
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import progress  # noqa: E402

QEMU = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none",
        "-m", "128M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-semihosting-config", "enable=on,target=native", "-kernel"]
PEERLESS_TIMEOUT_S = 600
QEMU_TIMEOUT_S = 120
# The peer machine's requirement: a program inside one space runs no more
# than 10% slower than on virt.
PEER_MIN_RATIO = 0.90

# Peerless's --stats line with the instruction count.  Its exact format is
# the CLI's business, so accept the usual spellings: "instructions: 123",
# "instructions retired = 1,234", "insns 123", "123 instructions".
COUNT_PATTERNS = [
    re.compile(r"\b(?:instructions|insns|instret)\b(?:\s+retired)?\s*[:=]?\s*([0-9][0-9,_']*)", re.I),
    re.compile(r"\b([0-9][0-9,_']*)\s+(?:instructions|insns)\b", re.I),
]


def parse_instruction_count(stderr):
    for line in stderr.splitlines():
        for pattern in COUNT_PATTERNS:
            m = pattern.search(line)
            if m:
                return int(re.sub(r"[,_']", "", m.group(1)))
    return None


CYCLES_PATTERN = re.compile(r"\bmodelled cycles\s*[:=]\s*([0-9][0-9,_']*)", re.I)


def parse_cycle_count(stderr):
    """The cycle model's count from --stats (docs/PERFORMANCE.md), if given."""
    m = CYCLES_PATTERN.search(stderr)
    return int(re.sub(r"[,_']", "", m.group(1))) if m else None


class Failure(Exception):
    pass


# The guest-side loops (peer micro-benchmarks, kbench, lbench) report
# (iterations, instret, cycle, time) deltas; `time` ticks at 10 MHz.
NS_PER_TICK = 100.0


def per_op(v, loop):
    """(instructions, cycles, host ns) per iteration of v, net of the empty
    loop's; each is (iterations, instructions, cycles, ticks, ...)."""
    n, insns, cycles, ticks = v[:4]
    ln, linsns, lcycles, lticks = loop[:4]
    return (insns / n - linsns / ln, cycles / n - lcycles / ln,
            (ticks / n - lticks / ln) * NS_PER_TICK)


def timed_run(argv, timeout):
    """Runs argv; returns (seconds, exit code, stdout, stderr)."""
    start = time.perf_counter()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure("timed out after %d s: %s" % (timeout, " ".join(argv)))
    seconds = time.perf_counter() - start
    out = p.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    return seconds, p.returncode, out, p.stderr.decode("utf-8", "replace")


def check_run(who, rc, out, err, reference):
    if rc != 0:
        raise Failure("%s exited with %d\n--- stdout\n%s--- stderr\n%s"
                      % (who, rc, out, err))
    if reference is not None and out != reference:
        raise Failure("%s printed a different result\n--- expected\n%s--- got\n%s"
                      % (who, reference, out))


class PeerRun:
    """The peer machine's runs of one benchmark: best time, its own
    instruction count (its runtime differs from picolibc's semihosting
    one, so the count differs a little), or why it failed."""

    def __init__(self, elf):
        self.elf = elf
        self.best = None
        self.count = None
        self.error = None

    def run(self, peerless, reference):
        if self.error:
            return
        try:
            s, rc, out, err = timed_run([peerless, "run", "--machine", "peer", "--stats",
                                         self.elf], PEERLESS_TIMEOUT_S)
            check_run("peerless --machine peer", rc, out, err, reference)
            n = parse_instruction_count(err)
            if n is None:
                raise Failure("no instruction count in peerless --stats output:\n" + err)
            if self.count is not None and n != self.count:
                raise Failure("instruction count changed between runs: %d, %d"
                              % (self.count, n))
            self.count = n
            self.best = s if self.best is None else min(self.best, s)
        except Failure as e:
            self.error = str(e)


def measure(elf, peerless, runs, peer_elf=None):
    """Returns a dict of results for one benchmark; raises Failure."""
    reference = None        # the first output seen; every run must match it
    best_p = best_q = None
    count = cycles = None
    peer = PeerRun(peer_elf) if peer_elf and peerless else None
    name = os.path.splitext(os.path.basename(elf))[0]
    for run in range(runs):
        progress.show("bench", "%s: run %d of %d" % (name, run + 1, runs))
        if peerless:
            s, rc, out, err = timed_run([peerless, "run", "--stats", elf],
                                        PEERLESS_TIMEOUT_S)
            check_run("peerless", rc, out, err, reference)
            reference = out
            n = parse_instruction_count(err)
            if n is None:
                raise Failure("no instruction count in peerless --stats output:\n"
                              + err)
            if count is not None and n != count:
                raise Failure("instruction count changed between runs: %d, %d"
                              % (count, n))
            count = n
            cycles = parse_cycle_count(err)
            best_p = s if best_p is None else min(best_p, s)
        s, rc, out, err = timed_run(QEMU + [elf], QEMU_TIMEOUT_S)
        # QEMU 7.2 writes the semihosting console (picolibc's stdout) to its
        # own stderr when no semihosting chardev is given, and the UART to
        # stdout; the benchmarks print through semihosting only, so the
        # guest's output is both streams together.
        out += err.replace("\r\n", "\n")
        check_run("qemu", rc, out, err, reference)
        reference = out
        best_q = s if best_q is None else min(best_q, s)
        if peer:
            peer.run(peerless, reference)
    progress.clear()
    return {"name": os.path.splitext(os.path.basename(elf))[0], "elf": elf,
            "insns": count, "cycles": cycles, "peerless_s": best_p, "qemu_s": best_q,
            "output": reference.strip(), "reference": reference, "peer": peer,
            "virt_s": best_p}


def mips(insns, seconds):
    if insns is None or not seconds:
        return None
    return insns / seconds / 1e6


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


HEADER = ["benchmark", "guest instructions", "modelled cycles", "peerless s", "peerless MIPS",
          "QEMU s", "QEMU MIPS", "peerless/QEMU"]


def table_rows(results):
    rows, ratios = [], []
    for r in results:
        pm, qm = mips(r["insns"], r["peerless_s"]), mips(r["insns"], r["qemu_s"])
        # Same instruction count on both, so the speed ratio is the inverse
        # ratio of the times.
        ratio = r["qemu_s"] / r["peerless_s"] if r["peerless_s"] else None
        if ratio:
            ratios.append(ratio)
        rows.append([r["name"], fmt(r["insns"], ","), fmt(r.get("cycles"), ","),
                     fmt(r["peerless_s"], ".3f"), fmt(pm, ".0f"), fmt(r["qemu_s"], ".3f"),
                     fmt(qm, ".0f"), fmt(ratio, ".3f")])
    if ratios:
        geo = 1.0
        for x in ratios:
            geo *= x
        geo **= 1.0 / len(ratios)
        rows.append(["geometric mean", "", "", "", "", "", "", format(geo, ".3f")])
    return rows


def text_table(rows, header=HEADER):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths)))
             for row in [header] + rows]
    return "\n".join(lines)


def markdown_table(rows, header=HEADER):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join([":--"] + ["--:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


PEER_HEADER = ["benchmark", "virt instructions", "virt s", "virt MIPS",
               "peer instructions", "peer s", "peer MIPS", "peer/virt"]


def peer_rows(results):
    """Rows of the peer-vs-virt table, and the names of the benchmarks
    below PEER_MIN_RATIO.  peer/virt is the ratio of the MIPS, since the
    two builds execute slightly different instruction counts."""
    rows, ratios, slow = [], [], []
    for r in results:
        peer = r["peer"]
        if peer is None or peer.best is None:
            continue
        vm, pm = mips(r["insns"], r["virt_s"]), mips(peer.count, peer.best)
        ratio = pm / vm if vm and pm else None
        if ratio:
            ratios.append(ratio)
            if ratio < PEER_MIN_RATIO:
                slow.append(r["name"])
        rows.append([r["name"], fmt(r["insns"], ","), fmt(r["virt_s"], ".3f"),
                     fmt(vm, ".0f"), fmt(peer.count, ","), fmt(peer.best, ".3f"),
                     fmt(pm, ".0f"), fmt(ratio, ".3f")])
    if ratios:
        geo = 1.0
        for x in ratios:
            geo *= x
        geo **= 1.0 / len(ratios)
        rows.append(["geometric mean", "", "", "", "", "", "", format(geo, ".3f")])
    return rows, slow


def confirm_slow_peer(results, peerless, runs):
    """Runs the benchmarks that came out below PEER_MIN_RATIO another RUNS
    rounds on virt and peer only (no QEMU), so that one noisy round on a
    busy host does not decide the verdict; returns their names."""
    _, slow = peer_rows(results)
    for r in results:
        if r["name"] not in slow:
            continue
        print("re-measuring %s on virt and peer ..." % r["name"], file=sys.stderr, flush=True)
        for _ in range(runs):
            s, rc, out, err = timed_run([peerless, "run", r["elf"]], PEERLESS_TIMEOUT_S)
            try:
                check_run("peerless", rc, out, err, r["reference"])
            except Failure as e:
                r["peer"].error = "virt, re-measuring: %s" % e
                break
            r["virt_s"] = min(r["virt_s"], s)
            r["peer"].run(peerless, r["reference"])
    return slow


def write_peer_results(path, results, peer_failures, remeasured, runs):
    rows, slow = peer_rows(results)
    print(text_table(rows, PEER_HEADER))
    lines = ["### The benchmark set inside one space: peer vs virt", "",
             markdown_table(rows, PEER_HEADER), ""]
    if slow:
        lines.append("Requirement (peer no more than %d%% below virt in MIPS): **not met** by %s."
                     % (round((1 - PEER_MIN_RATIO) * 100), ", ".join(slow)))
    elif rows:
        lines.append("Requirement (peer no more than %d%% below virt in MIPS): met by every benchmark."
                     % round((1 - PEER_MIN_RATIO) * 100))
    if remeasured:
        lines += ["", "Below the requirement after the first %d rounds and so measured %d more "
                  "rounds on virt and peer (best of all counts): %s."
                  % (runs, runs, ", ".join(remeasured))]
    for name, why in peer_failures:
        lines += ["", "FAILED on peer: %s: %s" % (name, why.splitlines()[0])]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("written to %s" % path, file=sys.stderr)


def first_line(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True).stdout
        return out.splitlines()[0].strip() if out else "unknown"
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_revision():
    rev = first_line(["git", "rev-parse", "--short", "HEAD"])
    if not re.fullmatch(r"[0-9a-f]+", rev):
        return "no commit yet"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return rev + (" (with uncommitted changes)" if dirty else "")


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def machine_description(peerless, runs, command, with_load=False):
    load = ["- Host load average (1, 5, 15 min) when written: %s — other work on the "
            "host shows up as noise in the wall times" % load_average()] if with_load else []
    return [
        "- Date: %s" % datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "- Host CPU: %s, %d logical cores (%s)" % (cpu_model(), os.cpu_count() or 0,
                                                  platform.machine()),
        "- Host OS: %s %s" % (platform.system(), platform.release()),
        "- QEMU: %s" % first_line(["qemu-system-riscv64", "--version"]),
        "- Peerless: git revision %s, built with %s" % (git_revision(),
                                                       first_line(["cc", "--version"]))
        if peerless else "- Peerless: not run (QEMU only)",
        "- Guest compiler: %s" % first_line(["riscv64-unknown-elf-gcc", "--version"]),
        "- Best of %d wall-clock runs per emulator (process start to exit)" % runs,
        "- Command: `%s`" % command,
    ] + load


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", help="the peerless binary (omit: QEMU only)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="build/bench/results.md")
    ap.add_argument("--command", default=" ".join(sys.argv))
    ap.add_argument("--peer", metavar="DIR",
                    help="also run DIR/<name> of each ELF on --machine peer")
    ap.add_argument("--peer-out", default="build/bench/peer-vs-virt.md")
    ap.add_argument("--describe", action="store_true",
                    help="print the machine description and exit")
    ap.add_argument("elfs", nargs="*")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.describe:
        print("\n".join(machine_description(args.peerless, args.runs, args.command,
                                             with_load=True)))
        return 0
    if not args.elfs:
        ap.error("no ELF to run")

    results, failures, peer_failures = [], [], []
    for elf in args.elfs:
        name = os.path.basename(elf)
        print("running %s ..." % name, file=sys.stderr, flush=True)
        try:
            peer_elf = os.path.join(args.peer, name) if args.peer else None
            r = measure(elf, args.peerless, args.runs, peer_elf)
            print("  %s" % r["output"], file=sys.stderr)
            results.append(r)
            if r["peer"] and r["peer"].error:
                print("FAIL %s on peer: %s" % (name, r["peer"].error), file=sys.stderr)
                peer_failures.append((name, r["peer"].error))
        except Failure as e:
            progress.clear()
            print("FAIL %s: %s" % (name, e), file=sys.stderr)
            failures.append(name)

    rows = table_rows(results)
    print(text_table(rows))
    lines = [markdown_table(rows), ""]
    lines += machine_description(args.peerless, args.runs, args.command)
    if failures:
        lines += ["", "FAILED (wrong or missing output): " + ", ".join(failures)]
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("written to %s" % args.out, file=sys.stderr)
    if args.peer and args.peerless:
        remeasured = confirm_slow_peer(results, args.peerless, args.runs)
        peer_failures = [(r["name"], r["peer"].error) for r in results
                         if r["peer"] and r["peer"].error]
        write_peer_results(args.peer_out, results, peer_failures, remeasured, args.runs)
        failures += [name + " (peer)" for name, _ in peer_failures]
    if failures:
        print("FAILED: %s" % ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
