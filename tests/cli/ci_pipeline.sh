#!/bin/sh
# samples/ci/pipeline.sh end to end, as a CI job runs it (docs/ci.md).
# Environment: LTK_SOURCE_DIR (source tree), LTK_BIN (build/bin).
#  1. the bundled service as it is: Locust for 10 s on 127.0.0.1, ltk check
#     passes (junit.xml with no failure), ltk compare against the stored
#     baseline (samples/ci/baseline.ltk.json) finds no regression, exit 0, and
#     comment.md holds the report and the comparison;
#  2. the same service made slower (rag_server.py --query-median-ms 2500):
#     exit 1, ltk compare reports the /query p95 regression, and junit.xml,
#     compare.md and comment.md are still written for the CI to show;
#  3. a bad setting (LTK_CI_RUN_TIME=soon) is exit 2 before anything runs;
#  4. the GitHub Actions and GitLab CI jobs of samples/ci/ are valid YAML
#     (when python3-yaml is there), call the script, and docs/ci.md shows
#     them, and the script's usage, verbatim.
# Exit 77 (skipped) when Locust is not installed.
set -u
src=${LTK_SOURCE_DIR:?}
bin=${LTK_BIN:?}
locust=${LOCUST:-$(command -v locust || echo /usr/bin/locust)}
if [ ! -x "$locust" ]; then
    echo "ci_pipeline: SKIPPED: Locust not found (apt-get install -y python3-locust; make test installs it)"
    exit 77
fi
PATH=$bin:$PATH
export PATH LOCUST="$locust"
fail=0
say() { echo "FAIL $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pipeline=$src/samples/ci/pipeline.sh

# 1. healthy
(cd "$tmp" && LTK_CI_RUN_TIME=10s "$pipeline" ok) >"$tmp/ok.log" 2>&1
rc=$?
[ $rc = 0 ] || { say "the healthy run: exit $rc"; cat "$tmp/ok.log"; }
grep -q "^ltk-ci: ltk check (junit.xml): passed$" "$tmp/ok.log" || say "the healthy run: ltk check did not pass"
grep -q "^ltk-ci: ltk compare against the baseline (p95:+25%,error_rate:+1pp): passed$" "$tmp/ok.log" ||
    say "the healthy run: ltk compare did not pass"
for f in run_stats.csv run_stats_history.csv run_requests.csv current.ltk.json junit.xml check.txt compare.md \
    report.md comment.md; do
    [ -s "$tmp/ok/$f" ] || say "the healthy run wrote no $f"
done
grep -q "<testsuite" "$tmp/ok/junit.xml" && ! grep -q "<failure" "$tmp/ok/junit.xml" ||
    say "the healthy run's junit.xml is not a passing test suite"
head -1 "$tmp/ok/compare.md" | grep -q "^### Load test comparison: no regression" ||
    say "the healthy run's compare.md: $(head -1 "$tmp/ok/compare.md")"
grep -q "^### Load test PASS: run$" "$tmp/ok/comment.md" && grep -q "^### Load test comparison" "$tmp/ok/comment.md" ||
    say "the healthy run's comment.md lacks the report or the comparison: $(grep '^###' "$tmp/ok/comment.md")"
ltk stats "$tmp/ok/current.ltk.json" >/dev/null || say "current.ltk.json is not a summary ltk reads"
[ "$(ltk stats --json "$tmp/ok/current.ltk.json" | sed -n 's/.*"name":"Aggregated","requests":\([0-9]*\).*/\1/p')" -gt 20 ] 2>/dev/null ||
    say "the healthy run made too few requests: $(ltk stats "$tmp/ok/current.ltk.json" | tail -1)"
grep -q "127\.0\.0\.1" "$tmp/ok.log" || say "the stand-in server was not on 127.0.0.1"

# 2. a regression
(cd "$tmp" && LTK_CI_RUN_TIME=10s LTK_CI_SERVER_FLAGS="--query-median-ms 2500" "$pipeline" slow) >"$tmp/slow.log" 2>&1
rc=$?
[ $rc = 1 ] || { say "the slowed service: exit $rc, expected 1"; cat "$tmp/slow.log"; }
grep -q "^ltk-ci: ltk compare against the baseline (p95:+25%,error_rate:+1pp): FAILED$" "$tmp/slow.log" ||
    say "the slowed service: ltk compare did not fail"
head -1 "$tmp/slow/compare.md" | grep -q "^### Load test comparison: REGRESSION" ||
    say "the slowed service's compare.md: $(head -1 "$tmp/slow/compare.md")"
grep -q "^- POST /query: p95 ms: .* (gate p95:+25%)$" "$tmp/slow/compare.md" ||
    say "the slowed service's compare.md does not name the /query p95 regression"
grep -q "^### Load test comparison: REGRESSION" "$tmp/slow/comment.md" || say "the slowed service's comment.md lacks the comparison"
grep -q "^### Load test FAIL: run$" "$tmp/slow/comment.md" || say "the slowed service's report does not fail its criteria"
grep -q "<testsuite" "$tmp/slow/junit.xml" || say "the slowed service wrote no junit.xml"

# 3. a bad setting
(cd "$tmp" && LTK_CI_RUN_TIME=soon "$pipeline" bad) >"$tmp/bad.log" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "LTK_CI_RUN_TIME: expected a duration" "$tmp/bad.log" ||
    say "LTK_CI_RUN_TIME=soon: exit $rc: $(cat "$tmp/bad.log")"

# 4. the CI jobs and the page that shows them
py=$(command -v /usr/bin/python3 || command -v python3)
for job in github-actions.yml gitlab-ci.yml; do
    f=$src/samples/ci/$job
    grep -q "samples/ci/pipeline.sh ltk-ci" "$f" || say "$job does not call samples/ci/pipeline.sh"
    if "$py" -c 'import yaml' 2>/dev/null; then
        "$py" -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert isinstance(d, dict) and d' "$f" ||
            say "$job is not valid YAML"
    else
        echo "ci_pipeline: $job not parsed: no python3-yaml"
    fi
    "$py" - "$f" "$src/docs/ci.md" <<'EOF' || say "docs/ci.md does not show samples/ci/$job verbatim in a yaml block"
import sys
job, doc = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
sys.exit(0 if "```yaml\n" + job + "```\n" in doc else 1)
EOF
done
[ $fail = 0 ] && echo "ci_pipeline: ok (healthy run passes, slowed service fails the comparison)"
exit $fail
