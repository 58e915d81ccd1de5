#!/bin/sh
# End-to-end checks of behaviour a golden file cannot show: output files are
# written whole or not at all, write errors are failures, the dispatcher finds
# tools beside itself, colour follows the terminal rules.
set -u
src=${LTK_SOURCE_DIR:?}
bin=${LTK_BIN:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 2
fails=0
check() {  # check DESCRIPTION CONDITION...
    desc=$1
    shift
    if "$@"; then echo "ok   $desc"; else echo "FAIL $desc"; fails=$((fails + 1)); fi
}
module=samples/module/example_stats.csv

# -o writes the same bytes stdout would get, with no temporary file left over
"$bin/ltk-stats" --json "$module" >"$tmp/stdout.json" 2>/dev/null
"$bin/ltk-stats" --json -o "$tmp/out.json" "$module" 2>/dev/null
check "-o writes what stdout gets" cmp -s "$tmp/stdout.json" "$tmp/out.json"
check "-o leaves no temporary file" test "$(ls -A "$tmp" | wc -l)" -eq 2

# bad input: exit 2 and no output file at all
"$bin/ltk-stats" --json -o "$tmp/bad.json" tests/data/bad/ragged_stats.csv 2>"$tmp/err"
check "bad input exits 2" test $? -eq 2
check "bad input writes no file" test ! -e "$tmp/bad.json"
check "bad input names file and line" grep -q 'ragged_stats.csv:3: expected 22 fields, got 9' "$tmp/err"

# an existing file is replaced only on success
echo previous >"$tmp/keep.json"
"$bin/ltk-stats" --json -o "$tmp/keep.json" tests/data/bad/ragged_stats.csv 2>/dev/null
check "failed run keeps the old file" grep -qx previous "$tmp/keep.json"

# unwritable destinations and a full disk are errors
"$bin/ltk-stats" -o /nonexistent-dir/x.json "$module" 2>"$tmp/err"
check "missing directory exits 2" test $? -eq 2
check "missing directory is named" grep -q "/nonexistent-dir/x.json: cannot write" "$tmp/err"
"$bin/ltk-stats" --json -o /dev/full "$module" 2>"$tmp/err"
check "-o /dev/full exits 2" test $? -eq 2
"$bin/ltk-stats" --json "$module" >/dev/full 2>"$tmp/err"
check "stdout on a full disk exits 2" test $? -eq 2
check "full disk is reported" grep -q "No space left" "$tmp/err"

# a full disk on the temporary-file path: -o into a tmpfs that is already
# full must fail with exit 2 and leave no temporary file.  Needs a mount:
# in a user namespace (unshare -rm) or as root; skipped otherwise.
full_disk_case='
    mount -t tmpfs -o size=16k tmpfs "$1" || exit 77
    cat /dev/zero >"$1/fill" 2>/dev/null
    "$2/ltk-stats" --json --pretty -o "$1/out.json" "$3"
    echo "status $?"
    ls -A "$1"
'
mkdir -p "$tmp/tiny"
if unshare -rm true 2>/dev/null; then
    unshare -rm sh -c "$full_disk_case" sh "$tmp/tiny" "$bin" samples/runs/stress/stress >"$tmp/full" 2>&1
elif [ "$(id -u)" = 0 ]; then
    sh -c "$full_disk_case" sh "$tmp/tiny" "$bin" samples/runs/stress/stress >"$tmp/full" 2>&1
    umount "$tmp/tiny" 2>/dev/null
else
    echo "skip: full-disk case needs unshare -rm or root to mount a tmpfs" >"$tmp/full"
fi
if grep -q '^skip' "$tmp/full" || ! grep -q '^status' "$tmp/full"; then
    echo "skip full disk on a tmpfs: cannot mount one here ($(head -1 "$tmp/full"))"
else
    check "full tmpfs: -o exits 2" grep -qx 'status 2' "$tmp/full"
    check "full tmpfs: says no space" grep -q 'out.json: cannot write: No space left on device' "$tmp/full"
    check "full tmpfs: no temporary file left" test "$(sed -n '/^status/,$p' "$tmp/full" | tail -n +2)" = fill
fi

# the dispatcher runs tools found beside it, without PATH
PATH=/usr/bin:/bin "$bin/ltk" stats --brief "$module" >"$tmp/brief" 2>/dev/null
check "ltk finds ltk-stats beside itself" test "$(wc -l <"$tmp/brief")" -eq 3
PATH=/usr/bin:/bin "$bin/ltk" help stats >"$tmp/help" 2>&1
check "ltk help stats shows the tool's help" grep -q '^usage: ltk stats' "$tmp/help"
PATH=/usr/bin:/bin "$bin/ltk" ../../bin/sh 2>"$tmp/err"
check "ltk refuses path-like commands" test $? -eq 2

# colour only on request of a terminal; never in files or pipes
"$bin/ltk-stats" "$module" 2>/dev/null | grep -q "$(printf '\033')"
check "no colour in a pipe" test $? -ne 0
if command -v script >/dev/null 2>&1; then
    script -qec "$bin/ltk-stats $module" /dev/null >"$tmp/tty" 2>/dev/null
    check "colour on a terminal" grep -q "$(printf '\033')\[1m" "$tmp/tty"
    NO_COLOR=1 script -qec "$bin/ltk-stats $module" /dev/null >"$tmp/tty" 2>/dev/null
    check "NO_COLOR turns colour off" test "$(grep -c "$(printf '\033')" "$tmp/tty")" -eq 0
    script -qec "$bin/ltk-stats --no-color $module" /dev/null >"$tmp/tty" 2>/dev/null
    check "--no-color turns colour off" test "$(grep -c "$(printf '\033')" "$tmp/tty")" -eq 0
fi

# several inputs: a heading per run; JSON becomes an array
"$bin/ltk-stats" --brief "$module" "$module" >"$tmp/two" 2>/dev/null
check "several inputs get headings" test "$(grep -c '^==> ' "$tmp/two")" -eq 2
"$bin/ltk-stats" --json "$module" "$module" 2>/dev/null | head -c 1 >"$tmp/first"
check "several inputs give a JSON array" grep -q '^\[' "$tmp/first"

echo "$fails failed"
[ "$fails" -eq 0 ]
