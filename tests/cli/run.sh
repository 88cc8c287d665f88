#!/bin/sh
# The command line: every kind of bad input gets a one-line reason and its
# documented exit status (docs/USAGE.md), never a crash; fault reports (with
# the gate frames a fault in a nested gate call unwound, on peer), --stats,
# and the progress line of long runs (scripts/progress.py).
#   tests/cli/run.sh PEERLESS_BINARY
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 PEERLESS_BINARY" >&2; exit 2; }
emu=$1
out=$root/build/cli
mkdir -p "$out"
cd "$root" || exit 2
eval "$(make -s print-guest-flags)"
nested() {  # build tests/cli/nested_fault.c as nested_$1.elf, with -D$2
    # shellcheck disable=SC2086
    $GUEST_CC $GUEST_CFLAGS_GC -O1 -D"$2" -Wall -Wextra -nostartfiles -T lib/peer/peer.ld \
        -Wl,--no-warn-rwx-segments -Ilib/peer -o "$out/nested_$1.elf" \
        lib/peer/crt0.S lib/peer/stdio.c lib/peer/spawn.c tests/cli/nested_fault.c
}
# shellcheck disable=SC2086
$GUEST_CC $GUEST_ARCH_GC $GUEST_BARE -Wl,-N -o "$out/fault.elf" tests/cli/fault.S 2>/dev/null &&
$GUEST_CC $GUEST_ARCH_GC $GUEST_BARE -Wl,-N -o "$out/spin.elf" tests/cli/spin.S 2>/dev/null &&
$GUEST_CC $GUEST_ARCH_GC $GUEST_BARE -Wl,-N -o "$out/ticks.elf" tests/cli/ticks.S 2>/dev/null &&
nested stop STOP && nested run RUN ||
    { echo "cli: 0 passed, 1 failed (does not build)"; exit 1; }
head -c 100 "$out/fault.elf" > "$out/truncated.elf"
printf 'not an elf at all\n' > "$out/text.elf"
printf 'bogus = 1\n' > "$out/bad.cost"

passed=0 failed=0
# expect STATUS PATTERN ARGS...: the status, and stderr containing PATTERN
expect() {
    want=$1 pattern=$2; shift 2
    timeout 20 "$emu" "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
    got=$?
    if [ "$got" = "$want" ] && grep -q -- "$pattern" "$out/stderr"; then
        passed=$((passed + 1)); echo "PASS $*"
    else
        failed=$((failed + 1)); echo "FAIL $*: status $got (want $want), stderr: $(head -c 300 "$out/stderr")"
    fi
}
expect 2 "no command given"
expect 2 "unknown command 'frobnicate'" frobnicate
expect 2 "no program given" run
expect 2 "unknown option '--bogus'" run --bogus "$out/fault.elf"
expect 2 "unknown machine 'vax'" run --machine vax "$out/fault.elf"
expect 2 "bad RAM size 'lots'" run -m lots "$out/fault.elf"
expect 2 "needs a value" run --max-insns
expect 2 "bad --icount 'soon'" run --icount soon "$out/fault.elf"
expect 2 "bad --icount '0'" run --icount 0 "$out/fault.elf"
expect 2 "unknown cost 'bogus'" run --cost "$out/bad.cost" "$out/fault.elf"
expect 126 "No such file or directory" run "$out/missing.elf"
expect 126 "not an ELF file" run "$out/text.elf"
expect 126 "corrupt ELF" run "$out/truncated.elf"
expect 126 "not RISC-V" run /bin/sh
expect 124 "exceeded --max-insns 100000" run --max-insns 100000 "$out/spin.elf"
expect 124 "exceeded --max-insns 100000" run --machine peer --max-insns 100000 "$out/spin.elf"
# the virtual clock: a tick per instruction, timer interrupts where their
# deadline falls (tests/cli/ticks.S), and the same run twice
expect 0 "^instructions: [0-9]*$" run --icount 100 --stats "$out/ticks.elf"
first=$(grep '^instructions:' "$out/stderr")
expect 0 "^$first$" run --icount 100 --stats "$out/ticks.elf"
# an unhandled fault: cause, pc with its symbol, address, registers
expect 125 "load access fault (cause 5) at pc 0x[0-9a-f]* (faulty+0x0), tval 0x0000000000001234" run "$out/fault.elf"
expect 125 "t0   0x0000000000001234" run "$out/fault.elf"
expect 125 "stopped: load access fault (fault 6) at pc 0x[0-9a-f]* (faulty+0x0), address 0x0000000000001234" \
    run --machine peer "$out/fault.elf"
