#!/bin/sh
# Fetch the upstream source of a Debian source package and unpack it, for
# code we build for the guest but do not write (lwIP, Argon2).
#
# apt runs with a private configuration under OUT/apt (scripts/apt-private.sh;
# deb-src lines for the host's own suite and for trixie).  apt checks every file it downloads against the signed
# Sources index.  The newest version whose upstream tarball the mirror
# serves wins; its Debian patches are applied when the mirror has them too.
#
# usage: scripts/fetch-source.sh PACKAGE OUTDIR
#   leaves the tree in OUTDIR/PACKAGE (and OUTDIR/PACKAGE.version)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 PACKAGE OUTDIR" >&2; exit 2; }
pkg=$1 out=$2
apt=$out/apt
mkdir -p "$apt" "$out/dl"
# One apt at a time on this state (make -j fetches lwIP and Argon2 at once).
exec 9>"$apt/lock"
flock 9
who=fetch-source
. "$(dirname "$0")/apt-private.sh"
host_suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
: > "$apt/etc/sources.list"
for suite in $host_suite trixie; do
    echo "deb-src [signed-by=$keyring] $mirror $suite main" >> "$apt/etc/sources.list"
done

if [ ! -f "$apt/state/lists/.fetched" ]; then
    echo "fetch-source: source lists from $mirror"
    # shellcheck disable=SC2086
    apt-get $APT_OPTS update >/dev/null
    touch "$apt/state/lists/.fetched"
fi

# shellcheck disable=SC2086
versions=$(apt-cache $APT_OPTS showsrc "$pkg" | sed -n 's/^Version: //p' | sort -u -r -V)
[ -n "$versions" ] || { echo "fetch-source: Debian has no source package '$pkg'" >&2; exit 1; }
for v in $versions; do
    upstream=${v%-*}
    up_file=$(echo "$upstream" | sed 's/^[0-9]*://')
    dl=$out/dl/$pkg-$v
    mkdir -p "$dl"
    # A missing Debian tarball is not fatal: the upstream one is what we build.
    # shellcheck disable=SC2086
    (cd "$dl" && apt-get $APT_OPTS source --download-only "$pkg=$v" >/dev/null 2>&1) || true
    orig=$(ls "$dl/${pkg}_${up_file}.orig.tar."* 2>/dev/null | head -n1 || true)
    [ -n "$orig" ] || { echo "fetch-source: $pkg $v: the mirror does not serve its upstream tarball; trying older"; continue; }
    rm -rf "${out:?}/$pkg" "$out/$pkg.tmp"
    dsc=$(ls "$dl"/*.dsc 2>/dev/null | head -n1 || true)
    if [ -n "$dsc" ] && [ -n "$(ls "$dl"/*.debian.tar.* 2>/dev/null)" ] &&
       dpkg-source --no-check -x "$dsc" "$out/$pkg.tmp" >/dev/null 2>&1; then
        how="with Debian's patches"
    else
        rm -rf "$out/$pkg.tmp"
        mkdir -p "$out/$pkg.tmp"
        tar -xf "$orig" -C "$out/$pkg.tmp" --strip-components=1
        how="upstream tarball"
    fi
    mv "$out/$pkg.tmp" "$out/$pkg"
    echo "$v" > "$out/$pkg.version"
    echo "fetch-source: $pkg $v ($how) in $out/$pkg"
    exit 0
done
echo "fetch-source: no version of '$pkg' could be fetched from $mirror" >&2
exit 1
