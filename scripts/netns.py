"""A network namespace with one TAP interface, for the scripts that let a
host program reach a guest (tests/linux, tests/kernel/net_test.py,
bench/net_bench.py): the emulator runs inside the namespace and opens the
TAP; the host side of the TAP has HOST_IP.  Needs root, iproute2 and
/dev/net/tun.  IPv6 is off in the namespace, so the host sends no frames
of its own (router solicitations, MLD reports) at moments a test does not
choose."""
import os
import shutil
import subprocess

HOST_IP = "10.0.2.2"


class Namespace:
    def __init__(self, tag, tap="ptap0", timeout=60):
        self.ns = f"peerless-{tag}-{os.getpid()}"
        self.tap = tap
        self.timeout = timeout        # run()'s, unless a call says otherwise
        self.ok = False

    def setup(self):
        """None when it is up, or why it could not be made."""
        if os.geteuid() != 0 or not shutil.which("ip") or not os.path.exists("/dev/net/tun"):
            return "needs root, iproute2 and /dev/net/tun"
        r = subprocess.run(["ip", "netns", "add", self.ns], capture_output=True, text=True)
        if r.returncode != 0:
            return f"'ip netns add {self.ns}' failed: {r.stderr.strip()}"
        subprocess.run(["ip", "netns", "exec", self.ns, "sh", "-c",
                        "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6"], capture_output=True)
        for step in (["ip", "-n", self.ns, "tuntap", "add", "dev", self.tap, "mode", "tap"],
                     ["ip", "-n", self.ns, "addr", "add", HOST_IP + "/24", "dev", self.tap],
                     ["ip", "-n", self.ns, "link", "set", self.tap, "up"],
                     ["ip", "-n", self.ns, "link", "set", "lo", "up"]):
            r = subprocess.run(step, capture_output=True, text=True)
            if r.returncode != 0:
                self.teardown()
                return f"'{' '.join(step)}' failed: {r.stderr.strip()}"
        self.ok = True
        return None

    def wrap(self, argv):
        """argv run inside the namespace (as it is when there is none)."""
        return ["ip", "netns", "exec", self.ns] + argv if self.ok else argv

    def run(self, argv, stdin=None, timeout=None):
        """A host program inside the namespace: (status or None on a timeout, stdout bytes)."""
        try:
            r = subprocess.run(self.wrap(argv), input=stdin, capture_output=True,
                               timeout=timeout or self.timeout)
            return r.returncode, r.stdout
        except subprocess.TimeoutExpired:
            return None, b""

    def teardown(self):
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
        self.ok = False
