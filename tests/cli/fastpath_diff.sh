#!/bin/sh
# The plain-line split of raw request logs (lib/read/csv_reader.c) changes
# nothing: every log given is read by several ltk commands twice, once as
# ltk reads it and once with LTK_CSV_LIBCSV_ONLY=1 (libcsv reads every
# line), and the two must give the same standard output, standard error
# and exit status, byte for byte.
#   fastpath_diff.sh LTK GENLOG SET
# SET names the logs: "samples" (every raw log of samples/runs and
# tests/data/raw, and the bad-input corpus' raw logs), "adversarial"
# (tests/data/fastpath, their gzip, and long lines, NUL bytes and a 2 MB
# field made here), "genlog" (the bench's generator, bench/genlog.c, a small
# log of it, plain and gzip).  Each command also runs with --threads 2 (the
# split read) where the tool has it.  Run from the source tree
# (LTK_SOURCE_DIR).  At least one command of the set must succeed (that the
# split is taken at all, on which lines, is counted by unit_csv_reader).
set -u
ltk=${1:?usage: fastpath_diff.sh LTK GENLOG SET}
genlog=${2:?}
set_name=${3:?}
cd "${LTK_SOURCE_DIR:?}" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LTK_CSV_LIBCSV_ONLY

files=""
add() { for f in "$@"; do [ -f "$f" ] && files="$files $f"; done; }

case $set_name in
samples)
    add samples/runs/*/*_requests.csv tests/data/raw/* tests/data/bad/raw_*
    ;;
adversarial)
    add tests/data/fastpath/*
    for f in tests/data/fastpath/*; do
        gzip -c "$f" > "$tmp/$(basename "$f").gz"
        add "$tmp/$(basename "$f").gz"
    done
    h='timestamp,request_type,name,response_time,response_length,success,exception'
    # names longer than the reader's 64 KiB chunk, and a 2 MB field (over the limit)
    long=$(head -c 70000 /dev/zero | tr '\0' n)
    { echo "$h"; i=0; while [ $i -lt 30 ]; do
          echo "1795801502.$i,GET,/$long$((i % 3)),1$i.5,100,1,"; echo "1795801502.$i,GET,/a,$i,100,1,"; i=$((i + 1))
      done; } > "$tmp/long_lines_requests.csv"
    { echo "$h"; echo "1795801502.0,GET,/a,1,100,1,"; printf '1795801502.1,GET,/'
      head -c 2100000 /dev/zero | tr '\0' x; echo ",2,100,1,"; } > "$tmp/huge_field_requests.csv"
    # NUL bytes: in a row, and in the middle of a long clean log
    { echo "$h"; echo "1795801502.0,GET,/a,1,100,1,"; printf '1795801502.1,GET,/\000a,2,100,1,\n'; } > "$tmp/nul_requests.csv"
    { echo "$h"; i=0; while [ $i -lt 3000 ]; do echo "1795801502.$i,GET,/a,$i,100,1,"; i=$((i + 1)); done
      printf '1795801503.0,GET,/b,2,100,1,x\000\n'; echo "1795801503.1,GET,/a,3,100,1,"; } > "$tmp/late_nul_requests.csv"
    add "$tmp/long_lines_requests.csv" "$tmp/huge_field_requests.csv" "$tmp/nul_requests.csv" "$tmp/late_nul_requests.csv"
    ;;
genlog)
    "$genlog" 60000 600 > "$tmp/genlog_requests.csv" || exit 2
    gzip -c "$tmp/genlog_requests.csv" > "$tmp/genlog_requests.csv.gz"
    add "$tmp/genlog_requests.csv" "$tmp/genlog_requests.csv.gz"
    ;;
*)
    echo "fastpath_diff.sh: unknown set $set_name" >&2
    exit 2
    ;;
esac
[ -n "$files" ] || { echo "fastpath_diff.sh: no logs in set $set_name" >&2; exit 1; }

fail=0
runs=0
ok_runs=0
# same LABEL CMD...: runs CMD both ways, compares
same() {
    label=$1
    shift
    "$@" > "$tmp/a.out" 2> "$tmp/a.err"
    a=$?
    LTK_CSV_LIBCSV_ONLY=1 "$@" > "$tmp/b.out" 2> "$tmp/b.err"
    b=$?
    runs=$((runs + 1))
    if [ $a -ne $b ] || ! cmp -s "$tmp/a.out" "$tmp/b.out" || ! cmp -s "$tmp/a.err" "$tmp/b.err"; then
        echo "DIFFERENT: $label: $* (exit $a split, $b libcsv only)"
        diff "$tmp/a.out" "$tmp/b.out" | head -5 | cut -c1-300
        diff "$tmp/a.err" "$tmp/b.err" | head -5 | cut -c1-300
        fail=1
    fi
    [ $a -eq 0 ] && ok_runs=$((ok_runs + 1))
    return 0
}

for f in $files; do
    same "$f" "$ltk" stats --json "$f"
    same "$f" "$ltk" stats --json --threads 2 --method exact "$f"
    same "$f" "$ltk" stats --json --threads 2 --method locust --skip-bad --failures "$f"
    same "$f" "$ltk" stats --skip-bad --threads 1 --fold --max-names 3 "$f"
    same "$f" "$ltk" summarize "$f"
    same "$f" "$ltk" summarize --method exact --skip-bad --interval 10s "$f"
done

echo "fastpath_diff $set_name: $runs commands compared on $(echo $files | wc -w) logs, $ok_runs succeeded"
[ $ok_runs -gt 0 ] || { echo "no command succeeded: nothing was compared"; fail=1; }
exit $fail
