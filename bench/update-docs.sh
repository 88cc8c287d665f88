#!/bin/sh
# Copies benchmark results into docs/PERFORMANCE.md, between the markers
# of one section: "machine-core" (build/bench/results.md, the core vs QEMU)
# "peer" (build/bench/peer-results.md, the peer machine) or "kernel"
# (build/bench/kernel-results.md, the peer kernel's OS operations) or "linux"
# (build/bench/linux-results.md, Linux on virt, Peerless vs QEMU), "fs"
# (build/bench/fs-results.md, files through fs and blk vs Linux) or "net"
# (build/bench/net-results.md, the network from the host).  Only that
# block is replaced, so other sections of the document are left as they
# are.  bench/run.sh writes all six results files.
#
# Usage: bench/update-docs.sh [--section machine-core|peer|kernel|linux|fs|net] [RESULTS.md] [DOC.md]
set -e
cd "$(dirname "$0")/.."
section=machine-core
if [ "${1:-}" = --section ]; then
    [ $# -ge 2 ] || { echo "update-docs: --section needs a name" >&2; exit 2; }
    section=$2
    shift 2
fi
case $section in
machine-core) default_results=build/bench/results.md ;;
peer) default_results=build/bench/peer-results.md ;;
kernel) default_results=build/bench/kernel-results.md ;;
linux) default_results=build/bench/linux-results.md ;;
fs) default_results=build/bench/fs-results.md ;;
net) default_results=build/bench/net-results.md ;;
*) echo "update-docs: unknown section $section (machine-core, peer, kernel, linux, fs or net)" >&2; exit 2 ;;
esac
results=${1:-$default_results}
doc=${2:-docs/PERFORMANCE.md}
begin="<!-- bench:$section:begin -->"
end="<!-- bench:$section:end -->"

[ -f "$results" ] || { echo "update-docs: no $results (run make bench first)" >&2; exit 2; }
[ -f "$doc" ] || { echo "update-docs: no $doc" >&2; exit 2; }
if [ "$(grep -cxF "$begin" "$doc")" != 1 ] || [ "$(grep -cxF "$end" "$doc")" != 1 ]; then
    echo "update-docs: $doc must hold exactly one line each of $begin and $end" >&2
    exit 2
fi

tmp=$doc.tmp.$$
awk -v begin="$begin" -v end="$end" -v results="$results" '
    $0 == begin {
        print; print ""
        while ((getline line < results) > 0) print line
        print ""; skipping = 1; next
    }
    $0 == end   { skipping = 0 }
    !skipping   { print }
' "$doc" > "$tmp"
mv "$tmp" "$doc"
echo "updated $doc ($section) from $results" >&2
