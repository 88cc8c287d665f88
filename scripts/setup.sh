#!/bin/sh
# Install what Peerless needs to build and test, from Debian's packages.
# Both `make run` and `make test` call this first; it does nothing when all
# is present.  Off Debian (or without root), it says what to install.
set -e

# command  package
need="
cc gcc
make make
python3 python3
riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf
riscv64-unknown-elf-objdump binutils-riscv64-unknown-elf
qemu-system-riscv64 qemu-system-misc
csmith csmith
gdb-multiarch gdb-multiarch
dpkg-source dpkg-dev
cpio cpio
mke2fs e2fsprogs
debugfs e2fsprogs
ip iproute2
mkfs.fat dosfstools
mcopy mtools
xz xz-utils
curl curl
nc netcat-openbsd
ping iputils-ping
script bsdutils
dnsmasq dnsmasq-base
"
missing=""
echo "$need" | while read -r cmd pkg; do
    [ -n "$cmd" ] || continue
    command -v "$cmd" >/dev/null 2>&1 || echo "$pkg"
done > /tmp/peerless-missing.$$
# Packages without a command to look for.
[ -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs ] || echo picolibc-riscv64-unknown-elf >> /tmp/peerless-missing.$$
[ -f /usr/include/mpfr.h ] || echo libmpfr-dev >> /tmp/peerless-missing.$$
[ -f /usr/include/libfdt.h ] || echo libfdt-dev >> /tmp/peerless-missing.$$
missing=$(sort -u /tmp/peerless-missing.$$ | tr '\n' ' ')
rm -f /tmp/peerless-missing.$$

# The tests read apt's configured mirrors (csmith's sources, Linux's
# packages): apt's lists must exist even when nothing is to be installed.
if [ -z "$(echo $missing)" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
   ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
    apt-get update -q >/dev/null
fi

[ -n "$(echo $missing)" ] || exit 0

if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "setup: installing from Debian: $missing"
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
    exit 0
fi
echo "setup: please install these Debian packages (or your system's equivalents): $missing" >&2
exit 1
