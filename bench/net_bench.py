#!/usr/bin/env python3
"""The network from the host: ping round trips and TCP throughput into the
guest, on the peer kernel (net + ip, lwIP) and, beside it when build/linux
has images, on Linux on `virt` — both on Peerless, each on a TAP interface
in a network namespace made here (host 10.0.2.2, guest 10.0.2.15), reached
by the host's own ping and nc.

- ping: PINGS echo requests PING_INTERVAL apart; min and average round trip.
- TCP: BYTES bytes sent by nc to a sink in the guest (the peer kernel's
  tcpsink, which answers with the count; Linux: busybox `nc -l`), timed
  from the connection to the end of the guest's answer (or close).
- On the peer kernel, the shell's `netstat` before and after each gives the
  machine's counts of gate calls into net and into ip (PEER_COUNTERS):
  per frame, per ping, per MB.

Needs root, iproute2 and /dev/net/tun; without them it says so and writes
a table saying so.  RUNS boots of each system; the best figure counts.

Usage: net_bench.py --peerless PATH --kernel ELF [--linux DIR] [--runs N]
                    [--bytes N] [--out FILE]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "linux"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import console  # noqa: E402
import netns  # noqa: E402

GUEST_IP, HOST_IP = "10.0.2.15", netns.HOST_IP
PINGS = 50
PING_INTERVAL = "0.02"
TIMEOUT = 60
LINUX_BOOT_TIMEOUT = 600
NETSTAT = re.compile(rb"netstat: frames_in (\d+) frames_out (\d+) net_calls (\d+) ip_calls (\d+)")


class Failure(Exception):
    pass


def ping(ns):
    """(min, avg) round trip in ms."""
    st, out = ns.run(["ping", "-q", "-c", str(PINGS), "-i", PING_INTERVAL, "-W", "5", GUEST_IP])
    m = re.search(rb"= ([\d.]+)/([\d.]+)/([\d.]+)", out)
    if st != 0 or not m:
        raise Failure(f"ping failed: {out.decode(errors='replace')[-300:]}")
    return float(m.group(1)), float(m.group(2))


def tcp_send(ns, path, nbytes, port, expect_reply):
    """Seconds to send the file to the guest's sink (and get its answer)."""
    t0 = time.monotonic()
    st, out = ns.run(["sh", "-c", f"nc -N -w 20 {GUEST_IP} {port} < {path}"], timeout=300)
    t = time.monotonic() - t0
    if expect_reply and f"tcpsink: {nbytes} bytes".encode() not in out:
        raise Failure(f"tcpsink did not count {nbytes} bytes: status {st}, {out[:200]!r}")
    return t


def netstat(con):
    con.send("netstat")
    if not con.expect(b"netstat: ", TIMEOUT) or not con.expect(b"\n", TIMEOUT):
        raise Failure("no answer to netstat")
    m = NETSTAT.search(b"netstat: " + con.text.split(b"netstat: ")[-1])
    if not m:
        raise Failure(f"netstat's answer: {con.text[-200:]!r}")
    return [int(x) for x in m.groups()]


def bench_kernel(peerless, kernel, path, nbytes):
    ns = netns.Namespace("bench-kernel", tap="btap0", timeout=TIMEOUT)
    why = ns.setup()
    if why:
        raise Failure(why)
    con = console.Console(["ip", "netns", "exec", ns.ns, peerless, "run", "--machine", "peer",
                           "--netdev", f"tap,ifname={ns.tap}", kernel], os.environ.get("NET_BENCH_LOG", os.devnull))
    try:
        if not (con.expect(b"boot: network: net drives it", TIMEOUT) and con.expect(b"peer> ", TIMEOUT)):
            raise Failure("the kernel did not come up with its network")
        con.send("tcpsink &")
        if not con.expect(b"tcpsink: listening", TIMEOUT):
            raise Failure("tcpsink did not start")
        ns.run(["ping", "-c", "1", "-W", "5", GUEST_IP])     # ARP settled
        a = netstat(con)
        rtt = ping(ns)
        b = netstat(con)
        secs = tcp_send(ns, path, nbytes, 9, True)
        c = netstat(con)
        con.send("halt")
        con.wait_exit(TIMEOUT)
    finally:
        con.kill()
        ns.teardown()
    # netstat's own five IP_STAT calls are gate calls into ip: not the traffic's.
    d1 = [y - x for x, y in zip(a, b)]
    d2 = [y - x for x, y in zip(b, c)]
    return {
        "rtt": rtt, "secs": secs,
        "ping_frames": d1[0] + d1[1], "ping_net_calls": d1[2], "ping_ip_calls": d1[3] - 5,
        "tcp_frames": d2[0] + d2[1], "tcp_net_calls": d2[2], "tcp_ip_calls": d2[3] - 5,
    }


