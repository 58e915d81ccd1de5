#!/usr/bin/env python3
"""`ltk stats --method exact` against an independent nearest-rank computation,
and `--method hdr` within its stated bound of exact, on every sample log.

The reference does not share any code with ltk: Python's csv module reads
each samples/runs/*/NAME_requests.csv, float() parses the times, and the
nearest rank of percent P among n sorted times is computed with exact
rational arithmetic (fractions.Fraction): k = ceil(P/100 * n), value =
sorted[k - 1] (numpy's "inverted_cdf").  Per endpoint and for Aggregated,
the exact method must give these values exactly, and requests, failures,
min and max exactly; hdr must be within the relative error it states in its
JSON (error_bound.relative) of the exact values, with the same counts.

    check_exact_hdr.py LTK SAMPLES_RUNS_DIR
Exit 0 when all agree, 1 otherwise."""
import csv
import glob
import json
import math
import os
import subprocess
import sys
from fractions import Fraction

PERCENTS = ["0.1", "1", "5", "10", "25", "33.3", "50", "66", "75", "80", "90", "95", "98", "99", "99.5",
            "99.9", "99.99", "100"]


def nearest_rank(sorted_values, percent):
    n = len(sorted_values)
    k = math.ceil(Fraction(percent) / 100 * n)
    return sorted_values[max(k, 1) - 1]


def reference(path):
    groups = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ms = float(row["response_time"])
            failed = row["success"] not in ("1", "True", "true")
            for key in ((row["request_type"], row["name"]), (None, "Aggregated")):
                g = groups.setdefault(key, {"times": [], "failures": 0})
                g["times"].append(ms)
                g["failures"] += failed
    for g in groups.values():
        g["times"].sort()
    return groups


def ltk_json(ltk, method, path):
    out = subprocess.run([ltk, "stats", "--json", "--method", method, "--percentiles", ",".join(PERCENTS), path],
                         check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    assert doc["method"] == method, doc["method"]
    rows = {(e["type"], e["name"]): e for e in doc["endpoints"]}
    rows[(None, "Aggregated")] = doc["total"]
    return doc, rows


def check(ltk, path):
    problems = []
    ref = reference(path)
    _, exact = ltk_json(ltk, "exact", path)
    hdr_doc, hdr = ltk_json(ltk, "hdr", path)
    bound = hdr_doc["error_bound"]["relative"]
    if bound != 0.001:
        problems.append(f"hdr states a bound of {bound}, not 0.001")
    if set(ref) != set(exact) or set(ref) != set(hdr):
        return [f"rows differ: reference {sorted(map(str, ref))}, exact {sorted(map(str, exact))}"], 0
    worst = 0.0
    for key, g in ref.items():
        where = f"{os.path.basename(path)} {key[0] or '-'} {key[1]}"
        t = g["times"]
        for doc_rows, label in ((exact, "exact"), (hdr, "hdr")):
            e = doc_rows[key]
            for field, want in (("requests", len(t)), ("failures", g["failures"]), ("min", t[0]), ("max", t[-1])):
                if e[field] != want:
                    problems.append(f"{where}: {label} {field} {e[field]}, reference {want}")
        for p in PERCENTS:
            want = nearest_rank(t, p)
            got = exact[key]["percentiles"][p]
            if got != want:
                problems.append(f"{where}: exact {p}% {got}, reference {want}")
            h = hdr[key]["percentiles"][p]
            err = abs(h - want) / want if want else abs(h)
            worst = max(worst, err)
            if err > bound:
                problems.append(f"{where}: hdr {p}% {h} is {err:.2e} from exact {want}, above {bound}")
    return problems, worst


def main():
    ltk, runs = sys.argv[1], sys.argv[2]
    logs = sorted(glob.glob(os.path.join(runs, "*", "*_requests.csv")))
    if not logs:
        print("no request logs found")
        return 1
    failed = False
    for path in logs:
        problems, worst = check(ltk, path)
        status = "ok" if not problems else f"{len(problems)} differences"
        print(f"{os.path.relpath(path, runs)}: exact == nearest rank; hdr worst relative error {worst:.2e}: {status}")
        for p in problems:
            print("  " + p)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
