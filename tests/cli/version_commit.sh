#!/bin/sh
# --version names the version and the commit the tools were built from.
#   version_commit.sh CMAKE
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin).
#  1. ltk --version and every tool's --version print
#     "PROG (ltk) VERSION (commit C)", all with the same C;
#  2. C is "git describe --always --dirty" of the source tree now (when it is
#     a git checkout and git is installed), else "unknown";
#  3. cmake/commit.cmake itself: "unknown" for a tree that is not a git
#     checkout and for a folder inside someone else's repository, the hash
#     for a clean checkout, HASH-dirty once a tracked file changes.
set -u
cmake=$1
src=${LTK_SOURCE_DIR:?}
bin=${LTK_BIN:?}
fail=0
say() { echo "FAIL $*"; fail=1; }

version=$(sed -n 's/^project(ltk VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || say "no version in CMakeLists.txt's project()"

want=unknown
if command -v git >/dev/null 2>&1 &&
   [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$src" && pwd -P)" ]; then
    want=$(git -C "$src" describe --always --dirty)
fi

seen=""
for prog in ltk $(sed -n 's/^    { "\([a-z0-9-]*\)", ".*/\1/p' "$src/tools/ltk.c"); do
    [ "$prog" = ltk ] || prog=ltk-$prog
    line=$("$bin/$prog" --version) || say "$prog --version: exit $?"
    commit=$(printf '%s\n' "$line" | sed -n "s/^$prog (ltk) $version (commit \\(.*\\))\$/\\1/p")
    if [ -z "$commit" ]; then
        say "$prog --version: '$line', expected '$prog (ltk) $version (commit ...)'"
    elif [ "$commit" != "$want" ]; then
        say "$prog --version names commit '$commit' but the source tree is at '$want' (rebuild after a commit or an edit)"
    fi
    seen="$seen $prog"
done
echo "tools checked:$seen"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() {  # gen DIR: the LTK_COMMIT that cmake/commit.cmake writes for DIR
    "$cmake" -DSRC="$1" -DOUT="$tmp/commit.h" -P "$src/cmake/commit.cmake" || return 1
    sed -n 's/^#define LTK_COMMIT "\(.*\)"$/\1/p' "$tmp/commit.h"
}
mkdir "$tmp/tarball"
got=$(gen "$tmp/tarball")
[ "$got" = unknown ] || say "commit.cmake outside git: '$got', expected 'unknown'"
if command -v git >/dev/null 2>&1; then
    repo=$tmp/repo
    mkdir -p "$repo/sub"
    git -C "$repo" init -q
    echo one >"$repo/file"
    git -C "$repo" add file
    git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -m one
    hash=$(git -C "$repo" rev-parse --short HEAD)
    got=$(gen "$repo")
    [ "$got" = "$hash" ] || say "commit.cmake on a clean checkout: '$got', expected '$hash'"
    echo two >"$repo/file"
    got=$(gen "$repo")
    [ "$got" = "$hash-dirty" ] || say "commit.cmake after an edit: '$got', expected '$hash-dirty'"
    got=$(gen "$repo/sub")
    [ "$got" = unknown ] || say "commit.cmake in a folder inside another repository: '$got', expected 'unknown'"
else
    echo "git not installed: the checkout cases of commit.cmake are not run"
fi
[ "$fail" = 0 ] && echo "version_commit: ok (commit $want)"
exit $fail
