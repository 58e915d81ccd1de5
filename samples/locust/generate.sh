#!/usr/bin/env bash
# Regenerate the bundled Locust sample runs under samples/runs/.
#
#   samples/locust/generate.sh            # every run (about 21 minutes)
#   samples/locust/generate.sh smoke pool # only the named runs
#
# For each run: start rag_server.py on a free 127.0.0.1 port with the run's
# fault flags, sample the server's CPU/RSS from /proc once a second, run
# headless Locust (time-bounded: --run-time or a LoadTestShape that ends, plus
# an outer `timeout`), then stop the server and write the run's README.md.
# Everything talks to the loopback interface only.
#
# Needs Debian's python3-locust: /usr/bin/locust and /usr/bin/python3.
#
# Another Locust (the module pins 2.31.6; locust-from-source.sh makes one):
#   LTK_LOCUST=/path/bin/locust  the locust to run
#   LTK_RUN_SUFFIX=_v2316        runs go to runs/NAME_v2316/NAME_v2316_* (the
#                                run's settings are those of NAME)
#   LTK_HTML=0                   no --html (a source tree without the built web UI)
# A Locust that has --json (2.14 and later) prints the jsonfile run's JSON itself:
# its stdout becomes NAME.json, its stderr NAME_locust.log.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(dirname "$HERE")
PY=${LTK_PYTHON:-/usr/bin/python3}
LOCUST=${LTK_LOCUST:-/usr/bin/locust}
ALL_RUNS=(smoke load stress spike spike_hold spike_zero soak ratelimit pool custom_pct cpu jsonfile users status)

SERVER_PID=""
SAMPLER_PID=""
LOCUST_PID=""
WORK_TMP=$(mktemp -d)

cleanup() {
    local pid
    for pid in "$LOCUST_PID" "$SAMPLER_PID" "$SERVER_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    LOCUST_PID="" SAMPLER_PID="" SERVER_PID=""
}
trap 'cleanup; rm -rf "$WORK_TMP"' EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

die() { echo "generate.sh: $*" >&2; exit 1; }

[[ -x "$LOCUST" ]] || die "$LOCUST not found (apt-get install python3-locust)"
[[ -x "$PY" ]] || die "$PY not found"

LOCUST_PKG_VERSION=$(dpkg-query -W -f='${Version}' python3-locust 2>/dev/null || echo unknown)
LOCUST_MODULE_VERSION=$("$PY" -c 'import locust; print(locust.__version__)' 2>/dev/null || true)
RUN_SUFFIX=${LTK_RUN_SUFFIX:-}
[[ "$RUN_SUFFIX" =~ ^[A-Za-z0-9_]*$ ]] || die "LTK_RUN_SUFFIX must be letters, digits and _"
WANT_HTML=${LTK_HTML:-1}
# "locust 2.31.6 from /path (Python 3.11.2)"; Debian's 2.12.1 prints an empty version
LOCUST_SAYS=$("$LOCUST" --version 2>&1 | head -n 1 || true)
LOCUST_VERSION=$(awk '{print $2}' <<< "$LOCUST_SAYS")
if [[ "$LOCUST" == /usr/bin/locust ]]; then
    LOCUST_DESC="Debian package python3-locust $LOCUST_PKG_VERSION (Locust ${LOCUST_PKG_VERSION%-*}; \`locust.__version__\` is '${LOCUST_MODULE_VERSION}')"
else
    LOCUST_DESC="Locust $LOCUST_VERSION from source ($LOCUST: \`$LOCUST_SAYS\`; made by samples/locust/locust-from-source.sh on Debian's python3-locust dependencies)"
fi
# --json exists from Locust 2.14 on
HAS_JSON=0
"$LOCUST" --help 2>/dev/null | grep -q -- '^ *--json ' && HAS_JSON=1

