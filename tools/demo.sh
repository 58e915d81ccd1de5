#!/bin/sh
# make demo: the HTML report of a bundled real Locust run (the stepped stress
# test), plus ltk stats on every sample; says where everything is.
# Usage: tools/demo.sh BUILD_DIR
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
echo
echo "== ltk stats samples/runs/jsonfile/jsonfile.json  (Locust's --json statistics: its own percentiles)"
"$bin/ltk" stats --no-color samples/runs/jsonfile/jsonfile.json
echo
echo "== ltk report samples/runs/stress/stress  (a stepped stress test, 10 to 120 users)"
"$bin/ltk" report --metrics samples/runs/stress/stress_metrics.csv -o "$out/report-stress.html" samples/runs/stress/stress
"$bin/ltk" report --metrics samples/runs/stress/stress_metrics.csv --format md -o "$out/report-stress.md" samples/runs/stress/stress
echo "== ltk report samples/runs/soak/soak  (a leaking server at constant users, with its CPU/memory samples)"
"$bin/ltk" report --metrics samples/runs/soak/soak_metrics.csv -o "$out/report-soak.html" samples/runs/soak/soak
echo "== ltk report samples/runs/load/load_requests.csv  (a raw request log: real histograms)"
"$bin/ltk" report -o "$out/report-load-raw.html" samples/runs/load/load_requests.csv
echo "ltk: also wrote $out/report-soak.html (trend and leak) and $out/report-load-raw.html (from the raw log)"
report=$(cd "$out" && pwd)/report-stress.html
echo "ltk: the Markdown summary for a pull request is $out/report-stress.md"
echo "ltk: the report is $report"
echo "     open it with:  xdg-open $report   (or file://$report in a browser)"
