#!/usr/bin/env python3
"""Run benchmark ELFs on Peerless and on QEMU, side by side, and tabulate.

Each benchmark runs RUNS times on each emulator, alternating, and the best
(lowest) wall time counts.  Both emulators must exit 0 and print the same
output every time; otherwise the benchmark is reported as failed and the
script exits non-zero.  The guest instruction count comes from Peerless's
`--stats` report; QEMU's MIPS use the same count (the guest runs the same
instructions on both).

Usage: measure.py [--peerless PATH] [--runs N] [--out FILE] [--command TEXT] ELF...
Without --peerless only QEMU runs (instruction counts and MIPS are then
unknown).
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time

QEMU = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none",
        "-m", "128M", "-nographic", "-monitor", "none", "-serial", "stdio",
        "-semihosting-config", "enable=on,target=native", "-kernel"]
PEERLESS_TIMEOUT_S = 600
QEMU_TIMEOUT_S = 120

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


class Failure(Exception):
    pass


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


def measure(elf, peerless, runs):
    """Returns a dict of results for one benchmark; raises Failure."""
    reference = None        # the first output seen; every run must match it
    best_p = best_q = None
    count = None
    for _ in range(runs):
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
    return {"name": os.path.splitext(os.path.basename(elf))[0],
            "insns": count, "peerless_s": best_p, "qemu_s": best_q,
            "output": reference.strip()}


def mips(insns, seconds):
    if insns is None or not seconds:
        return None
    return insns / seconds / 1e6


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


HEADER = ["benchmark", "guest instructions", "peerless s", "peerless MIPS",
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
        rows.append([r["name"], fmt(r["insns"], ","), fmt(r["peerless_s"], ".3f"),
                     fmt(pm, ".0f"), fmt(r["qemu_s"], ".3f"), fmt(qm, ".0f"),
                     fmt(ratio, ".3f")])
    if ratios:
        geo = 1.0
        for x in ratios:
            geo *= x
        geo **= 1.0 / len(ratios)
        rows.append(["geometric mean", "", "", "", "", "", format(geo, ".3f")])
    return rows


def text_table(rows):
    widths = [max(len(str(c)) for c in col) for col in zip(HEADER, *rows)]
    lines = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                       for i, (c, w) in enumerate(zip(row, widths)))
             for row in [HEADER] + rows]
    return "\n".join(lines)


def markdown_table(rows):
    lines = ["| " + " | ".join(HEADER) + " |",
             "|" + "|".join([":--"] + ["--:"] * (len(HEADER) - 1)) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


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


def machine_description(peerless, runs, command):
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
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", help="the peerless binary (omit: QEMU only)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="build/bench/results.md")
    ap.add_argument("--command", default=" ".join(sys.argv))
    ap.add_argument("elfs", nargs="+")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    results, failures = [], []
    for elf in args.elfs:
        name = os.path.basename(elf)
        print("running %s ..." % name, file=sys.stderr, flush=True)
        try:
            r = measure(elf, args.peerless, args.runs)
            print("  %s" % r["output"], file=sys.stderr)
            results.append(r)
        except Failure as e:
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
    if failures:
        print("FAILED: %s" % ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
