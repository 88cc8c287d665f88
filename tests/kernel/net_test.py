#!/usr/bin/env python3
"""The peer kernel on a network: boot it with --netdev on a TAP interface
inside a network namespace made here (host side 10.0.2.2/24), start the
guest's servers from its shell, and reach them from the host with programs
no one here wrote: ping, nc (TCP and UDP) and curl; make the network driver
misbehave and see it restarted; lease an address from dnsmasq by DHCP.

usage: net_test.py EMULATOR KERNEL
Needs root, iproute2 and /dev/net/tun; without them every check is skipped
(and counted as skipped).  Prints one line per check and ends with
"net: N passed, N failed, N skipped".  NET_LOG names a file for the console.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts", "linux"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import console  # noqa: E402
import checks  # noqa: E402
import netns  # noqa: E402

GUEST_IP, HOST_IP = "10.0.2.15", netns.HOST_IP
PROMPT = b"peer> "
TIMEOUT = 20
CHECKS = 32          # what a skip counts as
# inject net KIND: net misbehaves on its next request (a frame the host
# sends), and proc restarts it — after a client's failed call, or by its
# watchdog for the loop.
INJECTIONS = (("wild", b"a client's call failed"),
              ("loop", b"watchdog: a call ran past its deadline"),
              ("fault", b"a client's call failed"),
              ("dma", b"a client's call failed"),
              ("loop", b"watchdog: a call ran past its deadline"))

result = checks.Checks("net: ")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    emulator, kernel = sys.argv[1:]
    for tool in ("ping", "nc", "curl", "dnsmasq"):
        if not shutil.which(tool):
            print(f"FAIL net: {tool} is not installed (scripts/setup.sh installs it)")
            print("net: 0 passed, 1 failed, 0 skipped")
            return 1
    ns = netns.Namespace("net", timeout=TIMEOUT)
    why = ns.setup()
    if why:
        print(f"SKIP net: {why} ({CHECKS} checks)")
        print(f"net: 0 passed, 0 failed, {CHECKS} skipped")
        return 0
    tmp = tempfile.mkdtemp(prefix="peerless-net-")
    con = console.Console(["ip", "netns", "exec", ns.ns, emulator, "run", "--machine", "peer",
                           "--netdev", f"tap,ifname={ns.tap}", kernel], os.environ.get("NET_LOG", os.devnull))
    try:
        up = con.expect(b"boot: network: net drives it, ip (lwIP) at 10.0.2.15/24", TIMEOUT) and \
            con.expect(PROMPT, TIMEOUT)
        result("boot brings up net and ip", up)
        if not up:
            return 1
        servers = True
        for cmd, banner in (("echod &", b"echod: listening on TCP port 7"),
                            ("udpecho &", b"udpecho: listening on UDP port 7"),
                            ("httpd &", b"httpd: serving on TCP port 80")):
            con.send(cmd)
            servers = con.expect(banner, TIMEOUT) and servers
        result("the shell starts echod, udpecho and httpd", servers)
        con.send("ifconfig")
        result("ifconfig shows the address", con.expect(b"ip: address 10.0.2.15 netmask 255.255.255.0 gateway 10.0.2.2",
                                                        TIMEOUT))

        st, out = ns.run(["ping", "-c", "3", "-W", "5", GUEST_IP])
        result("ping: the guest answers", st == 0 and b"3 received" in out, out.decode(errors="replace")[-200:])

        text = b"peerless echo over TCP 4e1f\n"
        st, out = ns.run(["nc", "-N", "-w", "10", GUEST_IP, "7"], stdin=text)
        result("nc: echod sends the text back", out == text, f"status {st}, got {out!r}")

        data = os.urandom(300000)
        path = os.path.join(tmp, "blob")
        with open(path, "wb") as f:
            f.write(data)
        st, out = ns.run(["sh", "-c", f"nc -N -w 10 {GUEST_IP} 7 < {path}"], timeout=60)
        result("nc: 300000 random bytes echoed intact", out == data,
               f"status {st}, {len(out)} bytes back, {'equal' if out == data else 'different'}")

        st, out = ns.run(["nc", "-u", "-w", "2", GUEST_IP, "7"], stdin=b"peerless echo over UDP 77\n")
        result("nc -u: udpecho sends the datagram back", out == b"peerless echo over UDP 77\n",
               f"status {st}, got {out!r}")

        st, out = ns.run(["curl", "-s", "-m", "10", f"http://{GUEST_IP}/"])
        result("curl: httpd serves its page", st == 0 and b"Hello from the peer kernel" in out,
               f"status {st}, got {out[:200]!r}")

        st, out = ns.run(["curl", "-s", "-m", "10", f"http://{GUEST_IP}/stats"])
        stats = dict(line.split(" ", 1) for line in out.decode(errors="replace").splitlines() if " " in line)
        ok = st == 0 and all(int(stats.get(k, "0")) > 0 for k in
                             ("frames_in", "frames_out", "gate_calls_into_net", "gate_calls_into_ip"))
        result("curl: /stats counts frames and gate calls", ok, f"status {st}, got {out[:300]!r}")

        st, out = ns.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-m", "10",
                          f"http://{GUEST_IP}/nowhere"])
        result("curl: an unknown page is 404", out == b"404", f"status {st}, got {out!r}")

        # Isolation: net misbehaves four ways (and loops again); each time
        # proc restarts it, the shell's canary page is untouched, and the
        # guest answers again.
        for kind, why in INJECTIONS:
            con.send(f"inject net {kind}")
            armed = con.expect(b"inject: net will", TIMEOUT) and con.expect(PROMPT, TIMEOUT)
            con.text = b""
            ns.run(["ping", "-c", "1", "-W", "2", GUEST_IP])          # the request it misbehaves on
            restarted = con.expect(b"proc: driver net restarted in space", TIMEOUT)
            said = con.text
            result(f"inject net {kind}: proc restarts net ({why.decode()})",
                   armed and restarted and b"proc: driver net: " + why in said, said.decode(errors="replace")[-300:])
            st, out = ns.run(["ping", "-c", "3", "-W", "5", GUEST_IP])
            result(f"inject net {kind}: ping answers after the restart", st == 0 and b"3 received" in out,
                   out.decode(errors="replace")[-200:])
            con.send("canary")
            result(f"inject net {kind}: the shell's canary page is intact",
                   con.expect(b"canary: 0 of 512 words changed", TIMEOUT) and con.expect(b"intact", TIMEOUT))
        st, out = ns.run(["nc", "-N", "-w", "10", GUEST_IP, "7"], stdin=text)
        result("after five restarts echod (the same program) still echoes", out == text, f"status {st}, got {out!r}")
        st, out = ns.run(["curl", "-s", "-m", "10", f"http://{GUEST_IP}/stats"])
        result("/stats counts the five restarts", b"net_restarts 5\n" in out, f"got {out[:300]!r}")

        con.send("netstat")
        result("netstat shows the restarts", con.expect(b"net_restarts 5", TIMEOUT))
        # DHCP: dnsmasq in the namespace leases an address from 10.0.2.50-60.
        dnsmasq = subprocess.Popen(["ip", "netns", "exec", ns.ns, "dnsmasq", "--no-daemon", "--port=0",
                                    f"--interface={ns.tap}", "--bind-interfaces", "--no-resolv", "--no-hosts",
                                    "--dhcp-range=10.0.2.50,10.0.2.60,255.255.255.0,1h",
                                    f"--dhcp-leasefile={os.path.join(tmp, 'leases')}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            con.send("ifconfig dhcp")
            leased = con.expect(b"ifconfig: leased by DHCP", TIMEOUT) and con.expect(b"ip: address 10.0.2.", TIMEOUT) \
                and con.expect(b" ", TIMEOUT)
            addr = "10.0.2." + con.text.split(b"ip: address 10.0.2.")[-1].split(b" ")[0].decode(errors="replace")
            result("ifconfig dhcp: dnsmasq leases an address", leased and addr != GUEST_IP, con.text[-300:].decode(errors="replace"))
            st, out = ns.run(["curl", "-s", "-m", "10", f"http://{addr}/"])
            result("curl: httpd answers at the leased address", st == 0 and b"Hello from the peer kernel" in out,
                   f"{addr}: status {st}, got {out[:100]!r}")
        finally:
            dnsmasq.kill()
            dnsmasq.wait()

        con.send("ps")
        result("the servers still run", con.expect(b"echod", TIMEOUT) and con.expect(PROMPT, TIMEOUT))
        con.send("halt")
        status = con.wait_exit(TIMEOUT)
        result("halt ends the run with status 0", status == 0, f"status {status}")
    finally:
        con.kill()
        ns.teardown()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"net: {result.passed} passed, {result.failed} failed, 0 skipped")
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
