#!/usr/bin/env python3
"""Differential test driver: runs the same guest ELFs on QEMU and on peerless
and compares what they print and their exit codes.

Two sets of programs:
  rvgen   random instruction sequences from rvgen.py (seeds x profiles);
  csmith  random C programs from csmith, compiled at several -O levels for
          rv64imac and rv64gc with picolibc semihosting (one configuration a
          seed, cycling, so every configuration gets an equal share).
Everything is built under build/diff/ and reused when up to date.  QEMU's
result is cached per ELF content hash, so a second run (say, with a
sanitizer build of peerless) does not run QEMU again.

`--peerless qemu` compares QEMU with itself (uncached), which checks the
harness end to end when no emulator is built yet.
"""
import argparse
import concurrent.futures as cf
import hashlib
import json
import os
import shlex
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import progress  # noqa: E402
import rvgen  # noqa: E402

OUT = os.path.join(ROOT, "build", "diff")
# The reference command, except that the UART and the semihosting console
# share one stdio character device: QEMU 7.2 otherwise writes semihosted
# output to stderr, while peerless (like a real console) writes it to stdout.
QEMU = ["qemu-system-riscv64", "-machine", "virt", "-bios", "none", "-m", "128M",
        "-nographic", "-monitor", "none", "-chardev", "stdio,id=out,mux=on",
        "-serial", "chardev:out",
        "-semihosting-config", "enable=on,target=native,chardev=out", "-kernel"]
QEMU_TIMEOUT = 10          # seconds; a csmith program slower than this is skipped
PEERLESS_TIMEOUT = 60      # seconds of wall time for peerless (sanitizer builds are slow)
PEERLESS_MAX_INSNS = 2_000_000_000
CSMITH_OPTS = ["--no-packed-struct", "--max-funcs", "8", "--max-block-depth", "3",
               "--max-expr-complexity", "8", "--max-array-dim", "2",
               "--max-array-len-per-dim", "6", "--max-struct-fields", "6",
               "--max-union-fields", "4", "--max-pointer-depth", "2"]
OPT_LEVELS = ("-O0", "-O1", "-O2", "-Os", "-O3")
PROFILES = ("rv64imac", "rv64gc")
CSMITH_CONFIGS = [(p, o) for o in OPT_LEVELS for p in PROFILES]


def guest_flags():
    text = subprocess.run(["make", "-s", "--no-print-directory", "print-guest-flags"],
                          cwd=ROOT, check=True, capture_output=True, text=True).stdout
    flags = {}
    for line in text.splitlines():
        key, _, val = line.partition("=")
        flags[key] = shlex.split(val)[0] if val else ""
    return flags


class Env:
    def __init__(self, peerless):
        fl = guest_flags()
        self.cc = fl["GUEST_CC"]
        self.cflags = {"rv64gc": shlex.split(fl["GUEST_CFLAGS_GC"]),
                       "rv64imac": shlex.split(fl["GUEST_CFLAGS_IMAC"])}
        self.cflags_c = {k: self.c_multilib_flags(v) for k, v in self.cflags.items()}
        semihost = shlex.split(fl["GUEST_SEMIHOST"])
        self.semihost = semihost
        # A bare program still goes through picolibc's linker script, which
        # needs the memory layout that the semihosted flags carry.
        self.bare = shlex.split(fl["GUEST_BARE"]) + [a for a in semihost if "--defsym" in a]
        self.peerless = peerless
        self.csmith_runtime = None


    def c_multilib_flags(self, cflags):
        """GCC 12 picks picolibc's multilib by the exact -march string, so
        rv64imac_zicsr_zifencei falls back to the default (double-float)
        library and the link fails.  For C programs, append the plain -march
        when that selects a different, non-default multilib."""
        def multidir(flags):
            return subprocess.run([self.cc] + flags + ["-print-multi-directory"],
                                  capture_output=True, text=True).stdout.strip()
        march = [a for a in cflags if a.startswith("-march=")]
        if not march:
            return cflags
        plain = march[-1].split("_")[0]
        if plain != march[-1] and multidir(cflags) == "." and multidir(cflags + [plain]) != ".":
            return cflags + [plain]
        return cflags