# Quote words for display only where the shell needs it (printf %q also escapes commas).
shell_words() {
    local w out=""
    for w in "$@"; do
        if [[ "$w" =~ ^[A-Za-z0-9_./:=,%+-]+$ ]]; then out+="$w "; else out+="$(printf '%q' "$w") "; fi
    done
    printf '%s' "${out% }"
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Sample CPU% and RSS of one process from /proc, once a second, until it exits.
sample_proc() {
    local pid=$1 out=$2 hz total_kb prev_ticks prev_t now ticks rss_kb
    hz=$(getconf CLK_TCK)
    total_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
    echo "timestamp,cpu_percent,mem_mb,mem_percent" > "$out"
    prev_ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || return 0
    prev_t=$EPOCHREALTIME
    while sleep 1; do
        ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || break
        rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || break
        [[ -n "$ticks" && -n "$rss_kb" ]] || break
        now=$EPOCHREALTIME
        awk -v t="$now" -v pt="$prev_t" -v c="$ticks" -v pc="$prev_ticks" -v hz="$hz" \
            -v rss="$rss_kb" -v tot="$total_kb" 'BEGIN {
                dt = t - pt; if (dt <= 0) dt = 1
                printf "%.3f,%.1f,%.1f,%.2f\n", t, 100 * (c - pc) / hz / dt, rss / 1024, 100 * rss / tot
            }' >> "$out"
        prev_ticks=$ticks
        prev_t=$now
    done
}

