#!/bin/sh
# For `make run`: make (or reuse) the TAP interface peerless0 with the host
# side 10.0.2.2/24, so the host reaches the peer kernel at 10.0.2.15
# (ping, nc, curl), and print the emulator options for it.  Without root or
# iproute2, print nothing and say in one line (on stderr) why there is no
# network.
#
#   build/peerless run --machine peer $(scripts/run-netdev.sh) KERNEL
tap=${PEERLESS_TAP:-peerless0}
why=
if [ "$(id -u)" -ne 0 ]; then
    why="not root"
elif ! command -v ip >/dev/null 2>&1; then
    why="no iproute2 (ip)"
elif [ ! -e /dev/net/tun ]; then
    why="no /dev/net/tun"
elif ! ip link show "$tap" >/dev/null 2>&1 &&
     ! { ip tuntap add dev "$tap" mode tap && ip addr add 10.0.2.2/24 dev "$tap"; } >/dev/null 2>&1; then
    why="cannot make the TAP interface $tap"
elif ! ip link set "$tap" up >/dev/null 2>&1; then
    why="cannot bring $tap up"
fi
if [ -n "$why" ]; then
    echo "make run: booting without a network ($why; as root, $tap with 10.0.2.2/24 is made for it)" >&2
else
    echo "make run: network on $tap: the host is 10.0.2.2, the guest 10.0.2.15 (try echod & or httpd & in the shell)" >&2
    echo "--netdev tap,ifname=$tap"
fi
