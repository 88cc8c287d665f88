#!/bin/sh
# Fetch what `make linux` boots, as Debian packages by name, download only:
# OpenSBI's fw_jump.bin (opensbi), a riscv64 Linux kernel and its modules
# (linux-image-riscv64), and busybox-static for the initramfs.
#
# riscv64 is a Debian architecture from trixie on, while this host may run
# an older suite, so apt runs with a private configuration under OUT/apt
# (scripts/apt-private.sh) whose sources list is [arch=riscv64], suite
# trixie.
#
# usage: scripts/linux/fetch.sh OUTDIR       (OUTDIR: build/linux)
set -eu
out=${1:-build/linux}
suite=${LINUX_SUITE:-trixie}
apt=$out/apt
mkdir -p "$apt" "$out/debs" "$out/root"
who=fetch
. "$(dirname "$0")/../apt-private.sh"
echo "deb [arch=riscv64 signed-by=$keyring] $mirror $suite main" > "$apt/etc/sources.list"
APT_OPTS="$APT_OPTS -o APT::Architecture=riscv64 -o APT::Architectures=riscv64"

echo "fetch: package lists of $suite/riscv64 from $mirror"
# shellcheck disable=SC2086
apt-get $APT_OPTS update >/dev/null

# linux-image-riscv64 is a metapackage: download the versioned image it depends on.
# shellcheck disable=SC2086
image=$(apt-cache $APT_OPTS depends linux-image-riscv64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1)
[ -n "$image" ] || { echo "fetch: linux-image-riscv64 names no kernel package" >&2; exit 1; }
echo "fetch: downloading $image busybox-static opensbi"
# shellcheck disable=SC2086
(cd "$out/debs" && rm -f ./*.deb && apt-get $APT_OPTS download "$image" busybox-static opensbi >/dev/null)

rm -rf "$out/root"
mkdir -p "$out/root"
for deb in "$out"/debs/*.deb; do
    dpkg-deb -x "$deb" "$out/root"
done
echo "$image" | sed 's/^linux-image-//' > "$out/kernel-release"
echo "fetch: unpacked into $out/root (kernel $(cat "$out/kernel-release"))"
