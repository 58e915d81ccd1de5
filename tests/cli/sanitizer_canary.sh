#!/bin/sh
# Proves that the sanitizer build catches what it should, through Check's
# fork mode: tests/sanitizer_canary.c has a leak, a heap overflow and a
# signed overflow, each in its own forked test.  Each must fail its test and
# leave a report; the clean test must pass.
#   sanitizer_canary.sh CANARY_BINARY DETECT_LEAKS(0|1)
set -u
bin=${1:?usage: sanitizer_canary.sh BINARY DETECT_LEAKS}
leaks=${2:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {  # check DESCRIPTION CONDITION...
    desc=$1
    shift
    if "$@"; then echo "ok   $desc"; else echo "FAIL $desc"; fails=$((fails + 1)); fi
}
ASAN_OPTIONS=log_path=$tmp/san:detect_leaks=$leaks UBSAN_OPTIONS=log_path=$tmp/san:print_stacktrace=1 \
    "$bin" >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
# gcc's UBSan ignores log_path when linked with ASan and writes to stderr
cat "$tmp"/san.* "$tmp/out" >"$tmp/reports" 2>/dev/null
check "the suite fails" test "$status" -ne 0
check "the heap overflow fails its test" grep -q ':E:bugs:canary_heap_overflow:' "$tmp/out"
check "the heap overflow is reported" grep -q 'heap-buffer-overflow' "$tmp/reports"
check "the signed overflow fails its test" grep -q ':E:bugs:canary_signed_overflow:' "$tmp/out"
check "the signed overflow is reported" grep -q 'signed integer overflow' "$tmp/reports"
if [ "$leaks" = 1 ]; then
    check "the leak fails its test" grep -q ':E:bugs:canary_leak:' "$tmp/out"
    check "the leak is reported" grep -q 'detected memory leaks' "$tmp/reports"
else
    echo "skip the leak (LeakSanitizer does not work here; see the configure output)"
fi
check "the clean test passes" sh -c "! grep -q ':canary_clean:' '$tmp/out'"
echo "$fails failed"
[ "$fails" -eq 0 ]
