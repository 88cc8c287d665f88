#!/usr/bin/env python3
"""Build the initramfs that `make linux` boots: busybox-static as init and
shell, our /etc (scripts/linux/rootfs), and the kernel modules the tests need
(virtio transport, disk, network, ext4, vfat and its code pages) with everything they depend on,
decompressed (they ship as .ko.xz) so busybox's insmod can load them.

usage: initramfs.py [--extra HOST_FILE:GUEST_PATH]... UNPACKED_ROOT KERNEL_RELEASE OUTPUT.cpio.gz
UNPACKED_ROOT is where scripts/linux/fetch.sh extracted the Debian packages.
--extra adds a file of the host at an absolute path in the guest (mode kept),
e.g. bench/run.sh's build/bench/linux/lbench:/bin/lbench.
The archive is packed by cpio (newc format) and gzip.
"""
import gzip
import lzma
import os
import shutil
import subprocess
import sys

WANTED = ["virtio_mmio", "virtio_blk", "virtio_net", "crc32c_generic", "ext4", "vfat", "nls_cp437", "nls_ascii"]
HERE = os.path.dirname(os.path.abspath(__file__))


def modinfo_depends(ko):
    """The module names in the `depends=` field of a module's .modinfo."""
    for field in ko.split(b"\0"):
        if field.startswith(b"depends="):
            return [d.decode() for d in field[len(b"depends="):].split(b",") if d]
    return []


def find_modules(moddir):
    """Module name (with '-' as '_') -> path of its .ko or .ko.xz."""
    found = {}
    for dirpath, _, files in os.walk(moddir):
        for f in files:
            for ext in (".ko.xz", ".ko"):
                if f.endswith(ext):
                    found[f[: -len(ext)].replace("-", "_")] = os.path.join(dirpath, f)
    return found


def read_module(path):
    with open(path, "rb") as f:
        data = f.read()
    return lzma.decompress(data) if path.endswith(".xz") else data


def load_order(wanted, modules, builtin):
    """Modules to load, each after the ones it depends on."""
    order, seen, blobs = [], set(), {}

    def visit(name):
        name = name.replace("-", "_")
        if name in seen or name in builtin:
            return
        seen.add(name)
        if name not in modules:
            sys.exit(f"initramfs: module {name} is neither built in nor shipped")
        blobs[name] = read_module(modules[name])
        for dep in modinfo_depends(blobs[name]):
            visit(dep)
        order.append(name)

    for w in wanted:
        visit(w)
    return order, blobs


def split_extras(args):
    """(positional arguments, [(host file, guest path)]) of the command line."""
    positional, extras = [], []
    while args:
        a = args.pop(0)
        if a == "--extra" and args:
            host, sep, guest = args.pop(0).partition(":")
            if not sep or not guest.startswith("/") or not os.path.isfile(host):
                sys.exit(f"initramfs: --extra wants HOST_FILE:/GUEST/PATH of an existing file, not {host}{sep}{guest}")
            extras.append((host, guest))
        else:
            positional.append(a)
    return positional, extras


def main():
    args, extras = split_extras(sys.argv[1:])
    if len(args) != 3:
        sys.exit(__doc__)
    root, krel, output = args
    if not shutil.which("cpio"):
        sys.exit("initramfs: cpio is missing (Debian package cpio)")
    moddir = os.path.join(root, "usr/lib/modules", krel)
    with open(os.path.join(moddir, "modules.builtin")) as f:
        builtin = {os.path.basename(l.strip()).split(".ko")[0].replace("-", "_") for l in f}
    order, blobs = load_order(WANTED, find_modules(moddir), builtin)

    stage = output + ".d"
    shutil.rmtree(stage, ignore_errors=True)
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "mnt", "root", "lib/modules"):
        os.makedirs(os.path.join(stage, d))
    shutil.copy2(os.path.join(root, "usr/bin/busybox"), os.path.join(stage, "bin/busybox"))
    # Applets are found through links; busybox init runs /etc/inittab.
    for name in LINKS:
        os.symlink("busybox", os.path.join(stage, "bin", name))
    os.symlink("bin/busybox", os.path.join(stage, "init"))
    shutil.copytree(os.path.join(HERE, "rootfs"), stage, dirs_exist_ok=True, symlinks=True)
    for name in order:
        with open(os.path.join(stage, "lib/modules", name + ".ko"), "wb") as f:
            f.write(blobs[name])
    with open(os.path.join(stage, "lib/modules/load-order"), "w") as f:
        f.write("".join(n + "\n" for n in order))
    for host, guest in extras:
        target = os.path.join(stage, guest.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(host, target)

    files = subprocess.run(["find", ".", "-mindepth", "1"], cwd=stage, check=True,
                           capture_output=True).stdout
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet"], cwd=stage,
                          input=files, check=True, capture_output=True).stdout
    with open(output, "wb") as f:
        f.write(gzip.compress(cpio, 9))
    print(f"initramfs: {output} ({len(order)} modules: {' '.join(order)})")


# Busybox applets the init scripts and the tests call by name.
LINKS = ["sh", "ash", "cttyhack", "mount", "umount", "mkdir", "cat", "echo", "ls", "insmod",
         "modprobe", "lsmod", "hostname", "ip", "ping", "uname", "poweroff", "reboot", "halt",
         "sync", "dmesg", "ifconfig", "wget", "nc", "sleep", "grep", "ps", "mdev", "setsid",
         "cp", "rm", "df", "head", "tail", "wc", "md5sum", "sha256sum", "dd", "true", "false",
         "test", "[", "printf", "env", "id", "date", "seq", "uptime", "free", "vi", "telnet"]

if __name__ == "__main__":
    main()
