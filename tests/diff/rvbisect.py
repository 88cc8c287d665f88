#!/usr/bin/env python3
"""Minimise an rvgen discrepancy: find the first body item after which the
machine state dumped by peerless differs from QEMU's.

Builds truncated variants of one rvgen program (`rvgen.py --limit N`; the
prologue and epilogue are the same for every N) and binary-searches for the
smallest N whose output differs.  Item N-1 is then the culprit: prints it,
the QEMU state of the registers it names just before it, and the lines of
the two dumps that differ just after it.

usage: rvbisect.py --seed S --profile P [--count C] PEERLESS_BINARY
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import difftest  # noqa: E402
import rvgen  # noqa: E402


def build(env, seed, profile, count, limit):
    d = os.path.join(difftest.OUT, "bisect")
    os.makedirs(d, exist_ok=True)
    base = os.path.join(d, "%s-%d-%d-%s" % (profile, seed, count, limit))
    difftest.write_if_changed(base + ".S", rvgen.emit_program(seed, profile, count, limit))
    elf = base + ".elf"
    if not difftest.newer(elf, base + ".S"):
        err = difftest.compile_elf(env, [env.cc] + env.cflags[profile] + env.bare + [base + ".S"], elf)
        if err:
            sys.exit("rvbisect: %s does not assemble:\n%s" % (base + ".S", err))
    return base


def outputs(env, seed, profile, count, limit):
    base = build(env, seed, profile, count, limit)
    q = difftest.qemu_result(base + ".elf")[0]
    p = difftest.peerless_result(env, base + ".elf")
    return q, p, base


def differs(q, p):
    return q["rc"] != p["rc"] or q["out"] != p["out"]


def state(out):
    """Register name -> value line from a dump."""
    regs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and re.match(r"^(x\d+|f\d+|fcsr)$", parts[0]):
            regs[parts[0]] = parts[1]
    return regs


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--profile", choices=rvgen.PROFILES, default="rv64gc")
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("peerless")
    a = ap.parse_args(argv)
    env = difftest.Env(a.peerless if a.peerless == "qemu" else os.path.abspath(a.peerless))

    q, p, _ = outputs(env, a.seed, a.profile, a.count, None)
    if not differs(q, p):
        print("rvbisect: seed %d %s: no difference" % (a.seed, a.profile))
        return 0
    lo, hi = 0, a.count            # invariant: limit lo agrees, limit hi differs
    q0, p0, _ = outputs(env, a.seed, a.profile, a.count, 0)
    if differs(q0, p0):
        print("rvbisect: the prologue/epilogue alone already differ (limit 0)")
        print(difftest.first_difference(q0["out"], p0["out"]) or
              "exit code qemu %s, peerless %s" % (q0["rc"], p0["rc"]))
        return 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        qm, pm, _ = outputs(env, a.seed, a.profile, a.count, mid)
        if differs(qm, pm):
            hi = mid
        else:
            lo = mid
    qb, _, _ = outputs(env, a.seed, a.profile, a.count, lo)
    qa, pa, base = outputs(env, a.seed, a.profile, a.count, hi)

    # The culprit item: the last item of the hi-limited program's body.
    text = open(base + ".S").read()
    body = text.split("# ---- body ----\n", 1)[1].split("# ---- end of body ----", 1)[0]
    item = body.split("# item %d\n" % (hi - 1), 1)[1].split("# item ", 1)[0].splitlines()
    while item and item[-1].endswith(":") and not item[-1].startswith("."):
        item.pop()             # labels of later items
    print("rvbisect: seed %d %s: first differing item is #%d (of %d):" % (a.seed, a.profile, hi - 1, a.count))
    for line in item:
        print("    " + line)
    before = state(qb["out"])
    named = sorted(set(re.findall(r"\b(?:x\d+|f\d+)\b", "\n".join(item))) | {"fcsr"},
                   key=lambda r: (r[0], int(r[1:]) if r[1:].isdigit() else 99))
    print("  state before it (QEMU): " + ", ".join("%s=%s" % (r, before[r]) for r in named if r in before))
    if qa["rc"] != pa["rc"]:
        print("  exit code after it: qemu %s, peerless %s" % (qa["rc"], pa["rc"]))
    ql, pl = qa["out"].splitlines(), pa["out"].splitlines()
    shown = 0
    for i in range(max(len(ql), len(pl))):
        x = ql[i] if i < len(ql) else "<end>"
        y = pl[i] if i < len(pl) else "<end>"
        if x != y and shown < 12:
            print("  after it: qemu %-40s peerless %s" % (x, y))
            shown += 1
    print("  program: %s.S (--limit %d)" % (os.path.relpath(base, difftest.ROOT), hi))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
