#!/bin/sh
# Trace peer machine programs (--trace) and check what the traces hold.
#   tests/trace/run.sh PEERLESS_BINARY
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 PEERLESS_BINARY" >&2; exit 2; }
emu=$1
out=$root/build/trace
mkdir -p "$out"
# The peer rule tests build the programs traced here.
PEER_ONLY="pass irq" "$root/tests/peer/run.sh" "$emu" >/dev/null || { echo "trace: 0 passed, 1 failed (peer tests)"; exit 1; }
status=0
run() {   # run NAME EXPECT...
    name=$1; shift
    "$emu" run --machine peer --max-insns 100000000 --trace "$out/$name.json" "$root/build/peer/$name.elf" >/dev/null 2>&1 ||
        { echo "FAIL $name: did not run"; status=1; return; }
    python3 "$root/tests/trace/check.py" "$out/$name.json" "$@" || status=1
}
run pass call:10 fault:5 grant:5 revoke:1 counter:10 'protection cache:10'
run irq call:2 interrupt:3 fault:1
exit $status
