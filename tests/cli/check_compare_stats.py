#!/usr/bin/env python3
"""ltk compare's statistics on real raw logs, recomputed independently.

For pairs of the sample request logs, `ltk compare --json --method exact`
must give, per endpoint and for all requests, the Mann-Whitney U, z, p and
P(current > baseline) that tests/data/compare/reference.py computes from the
rows (average ranks, tie-corrected variance, continuity correction), Fisher's
one-sided p from exact binomial coefficients, and p50/p95/p99 changes that
are nearest-rank order statistics of the rows.  Standard library only.

    check_compare_stats.py LTK SOURCE_DIR
"""
import csv
import json
import math
import os
import subprocess
import sys

LTK, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests/data/compare"))
from reference import fisher_greater, mann_whitney  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def close(a, b, rel=1e-9, absolute=1e-300):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute)


def read_log(path):
    rows = {}
    with open(path, newline="") as fp:
        for r in csv.DictReader(fp):
            key = (r["request_type"], r["name"])
            ok = r["success"].strip().lower() in ("1", "true")
            for k in (key, ("", "Aggregated")):
                rows.setdefault(k, []).append((float(r["response_time"]), ok))
    return rows


def holm(ps):
    """Holm's step-down adjusted p-values, in the order given."""
    order = sorted(range(len(ps)), key=lambda i: (ps[i], i))
    out, run = [0.0] * len(ps), 0.0
    for k, i in enumerate(order):
        run = max(run, min(1.0, (len(ps) - k) * ps[i]))
        out[i] = run
    return out


def nearest_rank(values, q):
    v = sorted(values)
    k = max(1, min(len(v), math.ceil(round(q * len(v), 9))))
    return v[k - 1]


PAIRS = [("load", "stress"), ("load", "load"), ("smoke", "load"), ("pool", "ratelimit")]
for base, cur in PAIRS:
    bpath = os.path.join(SRC, "samples/runs", base, base + "_requests.csv")
    cpath = os.path.join(SRC, "samples/runs", cur, cur + "_requests.csv")
    p = subprocess.run([LTK, "compare", "--json", "--method", "exact", bpath, cpath], capture_output=True, text=True)
    check(p.returncode in (0, 1), f"{base} vs {cur}: exit {p.returncode}: {p.stderr}")
    if p.returncode not in (0, 1):
        continue
    doc = json.loads(p.stdout)
    brows, crows = read_log(bpath), read_log(cpath)
    rows = doc["endpoints"] + [doc["total"]]
    checked = 0
    for e in rows:
        key = ("", "Aggregated") if e["type"] is None else (e["type"], e["name"])
        if e["presence"] != "both":
            check(e["mann_whitney"] is None, f"{base} vs {cur} {key}: no test for a one-sided endpoint")
            continue
        a = [t for t, _ in brows[key]]
        b = [t for t, _ in crows[key]]
        u, z, pv, prob = mann_whitney(a, b)
        mw = e["mann_whitney"]
        what = f"{base} vs {cur} {key}"
        check(mw["n_baseline"] == len(a) and mw["n_current"] == len(b), f"{what}: sizes")
        check(close(mw["u"], u, 1e-12), f"{what}: U {mw['u']} != {u}")
        check(close(mw["prob_current_greater"], prob, 1e-12), f"{what}: prob")
        if mw["method"] == "normal":
            check(close(mw["z"], z, 1e-9), f"{what}: z {mw['z']} != {z}")
            check(close(mw["p"], pv, 1e-6, 1e-300), f"{what}: p {mw['p']} != {pv}")
        metrics = {m["metric"]: m for m in e["metrics"]}
        bf = sum(1 for _, ok in brows[key] if not ok)
        cf = sum(1 for _, ok in crows[key] if not ok)
        fp = fisher_greater(len(a), bf, len(b), cf)
        got = metrics["error_rate"]["significance"]["p"]
        check(close(got, fp, 1e-6, 1e-300), f"{what}: Fisher p {got} != {fp}")
        for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            d = nearest_rank(b, q) - nearest_rank(a, q)
            check(close(metrics[name]["delta"], d, 1e-12, 1e-9), f"{what}: {name} change {metrics[name]['delta']} != {d}")
            ci = metrics[name]["significance"]["ci"]
            check(ci is not None and ci[0] <= ci[1], f"{what}: {name} interval {ci}")
        checked += 1
    # Holm: the gated tests of every row that has both sides, adjusted together
    gated = [m for e in rows if e["presence"] == "both" for m in e["metrics"]
             if m["gate"] is not None and m["significance"]["p"] is not None and m["significance"]["test"]]
    check(doc["significance"]["family"] == len(gated), f"{base} vs {cur}: family {doc['significance']['family']}")
    adj = holm([m["significance"]["p"] for m in gated])
    alpha = doc["significance"]["alpha"]
    for m, want in zip(gated, adj):
        got = m["significance"]["p_holm"]
        check(got is not None and close(got, want, 1e-12, 1e-300), f"{base} vs {cur} {m['metric']}: Holm {got} != {want}")
        sig = m["significance"]["significant"]
        check(sig == (want < alpha / 2), f"{base} vs {cur} {m['metric']}: significant {sig}, Holm p {want}")
    for e in rows:
        for m in e["metrics"]:
            if m not in gated:
                check(m["significance"]["p_holm"] is None, f"{base} vs {cur} {m['metric']}: Holm p outside the family")
    # the bootstrap's p never goes below 1 / (1 + resamples)
    floor_p = 1 / (1 + doc["significance"]["resamples"])
    for e in rows:
        for m in e["metrics"]:
            if m["significance"]["test"] == "bootstrap":
                check(m["significance"]["p"] >= floor_p - 1e-15, f"{base} vs {cur}: bootstrap p below its floor")
    print(f"ok {base} vs {cur}: {checked} rows, {len(gated)} gated tests Holm-adjusted")
    if base == cur:
        check(doc["verdict"] == "no regression" and p.returncode == 0, f"{base} against itself: no regression")

sys.exit(1 if failures else 0)