# Per-run settings -----------------------------------------------------------
#   SERVER_FLAGS  rag_server.py fault flags
#   LOCUST_ARGS   load arguments (users/spawn/run-time, history, reset-stats)
#   RUN_ENV       environment for the locustfile (shape, timeout, percentiles)
#   BOUND         hard limit in seconds for the whole Locust process
#   PURPOSE       what the run is meant to show (goes into README.md)
configure() {
    SERVER_FLAGS=() LOCUST_ARGS=() RUN_ENV=() JSON_OUT=0
    case "$1" in
    smoke)
        SERVER_FLAGS=(--seed 101 --query-median-ms 300)
        LOCUST_ARGS=(--users 10 --spawn-rate 2 --run-time 60s)
        BOUND=120
        PURPOSE="Smoke test: 10 users against a healthy server for one minute, its LLM answering faster (median 300 ms, --query-median-ms 300, as with a warm cache) so that the run meets the module's smoke criteria (p50 <500 ms, p95 <1 s, p99 <2 s, 0 % errors). Expected: zero failures. Run WITHOUT --csv-full-history, so smoke_stats_history.csv holds only 'Aggregated' rows whose percentile columns are cumulative (since the start of the test), not the 10-second window that full-history rows use."
        ;;
    load)
        SERVER_FLAGS=(--seed 102)
        LOCUST_ARGS=(--users 50 --spawn-rate 10 --run-time 120s --csv-full-history)
        BOUND=180
        PURPOSE="Load test: 50 users (spawn 10/s) for two minutes against a healthy server, with full history (per-endpoint rows every second, percentiles over the last ~10 s). Expected: error rate well under 1 %, aggregated p95 under 2 s, steady throughput."
        ;;
    stress)
        SERVER_FLAGS=(--seed 103 --workers 8 --queue-timeout 4)
        LOCUST_ARGS=(--csv-full-history)
        RUN_ENV=(LTK_SHAPE=stepped LTK_STEPS=10,20,40,60,80,100,120 LTK_STEP_SECONDS=25 LTK_TIMEOUT=5)
        BOUND=240
        PURPOSE="Stress test: stepped load 10, 20, 40, 60, 80, 100, 120 users, 25 s per step (175 s), against a server that works on at most 8 requests at a time (--workers 8) and answers 503 to a request that waited 4 s for a worker (--queue-timeout 4); the locustfile gives every request a 5 s client timeout (LTK_TIMEOUT=5). Expected: throughput grows over the first steps and then plateaus at the worker capacity (~12 req/s), queueing makes latency climb step after step, and from the 80-user step on the error rate passes 5 % (503 Service Unavailable from the queue timeout plus client read timeouts)."
        ;;
    spike)
        SERVER_FLAGS=(--seed 104 --workers 16)
        LOCUST_ARGS=(--csv-full-history)
        RUN_ENV=(LTK_SHAPE=spike LTK_TIMEOUT=10)
        BOUND=200
        PURPOSE="Spike test: 10 users for 40 s, a jump to 175 users within about a second (spawn rate 150/s) held for 30 s, then back to 10 users for 50 s. The server has 16 workers (--workers 16). Expected: latency rises sharply during the surge (requests queue for a worker), possibly some timeouts (10 s client timeout), and latency recovers to the baseline after the surge without intervention."
        ;;
    users)
        SERVER_FLAGS=(--seed 111)
        LOCUST_ARGS=(--csv-full-history)
        RUN_ENV=(LTK_SHAPE=stepped LTK_STEPS=5,15 LTK_STEP_SECONDS=30)
        BOUND=120
        PURPOSE="Users in the request log: two steps, 5 then 15 users, 30 s each, against a healthy server, made with the locustfile whose request hook writes a users column (environment.runner.user_count when the request was reported). Expected: the log alone, without users_stats_history.csv beside it, gives ltk the two levels."
        ;;
    status)
        SERVER_FLAGS=(--seed 112 --workers 6 --queue-timeout 2 --rate-limit 2.5)
        LOCUST_ARGS=(--users 50 --spawn-rate 5 --run-time 45s --csv-full-history)
        RUN_ENV=(LTK_TIMEOUT=4)
        BOUND=100
        PURPOSE="HTTP status codes in the request log: 50 users (spawn 5/s) for 45 s against a server with two faults at once: a rate limit on /query's LLM (2.5 calls/s: 429 RateLimitError) and 6 workers whose queue gives up after 2 s (503 ServiceUnavailable), with a 4 s client timeout (no response: status 0). Made with the locustfile whose request hook writes a status column (the response's status_code). Expected: ltk stats --status reads 200, 429, 503 and 0 from the log, and infers 429 and 503 from the failure texts of status_failures.csv (HTTPError('503 Server Error: ...') for /health and /retrieval, CatchResponseError('HTTP 429: ...') and 'HTTP 503: ...' for /query)."
        ;;
    spike_hold)
        SERVER_FLAGS=(--seed 111 --workers 16)
        LOCUST_ARGS=(--csv-full-history)
        RUN_ENV=(LTK_SHAPE=hold LTK_TIMEOUT=10)
        BOUND=100
        PURPOSE="Spike test without fall-back: 10 users for 20 s, then a jump to 175 users within about a second (spawn rate 150/s) that is held until the test ends at 55 s (LTK_SHAPE=hold). The server has 16 workers (--workers 16), as in the spike run. Expected: latency rises sharply once the surge starts (requests queue for a worker) and stays high while the 175 users keep running; users never come back down, so there is no recovery phase."
        ;;
    spike_zero)
        SERVER_FLAGS=(--seed 112 --workers 64)
        LOCUST_ARGS=(--users 175 --spawn-rate 175 --run-time 45s --csv-full-history)
        RUN_ENV=(LTK_TIMEOUT=10)
        BOUND=90
        PURPOSE="Spike test from zero, the module's own spike command scaled down (module: --users 500 --spawn-rate 500 --run-time 5m): 175 users started within about a second (--spawn-rate 175) and held for 45 s, against a server with 64 workers (--workers 64). Expected: users jump from 0 to 175 at once and stay there; no base level before the jump and no fall-back after it."
        ;;
    soak)
        SERVER_FLAGS=(--seed 105 --leak)
        LOCUST_ARGS=(--users 30 --spawn-rate 10 --run-time 180s --csv-full-history)
        BOUND=260
        PURPOSE="Soak test (compressed to 3 minutes): 30 constant users against a server with a slow memory leak (--leak: every request keeps 0.5-200 KB forever and latency grows with the leaked memory, +100 % per 100 MB). Expected: RSS in soak_metrics.csv climbs steadily, and p50/p95 in soak_stats_history.csv grow over time at constant load while throughput slowly drops."
        ;;
    ratelimit)
        SERVER_FLAGS=(--seed 106 --rate-limit 8.33)
        LOCUST_ARGS=(--users 60 --spawn-rate 0.5 --run-time 120s --csv-full-history)
        BOUND=200
        PURPOSE="Rate-limit pattern: users ramp slowly to 60 (0.5 users/s) for two minutes; the fake LLM provider allows 8.33 /query calls per second (500 requests per minute, token bucket). A call that finds the bucket empty is retried twice with backoff (about 0.25 s, then 0.5 s) before the server answers 429 RateLimitError, so a 429 takes about as long as a typical answer. Expected: no failures at first; once the /query rate passes ~8 req/s (around 30-35 users), 429 failures appear and climb with the user count while p50 stays roughly flat."
        ;;
    pool)
        SERVER_FLAGS=(--seed 107 --pool 5 --overflow 10 --pool-timeout 2 --bad-json-rate 0.01 --query-median-ms 1000)
        LOCUST_ARGS=(--csv-full-history)
        RUN_ENV=(LTK_SHAPE=ramp)
        BOUND=220
        PURPOSE="Connection-pool exhaustion: users ramp from 5 to 80 (0.6 users/s) over 150 s (LTK_SHAPE=ramp). /query and /retrieval each hold one of 5+10 DB connections for their whole duration (the /query handler keeps its DB session open across the LLM call, whose median is raised to 1 s here with --query-median-ms 1000) and give up after 2 s (HTTP 500 'QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 2.00'). 1 % of /query answers are malformed JSON, so the locustfile raises JSONDecodeError and pool_exceptions.csv holds the multi-line traceback. Expected: no failures at low concurrency, then QueuePool errors together with a jump in latency once ~15 requests are in flight."
        ;;
    custom_pct)
        SERVER_FLAGS=(--seed 108)
        LOCUST_ARGS=(--users 10 --spawn-rate 1 --run-time 30s --reset-stats --csv-full-history)
        RUN_ENV=(LTK_PERCENTILES=0.5,0.66,0.75,0.8,0.9,0.95,0.98,0.99,0.995,0.999,0.9999,1.0)
        BOUND=90
        PURPOSE="Custom percentiles and --reset-stats: a short healthy run (10 users, spawn 1/s, 30 s). The locustfile replaces locust.stats.PERCENTILES_TO_REPORT (LTK_PERCENTILES), so the CSV headers and the console percentile table contain an extra 99.5% column. With --reset-stats the statistics are reset when spawning completes (~10 s in), so the cumulative counts in custom_pct_stats_history.csv drop back to zero at that point, while custom_pct_requests.csv (the raw hook log) still has every request."
        ;;
    cpu)
        SERVER_FLAGS=(--seed 109 --cpu-work-ms 100)
        LOCUST_ARGS=(--users 40 --spawn-rate 10 --run-time 90s --csv-full-history)
        BOUND=150
        PURPOSE="CPU-bound: 40 constant users for 90 s against a server whose /query spends 100 ms of CPU time computing in Python (--cpu-work-ms 100; the GIL keeps that on one core). About 10 queries a second need a whole core, so the server's CPU in cpu_metrics.csv sits near 100 % of a core for most of the run while latency grows from queueing for the CPU. Expected: ltk diagnose with --metrics names cpu_bound first."
        ;;
    jsonfile)
        SERVER_FLAGS=(--seed 110 --rate-limit 4)
        LOCUST_ARGS=(--users 20 --spawn-rate 5 --run-time 30s)
        JSON_OUT=1
        BOUND=90
        PURPOSE="Locust's JSON statistics: 20 users (spawn 5/s) for 30 s against a server whose fake LLM allows 4 /query calls a second (--rate-limit 4), so some /query requests fail with 429. Besides the --csv files, the locustfile writes jsonfile.json at the end of the run (LTK_JSON_FILE): the array that Locust 2.14 and later print with --json and write with --json-file NAME (to NAME.json), i.e. each endpoint's serialize() with its response-time histogram and its requests and failures per second. Debian's Locust 2.12 has no --json option, so the locustfile writes the same data itself. Expected: ltk stats on jsonfile.json gives the same counts and percentiles as jsonfile_stats.csv."
        ;;
    *)
        die "unknown run '$1' (known: ${ALL_RUNS[*]})"
        ;;
    esac
}

