#!/bin/sh
# A tool stopped by a signal leaves no temporary files behind: ltk report is
# sent SIGTERM while its (fake, slow) gnuplot draws the first chart, so its
# chart work directory exists; afterwards TMPDIR and the output directory
# must be empty and the tool must have died of the signal (status 143).
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin).
set -eu
src=${LTK_SOURCE_DIR:?}
bin=${LTK_BIN:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp" "$work/out"
printf '#!/bin/sh\nexec sleep 3\n' > "$work/slow-gnuplot"
chmod +x "$work/slow-gnuplot"
TMPDIR=$work/tmp "$bin/ltk-report" --gnuplot "$work/slow-gnuplot" -o "$work/out/report.html" \
    "$src/samples/runs/load/load_stats.csv" 2> "$work/err" &
pid=$!
i=0
while [ -z "$(ls -A "$work/tmp")" ] && [ $i -lt 200 ]; do
    sleep 0.05
    i=$((i + 1))
done
if [ -z "$(ls -A "$work/tmp")" ]; then
    echo "FAIL: no chart work directory appeared in TMPDIR"
    cat "$work/err"
    exit 1
fi
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
fail=0
if [ "$status" -ne 143 ]; then
    echo "FAIL: exit status $status, expected 143 (killed by SIGTERM)"
    fail=1
fi
if [ -n "$(ls -A "$work/tmp")" ]; then
    echo "FAIL: left in TMPDIR:"
    ls -laR "$work/tmp"
    fail=1
fi
if [ -n "$(ls -A "$work/out")" ]; then
    echo "FAIL: left in the output directory:"
    ls -la "$work/out"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok: nothing left after SIGTERM"
exit "$fail"
