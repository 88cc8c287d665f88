#!/usr/bin/env python3
"""Write the disk image the peer tests that declare PEER_DRIVE read.

Byte i of sector s is (31*s + 7*i + 0x5a) mod 256, so a guest can check
every byte it reads, and which sector it came from, without a copy of the
image.  Usage: mkdisk.py [--mbr] IMAGE [SECTORS]  (default 64 sectors).

With --mbr the image is partitioned as the kernel's blk expects (kern.h):
sector 0 an MBR, partition 1 (type 0x0c, FAT) at sectors 8-71, partition 2
(type 0xda) at 72-103, the rest free; s then counts from each partition's
first sector, and partition 2's bytes are the pattern of s + 1000.
"""
import struct
import sys

P1, N1, P2, N2 = 8, 64, 72, 32


def sector(s):
    return bytes((31 * s + 7 * i + 0x5a) & 0xff for i in range(512))


def mbr():
    table = b""
    for start, count, kind in ((P1, N1, 0x0c), (P2, N2, 0xda)):
        table += struct.pack("<B3sB3sII", 0, b"\0\0\0", kind, b"\0\0\0", start, count)
    return bytes(446) + table + bytes(32) + b"\x55\xaa"


def main():
    args = sys.argv[1:]
    part = args[:1] == ["--mbr"]
    if part:
        args = args[1:]
    if len(args) not in (1, 2):
        sys.exit("usage: mkdisk.py [--mbr] IMAGE [SECTORS]")
    count = int(args[1]) if len(args) == 2 else (128 if part else 64)
    if part and count < P2 + N2:
        sys.exit("mkdisk.py: --mbr needs at least %d sectors" % (P2 + N2))
    with open(args[0], "wb") as f:
        for s in range(count):
            if not part:
                f.write(sector(s))
            elif s == 0:
                f.write(mbr())
            elif P1 <= s < P1 + N1:
                f.write(sector(s - P1))
            elif P2 <= s < P2 + N2:
                f.write(sector(s - P2 + 1000))
            else:
                f.write(bytes(512))


if __name__ == "__main__":
    main()
