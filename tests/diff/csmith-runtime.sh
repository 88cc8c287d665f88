#!/bin/sh
# Prints the directory holding csmith's runtime headers (csmith.h, ...),
# preparing them once under build/diff/csmith-src.
#
# The csmith binary package ships no headers: they come from Debian's csmith
# source package, and three of them (safe_math*.h) are generated with m4.
# The machine's apt has no deb-src lines, so we derive deb and deb-src lines
# from apt's own configured mirrors into a private sources list with private
# state under build/: the system's apt state is never touched, nothing needs
# root, and no host name lives in this tree.  m4, if the machine lacks it, is
# downloaded as a Debian package and unpacked under build/ as well.
set -eu
cd "$(dirname "$0")/../.."
top=$PWD/build/diff/csmith-src
runtime=$top/runtime
if [ -f "$runtime/safe_math.h" ] && [ -f "$runtime/csmith.h" ]; then
    echo "$runtime"; exit 0
fi
fail() { echo "csmith-runtime: $*" >&2; exit 1; }

mkdir -p "$top/lists/partial" "$top/cache/archives/partial" "$top/etc" "$top/dl"
list=$top/etc/sources.list
apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' |
    sort -u | awk 'NF == 3 { print "deb " $1 " " $2 " " $3; print "deb-src " $1 " " $2 " " $3 }' >"$list"
[ -s "$list" ] || fail "apt has no configured repositories"

apt_private() {
    apt-get -o Dir::Etc::SourceList="$list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$top/lists" -o Dir::Cache="$top/cache" \
        -o Dir::State::status=/var/lib/dpkg/status \
        -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)" -q "$@"
}
apt_private update >"$top/update.log" 2>&1 || fail "apt-get update failed, see $top/update.log"

# Full source unpack when the mirror has every piece; only the upstream
# tarball matters to us (the runtime headers), so fall back to it alone.
(cd "$top/dl" && apt_private source csmith) >"$top/source.log" 2>&1 || true
src=$(ls -d "$top"/dl/csmith-*/runtime 2>/dev/null | head -n 1 || true)
if [ -z "$src" ]; then
    orig=$(ls "$top"/dl/csmith_*.orig.tar.* 2>/dev/null | head -n 1 || true)
    [ -n "$orig" ] || fail "apt-get source csmith fetched nothing, see $top/source.log"
    (cd "$top/dl" && tar xf "$orig") || fail "cannot unpack $orig"
    src=$(ls -d "$top"/dl/csmith-*/runtime | head -n 1)
fi

m4=$(command -v m4 || true)
if [ -z "$m4" ]; then
    (cd "$top/dl" && apt_private download m4) >"$top/m4.log" 2>&1 || fail "cannot download m4, see $top/m4.log"
    dpkg-deb -x "$(ls "$top"/dl/m4_*.deb | head -n 1)" "$top/m4root" || fail "cannot unpack m4"
    m4=$top/m4root/usr/bin/m4
fi

rm -rf "$runtime.tmp"
cp -r "$src" "$runtime.tmp"
for h in safe_math safe_math_macros safe_math_macros_notmp; do
    "$m4" <"$runtime.tmp/$h.m4" >"$runtime.tmp/$h.h" || fail "m4 failed on $h.m4"
done
rm -rf "$runtime" && mv "$runtime.tmp" "$runtime"
echo "$runtime"
