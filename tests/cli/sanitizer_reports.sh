#!/bin/sh
# The last test of a sanitizer build (a CTest fixture cleanup): every test
# ran with ASAN_OPTIONS/UBSAN_OPTIONS log_path=DIR/TESTNAME, so any report
# from any process -- a tool, a forked Check child, a tool a Python check
# started -- is a file here.  Fails, printing them, when there is one.
#   sanitizer_reports.sh DIR
set -u
dir=${1:?usage: sanitizer_reports.sh DIR}
if [ ! -d "$dir" ]; then
    echo "no $dir: the sanitizer_logs_reset fixture did not run"
    exit 1
fi
n=$(find "$dir" -type f | wc -l)
if [ "$n" -eq 0 ]; then
    echo "no sanitizer reports"
    exit 0
fi
echo "$n sanitizer report(s):"
for f in $(find "$dir" -type f | sort); do
    echo "==== $(basename "$f")"
    head -60 "$f"
done
exit 1
