#!/bin/sh
# make demo: runs ltk on the bundled real Locust samples and says where the
# output is.  Usage: tools/demo.sh BUILD_DIR
set -eu
build=${1:-build}
bin=$build/bin
out=$build/demo
mkdir -p "$out"
echo "== ltk stats samples/runs/load/load  (a real 50-user Locust run)"
"$bin/ltk" stats --failures samples/runs/load/load
echo
echo "== ltk stats --brief samples/module/example_stats.csv  (the module's example)"
"$bin/ltk" stats --brief samples/module/example_stats.csv 2>/dev/null
for dir in samples/runs/*/; do
    run=$(basename "$dir")
    [ -f "$dir/${run}_stats.csv" ] || continue
    "$bin/ltk" stats --no-color --failures -o "$out/$run.txt" "$dir$run"
    "$bin/ltk" stats --json --pretty -o "$out/$run.json" "$dir$run"
done
echo
echo "ltk: wrote a table (.txt) and ltk.stats/1 JSON (.json) for every sample run to $out/"
ls "$out"
