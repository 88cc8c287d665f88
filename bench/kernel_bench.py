#!/usr/bin/env python3
"""The peer kernel's OS-level figures: boot the kernel, run `kbench` from
its shell (apps/kbench/kbench.c) and tabulate.

kbench measures itself: for each operation it prints
`op NAME ITERATIONS INSTRET CYCLES TICKS`, totals over a loop read from the
instret, cycle and time CSRs (a tick of the time CSR is 100 ns of host
time).  This script boots the kernel RUNS times with the scripted input
`kbench` / `halt`, keeps each operation's fastest run (host time) and
writes a markdown table of per-operation figures, net of the empty loop.

Instruction counts are not required to repeat exactly: a timer tick that
lands inside a loop runs sched's handler on the measured thread, and its
instructions count too.

Programs get no interrupt source of their own, so the interrupt figures
come from a second boot with `--trace`: `kbench -n K getpid` makes K sched
calls, each of which raises the software interrupt; the trace (time = the
instruction count) gives, per call, the instructions from the gate entry
into sched to the handler's entry, in the handler, and from its return to
the call's return.

Usage: kernel_bench.py --peerless PATH [--runs N] [--out FILE] KERNEL.ELF
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

from measure import progress
from measure import Failure, markdown_table, fmt, NS_PER_TICK, per_op

RUN_TIMEOUT_S = 120
MAX_INSNS = 400_000_000       # a hung run stops here instead of at the timeout
TRACE_CALLS = 200
SCHED_SPACE = 3               # kernel/README.md: root 1, mem 2, sched 3, console 4
IRQ_SRC_SOFT = 4

OP_LINE = re.compile(r"^op (\w+) (\d+) (\d+) (\d+) (\d+)$")

OPERATIONS = [
    ("getpid", "getpid-like OS call: sched SELF (gate call into sched, which raises the "
               "software interrupt; its handler serves the request)"),
    ("write", "write of an 8-byte string to the console (gate call, pass of the buffer, "
              "tx ring, UART interrupt)"),
    ("gate", "call into a library in its own space (apps/kblib returns a0+1) and back"),
    ("pingpong", "ping-pong between two programs' threads through sched (WAKE the partner, "
                 "WAIT for its WAKE): one round trip, two thread switches"),
    ("spawn", "spawn of the smallest program (apps/kpong: yields once, exits 0) + wait for "
              "its exit"),
    ("login", "login as root and logout (sec: one Argon2id, m = 1 MiB, t = 3, and a session "
              "gate made and removed)"),
]


def boot(peerless, kernel, script, extra=()):
    argv = [peerless, "run", "--machine", "peer", "--max-insns", str(MAX_INSNS)] + \
        list(extra) + [kernel]
    try:
        p = subprocess.run(argv, input=script.encode(), capture_output=True,
                           timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Failure("timed out after %d s: %s" % (RUN_TIMEOUT_S, " ".join(argv)))
    out = p.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    if p.returncode != 0 or "kbench: done" not in out or "FAILED" in out:
        tail = "\n".join(out.splitlines()[-5:])
        raise Failure("kbench did not finish (exit %d):\n%s\n%s"
                      % (p.returncode, tail, p.stderr.decode("utf-8", "replace")))
    return out


def run_once(peerless, kernel):
    """One boot: {op: (iterations, instret, cycles, ticks)}."""
    out = boot(peerless, kernel, "kbench\nhalt\n")
    ops = {}
    for line in out.splitlines():
        m = OP_LINE.match(line.strip())
        if m:
            ops[m.group(1)] = tuple(int(g) for g in m.groups()[1:])
    missing = [n for n in ["loop"] + [o for o, _ in OPERATIONS] if n not in ops]
    if missing:
        raise Failure("no measurement of %s in:\n%s" % (", ".join(missing), out))
    return ops


def best_of(peerless, kernel, runs):
    """Each operation's fastest run; a run that fails is retried (up to
    RUNS more times in all) and counted."""
    best, failures, errors = None, 0, []
    done = 0
    while done < runs:
        progress.show("bench", "kbench on the peer kernel: run %d of %d" % (done + 1, runs))
        try:
            ops = run_once(peerless, kernel)
            progress.clear()
        except Failure as e:
            progress.clear()
            failures += 1
            errors.append(str(e).splitlines()[0])
            print("kbench run failed: %s" % e, file=sys.stderr)
            if failures > runs:
                raise Failure("%d failed runs; the last: %s" % (failures, e))
            continue
        done += 1
        if best is None:
            best = ops
        else:
            for name, v in ops.items():
                if v[3] < best[name][3]:
                    best[name] = v
    return best, failures, errors



def operation_table(ops):
    loop = ops["loop"]
    rows = []
    for name, what in OPERATIONS:
        i, c, ns = per_op(ops[name], loop)
        rows.append([what, fmt(ops[name][0], ","), fmt(i, ",.0f"), fmt(c, ",.0f"),
                     fmt(ns, ",.0f")])
    header = ["operation", "iterations", "guest instructions / op",
              "modelled cycles / op", "host ns / op"]
    return markdown_table(rows, header)


def interrupt_breakdown(peerless, kernel, trace_path):
    """From a trace of TRACE_CALLS sched calls: per call, (to handler,
    handler, after handler) in instructions, as medians."""
    boot(peerless, kernel, "kbench -n %d getpid\nhalt\n" % TRACE_CALLS,
         ["--trace", trace_path])
    with open(trace_path) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    stacks = {}               # thread -> open slices: [kind, start, irq start, irq end]
    pending_irq = {}          # thread -> the source of the interrupt just announced
    samples = []
    for e in events:
        tid, ph = e.get("tid"), e.get("ph")
        ts = round(e.get("ts", 0) * 1000)      # 1 ns of trace time = 1 instruction
        if ph == "i" and e.get("name") == "interrupt":
            pending_irq[tid] = e["args"].get("source")
        elif ph == "B":
            st = stacks.setdefault(tid, [])
            if e["name"].startswith("interrupt"):
                st.append(["irq", ts, pending_irq.pop(tid, None), None])
            else:
                st.append(["call", ts, None, None, e["args"].get("code space")])
        elif ph == "E" and stacks.get(tid):
            s = stacks[tid].pop()
            if s[0] == "irq" and s[2] == IRQ_SRC_SOFT and stacks[tid]:
                outer = stacks[tid][-1]
                if outer[0] == "call" and outer[4] == SCHED_SPACE and outer[2] is None:
                    outer[2], outer[3] = s[1], ts
            elif s[0] == "call" and s[4] == SCHED_SPACE and s[2] is not None and not stacks[tid]:
                samples.append((s[2] - s[1], s[3] - s[2], ts - s[3]))
    if len(samples) < TRACE_CALLS // 2:
        raise Failure("only %d sched calls with a software interrupt in the trace"
                      % len(samples))
    return len(samples), [statistics.median(x[k] for x in samples) for k in range(3)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="build/bench/kernel-results.md")
    ap.add_argument("kernel")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    print("running kbench on the peer kernel ...", file=sys.stderr, flush=True)
    status = 0
    try:
        ops, failed_runs, errors = best_of(args.peerless, args.kernel, args.runs)
        lines = ["### The peer kernel: OS operations (kbench)", "",
                 "Per iteration of a loop of each operation, minus the empty loop's cost; "
                 "the fastest of %d boots (host time) of `build/kernel/peerless-kernel.elf` "
                 "running `kbench` from its shell (apps/kbench/kbench.c).  Guest instructions "
                 "from `instret`, *modelled cycles* from `cycle`, host ns from the 10 MHz "
                 "`time` CSR over the whole loop.  Every OS call is a gate call: no trap, no "
                 "mode switch.  Instructions and cycles include everything the hart ran for "
                 "the operation: the services' code, sched's interrupt handler, the other "
                 "program's thread (ping-pong, spawn), and any timer tick that landed in "
                 "the loop." % args.runs, "", operation_table(ops), ""]
        if failed_runs:
            lines += ["%d boot(s) failed and were run again: %s" % (failed_runs, "; ".join(errors)), ""]
    except Failure as e:
        print("FAIL kbench: %s" % e, file=sys.stderr)
        lines = ["### The peer kernel: OS operations (kbench)", "",
                 "FAILED: %s" % str(e).splitlines()[0], ""]
        status = 1

    trace_path = os.path.join(os.path.dirname(args.out) or ".", "kbench-trace.json")
    try:
        n, (to_irq, handler, after) = interrupt_breakdown(args.peerless, args.kernel, trace_path)
        lines += ["**Interrupt latency.**  Programs are given no interrupt source, so the "
                  "kernel's own path is measured: each sched call raises the software "
                  "interrupt (a store to the timer page's soft register) and its handler "
                  "serves the request.  The peer machine takes an interrupt at the boundary "
                  "after the instruction that raised it: the handler's first instruction "
                  "is the next one retired, with no instruction of the program between "
                  "(the cycle model charges the entry its trap cost, "
                  "`trap_entry` in machine/core/cost.h; docs/ARCHITECTURE.md section 13).  From a `--trace` of `kbench -n %d getpid` (%d sched "
                  "calls (trace time = instructions; medians):" % (TRACE_CALLS, n), "",
                  markdown_table([
                      ["gate entry into sched → handler's first instruction (sched's "
                       "request code, including the raising store)", fmt(to_irq, ",.0f")],
                      ["the handler (sched_irq: serve the request, check timeouts) → "
                       "return from the interrupt", fmt(handler, ",.0f")],
                      ["resume after the interrupt → return to the program",
                       fmt(after, ",.0f")]],
                      ["part of one getpid-like call", "guest instructions"]), ""]
    except (Failure, OSError, ValueError, KeyError) as e:
        print("FAIL kbench trace: %s" % e, file=sys.stderr)
        lines += ["Interrupt breakdown FAILED: %s" % str(e).splitlines()[0], ""]
        status = 1

    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print("written to %s" % args.out, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
