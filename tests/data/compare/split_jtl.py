#!/usr/bin/env python3
"""Cuts the JMeter sample (samples/raw/jmeter/search.jtl, 60 s) into its first
and second 30 seconds, two runs in JMeter's own JTL format for ltk compare's
successful-only (ok.*) tests:

    python3 tests/data/compare/split_jtl.py   (from the source tree)
"""
import csv
import os

SRC = "samples/raw/jmeter/search.jtl"
OUT = os.path.dirname(os.path.abspath(__file__))
HALF_MS = 30000

with open(SRC, newline="") as fp:
    rows = list(csv.reader(fp))
header, body = rows[0], rows[1:]
t0 = min(int(r[0]) for r in body)
parts = {0: [], 1: []}
for r in body:
    parts[0 if int(r[0]) - t0 < HALF_MS else 1].append(r)
for k in (0, 1):
    path = os.path.join(OUT, f"search_half{k + 1}.jtl")
    with open(path, "w", newline="") as fp:
        w = csv.writer(fp, lineterminator="\n")
        w.writerow(header)
        w.writerows(parts[k])
    print(path, len(parts[k]))
