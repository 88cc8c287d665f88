#!/bin/sh
# Copies benchmark results (build/bench/results.md, from bench/run.sh) into
# docs/PERFORMANCE.md, between the "machine-core" markers.  Only that block
# is replaced, so other sections of the document (other machines, Linux
# boot figures) are left as they are.
#
# Usage: bench/update-docs.sh [RESULTS.md] [DOC.md]
set -e
cd "$(dirname "$0")/.."
results=${1:-build/bench/results.md}
doc=${2:-docs/PERFORMANCE.md}
begin='<!-- bench:machine-core:begin -->'
end='<!-- bench:machine-core:end -->'

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
echo "updated $doc from $results" >&2
