#!/bin/sh
# Benchmarks: build the guest programs in bench/ and time each on Peerless
# and on QEMU, side by side.  The table goes to stdout and, with the machine
# it ran on, to build/bench/results.md.
#
# Usage: bench/run.sh [--runs N] [--update-docs] [PEERLESS]
#   PEERLESS       the emulator binary (e.g. build/peerless); without it only
#                  QEMU runs, and instruction counts are unknown
#   --runs N       best of N runs on each emulator (default 3, or $BENCH_RUNS)
#   --update-docs  then copy the results into docs/PERFORMANCE.md
set -e

command_line="bench/run.sh $*"

runs=${BENCH_RUNS:-3}
update_docs=no
peerless=
while [ $# -gt 0 ]; do
    case $1 in
    --runs) [ $# -ge 2 ] || { echo "bench/run.sh: --runs needs a number" >&2; exit 2; }
            runs=$2; shift 2 ;;
    --update-docs) update_docs=yes; shift ;;
    -*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
    *) peerless=$1; shift ;;
    esac
done
# The paths below are from the repository root.
case $peerless in ""|/*) ;; *) peerless=$PWD/$peerless ;; esac
cd "$(dirname "$0")/.."
if [ -n "$peerless" ] && [ ! -x "$peerless" ]; then
    echo "bench/run.sh: $peerless is not an executable (run make first)" >&2
    exit 2
fi

# The benchmark programs, in table order.
BENCHMARKS="hash sort recursion interp fpkernel"

eval "$(make -s print-guest-flags)"
mkdir -p build/bench
elfs=
for b in $BENCHMARKS; do
    elf=build/bench/$b.elf
    if [ ! -f "$elf" ] || [ "bench/$b.c" -nt "$elf" ] ||
       [ bench/bench_common.h -nt "$elf" ] || [ mk/guest.mk -nt "$elf" ]; then
        echo "building $elf" >&2
        # shellcheck disable=SC2086  # the flags are word lists
        $GUEST_CC $GUEST_CFLAGS_GC -O2 $GUEST_SEMIHOST -Wall -Wextra \
            -o "$elf" "bench/$b.c" -lm
    fi
    elfs="$elfs $elf"
done

set -- --runs "$runs" --out build/bench/results.md --command "$command_line"
[ -z "$peerless" ] || set -- "$@" --peerless "$peerless"
# shellcheck disable=SC2086
python3 bench/measure.py "$@" $elfs

[ "$update_docs" = no ] || bench/update-docs.sh build/bench/results.md
