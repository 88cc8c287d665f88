#!/bin/sh
# Run host unit-test binaries; each prints "name: N passed, N failed".
fail=0
for t in "$@"; do "$t" || fail=1; done
exit $fail