write_readme() {
    local name=$1 dir=$2 port=$3 rc=$4 started=$5 finished=$6 base=$7
    local cmd_server cmd_locust redirect
    cmd_server=$(shell_words "$PY" locust/rag_server.py --host 127.0.0.1 --port "$port" "${SERVER_FLAGS[@]}")
    cmd_locust=$(shell_words env "${RUN_ENV[@]}" "LTK_REQUEST_LOG=runs/$name/${name}_requests.csv" \
        "$LOCUST" -f locust/locustfile.py --headless --host "http://127.0.0.1:$port" \
        "${LOCUST_ARGS[@]}" "${OUT_ARGS[@]}")
    redirect="> runs/$name/${name}_locust.log 2>&1"
    [[ "$JSON_MODE" == stdout ]] && redirect="> runs/$name/$name.json 2> runs/$name/${name}_locust.log"
    {
        echo "# Sample run: $name"
        echo
        echo "$PURPOSE"
        echo
        echo "## How it was produced"
        echo
        echo "- Generated by \`$( [[ -n "$RUN_SUFFIX" ]] && echo "LTK_RUN_SUFFIX=$RUN_SUFFIX ")samples/locust/generate.sh $base\` on $started (UTC), finished $finished."
        echo "- Locust: $LOCUST_DESC, run with $PY ($("$PY" --version 2>&1 | awk '{print $2}'))."
        echo "- Server flags: \`${SERVER_FLAGS[*]}\`"
        echo "- Locust exit code: $rc (Locust exits 1 when any request failed or a task raised)."
        echo
        echo "Exact commands, run from \`samples/\` (the port was picked free at run time):"
        echo
        echo '```sh'
        echo "$cmd_server &"
        echo "$cmd_locust $redirect"
        echo '```'
        echo
        echo "generate.sh additionally wraps Locust in \`timeout $BOUND\` as a hard bound."
        echo
        echo "The server's CPU % and RSS were sampled once a second from /proc/PID/stat and"
        echo "/proc/PID/status into \`${name}_metrics.csv\` (cpu_percent is per core, mem_percent is RSS / MemTotal)."
        echo
        echo "## Files"
        echo
        echo "| file | content |"
        echo "| --- | --- |"
        echo "| \`${name}_stats.csv\` | Locust --csv: final per-endpoint and Aggregated statistics |"
        echo "| \`${name}_stats_history.csv\` | Locust --csv: one row per second$( [[ " ${LOCUST_ARGS[*]} " == *" --csv-full-history "* ]] && echo " per endpoint plus Aggregated (--csv-full-history)" || echo ", Aggregated only (no --csv-full-history)") |"
        echo "| \`${name}_failures.csv\` | Locust --csv: failures grouped by method, name and error |"
        echo "| \`${name}_exceptions.csv\` | Locust --csv: exceptions raised in tasks, with tracebacks |"
        if [[ -f "$dir/$name.html" ]]; then
            echo "| \`${name}.html\` | Locust --html report |"
        fi
        echo "| \`${name}_requests.csv\` | raw per-request log from the locustfile's request hook |"
        echo "| \`${name}_metrics.csv\` | server process CPU/RSS samples |"
        echo "| \`${name}_locust.log\` | Locust console output (stdout+stderr) incl. final tables |"
        if [[ -f "$dir/$name.json" ]]; then
            if [[ "$JSON_MODE" == stdout ]]; then
                echo "| \`${name}.json\` | Locust --json: the end-of-run statistics it prints on stdout |"
            else
                echo "| \`${name}.json\` | end-of-run statistics as Locust 2.14+ writes them with --json / --json-file (LTK_JSON_FILE) |"
            fi
        fi
        echo
        echo "## Result summary (computed from the CSVs after the run)"
        echo
        "$PY" - "$dir" "$name" <<'PYEOF'
import csv, os, sys
d, name = sys.argv[1], sys.argv[2]
with open(os.path.join(d, name + "_stats.csv"), newline="") as f:
    rows = list(csv.DictReader(f))
print("| Type | Name | requests | failures | fail % | p50 | p95 | p99 | max | req/s |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    n, fl = int(r["Request Count"]), int(r["Failure Count"])
    print("| %s | %s | %d | %d | %.2f | %s | %s | %s | %.0f | %.2f |" % (
        r["Type"], r["Name"], n, fl, 100.0 * fl / n if n else 0.0,
        r["50%"], r["95%"], r["99%"], float(r["Max Response Time"]), float(r["Requests/s"])))
with open(os.path.join(d, name + "_failures.csv"), newline="") as f:
    fails = list(csv.DictReader(f))
print()
if fails:
    print("Failures:")
    print()
    for r in fails:
        print("- %s %s x%s: `%s`" % (r["Method"], r["Name"], r["Occurrences"], r["Error"]))
else:
    print("Failures: none.")
with open(os.path.join(d, name + "_exceptions.csv"), newline="") as f:
    exc = list(csv.DictReader(f))
print()
if exc:
    print("Exceptions raised in tasks:")
    print()
    for r in exc:
        print("- x%s: `%s`" % (r["Count"], r["Message"]))
else:
    print("Exceptions: none.")
with open(os.path.join(d, name + "_requests.csv"), newline="") as f:
    n_raw = sum(1 for _ in csv.DictReader(f))
with open(os.path.join(d, name + "_metrics.csv"), newline="") as f:
    m = list(csv.DictReader(f))
print()
print("Raw request log rows: %d." % n_raw)
if m:
    print("Server RSS: %.1f MB at start, %.1f MB at the end; peak CPU %.1f %%." % (
        float(m[0]["mem_mb"]), float(m[-1]["mem_mb"]), max(float(x["cpu_percent"]) for x in m)))

# the run over time, from the raw request log (exact response times), the
# history (user count) and the server metrics (RSS)
with open(os.path.join(d, name + "_requests.csv"), newline="") as f:
    req = [(float(r["timestamp"]), float(r["response_time"]), r["success"] == "1") for r in csv.DictReader(f)]
with open(os.path.join(d, name + "_stats_history.csv"), newline="") as f:
    users = [(int(r["Timestamp"]), int(r["User Count"])) for r in csv.DictReader(f) if r["Name"] == "Aggregated"]
if req:
    t0 = min(t - rt / 1000.0 for t, rt, _ in req)
    t_end = max(t for t, _, _ in req)
    width = 10 if t_end - t0 <= 65 else 15
    def q(vals, p):
        vals = sorted(vals)
        return vals[min(len(vals) - 1, int(p * len(vals)))] if vals else float("nan")
    print()
    print("Over time (%d s windows from the start of the test; response times in ms, exact values from "
          "`%s_requests.csv`; users = the highest User Count in the history during the window; "
          "RSS = highest server RSS):" % (width, name))
    print()
    print("| window | users | requests | req/s | ok req/s | fail % | p50 | p95 | p99 | RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    k = 0
    while t0 + k * width < t_end:
        lo, hi = t0 + k * width, t0 + (k + 1) * width
        rows = [x for x in req if lo <= x[0] < hi]
        k += 1
        if not rows:
            continue
        span = min(hi, t_end) - lo
        if span < width / 3:
            continue  # a sliver at the very end
        rts = [rt for _, rt, _ in rows]
        ok = sum(1 for _, _, s in rows if s)
        u = [c for ts, c in users if lo <= ts < hi]
        mm = [float(x["mem_mb"]) for x in m if lo <= float(x["timestamp"]) < hi]
        print("| %d-%d s | %s | %d | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %s |" % (
            lo - t0, hi - t0, max(u) if u else "n/a", len(rows), len(rows) / span, ok / span,
            100.0 * (len(rows) - ok) / len(rows), q(rts, .50), q(rts, .95), q(rts, .99),
            "%.1f" % max(mm) if mm else "n/a"))
PYEOF
    } > "$dir/README.md"
}

run_one() {
    local base=$1 name dir port rc started finished tmp
    configure "$base"
    name=$base$RUN_SUFFIX
    dir="runs/$name"
    mkdir -p "$dir"
    rm -f "$dir/$name"_*.csv "$dir/$name.html" "$dir/$name.json" "$dir/${name}_locust.log" "$dir/README.md"
    OUT_ARGS=(--csv "$dir/$name")
    [[ "$WANT_HTML" == 1 ]] && OUT_ARGS+=(--html "$dir/$name.html")
    JSON_MODE=none
    if [[ "$JSON_OUT" == 1 && "$HAS_JSON" == 1 ]]; then
        JSON_MODE=stdout
        OUT_ARGS+=(--json)
    elif [[ "$JSON_OUT" == 1 ]]; then
        JSON_MODE=hook
        RUN_ENV+=("LTK_JSON_FILE=$dir/$name.json")
    fi
    tmp="$WORK_TMP/$name"
    mkdir -p "$tmp"

    port=$(free_port)
    echo "== $name: server on 127.0.0.1:$port flags: ${SERVER_FLAGS[*]}" >&2
    "$PY" locust/rag_server.py --host 127.0.0.1 --port "$port" "${SERVER_FLAGS[@]}" > "$tmp/server.log" 2>&1 &
    SERVER_PID=$!
    local i
    for i in $(seq 1 50); do
        if curl -fsS --max-time 1 "http://127.0.0.1:$port/health" > /dev/null 2>&1; then break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$tmp/server.log" >&2; die "server for $name exited"; }
        sleep 0.2
    done
    curl -fsS --max-time 1 "http://127.0.0.1:$port/health" > /dev/null || die "server for $name not answering"

    sample_proc "$SERVER_PID" "$dir/${name}_metrics.csv" &
    SAMPLER_PID=$!

    started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    echo "== $name: locust ${LOCUST_ARGS[*]} ${RUN_ENV[*]} (bounded to ${BOUND}s)" >&2
    rc=0
    local cmd=(env "${RUN_ENV[@]}" "LTK_REQUEST_LOG=$dir/${name}_requests.csv"
        timeout --signal=TERM --kill-after=20 "$BOUND"
        "$LOCUST" -f locust/locustfile.py --headless --host "http://127.0.0.1:$port"
        "${LOCUST_ARGS[@]}" "${OUT_ARGS[@]}")
    if [[ "$JSON_MODE" == stdout ]]; then
        "${cmd[@]}" > "$dir/$name.json" 2> "$dir/${name}_locust.log" < /dev/null &
    else
        "${cmd[@]}" > "$dir/${name}_locust.log" 2>&1 < /dev/null &
    fi
    LOCUST_PID=$!
    wait "$LOCUST_PID" || rc=$?
    LOCUST_PID=""
    finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    [[ $rc -le 1 ]] || echo "== $name: WARNING locust exit code $rc" >&2

    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""

    write_readme "$name" "$dir" "$port" "$rc" "$started" "$finished" "$base"
    echo "== $name: done (locust exit $rc)" >&2
}

cd "$SAMPLES"
if [[ $# -eq 0 ]]; then
    set -- "${ALL_RUNS[@]}"
fi
for run in "$@"; do
    configure "$run"   # validate every name before starting anything
done
for run in "$@"; do
    run_one "$run"
done
