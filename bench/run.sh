#!/bin/sh
# The benchmark: ltk stats against the tools a user would pick instead, on
# the same generated Locust hook log, in the same run.
#
#   bench/run.sh [ROWS] [REPEAT]      (default 10000000 rows, best of 3)
#
# Generates bench/.work/requests_ROWS.csv once (bench/genlog.c, deterministic;
# 10M rows, about 480 MB over one hour), then runs, each REPEAT times, and
# keeps the fastest wall time and the largest peak RSS (GNU time):
#   ltk      ltk stats --json FILE   (hdr: per-endpoint percentiles and the
#            1 s per-endpoint series), with its default threads and with 1
#   duckdb   read_csv + quantile_cont(response_time, ...) group by name
#   pandas   read_csv(usecols=[name, response_time]) + groupby().quantile
#   miller   mlr --icsv --ojson stats1 -a p50,p95,p99 -f response_time -g name
# and ltk on a tenth of the rows over the same hour (RSS flat in row count?),
# and csvwalk (libcsv alone, doing nothing with the fields: the floor of a
# reader that gives every byte to libcsv) and csvwalk memchr (line ends
# found with memchr alone: the floor of reading the file and looking at each
# byte once; ltk splits most lines without libcsv, docs/raw-logs.md).
# Then long logs (BENCH_LONG=0 skips them): 5 million requests over 24 hours
# and over 7 days, ltk stats, ltk report, ltk summarize, ltk stats of that
# summary and of the log's gzip on each (wall and peak RSS; the automatic
# interval keeps memory flat in the run's length: target <= 128 MB), and
# the size of the report with its charts (target <= 2 MB).
# Prints a Markdown table with the ratios and whether the targets hold.
# Peers come from bench/setup.sh (make bench runs it); a missing one is
# skipped with a note.  Not part of make test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
rows=${1:-10000000}
repeat=${2:-3}
work=${BENCH_WORK:-$here/.work}
ltk=${LTK:-$root/build/bin/ltk}
mkdir -p "$work"
cc -O2 -o "$work/genlog" "$here/genlog.c" -lm
cc -O2 -pthread -o "$work/csvwalk" "$here/csvwalk.c" -lcsv
file=$work/requests_$rows.csv
small=$work/requests_$((rows / 10)).csv
for f in "$file:$rows" "$small:$((rows / 10))"; do
    path=${f%%:*}
    n=${f##*:}
    if [ ! -s "$path" ]; then
        echo "bench: generating $n rows into $path" >&2
        "$work/genlog" "$n" > "$path.tmp" && mv "$path.tmp" "$path"
    fi
done
cat "$file" "$small" > /dev/null     # into the page cache: every tool reads from memory

# run NAME CMD...: best wall time and largest RSS of REPEAT runs -> $wall $rss
run() {
    name=$1
    shift
    wall=""
    rss=0
    i=0
    while [ $i -lt "$repeat" ]; do
        if ! /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
            echo "bench: $name failed:" >&2
            tail -3 "$work/$name.err" >&2
            wall=failed
            return
        fi
        w=$(tail -1 "$work/$name.time" | cut -d' ' -f1)
        m=$(tail -1 "$work/$name.time" | cut -d' ' -f2)
        if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall=$w; fi
        if [ "$m" -gt "$rss" ]; then rss=$m; fi
        i=$((i + 1))
    done
}

results=""
add() {   # add NAME: appends "name wall rss_kb"
    results="$results$1 $wall $rss
"
}

run ltk "$ltk" stats --json "$file"; add ltk
run ltk_1thread "$ltk" stats --json --threads 1 "$file"; add ltk_1thread
run ltk_tenth "$ltk" stats --json "$small"; add ltk_tenth_rows
# the floor under any reader built on libcsv: libcsv walking the file and
# doing nothing with the fields, on two halves at once and on one thread
run libcsv_alone "$work/csvwalk" "$file" 2; add libcsv_alone_2threads
run libcsv_alone_1 "$work/csvwalk" "$file" 1; add libcsv_alone_1thread
# the I/O-and-scan floor: memchr for the line ends, two halves at once
run memchr_walk "$work/csvwalk" "$file" 2 memchr; add memchr_walk_2threads
run ltk_exact "$ltk" stats --json --method exact "$file"; add ltk_exact
run ltk_locust "$ltk" stats --json --method locust "$file"; add ltk_locust
if [ -d "$here/.peers/node_modules/@duckdb/node-api" ]; then
    cp "$here/duckdb_stats.mjs" "$here/.peers/"
    run duckdb node "$here/.peers/duckdb_stats.mjs" "$file"; add duckdb
else
    echo "bench: DuckDB not installed (bench/setup.sh): skipped" >&2
fi
if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
    run pandas /usr/bin/python3 "$here/pandas_stats.py" "$file"; add pandas
else
    echo "bench: pandas not installed: skipped" >&2
fi
if command -v mlr > /dev/null; then
    run miller mlr --icsv --ojson stats1 -a p50,p95,p99 -f response_time -g name "$file"; add miller
else
    echo "bench: miller not installed: skipped" >&2
fi

long=""
pages=""
if [ "${BENCH_LONG:-1}" != 0 ]; then
    for spec in 24h:86400 7d:604800; do
        tag=${spec%%:*}
        secs=${spec##*:}
        lpath=$work/requests_5000000_$tag.csv
        if [ ! -s "$lpath" ]; then
            echo "bench: generating 5000000 rows over $secs s into $lpath" >&2
            "$work/genlog" 5000000 "$secs" > "$lpath.tmp" && mv "$lpath.tmp" "$lpath"
        fi
        cat "$lpath" > /dev/null
        run "stats_$tag" "$ltk" stats --json "$lpath"
        long="$long$tag stats $wall $rss
"
        run "report_$tag" "$ltk" report --no-charts -o "$work/report_$tag.html" "$lpath"
        long="$long$tag report $wall $rss
"
        run "summarize_$tag" "$ltk" summarize -o "$work/summary_$tag.ltk.json" "$lpath"
        long="$long$tag summarize $wall $rss
"
        run "summary_stats_$tag" "$ltk" stats --json "$work/summary_$tag.ltk.json"
        long="$long$tag stats_of_summary $wall $rss
"
        # two workers' summaries of the same length (the same one twice)
        run "merge_$tag" "$ltk" merge -o "$work/merged_$tag.ltk.json" "$work/summary_$tag.ltk.json" \
            "$work/summary_$tag.ltk.json"
        long="$long$tag merge_of_two $wall $rss
"
        if [ ! -s "$lpath.gz" ]; then
            gzip -1 -c "$lpath" > "$lpath.gz.tmp" && mv "$lpath.gz.tmp" "$lpath.gz"
        fi
        run "gzip_stats_$tag" "$ltk" stats --json "$lpath.gz"
        long="$long$tag stats_of_gzip $wall $rss
"
        # the page a person opens, charts drawn (its size; wall and RSS of ltk alone are above)
        "$ltk" report -o "$work/report_charts_$tag.html" "$lpath" 2> /dev/null &&
            pages="$pages$tag $(wc -c < "$work/report_charts_$tag.html")
"
    done
fi

echo "file: $file ($rows rows, $(du -mL "$file" | cut -f1) MB); $(nproc) cores; $(uname -m); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | wall (s) | peak RSS (MB) | ltk wall / tool wall | ltk RSS / tool RSS |"
echo "|---|---:|---:|---:|---:|"
ltk_wall=$(echo "$results" | awk '$1 == "ltk" { print $2 }')
ltk_rss=$(echo "$results" | awk '$1 == "ltk" { print $3 }')
echo "$results" | awk -v lw="$ltk_wall" -v lr="$ltk_rss" 'NF == 3 {
    if ($2 == "failed") { printf "| %s | failed | | | |\n", $1; next }
    printf "| %s | %.2f | %.0f | %.2f | %.2f |\n", $1, $2, $3 / 1024, lw / $2, lr / $3 }'
echo
duck=$(echo "$results" | awk '$1 == "duckdb" { print $2 }')
if [ -n "$duck" ] && [ "$duck" != failed ]; then
    echo "$ltk_wall $duck" | awk '{ printf "ltk (hdr, two threads) / DuckDB: %.2f; target <= 0.40 (issue #18): %s (%.2f s vs %.2f s allowed; stretch 0.30: %s)\n", $1 / $2, ($1 <= 0.4 * $2 ? "met" : "NOT met"), $1, 0.4 * $2, ($1 <= 0.3 * $2 ? "met" : "not met") }'
fi
mfloor=$(echo "$results" | awk '$1 == "memchr_walk_2threads" { print $2 }')
if [ -n "$duck" ] && [ "$duck" != failed ] && [ -n "$mfloor" ] && [ "$mfloor" != failed ]; then
    echo "$mfloor $duck $ltk_wall" | awk '{ printf "memchr walk (I/O and scan floor, two threads) takes %.2f of DuckDB'"'"'s time; ltk is %.1f x that floor\n", $1 / $2, $3 / $1 }'
fi
floor=$(echo "$results" | awk '$1 == "libcsv_alone_2threads" { print $2 }')
if [ -n "$duck" ] && [ "$duck" != failed ] && [ -n "$floor" ] && [ "$floor" != failed ]; then
    echo "$floor $duck $ltk_wall $rows" | awk '{ printf "libcsv alone takes %.2f of DuckDB'"'"'s time on two threads (ltk now gives it only the lines with quotes, CRs or anything unusual)\n", $1 / $2 }'
fi
echo "$ltk_rss" | awk '{ printf "target RSS <= 64 MB: %s (%.0f MB)\n", ($1 <= 65536 ? "met" : "NOT met"), $1 / 1024 }'
tenth=$(echo "$results" | awk '$1 == "ltk_tenth_rows" { print $3 }')
echo "$ltk_rss $tenth" | awk '{ printf "RSS at 1/10 of the rows (same hour): %.0f MB, at all: %.0f MB\n", $2 / 1024, $1 / 1024 }'
if [ -n "$long" ]; then
    echo
    echo "Long logs, 5 million requests each (bench/genlog.c):"
    echo
    echo "| log | ltk command | wall (s) | peak RSS (MB) | RSS <= 128 MB |"
    echo "|---|---|---:|---:|---|"
    echo "$long" | awk 'NF == 4 {
        if ($3 == "failed") { printf "| %s | %s | failed | | |\n", $1, $2; next }
        printf "| %s | %s | %.2f | %.0f | %s |\n", $1, $2, $3, $4 / 1024, ($4 <= 131072 ? "met" : "NOT met") }'
    if [ -n "$pages" ]; then
        echo
        echo "$pages" | awk 'NF == 2 { printf "report with charts of the %s log: %.2f MB (target <= 2 MB: %s)\n", $1, $2 / 1048576, ($2 <= 2097152 ? "met" : "NOT met") }'
    fi
fi
