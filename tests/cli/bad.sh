#!/bin/sh
# One case of the bad-input corpus: the command's stdout, stderr and exit
# status must equal tests/golden/NAME.*, and when it fails (exit 2) it must
# leave no output file: run again with -o into an empty directory (and
# --junit for ltk check), that directory must stay empty.
#   bad.sh NAME GENERATOR COMMAND [ARGS...]
# GENERATOR is "-" for inputs committed under tests/ (the command runs in
# the source tree), or one of the generators below, which writes the input
# into a fresh directory where the command then runs, so that large or
# special inputs (10 MB fields, FIFOs) are made at test time, not committed.
# Environment as for golden.sh (LTK_SOURCE_DIR, LTK_BIN, LTK_VALGRIND).
set -u
name=$1
gen=$2
shift 2
src=${LTK_SOURCE_DIR:?}
tmp=$(mktemp -d)
writers=
trap 'for p in $writers; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
work=$tmp/work
mkdir -p "$work" "$tmp/out"

header='Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%'
row='1,0,2,2.18,1.27,6.86,33.8,0.2,0.0,2,2,2,2,3,7,7,7,7,7,7'

# "n" bytes of the letter x, without a line end
xs() { head -c "$1" /dev/zero | tr '\0' x; }

generate() {
    cd "$work" || exit 2
    case $gen in
    -) ;;
    big_field)        # a 10 MB endpoint name
        { printf '%s\r\nGET,/' "$header"; xs 10000000; printf ',%s\r\n' "$row"; } >big_field_stats.csv ;;
    long_header)      # a 1 MB first line without a line end
        xs 1000000 >long_header_stats.csv ;;
    long_last_line)   # a 1 MB last line without a line end
        { printf '%s\r\n' "$header"; xs 1000000; } >long_last_line_stats.csv ;;
    many_fields)      # 5000 fields in one row
        { printf '%s\r\nGET' "$header"; i=0; while [ $i -lt 5000 ]; do printf ','; i=$((i + 1)); done; printf '\r\n'; } \
            >many_fields_stats.csv ;;
    many_endpoints)   # 100 000 distinct endpoint names (URLs with ids not grouped by name=)
        { printf '%s\r\n' "$header"
          awk -v row="$row" 'BEGIN { for (i = 0; i < 100000; i++) printf "GET,/item/%06d,%s\r\n", i, row }'
          printf ',Aggregated,100000,0,2,2.18,1.27,6.86,33.8,2000.0,0.0,2,2,2,2,3,7,7,7,7,7,7\r\n'; } \
            >many_endpoints_stats.csv ;;
    many_names_raw)   # a raw log of 100 000 requests to distinct names (past --max-names)
        { printf 'timestamp,request_type,name,response_time,response_length,success,exception\n'
          awk 'BEGIN { for (i = 0; i < 100000; i++)
                         printf "%.3f,GET,/item/%06d,%d.5,10,%d,%s\n", 1795805315 + i / 1000, i, i % 97, i % 10 != 0,
                                i % 10 ? "" : "HTTPError(\x27500\x27)" }'; } >many_names_requests.csv ;;
    fifo_cut)         # a pipe whose writer stops in the middle of a row
        mkfifo fifo_stats.csv
        head -c 300 "$src/samples/module/example_stats.csv" >fifo_stats.csv &
        writers="$writers $!" ;;
    fifo_history_cut) # the same for the append-only history: a warning
        mkfifo fifo_stats_history.csv
        head -c 2000 "$src/samples/runs/smoke/smoke_stats_history.csv" >fifo_stats_history.csv &
        writers="$writers $!" ;;
    pipe_unnamed)     # a pipe without a telling name: the kind is sniffed from a copy
        mkfifo pipe
        cat "$src/samples/module/example_stats.csv" >pipe &
        writers="$writers $!" ;;
    sample)           # a good input, for output errors
        cp "$src/samples/runs/smoke/smoke_stats.csv" run_stats.csv
        mkdir -p a_directory ;;
    *) echo "bad.sh: unknown generator '$gen'"; exit 2 ;;
    esac
    cd "$src" || exit 2
}

cwd=$src
[ "$gen" = - ] || cwd=$work
generate
LTK_GOLDEN_CWD=$cwd sh "$src/tests/cli/golden.sh" "$name" "$@" || exit 1
[ "${LTK_UPDATE_GOLDEN:-}" = 1 ] && exit 0
status=$(cat "$src/tests/golden/$name.status")
[ "$status" = 2 ] || exit 0
case " $* " in *" -o "* | *" --junit "*) exit 0 ;; esac  # an output case already

# the failing command again, asked to write files: none may appear
generate
extra=
case " $* " in *" check "*) extra="--junit $tmp/out/junit.xml" ;; esac
cd "$cwd" || exit 2
# shellcheck disable=SC2086
PATH=$LTK_BIN:$PATH ${LTK_VALGRIND:-} "$@" -o "$tmp/out/report" $extra >/dev/null 2>"$tmp/err"
got=$?
if [ "$got" != 2 ]; then
    echo "--- $name: with -o it exits $got, not 2"
    cat "$tmp/err"
    exit 1
fi
if [ -n "$(ls -A "$tmp/out")" ]; then
    echo "--- $name: a failed run left files behind:"
    ls -la "$tmp/out"
    exit 1
fi
exit 0
