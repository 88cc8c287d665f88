#!/usr/bin/env python3
"""Drive a GDB stub with raw remote serial protocol packets, for what
gdb-multiarch in batch mode cannot do: interrupt a running guest with
Ctrl-C (the 0x03 byte).

    rsp_client.py PORT    (the guest must be spinning; prints one check per line)
"""
import socket
import sys
import time


def checksum(body):
    return sum(body.encode()) & 0xff


class Stub:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def send(self, body):
        self.sock.sendall(b"$%s#%02x" % (body.encode(), checksum(body)))

    def packet(self):
        """The next packet's body (acks skipped), its checksum verified."""
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start)
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                body = self.buf[start + 1:end].decode()
                want = int(self.buf[end + 1:end + 3], 16)
                self.buf = self.buf[end + 3:]
                self.sock.sendall(b"+")
                if want != checksum(body):
                    raise ValueError("bad checksum on " + body)
                return body
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError("stub closed the connection")
            self.buf += chunk

    def ask(self, body):
        self.send(body)
        return self.packet()


def main():
    stub = Stub(int(sys.argv[1]))
    try:
        return session(stub)
    finally:
        stub.send("k")   # whatever happened, end the emulator


def session(stub):
    ok = True

    def check(name, cond, got):
        nonlocal ok
        print(("PASS " if cond else "FAIL ") + name + ("" if cond else ": got " + repr(got)))
        ok = ok and cond

    r = stub.ask("?")
    check("stopped on connect", r.startswith("T05"), r)
    g0 = stub.ask("g")
    stub.send("c")
    time.sleep(0.3)
    stub.sock.sendall(b"\x03")
    r = stub.packet()
    check("Ctrl-C stops the running guest (T02)", r.startswith("T02"), r)
    g = stub.ask("g")
    check("g holds 65 registers", len(g) == 65 * 16, len(g))
    check("the guest ran between continue and Ctrl-C (registers changed)", g != g0, g)
    pc1 = stub.ask("p20")
    r = stub.ask("Z1,%x,2" % int.from_bytes(bytes.fromhex(pc1), "little"))
    check("hardware breakpoint accepted", r == "OK", r)
    stub.send("c")
    r = stub.packet()
    check("the spinning loop comes back to its breakpoint", r.startswith("T05"), r)
    r = stub.ask("Z3,80000000,8")
    check("read watchpoint (Z3) accepted", r == "OK", r)
    r = stub.ask("z3,80000000,8")
    check("read watchpoint removed", r == "OK", r)
    r = stub.ask("Z4,80000000,100")
    check("an access watchpoint wider than 64 bytes is refused", r.startswith("E"), r)
    r = stub.ask("Z5,80000000,8")
    check("an unknown breakpoint type is declined (empty reply)", r == "", r)
    r = stub.ask("m7f0000000000,8")
    check("memory nothing backs reads as an error", r.startswith("E"), r)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
