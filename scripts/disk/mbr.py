#!/usr/bin/env python3
"""Write the peer kernel's disk image with its MBR (kern.h, blk's windows).

  mbr.py OUT        a 64 MiB image: MBR, partition 1 (type 0x0c, FAT32 LBA)
                    and partition 2 (type 0xda, non-FS data), all zeros
  mbr.py --layout   print "P1_START P1_SECTORS P2_START P2_SECTORS"
"""
import struct
import sys

P1_START, P1_SECTORS = 2048, 114688          # 1 MiB .. 57 MiB
P2_START, P2_SECTORS = 116736, 14336         # 57 MiB .. 64 MiB
TOTAL = P2_START + P2_SECTORS


def entry(start, count, kind):
    # status, CHS first (unused: 0xfe 0xff 0xff as LBA-only disks write), type, CHS last, LBA, count
    return struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", kind, b"\xfe\xff\xff", start, count)


def main():
    if sys.argv[1:] == ["--layout"]:
        print(P1_START, P1_SECTORS, P2_START, P2_SECTORS)
        return
    if len(sys.argv) != 2:
        sys.exit("usage: mbr.py OUT | mbr.py --layout")
    mbr = bytearray(512)
    table = entry(P1_START, P1_SECTORS, 0x0c) + entry(P2_START, P2_SECTORS, 0xda)
    mbr[446:446 + len(table)] = table
    mbr[510:512] = b"\x55\xaa"
    with open(sys.argv[1], "wb") as f:
        f.write(mbr)
        f.truncate(TOTAL * 512)


if __name__ == "__main__":
    main()
