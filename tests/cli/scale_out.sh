#!/bin/sh
# The scale-out recipe of docs/scale-out.md, run locally: a log cut into
# parts (gzip, as a fleet of workers would leave them), each part summarised
# in parallel (xargs -P always; GNU parallel too when it is installed), the
# summaries merged, and the result compared byte for byte with
# "ltk summarize" of all the parts at once.
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin).
set -eu
src=${LTK_SOURCE_DIR:?}
PATH=${LTK_BIN:?}:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir logs
# four parts of the stress run's log, cut at record boundaries, gzipped
python3 - "$src/samples/runs/stress/stress_requests.csv" <<'PY'
import csv, gzip, sys
with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
step = (len(body) + 3) // 4
for i in range(4):
    with gzip.open(f"logs/part{i}.csv.gz", "wt", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        w.writerows(body[i * step:(i + 1) * step])
PY
fail=0
ltk summarize logs/part*.csv.gz -o all_at_once.ltk.json

# map with xargs -P, reduce with ltk merge
printf '%s\n' logs/part*.csv.gz | xargs -P 2 -I{} ltk summarize {} -o {}.ltk.json
ltk merge logs/part*.csv.gz.ltk.json -o merged_xargs.ltk.json
cmp -s merged_xargs.ltk.json all_at_once.ltk.json || { echo "xargs -P recipe: merge differs from summarize of all"; fail=1; }

# the same with GNU parallel, when installed
if command -v parallel > /dev/null 2>&1; then
    rm -f logs/*.ltk.json
    parallel --will-cite -j 2 ltk summarize {} -o {}.ltk.json ::: logs/part*.csv.gz
    ltk merge logs/part*.csv.gz.ltk.json -o merged_parallel.ltk.json
    cmp -s merged_parallel.ltk.json all_at_once.ltk.json || { echo "GNU parallel recipe: merge differs"; fail=1; }
else
    echo "GNU parallel not installed: only the xargs -P recipe was run"
fi

# the merged summary is the run: ltk stats agrees with the original log
ltk stats --json merged_xargs.ltk.json > a.json
ltk stats --json "$src/samples/runs/stress/stress_requests.csv" > b.json 2>/dev/null
python3 - a.json b.json <<'PY' || fail=1
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    for k in ("run", "sources", "raw_log", "warnings", "history"):
        d.pop(k)
if a != b:
    print("ltk stats of the merged summary differs from ltk stats of the log")
    sys.exit(1)
PY
exit $fail
