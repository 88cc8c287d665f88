#!/bin/sh
# Fetch what `make linux` boots, as Debian packages by name, download only:
# OpenSBI's fw_jump.bin (opensbi), a riscv64 Linux kernel and its modules
# (linux-image-riscv64), and busybox-static for the initramfs.
#
# riscv64 is a Debian architecture from trixie on, while this host may run
# an older suite, so apt runs with a private configuration under OUT/apt:
# its own sources list ([arch=riscv64], suite trixie), state, lists and
# cache, and an empty dpkg status.  The host's packages and its dpkg
# architectures are untouched, and no root is needed.  The mirror is the
# one the host's apt already uses, read from its configuration.
#
# usage: scripts/linux/fetch.sh OUTDIR       (OUTDIR: build/linux)
set -eu
out=${1:-build/linux}
suite=${LINUX_SUITE:-trixie}
apt=$out/apt
mkdir -p "$apt/etc/preferences.d" "$apt/etc/sources.list.d" "$apt/state/lists/partial" \
         "$apt/cache/archives/partial" "$out/debs" "$out/root"
apt_abs=$(cd "$apt" && pwd)

# The host's Debian mirror: the URI of its main archive (not -security).
mirror=$(apt-get indextargets --format '$(ORIGIN) $(REPO_URI)' 2>/dev/null |
         awk '$1 == "Debian" && $2 !~ /security/ { print $2; exit }')
if [ -z "$mirror" ]; then
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1)
fi
[ -n "$mirror" ] || { echo "fetch: cannot find a Debian mirror in this machine's apt configuration" >&2; exit 1; }

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [arch=riscv64 signed-by=$keyring] $mirror $suite main" > "$apt/etc/sources.list"
: > "$apt/state/status"

# Every option that would otherwise point at the host's apt state.
APT_OPTS="-q -o Dir::Etc::SourceList=$apt_abs/etc/sources.list
 -o Dir::Etc::SourceParts=$apt_abs/etc/sources.list.d
 -o Dir::Etc::Preferences=$apt_abs/etc/preferences
 -o Dir::Etc::PreferencesParts=$apt_abs/etc/preferences.d
 -o Dir::State=$apt_abs/state -o Dir::State::Lists=$apt_abs/state/lists
 -o Dir::State::status=$apt_abs/state/status
 -o Dir::Cache=$apt_abs/cache -o Dir::Cache::Archives=$apt_abs/cache/archives
 -o APT::Architecture=riscv64 -o APT::Architectures=riscv64
 -o Debug::NoLocking=true -o APT::Sandbox::User=root"

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
