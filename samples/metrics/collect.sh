#!/usr/bin/env bash
# collect.sh: sample the system under test into ltk's metrics CSV while a
# Locust run goes on, for ltk check/trend/diagnose/report --metrics.
#
#   collect.sh -p PID [-o FILE] [-i SECONDS] [-d SECONDS] [-q COMMAND]
#   collect.sh -c CONTAINER [-o FILE] [-i SECONDS] [-d SECONDS] [-q COMMAND]
#
#   -p PID        a process on this machine, read from /proc
#   -c CONTAINER  a Docker container, read with `docker stats --no-stream`
#   -o FILE       where to write (default metrics.csv); written as FILE.part
#                 and renamed when sampling ends, so FILE is never half-written
#   -i SECONDS    between samples (default 1)
#   -d SECONDS    stop after this long (default 14400, four hours: the
#                 module's soak); it also stops when the process exits
#   -q COMMAND    a command printing the queue depth (a number), run with sh -c
#                 at each sample: 'redis-cli llen jobs', 'curl -s .../queue'
#
# Columns (docs/metrics.md):
#   timestamp        Unix seconds with milliseconds
#   cpu_percent      CPU time used since the sample before / time passed, in
#                    percent of one core (a process using two cores shows 200)
#   mem_mb           resident memory (VmRSS; docker: the container's usage), MiB
#   mem_percent      that share of the machine's memory (docker: of its limit)
#   connections      -p: open sockets of the process (fds that are sockets)
#   net_rx_bytes     bytes received, a counter (ltk turns it into a rate):
#   net_tx_bytes     -p: of the process's network namespace, every interface
#                    but lo (a host process shares the host's); -c: the
#                    container's NetIO
#   queue_depth      with -q only
# Stop it with SIGINT or SIGTERM (kill PID_OF_COLLECT): the file is finished.
set -u

usage() {
    sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

pid='' container='' out='metrics.csv' interval=1 duration=14400 queue_cmd=''
while getopts 'p:c:o:i:d:q:h' opt; do
    case $opt in
    p) pid=$OPTARG ;;
    c) container=$OPTARG ;;
    o) out=$OPTARG ;;
    i) interval=$OPTARG ;;
    d) duration=$OPTARG ;;
    q) queue_cmd=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
fail() {
    echo "collect.sh: $*" >&2
    exit 2
}
if [ -n "$pid" ] && [ -n "$container" ]; then fail "give -p PID or -c CONTAINER, not both"; fi
if [ -z "$pid" ] && [ -z "$container" ]; then usage; fi
case $interval in '' | *[!0-9.]* | *.*.*) fail "-i: expected seconds, got '$interval'" ;; esac
case $duration in '' | *[!0-9]*) fail "-d: expected whole seconds, got '$duration'" ;; esac
awk -v i="$interval" 'BEGIN { exit !(i > 0) }' || fail "-i: the interval must be above 0"
if [ -n "$pid" ]; then
    case $pid in *[!0-9]*) fail "-p: expected a process id, got '$pid'" ;; esac
    [ -r "/proc/$pid/stat" ] || fail "-p $pid: no such process (or /proc is not readable)"
else
    command -v docker >/dev/null 2>&1 || fail "-c: docker is not installed here; sample the container's main process with -p instead"
    docker inspect --type container "$container" >/dev/null 2>&1 || fail "-c $container: no such running container"
fi

part="$out.part"
: >"$part" || fail "cannot write $part"
finish() {
    mv -f "$part" "$out" && echo "collect.sh: wrote $out ($(($(wc -l <"$out") - 1)) samples)" >&2
    exit 0
}
trap finish INT TERM

now() { date +%s.%N | cut -c1-14; }
queue() {
    [ -n "$queue_cmd" ] || return 0
    local q
    q=$(sh -c "$queue_cmd" 2>/dev/null | head -n 1 | tr -d ' \r')
    case $q in '' | *[!0-9.]*) echo "collect.sh: warning: -q printed no number; queue_depth 0" >&2; q=0 ;; esac
    printf ',%s' "$q"
}
qhead() { [ -n "$queue_cmd" ] && printf ',queue_depth'; }

start=$(now)
if [ -n "$pid" ]; then
    hz=$(getconf CLK_TCK)
    total_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
    echo "timestamp,cpu_percent,mem_mb,mem_percent,connections,net_rx_bytes,net_tx_bytes$(qhead)" >>"$part"
    prev_ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || finish
    prev_t=$start
    while sleep "$interval"; do
        t=$(now)
        ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || break
        rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
        [ -n "$ticks" ] && [ -n "$rss_kb" ] || break
        socks=$(ls -l "/proc/$pid/fd" 2>/dev/null | grep -c 'socket:\[')
        net=$(awk 'NR > 2 { sub(/^ */, ""); split($0, a, /:? +|:/); if (a[1] != "lo") { rx += a[2]; tx += a[10] } }
                   END { printf "%.0f,%.0f", rx, tx }' "/proc/$pid/net/dev" 2>/dev/null)
        [ -n "$net" ] || break   # the process is gone (its /proc entry with it)
        awk -v t="$t" -v pt="$prev_t" -v c="$ticks" -v pc="$prev_ticks" -v hz="$hz" -v rss="$rss_kb" \
            -v tot="$total_kb" -v s="$socks" -v net="$net" -v q="$(queue)" 'BEGIN {
                dt = t - pt; if (dt <= 0) dt = 1
                printf "%.3f,%.1f,%.1f,%.2f,%d,%s%s\n", t, 100 * (c - pc) / hz / dt, rss / 1024,
                       100 * rss / tot, s, net, q
            }' >>"$part"
        prev_ticks=$ticks
        prev_t=$t
        awk -v t="$t" -v s="$start" -v d="$duration" 'BEGIN { exit !(t - s >= d) }' && break
    done
else
    # docker stats prints sizes as 12.3MiB / 1.9GiB and 1.2kB / 3.4MB: to MiB and bytes
    echo "timestamp,cpu_percent,mem_mb,mem_percent,net_rx_bytes,net_tx_bytes$(qhead)" >>"$part"
    while :; do
        line=$(docker stats --no-stream --format '{{.CPUPerc}};{{.MemUsage}};{{.MemPerc}};{{.NetIO}}' "$container" 2>/dev/null) || break
        [ -n "$line" ] || break
        t=$(now)
        echo "$line" | awk -v t="$t" -v q="$(queue)" -F';' '
            function bytes(s,   n, u) {
                gsub(/ /, "", s); n = s + 0; u = s; sub(/^[0-9.]+/, "", u)
                if (u == "kB") return n * 1000; if (u == "MB") return n * 1e6; if (u == "GB") return n * 1e9
                if (u == "KiB") return n * 1024; if (u == "MiB") return n * 1048576; if (u == "GiB") return n * 1073741824
                return n
            }
            {
                sub(/%/, "", $1); sub(/%/, "", $3); split($2, m, "/"); split($4, n, "/")
                printf "%.3f,%.2f,%.1f,%.2f,%.0f,%.0f%s\n", t, $1, bytes(m[1]) / 1048576, $3, bytes(n[1]), bytes(n[2]), q
            }' >>"$part"
        awk -v t="$t" -v s="$start" -v d="$duration" 'BEGIN { exit !(t - s >= d) }' && break
        sleep "$interval"
    done
fi
finish
