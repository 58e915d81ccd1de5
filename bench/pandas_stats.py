#!/usr/bin/env python3
"""The pandas peer of the benchmark: per-endpoint count and p50/p95/p99 of a
Locust hook log, as a user would write it.   pandas_stats.py requests.csv"""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], usecols=["name", "response_time"])
g = df.groupby("name")["response_time"]
out = g.quantile([0.5, 0.95, 0.99]).unstack()
out.insert(0, "requests", g.size())
print(out.to_csv(header=False), end="")
