#!/bin/sh
# The whole suite, as `make test` and CI run it: host unit tests, guest
# programs, differential tests against QEMU — then all of it again with the
# emulator built under AddressSanitizer and UndefinedBehaviorSanitizer.
# Each part prints "part: N passed, N failed"; the last line adds them up.
set -u
log=build/test.log
mkdir -p build
: > "$log"
status=0

part() {   # part NAME COMMAND...
    name=$1; shift
    echo "== $name"
    { "$@" 2>&1; echo $? > build/test.rc; } | tee -a "$log"
    [ "$(cat build/test.rc)" = 0 ] || { status=1; echo "test: part $name failed" | tee -a "$log"; }
}

part unit        tests/run-unit.sh build/unit/test_*
part cli         tests/cli/run.sh build/peerless
part guest       tests/guest/run.sh build/peerless
part peer        tests/peer/run.sh build/peerless
part kernel      tests/kernel/run.sh build/peerless
part trace       tests/trace/run.sh build/peerless
part linux       tests/linux/run.sh build/peerless
part gdb         tests/gdb/run.sh build/peerless
part diff        tests/diff/run.sh build/peerless
part unit-asan   tests/run-unit.sh build/asan/unit/test_*
part cli-asan    tests/cli/run.sh build/asan/peerless
part guest-asan  tests/guest/run.sh build/asan/peerless
part peer-asan   tests/peer/run.sh build/asan/peerless
part kernel-asan tests/kernel/run.sh build/asan/peerless
part linux-asan  tests/linux/run.sh build/asan/peerless
part gdb-asan    tests/gdb/run.sh build/asan/peerless
part diff-asan   tests/diff/run.sh build/asan/peerless

grep -E '^[a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$log" |
    awk -F'[ ,]+' '{ p += $2; f += $4 } END { printf "total: %d passed, %d failed\n", p, f; exit f != 0 }' || status=1
exit $status