def newer(target, *sources):
    if not os.path.exists(target):
        return False
    t = os.path.getmtime(target)
    return all(os.path.getmtime(s) <= t for s in sources)


def write_if_changed(path, text):
    try:
        with open(path) as fh:
            if fh.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path + ".tmp", "w") as fh:
        fh.write(text)
    os.replace(path + ".tmp", path)


def compile_elf(env, cmd, elf):
    """Runs a compiler command writing elf; returns None or the error text."""
    p = subprocess.run(cmd + ["-o", elf + ".tmp"], cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        return p.stderr[-2000:]
    os.replace(elf + ".tmp", elf)
    return None


def run_capture(cmd, timeout):
    """(stdout bytes, exit code or None on timeout, seconds)."""
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.stdout, p.returncode, time.monotonic() - t0
    except subprocess.TimeoutExpired as e:
        return e.stdout or b"", None, time.monotonic() - t0


def qemu_result(elf, use_cache=True):
    h = hashlib.sha256(" ".join(QEMU).encode() + b"\0")
    with open(elf, "rb") as fh:
        h.update(fh.read())
    key = h.hexdigest()
    cache = os.path.join(OUT, "qemu-cache", key + ".json")
    if use_cache and os.path.exists(cache):
        with open(cache) as fh:
            return json.load(fh), cache
    out, rc, _ = run_capture(QEMU + [elf], QEMU_TIMEOUT)
    res = {"out": out.decode("latin-1"), "rc": rc}
    if use_cache:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache + ".tmp", "w") as fh:
            json.dump(res, fh)
        os.replace(cache + ".tmp", cache)
    return res, cache


def peerless_result(env, elf):
    if env.peerless == "qemu":
        return qemu_result(elf, use_cache=False)[0]
    out, rc, _ = run_capture([env.peerless, "run", "--max-insns", str(PEERLESS_MAX_INSNS), elf],
                             PEERLESS_TIMEOUT)
    return {"out": out.decode("latin-1"), "rc": rc}


def shown_path(path):
    """A path relative to the repository root when it lies inside it."""
    if path == "qemu" or not path.startswith(ROOT + os.sep):
        return path
    return os.path.relpath(path, ROOT)