def bench_linux(peerless, linux, path, nbytes):
    ns = netns.Namespace("bench-linux", tap="btap0", timeout=TIMEOUT)
    why = ns.setup()
    if why:
        raise Failure(why)
    fw, image, initrd = (os.path.join(linux, f) for f in ("fw_jump.bin", "Image", "initrd.cpio.gz"))
    con = console.Console(["ip", "netns", "exec", ns.ns, peerless, "run", "--machine", "virt", "-m", "512M",
                           "--bios", fw, "--kernel", image, "--initrd", initrd, "--append", "console=ttyS0",
                           "--netdev", f"tap,ifname={ns.tap}"], os.environ.get("NET_BENCH_LOG", os.devnull))
    prompt = b"~ # "
    try:
        if not (con.expect(b"peerless-linux: initramfs ready", LINUX_BOOT_TIMEOUT) and
                con.expect(prompt, TIMEOUT)):
            raise Failure("Linux did not boot to a shell")
        con.send(f"ip link set eth0 up && ip addr add {GUEST_IP}/24 dev eth0 && echo net-up")
        if not con.expect(b"net-up", TIMEOUT):
            raise Failure("Linux could not bring eth0 up")
        con.send("nc -l -p 9 > /dev/null &")
        time.sleep(1)
        ns.run(["ping", "-c", "1", "-W", "5", GUEST_IP])
        rtt = ping(ns)
        secs = tcp_send(ns, path, nbytes, 9, False)
        con.send("poweroff")
        con.wait_exit(TIMEOUT)
    finally:
        con.kill()
        ns.teardown()
    return {"rtt": rtt, "secs": secs}


def best(results):
    return {"rtt": (min(r["rtt"][0] for r in results), min(r["rtt"][1] for r in results)),
            "secs": min(r["secs"] for r in results), **{k: v for k, v in results[0].items()
                                                         if k not in ("rtt", "secs")}}


def table(kernel, linux, nbytes, runs, why_no_linux):
    mb = nbytes / 1e6
    rows = [("ping round trip, host to guest: min (ms)", f"{kernel['rtt'][0]:.2f}",
             f"{linux['rtt'][0]:.2f}" if linux else "-"),
            ("ping round trip, host to guest: average (ms)", f"{kernel['rtt'][1]:.2f}",
             f"{linux['rtt'][1]:.2f}" if linux else "-"),
            (f"TCP host to guest, {nbytes} bytes into a sink (MB/s)", f"{mb / kernel['secs']:.2f}",
             f"{mb / linux['secs']:.2f}" if linux else "-"),
            ("gate calls into net per frame (ping)", f"{kernel['ping_net_calls'] / max(1, kernel['ping_frames']):.2f}", "-"),
            ("gate calls into ip per ping", f"{kernel['ping_ip_calls'] / PINGS:.2f}", "-"),
            ("gate calls into net per frame (TCP)", f"{kernel['tcp_net_calls'] / max(1, kernel['tcp_frames']):.2f}", "-"),
            ("gate calls into ip per MB received (TCP)", f"{kernel['tcp_ip_calls'] / mb:.1f}", "-"),
            ("frames per MB (TCP, both ways)", f"{kernel['tcp_frames'] / mb:.0f}", "-")]
    lines = ["### The network from the host: peer kernel (lwIP) and Linux, both on Peerless", "",
             "| measurement | peer kernel on `peer` | Linux on `virt` |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", f"- Best of {runs} boots of each; {PINGS} pings {PING_INTERVAL} s apart; the host's "
              "ping and nc, in a network namespace with a TAP interface (host 10.0.2.2, guest 10.0.2.15).",
              "- Gate calls are the machine's counts (PEER_COUNTERS) read through the shell's `netstat` "
              "before and after, less netstat's own calls; a frame is one in or one out.  Calls into ip "
              "include ip's own shim, one per call into net (a restarted net's old gate is gone: the shim's "
              "frame takes that fault).",
              "- The peer kernel's ip thread sleeps until net's interrupt handler wakes it "
              "(SCHED_IRQ_WAKE) or lwIP's next timer is due."]
    if why_no_linux:
        lines.append(f"- Linux: not run ({why_no_linux}).")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peerless", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--linux")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--bytes", type=int, default=4000000)
    ap.add_argument("--out")
    args = ap.parse_args()
    if os.geteuid() != 0 or not shutil.which("ip") or not os.path.exists("/dev/net/tun"):
        text = "### The network from the host\n\nNot measured: needs root, iproute2 and /dev/net/tun.\n"
        print(text, end="")
        if args.out:
            with open(args.out, "w") as f:
                f.write(text)
        return 0
    tmp = tempfile.mkdtemp(prefix="peerless-netbench-")
    path = os.path.join(tmp, "blob")
    with open(path, "wb") as f:
        f.write(os.urandom(args.bytes))
    try:
        kernel = best([bench_kernel(args.peerless, args.kernel, path, args.bytes) for _ in range(args.runs)])
        linux, why = None, None
        if args.linux and all(os.path.exists(os.path.join(args.linux, f))
                              for f in ("fw_jump.bin", "Image", "initrd.cpio.gz")):
            linux = best([bench_linux(args.peerless, args.linux, path, args.bytes) for _ in range(args.runs)])
        else:
            why = "build/linux has no images (`make linux`)"
    except Failure as e:
        print(f"net_bench: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = table(kernel, linux, args.bytes, args.runs, why)
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
