#!/usr/bin/env python3
"""Cuts bundled raw logs into shorter runs for ltk compare's tests:

- the healthy load sample's request log into four 30-second slices, for the
  several-baselines tests: slices 1-3 are three baseline runs, slice 4 a
  current run from the same healthy server (load_partN_requests.csv);
- the JMeter sample (samples/raw/jmeter/search.jtl, 60 s) into its two
  30-second halves, two runs in JMeter's own JTL format for the
  successful-only (ok.*) tests (search_halfN.jtl).

    python3 tests/data/compare/split_log.py   (from the source tree)
"""
import csv
import os

OUT = os.path.dirname(os.path.abspath(__file__))


def split(src, seconds_of, slice_s, nparts, name):
    """Writes the rows of src by slice_s-second slice of their time since the
    first (the rows past the last slice join it) to OUT/name(k)."""
    with open(src, newline="") as fp:
        rows = list(csv.reader(fp))
    header, body = rows[0], rows[1:]
    t0 = min(seconds_of(r) for r in body)
    parts = {}
    for r in body:
        k = min(int((seconds_of(r) - t0) // slice_s), nparts - 1)
        parts.setdefault(k, []).append(r)
    for k in sorted(parts):
        path = os.path.join(OUT, name(k + 1))
        with open(path, "w", newline="") as fp:
            w = csv.writer(fp, lineterminator="\n")
            w.writerow(header)
            w.writerows(parts[k])
        print(path, len(parts[k]))


split("samples/runs/load/load_requests.csv", lambda r: float(r[0]), 30, 4, lambda k: f"load_part{k}_requests.csv")
split("samples/raw/jmeter/search.jtl", lambda r: int(r[0]) / 1000, 30, 2, lambda k: f"search_half{k}.jtl")
