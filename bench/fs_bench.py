#!/usr/bin/env python3
"""File throughput on the peer kernel: boot it with a fresh FAT disk
(scripts/disk/mkfatdisk.sh), run `fsbench KIB` from its shell
(apps/fsbench/fsbench.c: write() a file in 4 KiB calls and fsync, read() it
back checking every byte) and tabulate, best of RUNS boots.

fsbench measures itself: `fsop NAME BYTES INSTRET CYCLES TICKS`, totals from
the instret, cycle and time CSRs (a tick is 100 ns of host time); the
instructions are every space's on the program's thread: lib/os, fs, blk and
the interrupts taken meanwhile.  The Linux side of the comparison (the same
file calls on virt) is for bench/run.sh to add beside it.

Usage: fs_bench.py --peerless PATH [--runs N] [--kib K] [--out FILE] KERNEL.ELF
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

from measure import Failure, markdown_table, fmt, NS_PER_TICK

RUN_TIMEOUT_S = 300
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = ["operation", "bytes", "guest instructions / KiB", "modelled cycles / KiB", "host MB/s"]


def boot(peerless, kernel, kib, disk):
    subprocess.run([os.path.join(ROOT, "scripts/disk/mkfatdisk.sh"), disk], check=True)
    cmd = [peerless, "run", "--machine", "peer", "--drive", disk, kernel]
    p = subprocess.run(cmd, input="fsbench %d\nhalt\n" % kib, capture_output=True, text=True,
                       timeout=RUN_TIMEOUT_S)
    if p.returncode != 0 or "fsbench: done" not in p.stdout:
        raise Failure("fsbench did not finish (exit %d):\n%s" % (p.returncode, p.stdout[-2000:]))
    ops = {}
    for m in re.finditer(r"^fsop (\w+) (\d+) (\d+) (\d+) (\d+)", p.stdout, re.M):
        ops[m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4, 5))
    if set(ops) != {"write", "read"}:
        raise Failure("fsbench printed %s" % sorted(ops))
    return ops


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kib", type=int, default=4096)
    ap.add_argument("--out")
    ap.add_argument("kernel")
    a = ap.parse_args()
    best = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(max(1, a.runs)):
                for name, v in boot(a.peerless, a.kernel, a.kib, os.path.join(tmp, "disk.img")).items():
                    if name not in best or v[3] < best[name][3]:
                        best[name] = v
    except (Failure, subprocess.SubprocessError, OSError) as e:
        print("fs_bench: %s" % e, file=sys.stderr)
        return 1
    rows = []
    for name in ("write", "read"):
        nbytes, insns, cycles, ticks = best[name]
        kib = nbytes / 1024
        seconds = ticks * NS_PER_TICK / 1e9
        rows.append([name, fmt(nbytes, ","), fmt(insns / kib, ",.0f"), fmt(cycles / kib, ",.0f"),
                     fmt(nbytes / seconds / 1e6 if seconds else None, ".2f")])
    table = ("File throughput through lib/os, fs and blk (a program's write()/read() of a %d KiB file "
             "on /disk, FAT32; best of %d boots)\n\n" % (a.kib, a.runs)) + markdown_table(rows, HEADER) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
