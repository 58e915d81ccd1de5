#!/bin/sh
# A load-test stage for CI, written once: run Locust headless against the
# service, gate on ltk check (JUnit XML for the CI's test view), compare with
# the last good run (ltk compare --max-regression), and write the Markdown
# that the CI posts as the pull-request comment.  docs/ci.md shows it called
# from GitHub Actions and GitLab CI; ctest runs it here (ci_pipeline).
#
#   samples/ci/pipeline.sh [OUT]          OUT: where everything goes (ltk-ci)
#
# Settings, from the environment (defaults in brackets):
#   LTK_CI_HOST          URL of the service under test.  Unset: the bundled
#                        stand-in samples/locust/rag_server.py is started on a
#                        free port of 127.0.0.1 and stopped afterwards.
#   LTK_CI_SERVER_FLAGS  more flags for that stand-in (a fault to provoke, e.g.
#                        "--query-median-ms 2500" for a slower service)
#   LTK_CI_LOCUSTFILE    [samples/locust/locustfile.py]; it writes the raw
#                        request log named by LTK_REQUEST_LOG (docs/ci.md)
#   LTK_CI_USERS [20]  LTK_CI_SPAWN_RATE [10]  LTK_CI_RUN_TIME [10s]
#   LTK_CI_CRITERIA      criteria file for ltk check [samples/ci/criteria.txt]
#   LTK_CI_BASELINE      summary of the last good run
#                        [samples/ci/baseline.ltk.json]; empty: no comparison
#   LTK_CI_GATES         ltk compare --max-regression [p95:+25%,error_rate:+1pp]
#   LTK LOCUST PYTHON    the programs [ltk, locust, python3 from PATH]
#
# In OUT: run_*.csv (Locust --csv) and run_requests.csv (the raw log),
# locust.log, current.ltk.json (ltk summarize: the next baseline once this
# run is accepted), check.txt and junit.xml (ltk check), compare.md (ltk
# compare), report.md (ltk report --format md, its verdict from the same
# criteria) and comment.md (report.md, then compare.md).
#
# Exit status: 0 every gate passed, 1 ltk check or ltk compare failed a gate
# (everything is still written, for the comment), 2 a step could not run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$(dirname "$here")")
out=${1:-ltk-ci}
LTK=${LTK:-ltk}
LOCUST=${LOCUST:-locust}
PYTHON=${PYTHON:-python3}
users=${LTK_CI_USERS:-20}
spawn=${LTK_CI_SPAWN_RATE:-10}
run_time=${LTK_CI_RUN_TIME:-10s}
locustfile=${LTK_CI_LOCUSTFILE:-$repo/samples/locust/locustfile.py}
criteria=${LTK_CI_CRITERIA:-$here/criteria.txt}
baseline=${LTK_CI_BASELINE-$here/baseline.ltk.json}
gates=${LTK_CI_GATES:-p95:+25%,error_rate:+1pp}

say() { echo "ltk-ci: $*"; }
die() { say "$*" >&2; exit 2; }
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

command -v "$LTK" >/dev/null 2>&1 || die "$LTK not found (install ltk, or set LTK)"
command -v "$LOCUST" >/dev/null 2>&1 || die "$LOCUST not found (apt-get install -y python3-locust, or set LOCUST)"
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
locustfile=$(absolute "$locustfile")
criteria=$(absolute "$criteria")
[ -z "$baseline" ] || baseline=$(absolute "$baseline")
# what an earlier run left here (only the files this script writes)
for f in run_stats.csv run_stats_history.csv run_failures.csv run_exceptions.csv run_requests.csv \
    current.ltk.json baseline.ltk.json junit.xml check.txt compare.md report.md comment.md locust.log server.log; do
    rm -f "$out/$f"
done

# Locust's --run-time ends the test; this bounds the whole process besides.
seconds=$(printf '%s\n' "$run_time" | awk '{
    n = 0; s = $0
    while (match(s, /^[0-9]+[hms]?/)) {
        v = substr(s, 1, RLENGTH); u = substr(v, RLENGTH); s = substr(s, RLENGTH + 1)
        if (u == "h") n += v * 3600; else if (u == "m") n += v * 60; else n += v + 0
    }
    print (s == "" && n > 0) ? n : -1 }')
[ "$seconds" -gt 0 ] 2>/dev/null || die "LTK_CI_RUN_TIME: expected a duration such as 30s, 2m or 1h30m, got '$run_time'"
bound=$((seconds + 60))

server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

host=${LTK_CI_HOST:-}
if [ -z "$host" ]; then
    # the stand-in service, on a port the system picks, loopback only
    # shellcheck disable=SC2086
    "$PYTHON" "$repo/samples/locust/rag_server.py" --host 127.0.0.1 --port 0 --seed 1 \
        ${LTK_CI_SERVER_FLAGS:-} 2>"$out/server.log" &
    server=$!
    i=0
    while [ $i -lt 100 ]; do
        host=$(sed -n 's/^rag_server listening on \(http:\/\/127\.0\.0\.1:[0-9]*\) .*/\1/p' "$out/server.log")
        [ -n "$host" ] && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
        i=$((i + 1))
    done
    [ -n "$host" ] || die "the stand-in server did not start: $(cat "$out/server.log")"
    say "started samples/locust/rag_server.py at $host"
fi

say "Locust: $users users (spawn $spawn/s) for $run_time against $host"
# LTK_CSV_FLUSH_SECONDS: the bundled locustfile has Locust flush its CSVs every
# second, so that a short run keeps its stats_history.csv (docs/ci.md)
LTK_REQUEST_LOG=$out/run_requests.csv LTK_CSV_FLUSH_SECONDS=1 timeout "$bound" "$LOCUST" -f "$locustfile" --headless --only-summary \
    --host "$host" --users "$users" --spawn-rate "$spawn" --run-time "$run_time" \
    --csv "$out/run" >"$out/locust.log" 2>&1
rc=$?
# Locust exits 1 when a request failed: that is for ltk check to judge
if [ $rc -gt 1 ] || [ ! -s "$out/run_stats.csv" ] || [ ! -s "$out/run_requests.csv" ]; then
    tail -20 "$out/locust.log" >&2
    die "Locust failed (exit $rc; see $out/locust.log)"
fi
cleanup
server=""

# Every step runs from OUT, so the files name each other without the runner's paths.
cd "$out" || die "cannot enter $out"
worst=0
gate() {  # gate NAME STATUS: remember the worst status, say how the step went
    case $2 in
    0) say "$1: passed" ;;
    1) say "$1: FAILED"; [ $worst -ge 1 ] || worst=1 ;;
    *) say "$1: could not run (exit $2)"; worst=2 ;;
    esac
}

"$LTK" summarize -o current.ltk.json run_requests.csv || die "ltk summarize failed"

"$LTK" check --criteria "$criteria" --junit junit.xml run >check.txt
gate "ltk check (junit.xml)" $?
cat check.txt

if [ -n "$baseline" ]; then
    cp "$baseline" baseline.ltk.json || die "cannot read the baseline $baseline"
    "$LTK" compare --max-regression "$gates" --format md -o compare.md baseline.ltk.json current.ltk.json
    gate "ltk compare against the baseline ($gates)" $?
else
    say "ltk compare: skipped (no baseline)"
    echo "_No baseline to compare with._" >compare.md
fi

# the report's verdict from the same criteria as the gate above
"$LTK" report --format md --criteria "$criteria" -o report.md run || die "ltk report failed"
{ cat report.md; echo; cat compare.md; } >comment.md
say "comment: $out/comment.md"
exit $worst
