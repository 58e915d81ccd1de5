#!/usr/bin/env python3
"""Cuts the healthy load sample's raw request log into four 30-second
slices, for ltk compare's several-baselines tests: slices 1-3 are three
baseline runs, slice 4 a current run from the same healthy server.

    python3 tests/data/compare/split_log.py   (from the source tree)
"""
import csv
import os

SRC = "samples/runs/load/load_requests.csv"
OUT = os.path.dirname(os.path.abspath(__file__))
SLICE_S = 30

with open(SRC, newline="") as fp:
    rows = list(csv.reader(fp))
header, body = rows[0], rows[1:]
t0 = min(float(r[0]) for r in body)
parts = {}
for r in body:
    k = min(int((float(r[0]) - t0) // SLICE_S), 3)  # the few rows past 120 s join the last slice
    parts.setdefault(k, []).append(r)
for k in sorted(parts):
    path = os.path.join(OUT, f"load_part{k + 1}_requests.csv")
    with open(path, "w", newline="") as fp:
        w = csv.writer(fp, lineterminator="\n")
        w.writerow(header)
        w.writerows(parts[k])
    print(path, len(parts[k]))
