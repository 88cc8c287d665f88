#!/usr/bin/env python3
"""Boot Debian's riscv64 Linux (what `make linux` built) and check it from
its console: a shell answers, a virtio disk mounts and reads and writes,
the network reaches a peer on the host side of a TAP interface, and
`poweroff` ends the emulator with status 0.

usage: linux_test.py EMULATOR LINUXDIR
EMULATOR is a peerless binary, or `qemu` for qemu-system-riscv64 (the
reference: it proves the images and these tests, independent of peerless).
Prints one line per check and ends with "linux: N passed, N failed"; on a
terminal, a status line shows the boot going on (scripts/progress.py).
"""
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "linux"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import console  # noqa: E402
import checks  # noqa: E402
import netns  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("LINUX_BOOT_TIMEOUT", 600))
CMD_TIMEOUT = float(os.environ.get("LINUX_CMD_TIMEOUT", 120))
PROMPT = b"~ # "
GUEST_IP, HOST_IP = "10.0.2.15", netns.HOST_IP
DISK_TEXT = "peerless disk check 7c1e\n"

result = checks.Checks("")


class Console(console.Console):
    """The shared console, with a command-and-answer step."""

    def __init__(self, argv):
        super().__init__(argv, os.environ.get("LINUX_LOG", os.devnull))

    def run(self, command, expect, timeout=CMD_TIMEOUT):
        """Type a command; True if `expect` appears and the prompt comes back."""
        self.seen = b""
        self.send(command)
        return self.expect(expect.encode(), timeout) and self.expect(PROMPT, timeout)


def make_disk(tmp):
    """An ext2 image holding hello.txt, made by mke2fs -d (e2fsprogs)."""
    src = os.path.join(tmp, "disk-src")
    os.mkdir(src)
    with open(os.path.join(src, "hello.txt"), "w") as f:
        f.write(DISK_TEXT)
    img = os.path.join(tmp, "disk.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-d", src, img, "8M"], check=True, capture_output=True)
    return img


def disk_file(img, name):
    """A file's contents read back on the host with debugfs."""
    out = subprocess.run(["debugfs", "-R", f"cat /{name}", img], capture_output=True, text=True)
    return out.stdout


def emulator_argv(emulator, linux, disk, tap):
    fw, image, initrd = (os.path.join(linux, f) for f in ("fw_jump.bin", "Image", "initrd.cpio.gz"))
    append = "console=ttyS0 earlycon=sbi"
    if emulator == "qemu":
        argv = ["qemu-system-riscv64", "-machine", "virt", "-m", "512M", "-display", "none",
                "-monitor", "none", "-serial", "stdio", "-bios", fw, "-kernel", image,
                "-initrd", initrd, "-append", append,
                "-drive", f"file={disk},format=raw,if=none,id=hd0", "-device", "virtio-blk-device,drive=hd0"]
        if tap:
            argv += ["-netdev", f"tap,id=n0,ifname={tap},script=no,downscript=no",
                     "-device", "virtio-net-device,netdev=n0"]
        return argv
    argv = [emulator, "run", "--machine", "virt", "-m", "512M", "--bios", fw, "--kernel", image,
            "--initrd", initrd, "--append", append, "--drive", disk]
    if tap:
        argv += ["--netdev", f"tap,ifname={tap}"]
    return argv


def console_argv(emulator, linux):
    """A second machine: no disk, no network, the console on virtio (hvc0)."""
    fw, image, initrd = (os.path.join(linux, f) for f in ("fw_jump.bin", "Image", "initrd.cpio.gz"))
    if emulator == "qemu":
        return ["qemu-system-riscv64", "-machine", "virt", "-m", "512M", "-display", "none",
                "-monitor", "none", "-serial", "none", "-bios", fw, "-kernel", image, "-initrd", initrd,
                "-append", "console=hvc0", "-chardev", "stdio,id=c0",
                "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c0"]
    return [emulator, "run", "--machine", "virt", "-m", "512M", "--bios", fw, "--kernel", image,
            "--initrd", initrd, "--append", "console=hvc0", "--virtio-console"]


def check_virtio_console(emulator, linux):
    con = Console(console_argv(emulator, linux))
    try:
        # virtio-mmio is a module, loaded by rcS: hvc0 exists only from then
        # on, so the banner goes nowhere and the shell's prompt comes first.
        booted = con.expect(PROMPT, BOOT_TIMEOUT)
        result("virtio console: boot to a shell on hvc0", booted)
        if booted:
            result("virtio console: shell answers", con.run("cat /sys/class/tty/console/active; echo hvc-$((3 * 3))",
                                                           "hvc0\r\nhvc-9"))
            con.send("poweroff")
            status = con.wait_exit(CMD_TIMEOUT)
            result("virtio console: poweroff, status 0", status == 0, f"status {status}")
    finally:
        con.kill()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    emulator, linux = sys.argv[1:]
    tmp = tempfile.mkdtemp(prefix="peerless-linux-")
    net = netns.Namespace("linux")
    why_no_net = net.setup()
    disk = make_disk(tmp)
    con = Console(net.wrap(emulator_argv(emulator, linux, disk, net.tap if net.ok else None)))
    try:
        booted = con.expect(b"peerless-linux: initramfs ready", BOOT_TIMEOUT) and con.expect(PROMPT, CMD_TIMEOUT)
        result("boot to a shell", booted, "no prompt within %.0f s" % BOOT_TIMEOUT)
        if booted:
            result("shell answers", con.run("echo answer-$((6 * 7))", "answer-42"))
            result("disk mounts and reads",
                   con.run("mount -t ext2 /dev/vda /mnt && cat /mnt/hello.txt", DISK_TEXT.strip()))
            result("disk writes", con.run("echo written-$((1 + 1)) > /mnt/new.txt && umount /mnt && echo unmounted-$((2 * 2))",
                                          "unmounted-4"))
            if net.ok:
                con.run(f"ip link set eth0 up && ip addr add {GUEST_IP}/24 dev eth0", "")
                result("network reaches the host-side peer",
                       con.run(f"ping -c 3 -W 5 {HOST_IP}", "3 packets received", 60))
            else:
                print(f"SKIP network: {why_no_net}", flush=True)
            con.send("reboot")
            rebooted = con.expect(b"peerless-linux: initramfs ready", BOOT_TIMEOUT) and con.expect(PROMPT, CMD_TIMEOUT)
            result("reboot comes back to a shell", rebooted)
            if rebooted:
                result("disk still mounts after reboot",
                       con.run("mount -t ext2 /dev/vda /mnt && cat /mnt/new.txt && umount /mnt", "written-2"))
            con.send("poweroff")
            status = con.wait_exit(CMD_TIMEOUT)
            result("poweroff ends the run with status 0", status == 0, f"status {status}")
        if booted:
            result("disk write reached the image", disk_file(disk, "new.txt").strip() == "written-2")
    finally:
        con.kill()
        if net.ok:
            net.teardown()
        shutil.rmtree(tmp, ignore_errors=True)
    check_virtio_console(emulator, linux)
    print(f"linux: {result.passed} passed, {result.failed} failed")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
