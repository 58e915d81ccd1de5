#!/bin/sh
# Installs the benchmark's peers (never needed by ltk itself):
# Miller, pandas and GNU time from Debian; DuckDB's Node API from npm into
# bench/.peers (bench-local).  As root for apt; otherwise prints the line.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
debs="miller python3-pandas time"
missing=""
for p in $debs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing="$missing $p"
done
# Node.js may come from elsewhere than Debian: ask Debian only when it is absent
command -v npm > /dev/null || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
    else
        echo "bench: run as root: apt-get install -y$missing" >&2
        exit 1
    fi
fi
if [ ! -d "$here/.peers/node_modules/@duckdb/node-api" ]; then
    npm install --silent --no-audit --no-fund --prefix "$here/.peers" @duckdb/node-api
fi
