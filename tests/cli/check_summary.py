#!/usr/bin/env python3
"""Summaries merge exactly, and read back like the logs they summarise.

For every sample log and every method:
  1. `ltk stats --json SUMMARY` equals `ltk stats --json LOG` (but for the
     fields naming the input: run, sources, raw_log); and for two runs with
     users, `ltk report --format json` (built from the per-interval history).
  2. Split at a row boundary (the rows re-written by Python's csv module, so
     quoted newlines stay inside their field): `ltk merge` of the halves'
     summaries is byte-identical to `ltk summarize` of both halves, and equal
     to the summary of the whole but for "sources".
  3. Split by time (rows before / from the median timestamp, each half in file
     order): the merge equals the whole after canonicalisation: sources
     dropped, endpoints and failure groups sorted (cells renumbered).  Order of
     first sight is all that differs, and it only matters past --max-names.
Also: a JMeter log and a k6 log merge like their summaries together; a merge
across different methods or intervals is refused (exit 2, a message); three
parts merge in any grouping ((a b) c == a (b c)).
Usage: check_summary.py BIN_DIR SOURCE_DIR
"""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
LTK = os.path.join(BIN, "ltk")
failures = 0


def run(*args, ok=True):
    p = subprocess.run([LTK, *args], capture_output=True, text=True, cwd=SRC)
    if ok and p.returncode != 0:
        raise SystemExit(f"ltk {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def stats_json(path, *opts):
    d = json.loads(run("stats", "--json", *opts, path).stdout)
    for k in ("run", "sources", "raw_log"):
        d.pop(k)
    d["warnings"] = [w.replace(path, "INPUT") for w in d["warnings"]]
    return d


def read_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def summarize(out, *logs, method="hdr", extra=()):
    run("summarize", "--method", method, *extra, *logs, "-o", out)
    with open(out) as f:
        return f.read()


def merge(out, *parts):
    run("merge", *parts, "-o", out)
    with open(out) as f:
        return f.read()


def without_sources(text):
    d = json.loads(text)
    d.pop("sources")
    return d


def canonical(text):
    d = without_sources(text)
    order = sorted(range(len(d["endpoints"])),
                   key=lambda i: (d["endpoints"][i]["name"], d["endpoints"][i]["method"]))
    rank = {old: new for new, old in enumerate(order)}
    d["endpoints"] = [d["endpoints"][i] for i in order]
    for iv in d["intervals"]:
        iv["cells"] = sorted(([rank[c[0]], c[1], c[2]] for c in iv["cells"]), key=lambda c: c[0])
    d["failures"].sort(key=lambda f: (f["method"], f["name"], f["error"]))
    return d


def ts_column(header):
    for name in ("timestamp", "timeStamp"):
        if name in header:
            return header.index(name)
    return None


def report_json(path):
    d = json.loads(run("report", "--format", "json", path).stdout)
    for k in ("run", "failures_source"):
        d.pop(k, None)
    return json.dumps(d, sort_keys=True)


tmp = tempfile.mkdtemp(prefix="ltk-summary-")

# the report's data (verdict and phases from users, trend, capacity levels:
# all from the per-interval history) is the same from a log and its summary
for rel in ("samples/runs/load/load_requests.csv", "samples/runs/stress/stress_requests.csv"):
    log = os.path.join(SRC, rel)
    summarize(f"{tmp}/r.json", log)
    if report_json(f"{tmp}/r.json") != report_json(log):
        fail(f"{rel}: ltk report --format json of the summary differs from that of the log")

logs = sorted(glob.glob(os.path.join(SRC, "samples/runs/*/*_requests.csv")))
logs += [os.path.join(SRC, "tests/data/raw/ids_requests.csv"), os.path.join(SRC, "tests/data/raw/jmeter.jtl.csv"),
         os.path.join(SRC, "samples/raw/jmeter/search.jtl"),
         os.path.join(SRC, "tests/data/raw/multiline_requests.csv")]
checked = 0
for log in logs:
    base = os.path.basename(log).split(".")[0]
    header, rows = read_rows(log)
    for method in ("hdr", "locust", "exact"):
        extra = ("--max-names", "3") if base == "ids_requests" and method == "locust" else ()
        # 1. the summary reads back as the log (users from the history beside it too)
        summarize(f"{tmp}/{base}.json", log, method=method, extra=extra)
        if stats_json(f"{tmp}/{base}.json") != stats_json(log, "--method", method, *extra):
            fail(f"{base} {method}: ltk stats of the summary differs from ltk stats of the log")
        # the whole, re-written as the parts are and without a history beside it
        write_rows(f"{tmp}/whole_{base}.csv", header, rows)
        whole = summarize(f"{tmp}/whole.json", f"{tmp}/whole_{base}.csv", method=method, extra=extra)
        # 2. split at a row boundary
        for cut in (1, len(rows) // 2, len(rows) - 1):
            write_rows(f"{tmp}/a_{base}.csv", header, rows[:cut])
            write_rows(f"{tmp}/b_{base}.csv", header, rows[cut:])
            summarize(f"{tmp}/a.json", f"{tmp}/a_{base}.csv", method=method, extra=extra)
            summarize(f"{tmp}/b.json", f"{tmp}/b_{base}.csv", method=method, extra=extra)
            merged = merge(f"{tmp}/m.json", f"{tmp}/a.json", f"{tmp}/b.json")
            both = summarize(f"{tmp}/ab.json", f"{tmp}/a_{base}.csv", f"{tmp}/b_{base}.csv", method=method,
                             extra=extra)
            if merged != both:
                fail(f"{base} {method} cut {cut}: merge of the halves is not byte-identical to summarize of both")
            if without_sources(merged) != without_sources(whole):
                fail(f"{base} {method} cut {cut}: merge of the halves differs from the whole")
            checked += 1
        # 3. split by time
        col = ts_column(header)
        if col is not None and rows:
            stamps = sorted(float(r[col]) for r in rows)
            median = stamps[len(stamps) // 2]
            write_rows(f"{tmp}/early_{base}.csv", header, [r for r in rows if float(r[col]) < median])
            write_rows(f"{tmp}/late_{base}.csv", header, [r for r in rows if float(r[col]) >= median])
            summarize(f"{tmp}/e.json", f"{tmp}/early_{base}.csv", method=method, extra=extra)
            summarize(f"{tmp}/l.json", f"{tmp}/late_{base}.csv", method=method, extra=extra)
            merged = merge(f"{tmp}/m.json", f"{tmp}/e.json", f"{tmp}/l.json")
            if canonical(merged) != canonical(whole):
                fail(f"{base} {method}: merge of the time halves differs from the whole")
            checked += 1

# JMeter + k6: different formats, one method: merge == summarize of both
for method in ("hdr", "exact"):
    j = os.path.join(SRC, "tests/data/raw/jmeter.jtl.csv")
    # k6's sample is of another year: moved to the JMeter log's time
    kh, krows = read_rows(os.path.join(SRC, "tests/data/raw/k6.csv"))
    for r in krows:
        r[1] = str(int(r[1]) + 1700000000 - 1595325560)
    k = f"{tmp}/k6_now.csv"
    write_rows(k, kh, krows)
    summarize(f"{tmp}/j.json", j, method=method)
    summarize(f"{tmp}/k.json", k, method=method)
    merged = merge(f"{tmp}/jk.json", f"{tmp}/j.json", f"{tmp}/k.json")
    both = summarize(f"{tmp}/jk2.json", j, k, method=method)
    if merged != both:
        fail(f"jmeter+k6 {method}: merge differs from summarize of both")
    if json.loads(run("stats", "--json", f"{tmp}/jk.json").stdout)["raw_log"]["format"] != "mixed":
        fail("jmeter+k6: the merged summary's format should read 'mixed'")
    checked += 1

# associativity: (a b) c == a (b c) == summarize a b c
header, rows = read_rows(os.path.join(SRC, "samples/runs/stress/stress_requests.csv"))
third = len(rows) // 3
parts = []
for i, chunk in enumerate((rows[:third], rows[third:2 * third], rows[2 * third:])):
    write_rows(f"{tmp}/p{i}.csv", header, chunk)
    summarize(f"{tmp}/p{i}.json", f"{tmp}/p{i}.csv")
    parts.append(f"{tmp}/p{i}.json")
merge(f"{tmp}/p01.json", parts[0], parts[1])
merge(f"{tmp}/p12.json", parts[1], parts[2])
left = merge(f"{tmp}/left.json", f"{tmp}/p01.json", parts[2])
right = merge(f"{tmp}/right.json", parts[0], f"{tmp}/p12.json")
allthree = summarize(f"{tmp}/all3.json", f"{tmp}/p0.csv", f"{tmp}/p1.csv", f"{tmp}/p2.csv")
if not (left == right == allthree):
    fail("merging three parts depends on the grouping")

# refusals
smoke = os.path.join(SRC, "samples/runs/smoke/smoke_requests.csv")
summarize(f"{tmp}/h.json", smoke, method="hdr")
summarize(f"{tmp}/x.json", smoke, method="exact")
run("summarize", "--interval", "10s", smoke, "-o", f"{tmp}/h10.json")
for other, word in ((f"{tmp}/x.json", "methods"), (f"{tmp}/h10.json", "intervals")):
    p = run("merge", f"{tmp}/h.json", other, ok=False)
    if p.returncode != 2 or word not in p.stderr or p.stdout:
        fail(f"merging different {word}: expected exit 2 and a message, got {p.returncode}: {p.stderr}")

print(f"{checked} merges checked, {failures} failure(s)")
sys.exit(1 if failures else 0)
