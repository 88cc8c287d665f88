#!/bin/sh
# Boot the peer kernel with scripted console input and check what it says.
# Each case is a shell session (stdin is the UART when it is not a tty) and
# the lines its output must contain, in order; the session ends with halt.
#
#   tests/kernel/run.sh build/peerless
#
# Environment: KERNEL_TIMEOUT (seconds per session, default 60).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/kernel/tests
timeout_s=${KERNEL_TIMEOUT:-60}

[ $# -eq 1 ] || { echo "usage: $0 PEERLESS_BINARY" >&2; exit 2; }
emu=$1
case $emu in /*) ;; *) emu=$(pwd)/$emu ;; esac

cd "$root" || exit 2
# The top-level Makefile includes kernel/kernel.mk once the lead wires it in.
if grep -q 'kernel/kernel.mk' Makefile; then mk="-f Makefile"; else mk="-f Makefile -f kernel/kernel.mk"; fi
# shellcheck disable=SC2086
make -s $mk build/kernel/peerless-kernel.elf >/dev/null || { echo "kernel: 0 passed, 1 failed (does not build)"; exit 1; }
kernel=$root/build/kernel/peerless-kernel.elf
mkdir -p "$out"

passed=0 failed=0

# session NAME EXPECTED_EXIT INPUT: runs it, output in $out/NAME.out
session() {
    name=$1 want_rc=$2 input=$3
    printf '%b' "$input" | timeout "$timeout_s" "$emu" run --machine peer "$kernel" >"$out/$name.out" 2>&1
    rc=$?
    if [ $rc -ne "$want_rc" ]; then
        echo "FAIL $name: exit $rc, expected $want_rc (output in $out/$name.out)"
        failed=$((failed + 1))
        return 1
    fi
    return 0
}

# expect NAME LINE...: every LINE (a fixed string) occurs, in this order.
expect() {
    name=$1
    shift
    if python3 - "$out/$name.out" "$@" <<'PY'
import sys
text = open(sys.argv[1], errors="replace").read()
pos = 0
for want in sys.argv[2:]:
    i = text.find(want, pos)
    if i < 0:
        print("  missing (after offset %d): %r" % (pos, want))
        sys.exit(1)
    pos = i + len(want)
PY
    then
        echo "PASS $name"; passed=$((passed + 1))
    else
        echo "FAIL $name (output in $out/$name.out)"; failed=$((failed + 1))
    fi
}

# refuse NAME LINE: LINE must not occur.
refuse() {
    if grep -qF -- "$2" "$out/$1.out"; then
        echo "FAIL $1: unexpected: $2"; failed=$((failed + 1))
    else
        echo "PASS $1 (no '$2')"; passed=$((passed + 1))
    fi
}

# Boot: every space made, its rights checked against boot's table.
session boot 0 'halt\n' &&
expect boot 'boot: mem, sched and console are up' \
    'boot: rights of 6 spaces checked against the table: least authority holds' \
    'boot: done; the root space goes quiet' 'peer> ' 'shell: halting'

# The shell's built-ins.
session builtins 0 'help\necho hello,   world\nls\ngates\nspaces\nbogus\nhalt\n' &&
expect builtins 'built-in commands:' 'spaces ' 'programs and demos' 'hello ' 'crash ' \
    'peer> echo hello,   world' 'hello,   world' \
    'hello ' ' program' 'motd ' ' file' \
    'console    gate 0x7f' 'proc       gate 0x7f' \
    '  1 root ' '  2 mem       text:RX data:RWP ram:RWXP' '  3 sched     text:RX data:RWP threadctl:RW timer:RW' \
    '  4 console   text:RX data:RWP uart:RW sched:G' '  5 dir       text:RX data:RWP' \
    '  6 proc      text:RX data:RWP spacectl:RW image:R' \
    '  7 shell     text:RX data:RWP finisher:W console:G dir:G proc:G sched:G' \
    'shell: bogus: no such command or program'

# Ordinary C programs: printf, malloc, arguments, exit status, fopen.
session programs 0 'hello one two\nhello fail\ncat motd nosuch\nhalt\n' &&
expect programs 'hello from an ordinary C program: 2 arguments' 'argv[1] = one' 'argv[2] = two' \
    "malloc'd 100000 bytes" 'sum 12000000' \
    'argv[1] = fail' 'shell: pid 2 exited with status 3' \
    'Welcome to the peer kernel' 'cat: nosuch: no such file' 'shell: pid 3 exited with status 1'

# A program that faults is ended by proc; the shell and the kernel go on,
# and the program's space is gone afterwards.
session crash 0 'crash\necho still here\nspaces\nhello\nhalt\n' &&
expect crash 'crash: storing to 0x80000000' \
    'proc: crash (pid 1) faulted: cause 34 at pc 0x8420' 'address 0x80000000, missing 0x2' \
    'shell: pid 1 ended by fault 34' 'still here' '  7 shell ' 'hello from an ordinary C program' &&
refuse crash 'crash: still alive'
# Between `spaces` and the next command, no program's space is listed.
if [ -f "$out/crash.out" ] && sed -n '/peer> spaces/,/peer> hello/p' "$out/crash.out" | grep -q '(program)'; then
    echo "FAIL crash: the dead program's space is still listed"; failed=$((failed + 1))
else
    echo "PASS crash (its space is gone)"; passed=$((passed + 1))
fi

# Pre-emption: a program that never yields runs in the background while
# the shell keeps answering; kill ends it and its slot can be used again.
session preempt 0 'spin 2 &\nps\nspaces\necho the shell still runs\nkill 1\nps\nspin 1\nhalt\n' &&
expect preempt '[1]' '    1 ' ' running spin' 'spin      slot:RWXP 84400000+2M dir:G (program)' \
    'the shell still runs' 'peer> kill 1' 'dead    spin' \
    'spin: ' ' loops in 10' 'shell: halting'

# A program that calls the console with buffers it did not pass: each call
# is refused, and the console goes on working for the program and the shell.
session badcall 0 'badcall\necho after\nhalt\n' &&
expect badcall 'badcall: unpassed writes -> -20, -20 (status 0)' 'badcall: the console still works' \
    'peer> echo after' 'after'

# halt passes its status to the test finisher.
session halt 3 'halt 3\n' && expect halt 'shell: halting'

echo "kernel: $passed passed, $failed failed"
[ $failed -eq 0 ]
