#!/bin/sh
# Benchmarks: build the guest programs in bench/ and time each on Peerless
# and on QEMU, side by side.  The table goes to stdout and, with the machine
# it ran on, to build/bench/results.md.
#
# With PEERLESS, the peer machine too: the same programs built a second time
# for it (with lib/peer's runtime, into build/bench/peer/) run on
# `--machine peer` beside the virt build on `--machine virt`, and the
# micro-benchmarks of bench/peer/micro.c run on it.  Those results go to
# build/bench/peer-results.md.  And the peer kernel: kbench
# (apps/kbench) run from the kernel's shell, tabulated by
# bench/kernel_bench.py into build/bench/kernel-results.md.  And Linux on
# virt, when `make linux` has built build/linux: booted on Peerless and on
# QEMU, lbench (bench/linux/lbench.c) run from its shell, tabulated by
# bench/linux_bench.py into build/bench/linux-results.md (best of
# $LINUX_BENCH_RUNS boots, default 2).  And files: bench/fs_bench.py, the
# peer kernel's fs and blk spaces against Linux's vfat on the same image,
# into build/bench/fs-results.md (best of $FS_BENCH_RUNS, default 2).
# $LINUX_BENCH_RUNS boots, default 2).
# And the network from the host (root only): bench/net_bench.py pings and
# sends TCP into the peer kernel and into Linux on virt, both on Peerless,
# into build/bench/net-results.md (best of $NET_BENCH_RUNS boots, default 1).
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

# The peer machine's builds: lib/peer's start-up code, UART stdout and
# finisher exit instead of picolibc's semihosting crt0.  Each benchmark's
# main runs on a bigger stack (see bench/peer/bigstack.S), so it is
# compiled on its own with main renamed.
PEER_RT="lib/peer/crt0.S lib/peer/stdio.c lib/peer/spawn.c"
PEER_DEPS="$PEER_RT lib/peer/peer_rt.h lib/peer/peer.ld include/peerless/peer.h mk/guest.mk"
peer_link() {  # output, then objects and sources
    out=$1; shift
    # shellcheck disable=SC2086
    $GUEST_CC $GUEST_CFLAGS_GC -O2 -Wall -Wextra -nostartfiles -T lib/peer/peer.ld \
        -Wl,--no-warn-rwx-segments -Ilib/peer -o "$out" $PEER_RT "$@" -lm
}
stale() {  # target, then what it is made from
    t=$1; shift
    [ -f "$t" ] || return 0
    for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done
    return 1
}
if [ -n "$peerless" ]; then
    mkdir -p build/bench/peer
    for b in $BENCHMARKS; do
        elf=build/bench/peer/$b.elf
        # shellcheck disable=SC2086
        if stale "$elf" "bench/$b.c" bench/bench_common.h bench/peer/bigstack.S $PEER_DEPS; then
            echo "building $elf" >&2
            # shellcheck disable=SC2086
            $GUEST_CC $GUEST_CFLAGS_GC -O2 -Wall -Wextra -Dmain=bench_main \
                -c -o "build/bench/peer/$b.o" "bench/$b.c"
            peer_link "$elf" bench/peer/bigstack.S "build/bench/peer/$b.o"
        fi
    done
    # shellcheck disable=SC2086
    if stale build/bench/peer/micro.elf bench/peer/micro.c $PEER_DEPS; then
        echo "building build/bench/peer/micro.elf" >&2
        peer_link build/bench/peer/micro.elf bench/peer/micro.c
    fi
fi

set -- --runs "$runs" --out build/bench/results.md --command "$command_line"
[ -z "$peerless" ] ||
    set -- "$@" --peerless "$peerless" --peer build/bench/peer --peer-out build/bench/peer-vs-virt.md
status=0
# shellcheck disable=SC2086
python3 bench/measure.py "$@" $elfs || status=$?

