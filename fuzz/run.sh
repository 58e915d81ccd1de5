#!/bin/sh
# Runs the libFuzzer harnesses of a fuzz build (cmake -DLTK_FUZZ=ON).
#   fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]
# Each harness fuzzes for SECONDS, JOBS at a time (default: the number of
# CPUs), seeded from the files its source names on its first line
# ("// seeds: GLOB..."), with the libFuzzer flags of its optional second
# line ("// options: -max_len=8192") and fuzz/HARNESS.dict when present.
# The corpus found so far is kept in BUILD_DIR/fuzz-work/corpus/HARNESS and
# reused by the next run; a crashing input is written to
# BUILD_DIR/fuzz-work/artifacts/ and the run fails.  One summary line per
# harness: executions, coverage (edges), corpus size.
# Extra libFuzzer flags can be given in FUZZ_FLAGS.
set -u
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]}
secs=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]}
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
work=$build/fuzz-work
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

if [ "${FUZZ_ONE:-}" = 1 ]; then
    # one harness (called through xargs below)
    name=$1
    bin=$build/fuzz/$name
    seeds=$work/seeds/$name
    corpus=$work/corpus/$name
    rm -rf "$seeds"
    mkdir -p "$seeds" "$corpus" "$work/artifacts" "$work/logs"
    cd "$src" || exit 2
    globs=$(sed -n '1s|^// seeds: ||p' "fuzz/$name.c")
    for f in $globs; do
        [ -f "$f" ] && cp "$f" "$seeds/$(echo "$f" | tr / _)"
    done
    opts=$(sed -n '2s|^// options: ||p' "fuzz/$name.c")
    dict=
    [ -f "fuzz/$name.dict" ] && dict=-dict=fuzz/$name.dict
    log=$work/logs/$name.log
    t0=$(date +%s)
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$name-" $opts $dict ${FUZZ_FLAGS:-} "$corpus" "$seeds" >"$log" 2>&1
    rc=$?
    took=$(($(date +%s) - t0))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ncorp=$(ls "$corpus" | wc -l)
    if [ "$rc" -eq 0 ]; then
        printf 'fuzz %-24s ok    %10s execs in %ss, cov %s, ft %s, corpus %s\n' \
            "$name" "${execs:-?}" "$took" "${cov:-?}" "${ft:-?}" "$ncorp"
        exit 0
    fi
    printf 'fuzz %-24s FAIL  (exit %s) after %s execs; log %s\n' "$name" "$rc" "${execs:-?}" "$log"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal' "$log" | head -12 | sed 's/^/    /'
    echo "    reproduce: $bin <artifact>; then add the input as a regression test (tests/data/bad/ or a Check case)"
    exit 1
fi

if [ $# -eq 0 ]; then
    set -- $(cd "$build/fuzz" && ls fuzz_* 2>/dev/null | grep -v '\.' )
fi
if [ $# -eq 0 ]; then
    echo "fuzz: no harnesses in $build/fuzz (build with -DLTK_FUZZ=ON)"
    exit 2
fi
echo "fuzz: $# harnesses, ${secs}s each, $jobs at a time"
printf '%s\n' "$@" | FUZZ_ONE=1 xargs -P "$jobs" -I{} sh "$0" "$build" "$secs" {}
