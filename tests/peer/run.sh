#!/bin/sh
# Build the peer machine's guest tests (tests/peer/*.c, linked with the
# runtime in lib/peer) into build/peer/ and run each with
# `PEERLESS run --machine peer`: a test passes when it exits with 0.
#
#   tests/peer/run.sh build/peerless
#
# Environment: PEER_TIMEOUT (seconds, default 20), PEER_MAX_INSNS
# (default 100000000), PEER_ONLY (space-separated test names).
# A test whose source has a line with "PEER_DRIVE:" runs with a fresh disk
# image from tests/peer/mkdisk.py as --drive (build/peer/NAME.img); one
# with "PEER_NETDEV:" runs inside a network namespace of its own whose TAP
# interface (10.0.2.2/24 on the host side) is its --netdev: that needs root,
# iproute2 and /dev/net/tun, and is skipped (and counted) without them.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/peer
rt=$root/lib/peer
out=$root/build/peer
timeout_s=${PEER_TIMEOUT:-20}
max_insns=${PEER_MAX_INSNS:-100000000}

[ $# -eq 1 ] || { echo "usage: $0 PEERLESS_BINARY" >&2; exit 2; }
emu=$1
case $emu in /*) ;; *) emu=$(pwd)/$emu ;; esac

cd "$root" || exit 2
eval "$(make -s print-guest-flags)"
mkdir -p "$out"

build() {  # test.c -> elf
    name=$(basename "$1" .c)
    elf=$out/$name.elf
    deps="$1 $src/ptest.h $src/agent.h $src/check_space_code.py $rt/peer_rt.h $rt/crt0.S $rt/stdio.c $rt/spawn.c $rt/peer.ld $root/include/peerless/peer.h $root/include/peerless/virtio.h $root/mk/guest.mk"
    if [ -f "$elf" ]; then
        fresh=1
        for d in $deps; do [ "$d" -nt "$elf" ] && fresh=0; done
        [ $fresh = 1 ] && return 0
    fi
    # shellcheck disable=SC2086
    $GUEST_CC $GUEST_CFLAGS_GC -O2 -Wall -Wextra -Wno-unused-function -fno-jump-tables \
        -nostartfiles -T "$rt/peer.ld" -Wl,--no-warn-rwx-segments \
        -I"$rt" -I"$src" -o "$elf" "$rt/crt0.S" "$rt/stdio.c" "$rt/spawn.c" "$1" &&
        "$src/check_space_code.py" "${GUEST_CC%gcc}objdump" "$elf" || { rm -f "$elf"; return 1; }
}

passed=0 failed=0 skipped=0
netns=peerless-peer-$$
netns_up() {  # -> 0 with the namespace made, or 1 with the reason in $why_no_net
    why_no_net=
    if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null || [ ! -e /dev/net/tun ]; then
        why_no_net="needs root, iproute2 and /dev/net/tun"; return 1
    fi
    # No IPv6 on the TAP: the host would send frames of its own (router
    # solicitations, MLD reports) at times the tests do not choose.
    ip netns add "$netns" &&
        { ip netns exec "$netns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true; } &&
        ip -n "$netns" tuntap add dev ptap0 mode tap &&
        ip -n "$netns" addr add 10.0.2.2/24 dev ptap0 && ip -n "$netns" link set ptap0 up &&
        return 0
    ip netns del "$netns" 2>/dev/null
    why_no_net="cannot make a network namespace with a TAP interface"; return 1
}
for f in "$src"/*.c; do
    name=$(basename "$f" .c)
    if [ -n "${PEER_ONLY:-}" ]; then
        case " $PEER_ONLY " in *" $name "*) ;; *) continue ;; esac
    fi
    if ! build "$f"; then
        echo "FAIL $name: does not build"; failed=$((failed + 1)); continue
    fi
    drive=
    if grep -q 'PEER_DRIVE:' "$f"; then
        python3 "$src/mkdisk.py" "$out/$name.img" || { echo "FAIL $name: no disk image"; failed=$((failed + 1)); continue; }
        drive="--drive $out/$name.img"
    fi
    wrap=
    if grep -q 'PEER_NETDEV:' "$f"; then
        if ! netns_up; then
            echo "SKIP $name: $why_no_net"; skipped=$((skipped + 1)); continue
        fi
        wrap="ip netns exec $netns" drive="$drive --netdev tap,ifname=ptap0"
    fi
    # shellcheck disable=SC2086
    $wrap timeout "$timeout_s" "$emu" run --machine peer $drive --max-insns "$max_insns" "$out/$name.elf" \
        </dev/null >"$out/$name.stdout" 2>"$out/$name.stderr"
    rc=$?
    [ -n "$wrap" ] && ip netns del "$netns"
    if [ $rc -eq 0 ]; then
        echo "PASS $name"; passed=$((passed + 1))
    else
        why="$(grep -m1 '^FAIL' "$out/$name.stdout") $(head -c 300 "$out/$name.stderr")"
        [ $rc -eq 124 ] && why="timeout after ${timeout_s}s; $why"
        echo "FAIL $name: exit $rc: $why (output in $out/$name.stdout)"
        failed=$((failed + 1))
    fi
done
echo "peer: $passed passed, $failed failed$([ $skipped -gt 0 ] && echo ", $skipped skipped")"
[ $failed -eq 0 ]
