#!/usr/bin/env python3
"""File throughput: the peer kernel's fs and blk spaces against Linux on
`virt`, on the same FAT image (scripts/disk/mkfatdisk.sh), in one run.

The peer kernel runs `fsbench -n N` (apps/fsbench): write a 256 KiB file
in 4 KiB writes and fsync it, then read it back; Linux (the bench
initramfs, on Peerless and on QEMU) mounts partition 1 at /mnt and runs
lbench's `fswrite` and `fsread` (bench/linux/lbench.c): the same sizes,
pattern and checks, its cache dropped for the file before each read
(fadvise DONTNEED).  Every boot starts from a fresh copy of the image.

Gate calls per operation on the peer kernel come from `--stats` (calls
into each space), as differences between three boots that run fsbench
with 0 iterations, N writes, and N writes + N reads: into fs and into blk
per operation.

Usage: fs_bench.py --peerless PATH --kernel KERNEL.ELF [--linux DIR]
                   [--initrd FILE] [--runs N] [--out FILE]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from measure import progress
from measure import Failure, fmt, machine_description, markdown_table, text_table, NS_PER_TICK

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "linux"))
import console  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FILE_BYTES = 256 * 1024
ITERATIONS = 4
OP_LINE = re.compile(r"^op (\w+) (\d+) (\d+) (\d+) (\d+)$")
SPACE_LINE = re.compile(r"^\s*(\d+) (\w+)\s")
STATS_LINE = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")
PEER_TIMEOUT_S = 300
BOOT_TIMEOUT_S = 600
RUN_TIMEOUT_S = 600
PROMPT = b"~ # "
OPERATIONS = [("fswrite", "write 256 KiB (4 KiB writes) + fsync"),
              ("fsread", "read 256 KiB (4 KiB reads), not cached")]


def fresh_image(tmp, name):
    img = os.path.join(tmp, name + ".img")
    subprocess.run([os.path.join(ROOT, "scripts/disk/mkfatdisk.sh"), img], check=True)
    return img


def parse_ops(out):
    ops = {}
    for line in out.splitlines():
        m = OP_LINE.match(line.strip())
        if m:
            ops[m.group(1)] = tuple(int(g) for g in m.groups()[1:])
    return ops


def peer_boot(peerless, kernel, img, command):
    """Boot the peer kernel on img, run `spaces` and command: (ops, calls
    into each named space)."""
    argv = [peerless, "run", "--machine", "peer", "--stats", "--drive", img, kernel]
    script = "spaces\n%s\nhalt\n" % command
    try:
        p = subprocess.run(argv, input=script.encode(), capture_output=True, timeout=PEER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Failure("the peer kernel timed out after %d s: %s" % (PEER_TIMEOUT_S, command))
    out = p.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0 or "fsbench: done" not in out or "FAILED" in out:
        raise Failure("fsbench did not finish (exit %d):\n%s\n%s"
                      % (p.returncode, "\n".join(out.splitlines()[-5:]), err[-500:]))
    names = {}
    for line in out.split("peer> spaces", 1)[-1].split("peer>", 1)[0].splitlines():
        m = SPACE_LINE.match(line)
        if m:
            names[int(m.group(1))] = m.group(2)
    calls = {}
    for line in (out + "\n" + err).splitlines():
        m = STATS_LINE.match(line)
        if m and int(m.group(1)) in names:
            calls[names[int(m.group(1))]] = int(m.group(3))
    for space in ("fs", "blk"):
        if space not in calls:
            raise Failure("no --stats line for space %s" % space)
    return parse_ops(out), calls


def peer_figures(peerless, kernel, tmp, n, runs):
    """The best (host time) of `runs` measuring boots, and gate calls per
    operation from the three-boot difference."""
    best = {}
    for r in range(runs):
        progress.show("bench", "fsbench on the peer kernel: run %d of %d" % (r + 1, runs))
        ops, _ = peer_boot(peerless, kernel, fresh_image(tmp, "peer"), "fsbench -n %d" % n)
        for name, v in ops.items():
            if name not in best or v[3] < best[name][3]:
                best[name] = v
    progress.show("bench", "fsbench: counting gate calls")
    _, c0 = peer_boot(peerless, kernel, fresh_image(tmp, "peer"), "fsbench -n 0 fswrite")
    _, c1 = peer_boot(peerless, kernel, fresh_image(tmp, "peer"), "fsbench -n %d fswrite" % n)
    _, c2 = peer_boot(peerless, kernel, fresh_image(tmp, "peer"), "fsbench -n %d fswrite fsread" % n)
    progress.clear()
    calls = {"fswrite": {s: (c1[s] - c0[s]) / n for s in ("fs", "blk")},
             "fsread": {s: (c2[s] - c1[s]) / n for s in ("fs", "blk")}}
    return best, calls


def linux_argv(emulator, peerless, linux, initrd, img):
    fw, image = os.path.join(linux, "fw_jump.bin"), os.path.join(linux, "Image")
    if emulator == "QEMU":
        return ["qemu-system-riscv64", "-machine", "virt", "-m", "512M", "-nographic",
                "-bios", fw, "-kernel", image, "-initrd", initrd, "-append", "console=ttyS0",
                "-drive", "file=%s,format=raw,if=none,id=hd0" % img,
                "-device", "virtio-blk-device,drive=hd0"]
    return [peerless, "run", "--machine", "virt", "-m", "512M", "--bios", fw, "--kernel", image,
            "--initrd", initrd, "--append", "console=ttyS0", "--drive", img]


def linux_run(argv, n):
    con = console.Console(argv, os.environ.get("LINUX_BENCH_LOG", os.devnull), label="bench: Linux")
    try:
        if not con.expect(PROMPT, BOOT_TIMEOUT_S):
            raise Failure("Linux: no shell prompt: %s" % " ".join(argv))
        con.seen = b""
        con.send("mount -t vfat /dev/vda1 /mnt && echo 2 > /proc/sys/kernel/perf_user_access; "
                 "lbench -n %d fswrite fsread; umount /mnt" % max(1, n // ITERATIONS))
        done = con.expect(b"lbench: done", RUN_TIMEOUT_S) and con.expect(PROMPT, RUN_TIMEOUT_S)
        out = con.text.decode("utf-8", "replace").replace("\r\n", "\n")
        if not done or "FAILED" in out:
            raise Failure("Linux: lbench fswrite fsread did not finish:\n" + "\n".join(out.splitlines()[-6:]))
        ops = parse_ops(out)
        con.send("poweroff")
        con.wait_exit(120)
        return ops, "lbench: counters on" in out
    finally:
        con.kill()


def per_op(v):
    n, insns, cycles, ticks = v
    return insns / n, cycles / n, ticks / n * NS_PER_TICK


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--linux", default="build/linux", help="fw_jump.bin and Image (make linux)")
    ap.add_argument("--initrd", default="build/bench/linux/initrd.cpio.gz",
                    help="the bench initramfs (with /bin/lbench)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--out", default="build/bench/fs-results.md")
    ap.add_argument("--command", default=" ".join(sys.argv))
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    n = ITERATIONS
    have_linux = all(os.path.exists(os.path.join(args.linux, f)) for f in ("fw_jump.bin", "Image")) \
        and os.path.exists(args.initrd)
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="peerless-fsbench-")
    try:
        peer, calls = peer_figures(args.peerless, args.kernel, tmp, n, args.runs)
        linux = {}
        if have_linux:
            for name in ("peerless", "QEMU"):
                best, counters = {}, True
                for r in range(args.runs):
                    print("fs bench: Linux on %s (%d of %d) ..." % (name, r + 1, args.runs), file=sys.stderr)
                    ops, on = linux_run(linux_argv(name, args.peerless, args.linux, args.initrd,
                                                   fresh_image(tmp, "linux")), n)
                    counters = counters and on
                    for op, v in ops.items():
                        if op not in best or v[3] < best[op][3]:
                            best[op] = v
                linux[name] = (best, counters)
    except Failure as e:
        print("FAIL fs bench: %s" % e, file=sys.stderr)
        with open(args.out, "w") as f:
            f.write("### Files\n\nFAILED: %s\n" % str(e).splitlines()[0])
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = []
    for op, what in OPERATIONS:
        pi, pc, pns = per_op(peer[op])
        row = [what, "peer kernel (fs + blk spaces)", fmt(pi, ",.0f"), fmt(pc, ",.0f"),
               fmt(FILE_BYTES / pns * 1e3, ".1f"),
               "%.0f + %.0f" % (calls[op]["fs"], calls[op]["blk"])]
        rows.append(row)
        for name in ("peerless", "QEMU"):
            if name not in linux or op not in linux[name][0]:
                continue
            li, lc, lns = per_op(linux[name][0][op])
            on = linux[name][1] and name == "peerless"
            rows.append([what, "Linux on virt, %s" % name, fmt(li, ",.0f") if on else "-",
                         fmt(lc, ",.0f") if on else "-", fmt(FILE_BYTES / lns * 1e3, ".1f"), "-"])
    header = ["operation", "system", "guest instructions / op", "modelled cycles / op",
              "MB/s (host time)", "gate calls into fs + blk / op"]
    print(text_table(rows, header))
    lines = ["### Files: the peer kernel's fs and blk against Linux on virt", "",
             "The same FAT32 image (scripts/disk/mkfatdisk.sh, 512-byte clusters), fresh for "
             "each boot.  The peer kernel runs `fsbench -n %d` (apps/fsbench); Linux mounts "
             "partition 1 (vfat) and runs `lbench fswrite fsread` (bench/linux/lbench.c): the "
             "same sizes, byte pattern and checks.  Best of %d runs per system (host time).  "
             "Instructions and cycles are the whole hart's during the loop (Linux's kernel "
             "and the peer kernel's spaces included); on QEMU only host time is measured.  "
             "Gate calls: calls into the fs and blk spaces per operation, from `--stats` "
             "of boots with 0, N writes and N writes + N reads; fs's count includes its calls "
             "through its own shim gate, one per blk request (kernel/fs/disk.c), beside the "
             "program's open, write, fsync, read and close calls."
             % (n, args.runs), "", markdown_table(rows, header), ""]
    if not have_linux:
        lines += ["Linux: not measured (`make linux` fetches and builds it).", ""]
    lines += machine_description(args.peerless, args.runs, args.command, with_load=True)
    lines = [l for l in lines if not l.startswith("- Best of ")]
    lines.insert(-2, "- Best of %d runs per system (host time of the measured loop), %.0f s in all"
                 % (args.runs, time.monotonic() - started))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("written to %s" % args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