if [ -n "$peerless" ]; then
    python3 bench/peer_micro.py --peerless "$peerless" --runs "$runs" \
        --out build/bench/peer-micro.md build/bench/peer/micro.elf || status=$?
    # The peer section of docs/PERFORMANCE.md: both parts, then the machine.
    {
        cat build/bench/peer-vs-virt.md
        echo
        cat build/bench/peer-micro.md
        echo
        python3 bench/measure.py --describe --peerless "$peerless" --runs "$runs" \
            --command "$command_line"
    } > build/bench/peer-results.md
    echo "peer results written to build/bench/peer-results.md" >&2

    # The peer kernel's OS operations (kbench from its shell), then the machine.
    make -s build/kernel/peerless-kernel.elf >&2
    kernel_status=0
    python3 bench/kernel_bench.py --peerless "$peerless" --runs "$runs" \
        --out build/bench/kernel-os.md build/kernel/peerless-kernel.elf || kernel_status=$?
    {
        cat build/bench/kernel-os.md
        echo
        python3 bench/measure.py --describe --peerless "$peerless" --runs "$runs" \
            --command "$command_line" | grep -v '^- QEMU:' |
            sed 's/^- Best of .*/- Best of '"$runs"' boots of the kernel per operation (host time)/'
    } > build/bench/kernel-results.md
    [ $kernel_status -eq 0 ] || status=$kernel_status
    echo "kernel results written to build/bench/kernel-results.md" >&2

    # The network from the host (bench/net_bench.py, root only): ping round
    # trips and TCP throughput into the peer kernel, with gate calls per
    # frame, and into Linux on virt beside it when build/linux has images.
    net_status=0
    python3 bench/net_bench.py --peerless "$peerless" --kernel build/kernel/peerless-kernel.elf \
        --linux build/linux --runs "${NET_BENCH_RUNS:-1}" --out build/bench/net-os.md || net_status=$?
    {
        cat build/bench/net-os.md
        echo
        python3 bench/measure.py --describe --peerless "$peerless" --runs "$runs" \
            --command "$command_line" | grep -v '^- QEMU:' | grep -v '^- Best of '
    } > build/bench/net-results.md
    [ $net_status -eq 0 ] || status=$net_status
    echo "network results written to build/bench/net-results.md" >&2
    # Linux on virt, on Peerless and on QEMU: boot, lbench's system calls
    # and switches (bench/linux/lbench.c, in a bench initramfs that is the
    # test one plus /bin/lbench), poweroff.  Best of $LINUX_BENCH_RUNS boots
    # (default 2: a boot on Peerless takes about a minute).
    if [ -f build/linux/kernel-release ] && [ -f build/linux/fw_jump.bin ] && [ -f build/linux/Image ]; then
        mkdir -p build/bench/linux
        lbench=build/bench/linux/lbench
        if stale $lbench bench/linux/lbench.c mk/guest.mk; then
            echo "building $lbench" >&2
            # shellcheck disable=SC2086
            $GUEST_CC $GUEST_ARCH_GC -O2 -Wall -Wextra -static -nostdlib -ffreestanding \
                -fno-builtin -fno-stack-protector -Wl,--no-warn-rwx-segments -o $lbench bench/linux/lbench.c
        fi
        initrd=build/bench/linux/initrd.cpio.gz
        # shellcheck disable=SC2046
        if stale $initrd $lbench scripts/linux/initramfs.py build/linux/kernel-release \
                $(find scripts/linux/rootfs -type f); then
            python3 scripts/linux/initramfs.py --extra $lbench:/bin/lbench build/linux/root \
                "$(cat build/linux/kernel-release)" $initrd >&2
        fi
        linux_status=0
        python3 bench/linux_bench.py --peerless "$peerless" --runs "${LINUX_BENCH_RUNS:-2}" \
            --kernel-results build/bench/kernel-os.md --out build/bench/linux-results.md \
            --command "$command_line" build/linux/fw_jump.bin build/linux/Image $initrd ||
            linux_status=$?
        [ $linux_status -eq 0 ] || status=$linux_status
        echo "Linux results written to build/bench/linux-results.md" >&2
    else
        echo "Linux: skipped, build/linux has no images (\`make linux\` fetches and builds them)" >&2
    fi
fi

# Files: fsbench on the peer kernel (fs and blk spaces) and lbench's
# fswrite/fsread under Linux on virt (on Peerless and QEMU, when build/linux
# is there), on fresh copies of one FAT image (bench/fs_bench.py).
if [ -n "$peerless" ]; then
    fs_status=0
    python3 bench/fs_bench.py --peerless "$peerless" --kernel build/kernel/peerless-kernel.elf \
        --runs "${FS_BENCH_RUNS:-2}" --out build/bench/fs-results.md --command "$command_line" ||
        fs_status=$?
    [ $fs_status -eq 0 ] || status=$fs_status
    echo "file results written to build/bench/fs-results.md" >&2
fi

# Failed results (wrong output, a missed check) do not go into the docs.
if [ "$update_docs" = yes ] && [ $status -eq 0 ]; then
    bench/update-docs.sh build/bench/results.md
    [ -z "$peerless" ] || bench/update-docs.sh --section peer build/bench/peer-results.md
    [ -z "$peerless" ] || bench/update-docs.sh --section kernel build/bench/kernel-results.md
    [ -z "$peerless" ] || [ ! -f build/bench/linux-results.md ] ||
        bench/update-docs.sh --section linux build/bench/linux-results.md
    [ -z "$peerless" ] || [ ! -f build/bench/fs-results.md ] ||
        bench/update-docs.sh --section fs build/bench/fs-results.md
    [ -z "$peerless" ] || [ ! -f build/bench/net-results.md ] ||
        bench/update-docs.sh --section net build/bench/net-results.md
fi
exit $status
