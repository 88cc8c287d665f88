#!/bin/sh
# Build the self-checking guest programs of tests/guest and run each on the
# given emulator and on QEMU; a test passes when both exit with the
# expected code (0 unless the source says "EXPECT_EXIT: N") and print
# exactly the same stdout.  A source line "QEMU_ARGS: ..." adds options to
# the QEMU reference run (e.g. -icount for exact instruction counts).
#
#   tests/guest/run.sh build/peerless      the normal check
#   tests/guest/run.sh qemu                only QEMU (to develop the tests)
#
# QEMU's results are cached in build/guest/NAME.qemu, keyed on the ELF's
# checksum, so re-runs (e.g. with a sanitizer build) do not repeat them.
# Environment: GUEST_TIMEOUT (seconds, default 20), GUEST_MAX_INSNS,
# GUEST_ONLY (space-separated test names to run).
set -u

usage() { echo "usage: $0 PEERLESS_BINARY|qemu" >&2; exit 2; }

root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/guest
out=$root/build/guest
timeout_s=${GUEST_TIMEOUT:-20}
max_insns=${GUEST_MAX_INSNS:-200000000}

# Build one test (called through xargs for parallel builds).
if [ "${1:-}" = "--build-one" ]; then
    f=$2
    name=$(basename "$f"); name=${name%.*}
    elf=$out/$name.elf
    deps="$f $src/test.h $src/priv.h $src/runtime.S $src/link.ld $root/mk/guest.mk $src/run.sh"
    fresh=1
    [ -f "$elf" ] || fresh=0
    if [ $fresh = 1 ]; then
        for d in $deps; do [ "$d" -nt "$elf" ] && fresh=0; done
    fi
    [ $fresh = 1 ] && exit 0
    cd "$root" || exit 1
    eval "$(make -s print-guest-flags)"
    case $f in
    *.S) $GUEST_CC $GUEST_CFLAGS_GC $GUEST_BARE -T "$src/link.ld" \
             -Wl,--no-warn-rwx-segments -I"$src" -o "$elf" "$src/runtime.S" "$f" ;;
    *.c) $GUEST_CC $GUEST_CFLAGS_GC -O2 $GUEST_SEMIHOST -o "$elf" "$f" ;;
    esac || { rm -f "$elf"; echo "build failed: $f" >&2; exit 1; }
    exit 0
fi

[ $# -eq 1 ] || usage
emu=$1
if [ "$emu" != qemu ]; then
    case $emu in /*) ;; *) emu=$(pwd)/$emu ;; esac
    [ -x "$emu" ] || { echo "$0: not an executable: $1" >&2; exit 2; }
fi

mkdir -p "$out"
tests=
for f in "$src"/*.S "$src"/*.c; do
    [ -f "$f" ] || continue
    name=$(basename "$f"); name=${name%.*}
    [ "$name" = runtime ] && continue
    if [ -n "${GUEST_ONLY:-}" ]; then
        case " $GUEST_ONLY " in *" $name "*) ;; *) continue ;; esac
    fi
    tests="$tests $f"
done
printf '%s\n' $tests | xargs -P2 -n1 "$0" --build-one

# QEMU 7.2 writes semihosting console output to stderr and the UART to
# stdout; peerless writes both to stdout, so both QEMU streams are kept.
run_qemu() {  # elf, extra QEMU args -> output in $3, exit code in $4
    # shellcheck disable=SC2086
    (cd "$out" && timeout "$timeout_s" qemu-system-riscv64 -machine virt -bios none \
        -m 128M -nographic -monitor none -serial stdio \
        -semihosting-config enable=on,target=native $2 -kernel "$1" \
        </dev/null >"$3" 2>&1)
    echo $? >"$4"
}

passed=0 failed=0
for f in $tests; do
    name=$(basename "$f"); name=${name%.*}
    elf=$out/$name.elf
    if [ ! -f "$elf" ]; then
        echo "FAIL $name: does not build"; failed=$((failed + 1)); continue
    fi
    expect=$(sed -n 's/.*EXPECT_EXIT: *\([0-9]*\).*/\1/p' "$f" | head -n 1)
    expect=${expect:-0}

    # QEMU's reference result, cached by checksum.
    qargs=$(sed -n 's/.*QEMU_ARGS: *\(.*\)$/\1/p' "$f" | head -n 1)
    sum=$({ cat "$elf"; echo "$qargs"; } | sha256sum | cut -d' ' -f1)
    cache=$out/$name.qemu
    if [ ! -f "$cache" ] || [ "$(head -n 1 "$cache" | cut -d' ' -f2)" != "$sum" ]; then
        run_qemu "$elf" "$qargs" "$out/$name.qemu.out" "$out/$name.qemu.rc"
        { echo "# $sum $(cat "$out/$name.qemu.rc")"; cat "$out/$name.qemu.out"; } >"$cache"
        rm -f "$out/$name.qemu.out" "$out/$name.qemu.rc"
    fi
    qrc=$(head -n 1 "$cache" | cut -d' ' -f3)
    tail -n +2 "$cache" >"$out/$name.qemu.stdout"

    reason=
    if [ "$qrc" != "$expect" ]; then
        reason="QEMU exit $qrc, expected $expect: $(tail -n 1 "$out/$name.qemu.stdout")"
    fi
    if [ "$emu" != qemu ]; then
        (cd "$out" && timeout "$timeout_s" "$emu" run --max-insns "$max_insns" "$elf" \
            </dev/null >"$out/$name.stdout" 2>"$out/$name.stderr")
        prc=$?
        if [ "$prc" != "$expect" ]; then
            why="$(tail -n 1 "$out/$name.stdout") $(head -c 200 "$out/$name.stderr")"
            [ $prc = 124 ] && [ ! -s "$out/$name.stderr" ] && why="timeout after ${timeout_s}s"
            reason="${reason:+$reason; }exit $prc, expected $expect: $why"
        elif ! cmp -s "$out/$name.stdout" "$out/$name.qemu.stdout"; then
            reason="${reason:+$reason; }stdout differs from QEMU (diff $out/$name.qemu.stdout $out/$name.stdout)"
        fi
    fi
    if [ -z "$reason" ]; then
        echo "PASS $name"; passed=$((passed + 1))
    else
        echo "FAIL $name: $reason"; failed=$((failed + 1))
    fi
done
echo "guest: $passed passed, $failed failed"
[ $failed -eq 0 ]
