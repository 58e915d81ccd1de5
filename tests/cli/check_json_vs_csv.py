#!/usr/bin/env python3
"""Checks `ltk stats --json` against Locust's own files, cell for cell.

For each run prefix given, reads PREFIX_stats.csv (and _failures.csv,
_exceptions.csv when present) with Python's csv module, runs
`ltk stats --json PREFIX`, and asserts that every cell has the same value in
the JSON: numbers equal as floats, "N/A" as null, the empty Type of the
Aggregated row as null.  Exit 0 when all match, 1 otherwise."""
import csv
import json
import os
import subprocess
import sys

NUMERIC = {
    "Request Count": "requests", "Failure Count": "failures", "Median Response Time": "median",
    "Average Response Time": "mean", "Min Response Time": "min", "Max Response Time": "max",
    "Average Content Size": "avg_content_size", "Requests/s": "rps", "Failures/s": "failures_per_s",
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def check_run(ltk, prefix):
    problems = []
    doc = json.loads(subprocess.run([ltk, "stats", "--json", prefix], check=True,
                                    capture_output=True, text=True).stdout)
    assert doc["schema"] == "ltk.stats/1" and doc["method"] == "reported"
    rows = read_csv(prefix + "_stats.csv")
    entries = doc["endpoints"] + ([doc["total"]] if doc["total"] is not None else [])
    if len(rows) != len(entries):
        return [f"{prefix}: {len(rows)} rows in stats.csv, {len(entries)} in JSON"]
    for i, (row, e) in enumerate(zip(rows, entries), start=2):
        where = f"{prefix}_stats.csv:{i}"
        if (row["Type"] or None) != e["type"] or row["Name"] != e["name"]:
            problems.append(f"{where}: name/type {row['Type']!r} {row['Name']!r} vs {e['type']!r} {e['name']!r}")
        for col, key in NUMERIC.items():
            if float(row[col]) != e[key]:
                problems.append(f"{where}: {col} {row[col]} vs {e[key]}")
        pct_cols = [c for c in row if c.endswith("%")]
        if [c[:-1] for c in pct_cols] != list(e["percentiles"].keys()):
            problems.append(f"{where}: percentile columns {pct_cols} vs {list(e['percentiles'])}")
        for c in pct_cols:
            want = None if row[c] == "N/A" else float(row[c])
            if want != e["percentiles"][c[:-1]]:
                problems.append(f"{where}: {c} {row[c]} vs {e['percentiles'][c[:-1]]}")
    if os.path.exists(prefix + "_failures.csv"):
        frows = read_csv(prefix + "_failures.csv")
        got = [(f["method"], f["name"], f["error"], f["occurrences"]) for f in doc["errors"]]
        want = [(r["Method"], r["Name"], r["Error"], int(r["Occurrences"])) for r in frows]
        if got != want:
            problems.append(f"{prefix}_failures.csv: {want} vs {got}")
    if os.path.exists(prefix + "_exceptions.csv"):
        xrows = read_csv(prefix + "_exceptions.csv")
        got = [(x["count"], x["message"], x["traceback"], x["nodes"]) for x in doc["exceptions"]]
        want = [(int(r["Count"]), r["Message"], r["Traceback"], r["Nodes"]) for r in xrows]
        if got != want:
            problems.append(f"{prefix}_exceptions.csv: exceptions differ")
    return problems


def main():
    ltk = sys.argv[1]
    problems = []
    for prefix in sys.argv[2:]:
        problems += check_run(ltk, prefix)
        print(f"checked {prefix}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
