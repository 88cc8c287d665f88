#!/bin/sh
# Differential tests against QEMU: tests/diff/run.sh PEERLESS_BINARY [options]
# (PEERLESS_BINARY may be `qemu` to compare QEMU with itself).  Options are
# difftest.py's (--rvgen-seeds, --csmith-seeds, --jobs, ...).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 PEERLESS_BINARY [difftest options]" >&2; exit 2; }
exec python3 "$(dirname "$0")/difftest.py" "$@"
