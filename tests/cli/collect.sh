#!/bin/sh
# samples/metrics/collect.sh end to end: a short-lived Python process that
# holds a listening socket and allocates memory for a few seconds is sampled
# once a second until it exits; the file must read back in ltk (check with
# resource criteria, trend) and show what the process did: a socket open,
# memory growing.  No timed assertions: only what was sampled.
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin).
set -eu
src=${LTK_SOURCE_DIR:?}
PATH=${LTK_BIN:?}:$PATH
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail=0
# the process: bounded by its own clock and by timeout(1) around the collector
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
keep, t = [], time.time()
while time.time() - t < 5:
    keep.append(bytearray(200000)); time.sleep(0.01)
' &
pid=$!
timeout 60 bash "$src/samples/metrics/collect.sh" -p "$pid" -o m.csv -q 'echo 7' -d 30
wait "$pid" || true
[ -f m.csv ] && [ ! -f m.csv.part ] || { echo "no m.csv (or m.csv.part left)"; exit 1; }
head -1 m.csv | grep -qx 'timestamp,cpu_percent,mem_mb,mem_percent,connections,net_rx_bytes,net_tx_bytes,queue_depth' ||
    { echo "unexpected header: $(head -1 m.csv)"; fail=1; }
n=$(($(wc -l <m.csv) - 1))
[ "$n" -ge 2 ] || { echo "only $n samples"; fail=1; }
# memory grew (about 20 MB a second of bytearrays), a socket was open, queue 7
python3 - m.csv <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
mem = [float(r["mem_mb"]) for r in rows]
ok = True
# the last sample may catch the process exiting, its memory already freed
if not max(mem) > mem[0]:
    print("memory did not grow:", mem); ok = False
if not any(int(r["connections"]) >= 1 for r in rows):
    print("no open socket seen"); ok = False
if not all(r["queue_depth"] == "7" for r in rows):
    print("queue_depth not 7"); ok = False
if any(float(r["cpu_percent"]) < 0 for r in rows):
    print("negative CPU"); ok = False
sys.exit(0 if ok else 1)
PY
# ltk reads it: resource criteria without a run's history count every sample
out=$(ltk check -m m.csv -c 'mem.max<100GB' -c 'connections.max>=1' -c 'queue_depth.max==7' \
      "$src/samples/module/example_stats.csv") || { echo "ltk check failed: $out"; fail=1; }
echo "$out" | grep -q 'result: PASSED: 3 passed' || { echo "$out"; fail=1; }
# a memory limit below what was sampled fails
if ltk check -m m.csv -c 'mem.max<1KB' "$src/samples/module/example_stats.csv" >/dev/null; then
    echo "mem.max<1KB passed"; fail=1
fi
# a collector asked for a process that does not exist refuses, exit 2
set +e
bash "$src/samples/metrics/collect.sh" -p 999999999 -o x.csv 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q 'no such process' err.txt && [ ! -f x.csv ] || { echo "bad pid: rc $rc"; cat err.txt; fail=1; }
exit $fail
