#!/bin/sh
# Make the peer kernel's disk image: an MBR with partition 1 a FAT volume
# (fs's) and partition 2 of type 0xda (the security service's, zeros), and
# a few files on the volume, one with a long name and some in directories.
#
#   scripts/disk/mkfatdisk.sh OUT [32|16]
#
# The volume is made by mkfs.fat and filled by mtools (Debian's dosfstools
# and mtools); the partition table by scripts/disk/mbr.py.  The layout is
# printed as "P1_START P1_SECTORS P2_START P2_SECTORS" by mbr.py --layout,
# so tests can find partition 1 (mtools: -i OUT@@$((P1_START*512))).
set -eu
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 OUT [32|16]" >&2; exit 2; }
out=$1
bits=${2:-32}
here=$(cd "$(dirname "$0")" && pwd)
case $bits in 32|16) ;; *) echo "$0: FAT type must be 32 or 16, not $bits" >&2; exit 2 ;; esac
set -- $(python3 "$here/mbr.py" --layout)
p1_start=$1 p1_sectors=$2
tmp=$out.part1.$$
trap 'rm -f "$tmp"' EXIT
rm -f "$tmp"
# FAT32 with 512-byte clusters; FAT16 with 2 KiB clusters.  big.txt spans
# many clusters (800 lines of 26 bytes).
if [ "$bits" = 32 ]; then spc=1; else spc=4; fi
mkfs.fat -F "$bits" -s $spc -S 512 -n PEERLESS -C "$tmp" $((p1_sectors / 2)) >/dev/null
printf 'Hello from the host: this file was written by mcopy.\n' | mcopy -i "$tmp" - ::/hello.txt
printf 'A file whose name is long enough to need VFAT entries.\nSecond line.\n' |
    mcopy -i "$tmp" - "::/A long file name for the peer kernel.txt"
printf 'no spaces in this long name\n' | mcopy -i "$tmp" - ::/This-is-a-long-name.text
mmd -i "$tmp" ::/docs ::/docs/nested
printf 'readme in a subdirectory\n' | mcopy -i "$tmp" - ::/docs/readme.md
printf 'two levels down\n' | mcopy -i "$tmp" - ::/docs/nested/deep.txt
python3 -c 'import sys; sys.stdout.write("".join("line %05d of the big file\n" % i for i in range(800)))' |
    mcopy -i "$tmp" - ::/big.txt
python3 "$here/mbr.py" "$out"
dd if="$tmp" of="$out" bs=512 seek="$p1_start" conv=notrunc,sparse status=none
