#!/bin/sh
# Debug guest programs with gdb-multiarch over `peerless run --gdb PORT
# --wait-gdb` and check what GDB prints: breakpoints (software and
# hardware), backtraces (ending at the gate frame on the peer machine),
# registers with FP and CSRs, memory, single-step, write, read and access
# watchpoints (on both machines),
# monitor commands, the guest's exit code; then Ctrl-C with a raw client.
#   tests/gdb/run.sh PEERLESS_BINARY
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 PEERLESS_BINARY" >&2; exit 2; }
emu=$1
case $emu in /*) ;; *) emu=$(pwd)/$emu ;; esac
src=$root/tests/gdb
out=$root/build/gdb
rt=$root/lib/peer
mkdir -p "$out"
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
finish() { echo "gdb: $passed passed, $failed failed"; [ $failed -eq 0 ]; exit $?; }

command -v gdb-multiarch >/dev/null 2>&1 || { fail "gdb-multiarch is not installed (scripts/setup.sh)"; finish; }
cd "$root" || exit 2
eval "$(make -s print-guest-flags)"
# shellcheck disable=SC2086
$GUEST_CC $GUEST_CFLAGS_GC -O1 $GUEST_SEMIHOST -o "$out/virt_prog.elf" "$src/virt_prog.c" &&
$GUEST_CC $GUEST_CFLAGS_GC -O1 -DSPIN $GUEST_SEMIHOST -o "$out/virt_spin.elf" "$src/virt_prog.c" &&
$GUEST_CC $GUEST_CFLAGS_GC -O1 -Wall -Wextra -fno-jump-tables -nostartfiles -T "$rt/peer.ld" \
    -Wl,--no-warn-rwx-segments -I"$rt" -o "$out/peer_gate.elf" \
    "$rt/crt0.S" "$rt/stdio.c" "$rt/spawn.c" "$src/peer_gate.c" ||
    { fail "the guest programs do not build"; finish; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# debug NAME PEERLESS-ARGS -- GDB-COMMANDS...: start the emulator waiting for
# GDB, run gdb-multiarch in batch mode; GDB's output in $out/NAME.gdb, the
# emulator's in $out/NAME.out and its exit status in $out/NAME.rc.
debug() {
    name=$1; shift
    args=""
    while [ "$1" != -- ]; do args="$args $1"; shift; done
    shift
    port=$(free_port)
    elf=$(echo "$args" | awk '{ print $NF }')
    # shellcheck disable=SC2086
    ( timeout 60 "$emu" run --gdb "$port" --wait-gdb $args </dev/null >"$out/$name.out" 2>&1
      echo $? >"$out/$name.rc" ) &
    emu_pid=$!
    # Wait for the listener (the emulator says so on stderr).
    i=0
    while ! grep -q "waiting for gdb" "$out/$name.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
    set -- -batch -nx -ex 'set pagination off' -ex 'set confirm off' -ex "target remote :$port" "$@"
    timeout 60 gdb-multiarch "$@" "$elf" >"$out/$name.gdb" 2>&1
    wait $emu_pid
}

expect() {   # expect NAME FILE PATTERN (extended regex, one line)
    if grep -Eq -- "$3" "$2"; then pass "$1"; else fail "$1: no /$3/ in $2"; fi
}

# --- the virt machine ---
debug virt "$out/virt_prog.elf" -- \
    -ex 'break leaf' -ex 'hbreak middle' -ex continue -ex 'bt' -ex 'delete 2' -ex continue -ex bt \
    -ex 'info registers pc a0' -ex stepi -ex 'info registers pc' \
    -ex 'p counter' -ex 'watch counter' -ex continue -ex 'delete' \
    -ex 'p $fcsr' -ex 'p $frm' -ex 'p $mstatus' -ex 'p $misa' -ex 'p $priv' -ex 'p scale' -ex 'set $ft0 = 2.5' -ex 'info registers ft0' \
    -ex 'x/2xg &counter' -ex 'set var counter = 0' -ex 'x/1dg &counter' -ex 'set var counter = 1' -ex 'monitor hart' -ex continue
cd "$out" || exit 2
g=$out/virt.gdb
expect "virt: hardware breakpoint (Z1) stops in middle" "$g" '^Breakpoint 2, middle \(x=.*0\)'
expect "virt: software breakpoint (Z0) stops in leaf" "$g" '^Breakpoint 1, leaf \(x=(x@entry=)?1\)'
expect "virt: backtrace leaf <- middle <- main" "$g" '^#2  0x[0-9a-f]+ in main \(\)'
expect "virt: info registers a0 (the argument)" "$g" '^a0 +0x1[[:space:]]+1$'
expect "virt: stepi advances pc" "$g" '^pc +0x80000[0-9a-f]+[[:space:]]+0x[0-9a-f]+ <leaf\+[1-9]'
expect "virt: write watchpoint reports old and new value" "$g" '^New value = 1$'
expect "virt: fcsr readable" "$g" '^\$[0-9]+ = 0$'
expect "virt: misa says rv64 with F, D and C" "$g" '^\$[0-9]+ = -9223372036853485267$|^\$[0-9]+ = -922337203[0-9]+$'
expect "virt: priv register is M (3)" "$g" '^\$[0-9]+ = 3$'
expect "virt: FP register written and read back" "$g" '^ft0 .*raw 0x4004000000000000'
expect "virt: memory read (x/2xg)" "$g" '^0x80[0-9a-f]+ <counter>:	0x0000000000000001	'
expect "virt: memory written by set var reads back" "$g" '^0x80[0-9a-f]+ <counter>:	0$'
expect "virt: monitor hart" "$g" '^hart 0: M mode$'
expect "virt: the guest exits with its own code" "$g" 'exited with code 07'
if [ "$(cat "$out/virt.rc" 2>/dev/null)" = 7 ]; then pass "virt: peerless exits with the guest's code"; else fail "virt: peerless exit status $(cat "$out/virt.rc" 2>/dev/null)"; fi
cd "$root" || exit 2

# --- the virt machine: read and access watchpoints (Z3, Z4) ---
debug virt-rw "$out/virt_prog.elf" -- \
    -ex 'break main' -ex continue -ex 'rwatch scale' -ex 'awatch counter' -ex continue -ex continue -ex continue \
    -ex delete -ex continue
cd "$out" || exit 2
g=$out/virt-rw.gdb
expect "virt: read watchpoint (rwatch) stops after the load" "$g" '^Hardware read watchpoint 2: scale$'
expect "virt: read watchpoint shows the value read" "$g" '^Value = 1.5$'
expect "virt: read watchpoint stops in main" "$g" '^0x[0-9a-f]+ in main \(\) at .*virt_prog.c:2[3-6]$'
if [ "$(grep -c '^Hardware access (read/write) watchpoint 3: counter$' "$g")" -ge 3 ]; then
    pass "virt: access watchpoint (awatch) stops at the read and at the write"
else
    fail "virt: access watchpoint did not stop twice (see $g)"
fi
expect "virt: access watchpoint stops in leaf at the load" "$g" '^Value = 0$'
expect "virt: access watchpoint sees the store" "$g" '^New value = 1$'
expect "virt: the guest runs on to its end" "$g" 'exited with code 07'
cd "$root" || exit 2

# --- the peer machine: read and access watchpoints inside a callee space ---
debug peer-rw --machine peer "$out/peer_gate.elf" -- \
    -ex 'rwatch lib_total' -ex continue -ex delete -ex 'awatch lib_total' -ex continue -ex delete -ex continue
cd "$out" || exit 2
g=$out/peer-rw.gdb
expect "peer: read watchpoint stops in the callee space" "$g" '^0x[0-9a-f]+ in lib_inner \(.*peer_gate.c:13$'
expect "peer: read watchpoint shows the value read" "$g" '^Value = 0$'
expect "peer: access watchpoint sees the callee's store" "$g" '^New value = 40$'
expect "peer: the guest runs on to its end" "$g" 'exited normally'
cd "$root" || exit 2

# --- the peer machine: a gate call ---
debug peer --machine peer "$out/peer_gate.elf" -- \
    -ex 'break lib_inner' -ex continue -ex bt -ex 'monitor spaces' -ex 'monitor regions 2' \
    -ex 'monitor gates' -ex 'monitor spillet' -ex 'monitor help' -ex 'monitor nonsense' -ex continue
cd "$out" || exit 2
g=$out/peer.gdb
expect "peer: breakpoint in the callee space" "$g" '^Breakpoint 1, lib_inner \(x=40\)'
expect "peer: backtrace reaches the gate entry" "$g" '^#1  0x[0-9a-f]+ in lib_entry '
expect "peer: backtrace ends at the return gate" "$g" '^#2  0x00007f0000000000 in \?\? \(\)$'
if grep -q '^#3 ' "$g"; then fail "peer: backtrace goes past the gate frame"; else pass "peer: backtrace stops at the gate frame"; fi
expect "peer: monitor spaces shows the running environment" "$g" '^space 2: .*\[code, data\]$'
expect "peer: monitor regions lists the callee's code grant" "$g" '^  \[0x[0-9a-f]+, 0x[0-9a-f]+\] --X--  grant [0-9]+ from space 1$'
expect "peer: monitor gates" "$g" '^gate 1 at 0x00007f0000000008: into space 2'
expect "peer: monitor spillet shows the gate call frame" "$g" '^  #0 call through gate 0x7f0000000008, returns to pc 0x[0-9a-f]+ in code space 1'
expect "peer: monitor help" "$g" '^monitor spillet: '
expect "peer: unknown monitor command is reported" "$g" "^unknown monitor command 'nonsense'"
expect "peer: the guest exits normally" "$g" 'exited normally'
cd "$root" || exit 2

# --- Ctrl-C, with a raw protocol client ---
port=$(free_port)
( timeout 60 "$emu" run --gdb "$port" "$out/virt_spin.elf" </dev/null >"$out/ctrlc.out" 2>&1; echo $? >"$out/ctrlc.rc" ) &
emu_pid=$!
i=0
while ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), timeout=1).close()" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.05; i=$((i + 1))
done
# That probe was a connection too: the stub saw it come and go, and runs on.
timeout 30 python3 "$src/rsp_client.py" "$port" >"$out/ctrlc.log" 2>&1
while read -r line; do
    case $line in PASS*) pass "ctrl-c: ${line#PASS }" ;; FAIL*) fail "ctrl-c: ${line#FAIL }" ;; esac
done <"$out/ctrlc.log"
grep -q '^PASS' "$out/ctrlc.log" || fail "ctrl-c: the client did not run: $(head -c 300 "$out/ctrlc.log")"
wait $emu_pid
if [ "$(cat "$out/ctrlc.rc" 2>/dev/null)" = 0 ]; then pass "ctrl-c: kill ends peerless"; else fail "ctrl-c: peerless exit status $(cat "$out/ctrlc.rc" 2>/dev/null)"; fi

finish
