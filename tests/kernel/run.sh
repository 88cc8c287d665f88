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
# ($session_args: more options for peerless, e.g. --drive)
session_args=
session() {
    name=$1 want_rc=$2 input=$3
    # shellcheck disable=SC2086
    printf '%b' "$input" | timeout "$timeout_s" "$emu" run --machine peer $session_args "$kernel" >"$out/$name.out" 2>&1
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
    'boot: rights of 7 spaces checked against the table: least authority holds' \
    'boot: done; the root space goes quiet' 'peer> ' 'shell: halting'

# The shell's built-ins.
session builtins 0 'help\necho hello,   world\nls\ngates\nspaces\nbogus\nhalt\n' &&
expect builtins 'built-in commands:' 'spaces ' 'programs and demos' 'hello ' 'crash ' \
    'peer> echo hello,   world' 'hello,   world' \
    'hello ' ' program' 'motd ' ' file' \
    'console    gate 0x7f' 'proc       gate 0x7f' 'sec        gate 0x7f' \
    '  1 root ' '  2 mem       text:RX data:RWP ram:RWXP' '  3 sched     text:RX data:RWP threadctl:RW timer:RW' \
    '  4 console   text:RX data:RWP uart:RW sched:G' '  5 dir       text:RX data:RWP' \
    '  6 proc      text:RX data:RWP spacectl:RW image:R' \
    '  7 shell     text:RX data:RWP finisher:W console:G dir:G proc:G sched:G' \
    '  8 sec       text:RX data:RWP rng:R console:G sched:G' \
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
# the shell keeps answering; kill ends it (announced, and reaped: ps no
# longer lists it) and its slot can be used again.
session preempt 0 'spin 2 &\nps\nspaces\necho the shell still runs\nkill 1\nps\nspin 1\nhalt\n' &&
expect preempt '[1]' '    1 ' ' running spin' 'spin      slot:RWXP 84400000+2M dir:G (program)' \
    'the shell still runs' 'peer> kill 1' '[1] done: status -9' \
    'spin: ' ' loops in 10' 'shell: halting' &&
refuse preempt 'dead    spin'

# The virtual clock makes a boot repeatable: twice the same instructions
# and interrupts (with the host's clock, the count of timer ticks varies).
counts() { grep -a '^instructions:\|^gate calls' "$out/$1.out" | tr '\n' ' '; }
session_args="--icount 1000 --stats"
session icount1 0 'echo the same run\nhalt\n' && session icount2 0 'echo the same run\nhalt\n' &&
if [ -n "$(counts icount1)" ] && [ "$(counts icount1)" = "$(counts icount2)" ]; then
    echo "PASS icount (two boots: $(counts icount1))"; passed=$((passed + 1))
else
    echo "FAIL icount: two boots differ: '$(counts icount1)' and '$(counts icount2)'"; failed=$((failed + 1))
fi
session_args=

# A program's slot is reused only once its thread has ended.  The timer is
# made to strike at the same instructions every run (--icount), every few
# hundred thousand of them; across runs at 21 tick rates, it strikes every
# point of a program's way out.  Each round: a short program in the
# background, then two `spin -s 2`, each filling 48 KiB of its stack and
# checking it is unchanged after two ticks of pre-emption.  (A thread
# pre-empted on its way out used to resume later on the stack of the next
# program loaded into its slot: a fetch from address 0, a stalled system.)
race_input="$(for i in $(seq 15); do printf 'kpong &\\nspin -s 2\\nspin -s 2\\n'; done)halt\n"
race_bad=
for ic in $(seq 100 25 600); do
    session_args="--icount $ic"
    session "exitrace-$ic" 0 "$race_input" || { race_bad="$race_bad $ic"; continue; }
    if [ "$(grep -c 'spin: stack kept over 2 ticks' "$out/exitrace-$ic.out")" -ne 30 ] ||
       grep -q 'still runs' "$out/exitrace-$ic.out"; then
        echo "FAIL exitrace-$ic: a stack changed or a slot was not reclaimed (output in $out/exitrace-$ic.out)"
        failed=$((failed + 1)) race_bad="$race_bad $ic"
    else
        rm -f "$out/exitrace-$ic.out"
    fi
done
session_args=
[ -z "$race_bad" ] && { echo "PASS exitrace (21 tick rates x 30 program exits: no stack shared)"; passed=$((passed + 1)); }

# Programs started with & are announced when they end and reaped: forty of
# them, more than proc's table holds (32), each with another in between.
session jobs 0 "$(for i in $(seq 40); do printf 'kpong &\\nspin -s 1\\n'; done)ps\nhalt\n" &&
refuse jobs 'cannot start' &&
if [ "$(grep -c '^\[[0-9]*\] done: status 0$' "$out/jobs.out")" -eq 40 ] &&
   [ "$(grep -c 'spin: stack kept over 1 ticks' "$out/jobs.out")" -eq 40 ]; then
    echo "PASS jobs (40 background programs announced done and reaped)"; passed=$((passed + 1))
else
    echo "FAIL jobs: not every background program was announced done (output in $out/jobs.out)"; failed=$((failed + 1))
fi

# A program that calls the console with buffers it did not pass: each call
# is refused, and the console goes on working for the program and the shell.
session badcall 0 'badcall\necho after\nhalt\n' &&
expect badcall 'badcall: unpassed writes -> -20, -20 (status 0)' 'badcall: the console still works' \
    'peer> echo after' 'after'

# The paranoid library: a buffer lent for one call, a callback with a stack
# walk of program / library (opaque) / program hunks; every probe of the
# other side's data must fault, with its fault record.
session paranoid 0 'paranoid\nps\nhalt\n' &&
expect paranoid 'plib: library loaded in space 10 for space 9' \
    'plib: (space 10) called with a 23-byte buffer, rights 0x3 over it for this call' \
    'paranoid: called back by the library' 'stack walk, 2 gate frames:' \
    'frame 0: call from plib (space 10) into paranoid (space 9)' \
    'frame 1: call from paranoid (space 9) into plib (space 10)' \
    ': paranoid (this callback)' ': plib: opaque' ': paranoid (main)' \
    "paranoid: probe of the library's hunk at 0x" 'faulted: cause 33 (load)' 'missing 0x1, data space 9' \
    "paranoid: probe of our own main's hunk (above the library's) at 0x" 'faulted: cause 33 (load)' \
    'the buffer now reads "HELLO, PARANOID LIBRARY"' \
    "paranoid: the library's peek at our private word was unwound: status 33 (load)" \
    "paranoid: the library's reuse of the buffer after the call was unwound: status 33 (load)" \
    "paranoid: probe of the library's private data at 0x" 'faulted: cause 33 (load)' \
    "paranoid: neither side could touch the other's data" \
    'peer> ps' '  PID SPACE THREAD STATE   NAME' 'peer> halt' &&
refuse paranoid 'did NOT fault' && refuse paranoid 'proc: paranoid (pid 1) faulted' &&
refuse paranoid 'serving plib'

# A shared library: one instance, its code on each caller's data space;
# run for shared2, it cannot touch shared's data.
session shared 0 'shared\nhalt\n' &&
expect shared 'shared: shlib is space 10' \
    'shared: (space 9) after 2 calls: sum 30; the library ran on data space 9 (ours), code space 10 (the library'"'"'s)' \
    "shared2: shlib is space 10: the same instance as shared's" \
    'shared2: (space 11) after 1 calls: sum 7; the library ran on data space 11 (ours), code space 10' \
    "shared2: asked to update shared's tally at 0x" 'the library was unwound: status 33 (load fault in our data space)' \
    'shared: shared2 ended with 0; our tally is still 2 calls, sum 30'

# Grants: a chain and a cascading revoke, each step's rights as the spaces
# themselves see them.
session grants 0 'grants\nhalt\n' &&
expect grants 'step 0: nobody but A holds the page' "B=- C=- D=-; D's read faults (status 33)" \
    'step 1: A grants B R|W|P' "B=RWP C=- D=-; D's read faults (status 33)" \
    'step 2: B grants C R|P' "B=RWP C=RP D=-; D's read faults (status 33)" \
    'step 3: C grants D R' 'B=RWP C=RP D=R; D reads 0x6772616e74' \
    'step 4: refused: D grants on without P -> -2; C grants W it lacks -> -2; B revokes C'"'"'s grant to D -> -4' \
    'B=RWP C=RP D=R; D reads 0x6772616e74' \
    'step 5: C revokes its grant to D -> 0' "B=RWP C=RP D=-; D's read faults (status 33)" \
    'step 6: C grants D R again' 'B=RWP C=RP D=R; D reads' \
    'step 7: A revokes its grant to B -> 0' "B=- C=- D=-; D's read faults (status 33)" \
    'grants: every step as expected' &&
refuse grants 'EXPECTED'

# The debugger: reads the debuggee through its grant only; steps it one
# instruction of its own code at a time, the library's run being one step;
# the library's hunk in the stack walk is opaque.
session debug 0 'debug\nps\nhalt\n' &&
expect debug 'debuggee: granted pid 1 (space 9) R over' 'debug: pid 2 consented; through its grant: counter ' \
    'debug: stopped it at pc 0x' '(in its space 10)' \
    'debug: reading its code (not granted) at 0x' 'faulted: cause 33, missing 0x1' \
    'debug: reading its stack (not granted) at 0x' 'faulted: cause 33, missing 0x1' \
    'debug: step 1: pc 0x' 'its callback: plib (code, registers, frames) ran inside this one step' \
    'debug: the stack walk it granted us (depth 2):' ') debuggee (callback)' ') space 11: opaque' ') debuggee (main)' \
    "debug: reading the library's hunk at 0x" 'faulted: cause 33, missing 0x1' \
    'debug: saw only what the debuggee granted' 'peer> ps' '  PID SPACE THREAD STATE   NAME' 'peer> halt' &&
refuse debug 'SUCCEEDED' && refuse debug 'running debuggee'

# A crashing driver: each crash (wild store, loop cut by the watchdog,
# illegal instruction) comes back to the client as a fault status, the
# driver is restarted in a new space and serves again; meanwhile the shell
# answers (the demo runs in the background).
session crashdrv 0 'crashdrv &\nspin 1\necho the shell still serves\nwait 1\nhalt\n' &&
expect crashdrv 'crashdrv: reading 1 from the driver (space ' '): 1004' \
    'crashdrv: asking the driver to write wildly' 'with status 34: store fault (contained)' \
    'crashdrv: driver restarted: space ' 'crashdrv: reading 2 from the driver (space ' '): 1008' \
    'crashdrv: asking the driver to loop forever' \
    'proc: watchdog: a call from crashdrv (pid 1) into drv (pid ' 'ran past its deadline' \
    'with status 32: fetch fault: the watchdog revoked the driver' \
    'crashdrv: driver restarted: space ' 'crashdrv: reading 3 from the driver (space ' '): 1012' \
    'crashdrv: asking the driver to fault' 'with status 3: illegal instruction (contained)' \
    'crashdrv: driver restarted: space ' 'crashdrv: reading 4 from the driver (space ' '): 1016' \
    'crashdrv: our data is intact' 'crashdrv: every crash contained, the driver restarted each time' &&
expect crashdrv 'peer> spin 1' 'spin: ' ' loops in 10' 'peer> echo the shell still serves' 'the shell still serves' &&
refuse crashdrv 'FAILED'

# Many spaces: 100000 alive at once, then destroyed; their kernel memory
# comes back.
session many 0 'many\nhalt\n' &&
expect many 'many: 100000 spaces alive' 'many: created 100000 in ' 'destroyed 100000 in ' \
    'many: kernel memory (mem, charged to us): 2097152 bytes before' '2097152 after' \
    'many: kernel memory per space: ' 'host-side cost per space is not visible' \
    'many: all created and destroyed, their memory returned'

# The kernel benchmark (apps/kbench, tabulated by make bench) at a few
# iterations: every operation runs and passes its own checks.
session kbench 0 'kbench -n 20\nhalt\n' &&
expect kbench 'op loop 20 ' 'op getpid 20 ' 'op write 20 ' 'op gate 20 ' 'op spawn 20 ' \
    'op pingpong 20 ' 'op login 20 ' 'kbench: done' 'shell: halting' &&
refuse kbench 'FAILED'

# The disk (--drive): blk, a driver space whose DMA aperture is its own
# pages, serves windows of the disk (kern.h): dir's "blk" is a read-only view
# of partition 1; partition 2 (type 0xda) belongs to the security service and
# no program reaches it; its bytes on the image do not change.  Without a
# disk there is no blk (the sessions above).
python3 "$root/tests/peer/mkdisk.py" --mbr "$out/disk.img" && session_args="--drive $out/disk.img" &&
part2() { dd if="$out/disk.img" bs=512 skip=72 count=32 2>/dev/null | sha256sum; } &&
before=$(part2) &&
session blk 0 'blkread 5\nspaces\nhalt\n' &&
expect blk 'boot: disk: blk drives it' 'boot: disk windows: fs 64 sectors at 8, sec 32 sectors at 72' \
    'boot: fs: not mounted: no FAT boot sector' \
    'boot: rights of 9 spaces checked against the table: least authority holds' \
    'blkread: the public window has 64 sectors, from disk sector 8' \
    'blkread: sectors 5-6 -> 1024 (status 0): every byte as the image has it' \
    'blkread: without a pass -> -20, buffer untouched' \
    'blkread: past the end -> -20; at the window'"'"'s end -> -20; across it -> -20; buffer untouched' \
    'blkread: the window'"'"'s last two sectors -> 1024: as the image has them' \
    'blkread: write -> -25, flush -> -25 (the public window is read-only)' \
    '  8 blk       text:RX data:RWP disk:RW dma1:RW sched:G' \
    ' 10 sec       text:RX data:RWP rng:R console:G sched:G disk2:G' &&
if [ "$(part2)" = "$before" ]; then echo "PASS blk (partition 2 unchanged)"; passed=$((passed + 1));
else echo "FAIL blk: partition 2 changed"; failed=$((failed + 1)); fi
session_args=
session noblk 1 'blkread\nhalt 1\n' && expect noblk 'blkread: no disk (blk is not in dir)'

# The security service (sec).  Without a disk: Argon2 checked against its
# own test vectors, root with the default password in memory only; a
# login, a wrong password (refused after a delay, the account locked after
# three), adduser refused to anyone but root.  Passwords are not echoed.
session sec 0 'whoami\nlogin root\npeerless\nwhoami\nadduser carol\nTulip-42-garden\nTulip-42-garden\nlogout\nlogin carol\nTulip-42-garden\nwhoami\nadduser dave\nx1\nx1\nlogin carol\nwrong-1\nlogin carol\nwrong-2\nlogin carol\nwrong-3\nlogin carol\nTulip-42-garden\nlogin nobody\nTulip-42-garden\nlogout\nwhoami\nhalt\n' &&
expect sec 'sec: Argon2 against its test vectors (kats/, src/test.c): argon2id ok, argon2i ok, verify 1 ok, verify 2 ok: all match' \
    'sec: no store: created root (uid 0) with the default password' 'accounts in memory only (no disk partition 2)' \
    'peer> whoami' 'whoami: nobody is logged in' \
    'peer> login root' 'password: ' 'login: root logged in (uid 0)' 'peer> whoami' 'root (uid 0)' \
    'peer> adduser carol' 'adduser: carol added (uid 1000)' 'logout: root logged out' \
    'peer> login carol' 'login: carol logged in (uid 1000)' 'carol (uid 1000)' \
    'peer> adduser dave' 'adduser: only root may add users' \
    'peer> login carol' 'login: wrong user name or password' 'peer> login carol' 'login: wrong user name or password' \
    'peer> login carol' 'login: wrong user name or password' \
    'peer> login carol' 'login: carol is locked after repeated failures; try again later' \
    'peer> login nobody' 'login: wrong user name or password' \
    'peer> logout' 'logout: carol logged out' 'peer> whoami' 'whoami: nobody is logged in' &&
refuse sec 'Tulip-42-garden' && refuse sec 'wrong-1' && refuse sec ' peerless'

# Sessions of programs that end without logging out are freed: 18 such
# logins (sec keeps 16 sessions), then the shell's own.
session secleak 0 "$(for i in $(seq 18); do printf 'secprobe --login peerless\\n'; done)login root\npeerless\nwhoami\nhalt\n" &&
expect secleak 'secprobe: login as root -> a session; ending without logout' 'login: root logged in (uid 0)' 'root (uid 0)' &&
if [ "$(grep -c 'secprobe: login as root -> a session' "$out/secleak.out")" -eq 18 ]; then
    echo "PASS secleak (18 program sessions, each freed after its program)"; passed=$((passed + 1))
else
    echo "FAIL secleak: not every program's login got a session (output in $out/secleak.out)"; failed=$((failed + 1))
fi

# The file system: fs, a FAT space on blk's partition-1 window, on a fresh
# image from scripts/disk/mkfatdisk.sh (mkfs.fat and mtools).  The host's
# files (long names, subdirectories, a file of many clusters) read in the
# guest; the guest's writes read back on the host with mtools, and
# fsck.fat -n finds the volume clean; partition 2 does not change.
# check NAME WHAT COMMAND...: a host-side check, passed if COMMAND succeeds.
check() {
    name=$1 what=$2
    shift 2
    if "$@" >"$out/$name.check" 2>&1; then echo "PASS $name ($what)"; passed=$((passed + 1));
    else echo "FAIL $name: $what (see $out/$name.check)"; failed=$((failed + 1)); fi
}
set -- $(python3 "$root/scripts/disk/mbr.py" --layout)
p1=$1 p1n=$2 p2=$3 p2n=$4
vol() { echo "$out/$1.img@@$((p1 * 512))"; }
fsck_clean() {
    dd if="$out/$1.img" of="$out/$1.part1" bs=512 skip="$p1" count="$p1n" status=none &&
    fsck.fat -n "$out/$1.part1" && rm -f "$out/$1.part1"
}
part2_of() { dd if="$out/$1.img" bs=512 skip="$p2" count="$p2n" status=none | sha256sum; }
fresh_disk() { scripts/disk/mkfatdisk.sh "$out/$1.img" ${2:-} && session_args="--drive $out/$1.img"; }

fresh_disk fs-read && session fs-read 0 'ls /disk\nls /disk/docs\nls /disk/docs/nested\ncat /disk/hello.txt\ncat /disk/This-is-a-long-name.text /disk/docs/nested/deep.txt\ncat /disk/big.txt\ndf\nblkread\nhalt\n' &&
expect fs-read 'boot: fs: FAT32, ' 'mounted' 'boot: rights of 9 spaces checked' \
    'peer> ls /disk' '53  hello.txt' '68  A long file name for the peer kernel.txt' \
    '28  This-is-a-long-name.text' '<dir>  docs/' '21600  big.txt' '5 entries' \
    'peer> ls /disk/docs' '<dir>  nested/' '25  readme.md' '2 entries' \
    'peer> ls /disk/docs/nested' '16  deep.txt' '1 entries' \
    'Hello from the host: this file was written by mcopy.' 'no spaces in this long name' 'two levels down' \
    'line 00000 of the big file' 'line 00400 of the big file' 'line 00799 of the big file' \
    '/disk: FAT32, ' "blkread: sector 0 is a FAT32 boot sector: OEM 'mkfs.fat', label 'PEERLESS   '" \
    'blkread: past the end -> -20, write -> -25 (the public window is read-only)'

# (a first boot lets sec write its store on the blank partition 2; then
# the fs's writes must leave partition 2 alone)
fresh_disk fs-write && session fs-write-sec 0 'halt\n' && before=$(part2_of fs-write) &&
session fs-write 0 'echo written by the guest > /disk/guest.txt\necho a second line >> /disk/guest.txt\nmkdir /disk/Guest Directory\necho deep inside > /disk/Guest Directory/A rather long file name, made by the guest.txt\nrm /disk/hello.txt\nmv /disk/big.txt /disk/renamed big file.txt\nrm /disk/docs\nrmdir /disk/docs\nrmdir /disk/docs/nested/deep.txt\nrm /disk/no-such-file\necho x > /etc/passwd\nls /disk\nhalt\n' &&
expect fs-write 'rm: /disk/docs: is a directory' 'rmdir: /disk/docs: directory not empty' \
    'rmdir: /disk/docs/nested/deep.txt: not a directory' 'rm: /disk/no-such-file: no such file or directory' \
    'echo: /etc/passwd: only files under /disk can be changed or listed here' \
    '35  guest.txt' '<dir>  Guest Directory/' '21600  renamed big file.txt' &&
refuse fs-write '  hello.txt' &&
check fs-write "mtype reads the guest's file" sh -c "mtype -i $(vol fs-write) ::/guest.txt | tr -d '\r' | diff - '$root/tests/kernel/fs-guest.txt'" &&
check fs-write "mtype reads the guest's long name in its directory" sh -c "mtype -i $(vol fs-write) '::/Guest Directory/A rather long file name, made by the guest.txt' | grep -qx 'deep inside'" &&
check fs-write "mdir: the removed file is gone, the renamed one there" sh -c "! mdir -i $(vol fs-write) ::/hello.txt && mdir -i $(vol fs-write) '::/renamed big file.txt'" &&
check fs-write "fsck.fat -n finds the volume clean" fsck_clean fs-write &&
check fs-write "partition 2 unchanged" test "$(part2_of fs-write)" = "$before"

fresh_disk fs-prog && session fs-prog 0 'fileio\nfileio /disk/docs/nested/fileio\nls /disk/docs/nested\nhalt\n' &&
expect fs-prog 'fileio: fgets reads back all 300 lines: ok' 'fileio: every file call as expected' \
    'fileio: every file call as expected' 'peer> ls /disk/docs/nested' '1 entries' &&
refuse fs-prog 'WRONG' && check fs-prog "fsck.fat -n finds the volume clean" fsck_clean fs-prog

# Two programs on the disk at once (fs's and blk's turns, completion
# wake-ups for whichever thread waits): both finish, the volume is clean.
fresh_disk fs-two && session fs-two 0 'fileio /disk/background &\nfsbench -n 1\nwait 1\nhalt\n' &&
expect fs-two '[1]' 'op fswrite 1 ' 'op fsread 1 ' 'fsbench: done' &&
expect fs-two 'fileio: every file call as expected' &&
refuse fs-two 'WRONG' && refuse fs-two 'FAILED' && check fs-two "fsck.fat -n finds the volume clean" fsck_clean fs-two

fresh_disk fs16 16 && session fs16 0 'ls /disk/docs\nfileio\necho on FAT16 > /disk/docs/sixteen.txt\nhalt\n' &&
expect fs16 'boot: fs: FAT16, ' '25  readme.md' 'fileio: every file call as expected' &&
check fs16 "mtype reads the guest's file" sh -c "mtype -i $(vol fs16) ::/docs/sixteen.txt | grep -qx 'on FAT16'" &&
check fs16 "fsck.fat -n finds the volume clean" fsck_clean fs16
# Crash safety: the machine stops (--max-insns) at points spread over a
# run of fileio (creating, writing, appending, truncating, renaming,
# deleting); each time the volume may hold only what kernel/fs/fs.c says a
# crash leaves, all of which fsck.fat repairs, and the host's files read
# back unchanged after the repair.
crash_ok=0 crash_bad=0
for cut in 900000 1300000 1700000 2100000 2500000 2900000 3300000 3700000; do
    fresh_disk fs-crash || break
    # shellcheck disable=SC2086
    printf 'fileio\nhalt\n' | timeout "$timeout_s" "$emu" run --machine peer --max-insns $cut $session_args \
        "$kernel" >"$out/fs-crash-$cut.out" 2>&1
    dd if="$out/fs-crash.img" of="$out/fs-crash.part1" bs=512 skip="$p1" count="$p1n" status=none
    if python3 tests/kernel/fsck_after_crash.py "$out/fs-crash.part1" \
        '::/hello.txt=Hello from the host: this file was written by mcopy.\n' \
        '::/docs/nested/deep.txt=two levels down\n' >"$out/fs-crash-$cut.check" 2>&1; then
        crash_ok=$((crash_ok + 1))
    else
        crash_bad=$((crash_bad + 1)); echo "  fs-crash at $cut instructions: $(cat "$out/fs-crash-$cut.check")"
    fi
done
rm -f "$out/fs-crash.part1"
if [ $crash_bad -eq 0 ] && [ $crash_ok -eq 8 ]; then echo "PASS fs-crash (8 cut points: only repairable damage)"; passed=$((passed + 1));
else echo "FAIL fs-crash ($crash_bad of 8 cut points left other damage)"; failed=$((failed + 1)); fi

# Fault isolation (issue 6, item 5): blk misbehaves on request (the shell's
# `inject`, the only holder of proc's DRV_INJECT gate for it) — a wild
# store at the shell's canary page, an endless loop, an illegal
# instruction, a DMA transfer aimed at the canary (outside its aperture).
# Each time the request fails or is cut by proc's watchdog, proc restarts
# blk in a fresh space, fs retries, and the file operation succeeds (a loop
# on a program's request, blkread's on the public window, is cut too); the
# canary and partition 2 do not change, the volume stays clean and a
# program spinning meanwhile finishes its run.
fresh_disk fs-isolate && session fs-isolate-sec 0 'halt\n' && before=$(part2_of fs-isolate) &&
session fs-isolate 0 'spin 6 &\ninject blk wild\ncat /disk/hello.txt\ninject blk loop\ncat /disk/docs/readme.md\ninject blk fault\necho after a fault > /disk/fault.txt\ninject blk dma\ncat /disk/This-is-a-long-name.text\necho after dma >> /disk/fault.txt\ninject blk loop\nblkread\ncat /disk/docs/nested/deep.txt\ncanary\nps\ndf\nspaces\nwait 1\nhalt\n' &&
expect fs-isolate '[1]' 'inject: blk will store to our canary page on its next request' \
    "proc: driver blk: a client's call failed; restarting it" 'proc: driver blk restarted in space ' '(generation 1)' \
    'Hello from the host: this file was written by mcopy.' \
    'inject: blk will loop forever on its next request' \
    'proc: driver blk: watchdog: a call ran past its deadline; restarting it' '(generation 2)' \
    'readme in a subdirectory' \
    'inject: blk will run an illegal instruction on its next request' \
    "proc: driver blk: a client's call failed; restarting it" '(generation 3)' \
    "inject: blk will point the disk's DMA at our canary page on its next request" \
    "proc: driver blk: a client's call failed; restarting it" \
    'proc: driver blk: its DMA device has had 1 transfers stopped by the aperture' '(generation 4)' \
    'no spaces in this long name' \
    'peer> blkread' 'proc: driver blk: watchdog: a call ran past its deadline; restarting it' \
    'blkread: the read was unwound (status 32): blk stopped' 'two levels down' \
    'canary: 0 of 512 words changed at 0x' 'intact' \
    '; 5 driver restarts asked' 'blk       text:RX data:RWP dev0:RW dev1:RW sched:G (restarted 5)' \
    'shell: halting' &&
expect fs-isolate 'peer> spin 6 &' 'spin: ' ' loops in 600 ticks' && refuse fs-isolate 'pid 1 ' &&
refuse fs-isolate 'CORRUPTED' && refuse fs-isolate 'did not finish' && refuse fs-isolate 'I/O error' &&
check fs-isolate "the file written between the faults reads back" sh -c "mtype -i $(vol fs-isolate) ::/fault.txt | tr -d '\r' | diff - '$root/tests/kernel/fs-isolate.txt'" &&
check fs-isolate "fsck.fat -n finds the volume clean" fsck_clean fs-isolate &&
check fs-isolate "partition 2 unchanged" test "$(part2_of fs-isolate)" = "$before"
session_args=

# The network (--netdev): net and ip, reached from the host by ping, nc
# and curl inside a network namespace (tests/kernel/net_test.py; root only,
# its checks are counted as skipped otherwise).  Without a network the
# servers say so.
session nonet 1 'echod\nifconfig\ninject net wild\nhalt 1\n' &&
expect nonet 'echod: cannot listen on port 7 (-22): no network' 'ifconfig: no network' 'inject: no network'
python3 "$root/tests/kernel/net_test.py" "$emu" "$kernel" >"$out/net.out" 2>&1
grep -E '^(PASS|FAIL|SKIP)' "$out/net.out"
net_counts=$(sed -n 's/^net: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$out/net.out")
net_skipped=$(sed -n 's/^net: .* \([0-9]*\) skipped$/\1/p' "$out/net.out")
if [ -n "$net_counts" ]; then
    passed=$((passed + ${net_counts% *})) failed=$((failed + ${net_counts#* }))
else
    echo "FAIL net: net_test.py did not finish (output in $out/net.out)"; failed=$((failed + 1))
fi

# With a disk whose partition 2 is blank: the first boot creates root and
# stores the accounts there; adduser and passwd update the store; a second
# boot on the same image loads them (the old password no longer works).
# Then the newest copy is damaged on the host: the next boot falls back to
# the copy before it (its header's generation and sums say which is valid).
img=$out/secdisk.img
fresh_disk secdisk &&
session secdisk 0 'login root\npeerless\nadduser alice\nTulip-42-garden\nTulip-42-garden\nlogin alice\nTulip-42-garden\npasswd\nTulip-42-garden\nOrchid-7-meadow\nOrchid-7-meadow\nwhoami\nhalt\n' &&
expect secdisk "boot: disk windows: fs $p1n sectors at $p1, sec $p2n sectors at $p2" \
    'sec: first boot: created root (uid 0) with the default password' "accounts in the disk's partition 2" \
    'login: root logged in (uid 0)' 'adduser: alice added (uid 1000)' 'login: alice logged in (uid 1000)' \
    'passwd: password changed for alice' 'alice (uid 1000)' &&
session secdisk2 0 'login alice\nTulip-42-garden\nlogin alice\nOrchid-7-meadow\nwhoami\nhalt\n' &&
expect secdisk2 "sec: 2 accounts loaded from the disk's partition 2 (copy 0, generation 3)" \
    'peer> login alice' 'login: wrong user name or password' 'peer> login alice' 'login: alice logged in (uid 1000)' \
    'alice (uid 1000)'
# On the host: the hashes are on partition 2, the passwords nowhere on the disk.
if grep -aq 'alice:1000:\$argon2id\$v=19\$m=1024,t=3,p=1\$' "$img" && grep -aq 'root:0:\$argon2id\$v=19\$' "$img" &&
   ! grep -aq -e 'Tulip-42-garden' -e 'Orchid-7-meadow' -e 'peerless' "$img"; then
    echo "PASS secdisk (the image holds the hashes, no password)"; passed=$((passed + 1))
else
    echo "FAIL secdisk: the image lacks the hashes or holds a password"; failed=$((failed + 1))
fi
printf 'X' | dd of="$img" bs=1 seek=$(((p2 + 2) * 512 + 3)) conv=notrunc 2>/dev/null &&
session secdisk3 0 'login alice\nTulip-42-garden\nhalt\n' &&
expect secdisk3 "sec: 2 accounts loaded from the disk's partition 2 (copy 1, generation 2)" \
    'login: alice logged in (uid 1000)'
# blk faults under sec's store update (passwd): sec reports the failed
# request to proc (its DRV_RESTART gate), blk restarts, the write is tried
# again on the new window and the change is on the disk at the next boot.
session secdisk4 0 'login alice\nTulip-42-garden\ninject blk fault\npasswd\nTulip-42-garden\nLily-3-pond\nLily-3-pond\nhalt\n' &&
expect secdisk4 'login: alice logged in (uid 1000)' 'inject: blk will run an illegal instruction on its next request' \
    "proc: driver blk: a client's call failed; restarting it" 'proc: driver blk restarted in space ' \
    'passwd: password changed for alice' &&
session secdisk5 0 'login alice\nLily-3-pond\nhalt\n' &&
expect secdisk5 'login: alice logged in (uid 1000)'

# From an ordinary program: sec refuses sessionless operations, the program
# may call no gate dir did not give it (not blk's window on partition 2),
# the public disk window stops before partition 2, and loads from sec's
# code, data (the accounts) and Argon2 arena fault.
syms=$(riscv64-unknown-elf-nm "$kernel" | awk '$3 == "__sec_text_start" || $3 == "__sec_data_start" || $3 == "arena" { printf " 0x%s", $1 }')
session secprobe 0 "secprobe$syms\nhalt\n" &&
expect secprobe 'secprobe: login as root with a wrong password -> -25, after at least half a second' \
    "secprobe: adduser, whoami on sec's gate, without a session -> -25, -25" \
    'secprobe: may call 6 of the first 4096 gates, each one from dir' \
    "secprobe: the public disk window is sectors $p1-$((p1 + p1n - 1)); the next one (toward partition 2) -> -20" \
    'secprobe: load from 0x' '-> fault (cause 33)' 'secprobe: load from 0x' '-> fault (cause 33)' \
    'secprobe: load from 0x' '-> fault (cause 33)' 'secprobe: every probe refused'
session_args=

# After a login, no password is left anywhere in RAM (not in the console's
# ring, the shell, blk or the fs; sec wipes its copies and the machine its
# hunk), while the hashes are in sec's table and an ordinary line typed at
# the shell is still found (so the search would see a password left
# behind).  The session stays up; GDB dumps all of RAM from the stub.
ramcheck() {
    fresh_disk secram || return 1
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'login root\npeerless\nadduser alice\nTulip-42-garden\nTulip-42-garden\nlogin alice\nTulip-42-garden\necho Sunflower-9-field\nwhoami\n' |
        "$emu" run --machine peer --gdb "$port" --drive "$out/secram.img" "$kernel" >"$out/secram.out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q 'alice (uid 1000)' "$out/secram.out" && break; sleep 0.2; done
    timeout 120 gdb-multiarch -batch -nx -ex 'set architecture riscv:rv64' -ex "target remote 127.0.0.1:$port" \
        -ex "dump binary memory $out/secram.bin 0x80000000 0x88000000" >"$out/secram.gdb" 2>&1
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    [ -s "$out/secram.bin" ] && grep -q 'alice (uid 1000)' "$out/secram.out" &&
        grep -aq 'alice:1000:\$argon2id\$v=19\$' "$out/secram.bin" && grep -aq 'Sunflower-9-field' "$out/secram.bin" &&
        ! grep -aq 'Tulip-42-garden' "$out/secram.bin"
}
if ! command -v gdb-multiarch >/dev/null 2>&1; then
    echo "FAIL secram: gdb-multiarch is not installed (scripts/setup.sh)"; failed=$((failed + 1))
elif ramcheck; then
    echo "PASS secram (no password in RAM after a login; the hashes and a typed line are there)"; passed=$((passed + 1))
else
    echo "FAIL secram (output in $out/secram.out, $out/secram.gdb)"; failed=$((failed + 1))
fi
rm -f "$out/secram.bin"
session_args=

# halt passes its status to the test finisher.
session halt 3 'halt 3\n' && expect halt 'shell: halting'

echo "kernel: $passed passed, $failed failed$([ "${net_skipped:-0}" -gt 0 ] && echo ", $net_skipped skipped (net: needs root and a network namespace)")"
[ $failed -eq 0 ]
