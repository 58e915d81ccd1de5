#!/usr/bin/env bash
# Makes the four short Locust runs of tests/data/diagnose/ that show the
# module's findings slow_queries, inconsistent_latency and linear_latency
# (goldens diagnose_run_slow_queries, diagnose_run_inconsistent,
# diagnose_run_linear*), and one whose server goes away mid-run, for how a
# refused connection is read (diagnose_run_connection_refused): real Locust runs of samples/locust/locustfile.py
# against samples/locust/rag_server.py on 127.0.0.1, with the server flags
# below.  Only the --csv files ltk diagnose reads are kept (stats,
# stats_history with --csv-full-history, failures).
#
#   tests/data/diagnose/make_runs.sh            # all four (about 4.5 minutes)
#   tests/data/diagnose/make_runs.sh slow       # one of slow, inconsistent, linear, refused
#
# Needs Debian's python3-locust (/usr/bin/locust); LTK_LOCUST picks another.
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES=$(cd "$HERE/../../../samples" && pwd)
PY=${LTK_PYTHON:-/usr/bin/python3}
LOCUST=${LTK_LOCUST:-/usr/bin/locust}
SERVER_PID=""
WORK=$(mktemp -d)
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# run NAME BOUND STOP_AFTER SERVER_FLAGS... -- LOCUST_ARGS... [--env VAR=VALUE...]
# STOP_AFTER: seconds after which the server is killed (0: it runs to the end)
run() {
    local name=$1 bound=$2 stop_after=$3; shift 3
    local server=() locust=() envs=() part=server
    for a in "$@"; do
        case "$a" in
        --) part=locust; continue ;;
        --env) part=env; continue ;;
        esac
        case "$part" in
        server) server+=("$a") ;;
        locust) locust+=("$a") ;;
        env) envs+=("$a") ;;
        esac
    done
    local port
    port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    "$PY" "$SAMPLES/locust/rag_server.py" --host 127.0.0.1 --port "$port" "${server[@]}" 2>"$WORK/server.log" &
    SERVER_PID=$!
    sleep 1
    if [[ "$stop_after" != 0 ]]; then
        (sleep "$stop_after"; kill "$SERVER_PID" 2>/dev/null) &
    fi
    env "${envs[@]}" timeout "$bound" "$LOCUST" -f "$SAMPLES/locust/locustfile.py" --headless \
        --host "http://127.0.0.1:$port" --csv "$WORK/$name" --csv-full-history "${locust[@]}" \
        >"$WORK/$name.log" 2>&1 || true
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    for f in stats stats_history failures; do
        cp "$WORK/${name}_$f.csv" "$HERE/${name}_$f.csv"
    done
    echo "$name: server ${server[*]}$( [[ "$stop_after" != 0 ]] && echo " (killed after $stop_after s)"); locust ${envs[*]} ${locust[*]}"
}

sel=("$@")
has() { [[ ${#sel[@]} -eq 0 ]] || [[ " ${sel[*]} " == *" $1 "* ]]; }

# slow_queries: /retrieval is a vector-store query that takes about 1.4 s on its
# own (no index), already at the run's only load, 10 users.
has slow && run slow_retrieval 90 0 --seed 201 --retrieval-median-ms 1400 --retrieval-sigma 0.2 \
    -- --users 10 --spawn-rate 10 --run-time 45s
# inconsistent_latency: 20 steady users; the LLM behind /query answers in
# 300 ms typically but with a wide spread (lognormal sigma 0.85, no cache):
# p95 over three times p50, without the outlier pattern (p99 under 3 s).
has inconsistent && run no_cache 90 0 --seed 202 --query-median-ms 300 --query-sigma 0.85 --slow-tail-rate 0 \
    -- --users 20 --spawn-rate 20 --run-time 45s
# linear_latency: steps of 10, 15, 20, 25 and 30 users, 20 s each, against a
# server that works on 2 requests at a time and queues the rest (--workers 2,
# no queue timeout; its LLM answers in 400 ms): past about 13 users every user
# added waits behind the others.
has linear && run blocking_workers 150 0 --seed 203 --workers 2 --query-median-ms 400 \
    -- --env LTK_SHAPE=stepped LTK_STEPS=10,15,20,25,30 LTK_STEP_SECONDS=20
# connection refused: 10 users for 40 s against a server that is killed after
# 20 s (a crash: nothing listens on the port any more).  Each request after
# that fails at once with Locust's ConnectionRefusedError text.
has refused && run server_gone 90 20 --seed 204 \
    -- --users 10 --spawn-rate 10 --run-time 40s
exit 0
