#!/bin/sh
# Boot Linux on EMULATOR (a peerless binary, or `qemu` for the reference)
# and check it from its console; builds the images first (`make linux`).
# usage: tests/linux/run.sh EMULATOR      ends with "linux: N passed, N failed"
set -eu
[ $# = 1 ] || { echo "usage: $0 PEERLESS_BINARY|qemu" >&2; exit 2; }
cd "$(dirname "$0")/../.."
# mk/linux.mk is included by the Makefile; name it here as well until it is.
if grep -q '^include mk/linux.mk' Makefile; then make -s linux; else make -s -f Makefile -f mk/linux.mk linux; fi
exec python3 tests/linux/linux_test.py "$1" build/linux
