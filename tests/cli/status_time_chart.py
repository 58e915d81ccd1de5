#!/usr/bin/env python3
"""The report's "HTTP status classes over time" chart, end to end: for raw
logs with codes (a JTL, k6's CSV, the Locust hook log of the status sample)
and a summary of one, the chart's data block (what the page draws and its
hover shows) holds requests/s per class in each window; times each
window's seconds they must add up to `ltk stats --status --json`'s counts by
class, class by class, and its windows are those of the error-rate chart.
With --only there is no such chart and the section says why; Locust's CSV has
none.

    status_time_chart.py LTK_BIN_DIR SOURCE_DIR
Exit status 77 (ctest SKIP_RETURN_CODE) when gnuplot is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
if not shutil.which("gnuplot"):
    print("gnuplot is not installed: skipped")
    sys.exit(77)
LTK = os.path.join(BIN, "ltk")
CLASSES = ["2xx", "3xx", "4xx", "5xx", "other"]
fails = []


def ltk(*args):
    p = subprocess.run([LTK, *args], capture_output=True, text=True, cwd=SRC)
    if p.returncode != 0:
        print("ltk", *args, "failed:", p.stderr)
        sys.exit(1)
    return p.stdout


def plot(page, chart):
    """The data block of figure chart-<chart>, or None when the page has none."""
    m = re.search(r'<figure class="chart" id="chart-%s".*?<script type="application/json" class="ltk-plot"[^>]*>'
                  r'(.*?)</script>' % re.escape(chart), page, re.S)
    return json.loads(m.group(1)) if m else None


def report(tmp, *args):
    out = os.path.join(tmp, "r.html")
    ltk("report", "-o", out, *args)
    return open(out, encoding="utf-8").read()


with tempfile.TemporaryDirectory() as tmp:
    summary = os.path.join(tmp, "s.ltk.json")
    ltk("summarize", "-o", summary, "samples/runs/status/status_requests.csv")
    for inp in ["samples/raw/jmeter/search.jtl", "samples/raw/k6/search.csv",
                "samples/runs/status/status_requests.csv", summary]:
        want = json.loads(ltk("stats", "--status", "--json", inp))["total"]["status"]["classes"]
        page = report(tmp, inp)
        d, err = plot(page, "status_time"), plot(page, "error_rate")
        if d is None:
            fails.append(f"{inp}: no status_time chart")
            continue
        xs = err["series"][0]["x"]
        width = xs[1] - xs[0] if len(xs) > 1 else 2 * xs[0]   # windows are centred: x = (w + 0.5) width
        for s in d["series"]:
            if s["x"] != xs:
                fails.append(f"{inp}: {s['title']}: windows differ from the error-rate chart's")
        drawn = {s["title"]: s for s in d["series"]}
        for c in CLASSES:
            n = want[c]
            if c not in drawn:
                if n:
                    fails.append(f"{inp}: class {c} ({n} requests) not drawn")
                continue
            ys = [y or 0 for y in drawn[c]["y"]]
            # every window but the last covers its whole width: rate x width is a count
            counts = [y * width for y in ys[:-1]]
            if any(abs(k - round(k)) > 1e-6 for k in counts):
                fails.append(f"{inp}: {c}: a window's rate x {width} s is not a count: {counts}")
            rest = n - round(sum(counts))
            # the last: what is left, over the whole seconds it covers (at most the width)
            if ys[-1] == 0:
                ok = rest == 0
            else:
                covered = rest / ys[-1]
                ok = rest > 0 and 0 < covered <= width + 1e-6 and abs(covered - round(covered)) < 1e-6
            if not ok:
                fails.append(f"{inp}: {c}: the windows do not add up to ltk stats' {n} requests "
                             f"({round(sum(counts))} before the last window, which shows {ys[-1]}/s)")
    # --only: no chart, and why
    page = report(tmp, "--only", "Login", "samples/raw/jmeter/search.jtl")
    if plot(page, "status_time") is not None:
        fails.append("--only: a status_time chart")
    if "with --only or --exclude" not in page:
        fails.append("--only: the section does not say why there is no chart")
    page = report(tmp, "samples/runs/ratelimit/ratelimit")
    if plot(page, "status_time") is not None:
        fails.append("Locust CSV: a status_time chart")

for f in fails:
    print("FAIL", f)
if fails:
    sys.exit(1)
print("ok: the status classes over time add up to ltk stats' counts by class")
