#!/bin/sh
# Runs one ltk command from the source tree and compares its standard output,
# standard error and exit status with tests/golden/NAME.{out,err,status}.
#   golden.sh NAME COMMAND [ARGS...]
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin),
# LTK_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing,
# LTK_GOLDEN_CWD runs the command there instead of in the source tree (for
# inputs generated at test time), LTK_VALGRIND is a command prefix such as
# "valgrind -q --error-exitcode=99 ..." (the memcheck tests): its reports
# land in stderr and its exit status in status, so both fail the comparison.
# LTK_GOLDEN_FILTER is a sed -E script applied to stdout and stderr before
# they are compared or stored (for what may differ between builds, such as
# the commit --version names).
set -u
name=$1
shift
src=${LTK_SOURCE_DIR:?}
gold=$src/tests/golden/$name
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "${LTK_GOLDEN_CWD:-$src}" || exit 2
# shellcheck disable=SC2086
PATH=$LTK_BIN:$PATH NO_COLOR= ${LTK_VALGRIND:-} "$@" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/status"
if [ -n "${LTK_VALGRIND:-}" ]; then
    # valgrind runs a traced child as its full path, which getopt's messages show
    sed "s|^$LTK_BIN/||" "$tmp/err" >"$tmp/err.v" && mv "$tmp/err.v" "$tmp/err"
fi
if [ -n "${LTK_GOLDEN_FILTER:-}" ]; then
    for part in out err; do
        sed -E "$LTK_GOLDEN_FILTER" "$tmp/$part" >"$tmp/$part.f" && mv "$tmp/$part.f" "$tmp/$part"
    done
fi
if [ "${LTK_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/out" "$gold.out"
    cp "$tmp/err" "$gold.err"
    cp "$tmp/status" "$gold.status"
    echo "updated $gold.*"
    exit 0
fi
fail=0
for part in status out err; do
    if [ ! -f "$gold.$part" ]; then
        echo "missing golden file $gold.$part (run 'make golden')"
        fail=1
    elif ! cmp -s "$gold.$part" "$tmp/$part"; then
        echo "--- $name: $part differs from tests/golden/$name.$part:"
        diff -u "$gold.$part" "$tmp/$part" | head -40
        fail=1
    fi
done
exit $fail
