#!/usr/bin/env python3
"""Write the disk image the peer tests that declare PEER_DRIVE read.

Byte i of sector s is (31*s + 7*i + 0x5a) mod 256, so a guest can check
every byte it reads, and which sector it came from, without a copy of the
image.  Usage: mkdisk.py IMAGE [SECTORS]  (default 64 sectors of 512 bytes).
"""
import sys


def sector(s):
    return bytes((31 * s + 7 * i + 0x5a) & 0xff for i in range(512))


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: mkdisk.py IMAGE [SECTORS]")
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 64
    with open(sys.argv[1], "wb") as f:
        for s in range(count):
            f.write(sector(s))


if __name__ == "__main__":
    main()