# a fault in a nested gate call, unwound; then one that stops the machine:
# the report shows the first with the gate frames it unwound, innermost first
at='at pc 0x[0-9a-f]* (lib2_entry+0x0), address 0x0000000000001234, missing right R, data space 3, code space 3'
expect 125 "stopped: store/AMO access fault (fault 8) at pc 0x[0-9a-f]* (main+0x[0-9a-f]*), address 0x0000000000000008" \
    run --machine peer "$out/nested_stop.elf"
expect 125 "thread 1's last fault unwound from a gate frame, [0-9]* instructions before the end: load without R (fault 33) $at" \
    run --machine peer "$out/nested_stop.elf"
frame0='^  #0 call through gate 0x00007f0000000010 to 0x[0-9a-f]* (lib2_entry+0x0), from space 2 (data space 2), returns to pc 0x[0-9a-f]* (lib_entry+0x[0-9a-f]*)$'
frame1='^  #1 call through gate 0x00007f0000000008 to 0x[0-9a-f]* (lib_entry+0x0), from space 1 (data space 1), returns to pc 0x[0-9a-f]* (main+0x[0-9a-f]*)$'
expect 125 "$frame0" run --machine peer "$out/nested_stop.elf"
expect 125 "$frame1" run --machine peer "$out/nested_stop.elf"
if grep -q '^  #2 ' "$out/stderr"; then failed=$((failed + 1)); echo "FAIL nested: a third frame listed"; else passed=$((passed + 1)); echo "PASS nested: two frames"; fi
# the same fault, when the program ends normally: --stats shows it, and
# each space's protection-cache hits
expect 0 "thread 1's last fault unwound from a gate frame, [0-9]* instructions before the end: load without R (fault 33) $at" \
    run --machine peer --stats "$out/nested_run.elf"
expect 0 "$frame1" run --machine peer --stats "$out/nested_run.elf"
expect 0 "^   space   instructions      calls   faults interrupts PLB misses       PLB hits$" \
    run --machine peer --stats "$out/nested_run.elf"
expect 0 "^       3 *[0-9]* *1 *1 *0 *[1-9][0-9]* *[1-9][0-9]*$" run --machine peer --stats "$out/nested_run.elf"

# Progress of long runs (scripts/progress.py, used by make bench, the Linux
# boots and the differential tests): a status line on a terminal (a pty from
# script(1)), cleared before anything else is printed; nothing in a pipe or
# under CI.
esc=$(printf '\033')
progress_case() {  # NAME shown|quiet pty|pipe PATTERN COMMAND
    if [ "$3" = pty ]; then env -u CI script -qec "$5" /dev/null </dev/null >"$out/progress" 2>&1
    else sh -c "$5" >"$out/progress" 2>&1 </dev/null; fi
    if grep -q "$4" "$out/progress"; then got=shown; else got=quiet; fi
    # quiet means nothing at all: no stray escape either
    if [ "$got" = "$2" ] && { [ "$2" = shown ] || ! grep -q "$esc" "$out/progress"; }; then
        passed=$((passed + 1)); echo "PASS progress: $1"
    else
        failed=$((failed + 1)); echo "FAIL progress: $1: $got, output: $(od -c "$out/progress" | head -5)"
    fi
}
line="${esc}\[K  bench: hash: run 1 of 3"
progress_case "a status line on a terminal" shown pty "$line" "python3 scripts/progress.py bench 'hash: run 1 of 3'"
progress_case "quiet in a pipe" quiet pipe "$line" "python3 scripts/progress.py bench 'hash: run 1 of 3'"
progress_case "quiet under CI, even on a terminal" quiet pty "$line" "CI=1 python3 scripts/progress.py bench 'hash: run 1 of 3'"
# the Linux console (scripts/linux/console.py) shows its wait and the
# console's last line, and clears it when what it waits for comes
cat >"$out/console_progress.py" <<'EOF_PY'
import sys
sys.path.insert(0, "scripts/linux")
import console
c = console.Console(["sh", "-c", "echo '[    0.1] booting'; sleep 1.2; echo '~ # '; sleep 5"], label="linux")
found = c.expect(b"~ # ", 10)
c.kill()
print("found" if found else "missing")
EOF_PY
progress_case "the Linux console's wait" shown pty "${esc}\[K  linux: [0-9]* s waiting for '~ # ' | \[ 0.1\] booting" "python3 $out/console_progress.py"
progress_case "the Linux console clears its line when done" shown pty "${esc}\[Kfound" "python3 $out/console_progress.py"
progress_case "the Linux console quiet in a pipe" quiet pipe "linux:" "python3 $out/console_progress.py"

echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
