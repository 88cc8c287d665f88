#!/usr/bin/env python3
"""Run the peer machine's micro-benchmarks (bench/peer/micro.c) and tabulate.

The guest measures itself: for each operation it prints
`op NAME ITERATIONS INSTRET CYCLES TICKS [ACCESSES]`, totals over a loop
read from its instret, cycle and time CSRs (a tick of the time CSR is
100 ns of host time).  This script runs it RUNS times, keeps each
operation's fastest run (instruction counts must not change between runs)
and writes markdown tables of per-operation figures.

Usage: peer_micro.py --peerless PATH [--runs N] [--out FILE] MICRO.ELF
"""
import argparse
import os
import re
import sys

from measure import progress
from measure import Failure, PEERLESS_TIMEOUT_S, check_run, fmt, markdown_table, timed_run, NS_PER_TICK, per_op

GATE_TARGET = 2.0           # a gate round trip within 2x a call's (instructions)

OP_LINE = re.compile(r"^op (\w+) (\d+) (\d+) (\d+) (\d+)(?: (\d+))?$")

# The per-operation loops, in table order: (op, what one iteration does).
OPERATIONS = [
    ("call", "normal call and return (an indirect call of a function returning a0+1)"),
    ("gate", "gate call and return (into another space; the callee returns a0+1)"),
    ("grant_revoke", "GRANT of a page to another space + REVOKE of it"),
    ("interrupt", "software interrupt: raise (TIMER_SOFT store), handler gate "
                  "lowers it and returns, resume"),
    ("space_create", "SPACE_CREATE (1,000,000 in a row)"),
    ("grant_many_spaces", "GRANT of a page to a new space (1,000,000: one to each)"),
    ("grant_one_space", "GRANT of a page to one space (1,000,000 to the same space)"),
    ("gate_after", "gate call and return, callee's space holding 1,000,005 grants"),
    ("grant_revoke_after", "GRANT + REVOKE, grantee holding 1,000,005 grants"),
]


def run_once(peerless, elf):
    """One run: {op: (iterations, instret, cycles, ticks, accesses)}."""
    _, rc, out, err = timed_run([peerless, "run", "--machine", "peer", elf],
                                PEERLESS_TIMEOUT_S)
    check_run("peerless --machine peer", rc, out, err, None)
    ops = {}
    for line in out.splitlines():
        m = OP_LINE.match(line.strip())
        if m:
            ops[m.group(1)] = tuple(int(g) if g else 0 for g in m.groups()[1:])
    if "loop" not in ops:
        raise Failure("no measurements in the output:\n" + out)
    return ops


def best_of(peerless, elf, runs):
    best = None
    for run in range(runs):
        progress.show("bench", "peer micro-benchmarks: run %d of %d" % (run + 1, runs))
        ops = run_once(peerless, elf)
        progress.clear()
        if best is None:
            best = ops
            continue
        if set(ops) != set(best):
            raise Failure("the runs measured different operations")
        for name, v in ops.items():
            if v[:3] != best[name][:3]:
                raise Failure("%s: instruction counts changed between runs: %s, %s"
                              % (name, best[name][:3], v[:3]))
            if v[3] < best[name][3]:
                best[name] = v
    return best



def operation_table(ops):
    loop = ops["loop"]
    n, insns, cycles, ticks, _ = loop
    rows = [["empty loop iteration (the baseline, not subtracted)", fmt(n, ","),
             fmt(insns / n, ".2f"), fmt(cycles / n, ".2f"), fmt(ticks / n * NS_PER_TICK, ".1f")]]
    for name, what in OPERATIONS:
        if name not in ops:
            continue
        i, c, ns = per_op(ops[name], loop)
        rows.append([what, fmt(ops[name][0], ","), fmt(i, ".2f"), fmt(c, ".2f"), fmt(ns, ".1f")])
    header = ["operation", "iterations", "guest instructions / op", "modelled cycles / op",
              "host ns / op"]
    return markdown_table(rows, header)


def access_table(ops):
    rows = []
    for where, label in (("root", "root space (holds grant 1)"),
                         ("lib", "space lib (through a gate; holds 1,000,005 grants after)")):
        cells = [label]
        for when in ("before", "after"):
            v = ops.get("access_%s_%s" % (where, when))
            if v is None:
                cells += ["-", "-"]
                continue
            _, insns, _, ticks, accesses = v
            cells += [fmt(insns / accesses, ".2f"), fmt(ticks * NS_PER_TICK / accesses, ".2f")]
        before, after = ops.get("access_%s_before" % where), ops.get("access_%s_after" % where)
        ratio = after[3] / before[3] if before and after and before[3] else None
        cells.append(fmt(ratio, ".2f"))
        rows.append(cells)
    header = ["load/store loop in", "instructions / access before", "ns / access before",
              "instructions / access after", "ns / access after", "after/before (ns)"]
    return markdown_table(rows, header)


def verdicts(ops):
    loop = ops["loop"]
    call_i, _, call_ns = per_op(ops["call"], loop)
    gate_i, _, gate_ns = per_op(ops["gate"], loop)
    ratio = gate_i / call_i if call_i else None
    met = ratio is not None and ratio <= GATE_TARGET
    lines = ["Target (a gate round trip within %gx a normal call's, in guest instructions): "
             "%s — %.2f vs %.2f instructions (%sx).  In host time the gate round trip costs "
             "%.1f ns against the call's %.1f ns (%sx)."
             % (GATE_TARGET, "met" if met else "**not met**", gate_i, call_i, fmt(ratio, ".2f"),
                gate_ns, call_ns, fmt(gate_ns / call_ns if call_ns > 0 else None, ".0f"))]
    if "gate_after" in ops:
        _, _, after_ns = per_op(ops["gate_after"], loop)
        lines.append("With 1,000,000 spaces and 2,000,000 more grants, a gate round trip into "
                     "the space holding a million of them costs %.0f ns (%sx its cost before)."
                     % (after_ns, fmt(after_ns / gate_ns if gate_ns > 0 else None, ".0f")))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="build/bench/peer-micro.md")
    ap.add_argument("elf")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    print("running %s ..." % os.path.basename(args.elf), file=sys.stderr, flush=True)
    try:
        ops = best_of(args.peerless, args.elf, args.runs)
        missing = [name for name, _ in OPERATIONS if name not in ops]
        if missing:
            raise Failure("no measurement of " + ", ".join(missing))
    except Failure as e:
        progress.clear()
        print("FAIL micro: %s" % e, file=sys.stderr)
        with open(args.out, "w") as f:
            f.write("### Micro-benchmarks\n\nFAILED: %s\n" % str(e).splitlines()[0])
        return 1

    lines = ["### Micro-benchmarks on peer", "",
             "Per iteration of a loop of each operation, minus the empty loop's cost; "
             "best of %d runs (host time) of `bench/peer/micro.c`.  Guest instructions "
             "from `instret`; *modelled cycles* is the `cycle` CSR as the machine reports "
             "it; host ns from the 10 MHz `time` CSR over the whole loop." % args.runs, "",
             operation_table(ops), ""]
    for line in verdicts(ops):
        lines += [line, ""]
    lines += ["A tight load/store loop (16 KiB buffer, 1 Mi loads + 1 Mi stores, "
              "counters read inside the loop's own space) before and after creating "
              "1,000,000 spaces and making 2,000,000 page-sized grants (one to each new "
              "space, and 1,000,000 to space lib):", "", access_table(ops)]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    print("written to %s" % args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