def first_difference(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<end of output>"
        y = bl[i] if i < len(bl) else "<end of output>"
        if x != y:
            return "line %d: qemu %r, peerless %r" % (i + 1, x, y)
    return None


def compare(env, name, elf, repro, skip_qemu_timeout):
    """Returns (status, message): status is pass, fail or skip."""
    q, cache = qemu_result(elf)
    if q["rc"] is None:
        return ("skip", "%s: QEMU timed out" % name) if skip_qemu_timeout else \
               ("fail", "%s: QEMU timed out (harness bug)" % name)
    p = peerless_result(env, elf)
    why = []
    if p["rc"] is None:
        why.append("peerless timed out after %ds" % PEERLESS_TIMEOUT)
    elif p["rc"] != q["rc"]:
        why.append("exit code qemu %s, peerless %s" % (q["rc"], p["rc"]))
    d = first_difference(q["out"], p["out"])
    if d:
        why.append(d)
    if not why:
        return "pass", None
    msg = "FAIL %s: %s\n    reproduce: %s run %s | diff %s -\n" % (
        name, "; ".join(why), shown_path(env.peerless),
        os.path.relpath(elf, ROOT), os.path.relpath(cache[:-5] + ".out", ROOT))
    # The expected output as a plain file, for the reproduction command.
    with open(cache[:-5] + ".out", "w") as fh:
        fh.write(q["out"])
    if repro:
        msg += "    minimise:  %s\n" % repro
    return "fail", msg.rstrip("\n")


def rvgen_case(env, seed, profile, count):
    d = os.path.join(OUT, "rvgen")
    base = os.path.join(d, "%s-%d" % (profile, seed))
    write_if_changed(base + ".S", rvgen.emit_program(seed, profile, count))
    elf = base + ".elf"
    if not newer(elf, base + ".S"):
        err = compile_elf(env, [env.cc] + env.cflags[profile] + env.bare + [base + ".S"], elf)
        if err:
            return "fail", "FAIL rvgen %s seed %d: does not assemble:\n%s" % (profile, seed, err)
    repro = "python3 tests/diff/rvbisect.py --seed %d --profile %s --count %d %s" % (
        seed, profile, count, shown_path(env.peerless))
    return compare(env, "rvgen %s seed %d" % (profile, seed), elf, repro, False)


def csmith_case(env, seed):
    profile, opt = CSMITH_CONFIGS[seed % len(CSMITH_CONFIGS)]
    d = os.path.join(OUT, "csmith")
    src = os.path.join(d, "%d.c" % seed)
    if not os.path.exists(src):
        p = subprocess.run(["csmith", "--seed", str(seed)] + CSMITH_OPTS + ["-o", src + ".tmp"],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            return "skip", "csmith seed %d: csmith failed" % seed
        os.replace(src + ".tmp", src)
    elf = os.path.join(d, "%d-%s%s.elf" % (seed, profile, opt))
    if not newer(elf, src):
        cmd = [env.cc] + env.cflags_c[profile] + [opt] + env.semihost + \
              ["-I" + env.csmith_runtime, "-w", src]
        if compile_elf(env, cmd, elf):
            return "skip", "csmith seed %d %s %s: does not compile" % (seed, profile, opt)
    return compare(env, "csmith seed %d %s %s" % (seed, profile, opt), elf, None, True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("peerless", help="the emulator binary, or 'qemu' to compare QEMU with itself")
    ap.add_argument("--rvgen-seeds", type=int, default=100, help="seeds 1..N, for each profile")
    ap.add_argument("--rvgen-count", type=int, default=500, help="body items per program")
    ap.add_argument("--csmith-seeds", type=int, default=380,
                    help="seeds 1..N (about a tenth are skipped as too slow)")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv)
    peerless = a.peerless if a.peerless == "qemu" else os.path.abspath(a.peerless)
    if peerless != "qemu" and not os.access(peerless, os.X_OK):
        print("diff: %s is not an executable" % a.peerless)
        return 2
    env = Env(peerless)
    for sub in ("rvgen", "csmith", "qemu-cache"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)

    jobs = []
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for seed in range(1, a.rvgen_seeds + 1):
            for prof in PROFILES:
                jobs.append(pool.submit(rvgen_case, env, seed, prof, a.rvgen_count))
        if a.csmith_seeds > 0:
            rt = subprocess.run([os.path.join(ROOT, "tests", "diff", "csmith-runtime.sh")],
                                capture_output=True, text=True)
            if rt.returncode != 0:
                print("FAIL csmith: no runtime headers: %s" % rt.stderr.strip())
                jobs.append(None)
            else:
                env.csmith_runtime = rt.stdout.strip()
                for seed in range(1, a.csmith_seeds + 1):
                    jobs.append(pool.submit(csmith_case, env, seed))
        counts = {"pass": 0, "fail": 0, "skip": 0}
        skipped = []
        for n, j in enumerate(jobs, 1):
            progress.show("diff", "%d of %d programs compared" % (n - 1, len(jobs)))
            if j is None:
                counts["fail"] += 1
                continue
            status, msg = j.result()
            counts[status] += 1
            if status == "fail":
                progress.clear()
                print(msg, flush=True)
            elif status == "skip":
                skipped.append(msg.split(": ", 1)[1])
        progress.clear()
    if skipped:
        reasons = {r: skipped.count(r) for r in sorted(set(skipped))}
        print("skipped: " + ", ".join("%d %s" % (n, r) for r, n in reasons.items()))
    print("diff: %d passed, %d failed, %d skipped" % (counts["pass"], counts["fail"], counts["skip"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
