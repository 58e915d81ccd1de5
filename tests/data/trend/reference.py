#!/usr/bin/env python3
"""Reference values for tests/test_trend.c, computed independently of ltk
with Python's standard library only (statistics, fractions-free floats).

Run it to print the numbers the Check suite asserts.  The t quantiles are
taken from a printed table (two-sided 95 %): dof 5 -> 2.570582, dof 8 ->
2.306004, dof 2 -> 4.302653."""
import math
import statistics

T975 = {2: 4.302653, 5: 2.570582, 8: 2.306004}


def within_fit(groups):
    """Shared slope with one intercept per group (the within estimator)."""
    sxy = sxx = 0.0
    n = 0
    for xs, ys in groups:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxy += sum((x - mx) * (y - my) for x, y in zip(xs, ys))
        sxx += sum((x - mx) ** 2 for x in xs)
        n += len(xs)
    b = sxy / sxx
    rss = 0.0
    for xs, ys in groups:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        rss += sum((y - my - b * (x - mx)) ** 2 for x, y in zip(xs, ys))
    dof = n - len(groups) - 1
    se = math.sqrt(rss / dof / sxx)
    t = T975[dof]
    return b, se, b - t * se, b + t * se


def mann_kendall(groups):
    s = var = 0.0
    for _, ys in groups:
        n = len(ys)
        s += sum((ys[j] > ys[i]) - (ys[j] < ys[i]) for i in range(n) for j in range(i + 1, n))
        ties = sum(c * (c - 1) * (2 * c + 5) for c in (ys.count(v) for v in set(ys)))
        var += (n * (n - 1) * (2 * n + 5) - ties) / 18
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    p = 2 * (1 - statistics.NormalDist().cdf(abs(z)))
    return s, var, z, p


def theil_sen(groups):
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i])
              for xs, ys in groups for i in range(len(xs)) for j in range(i + 1, len(xs))]
    return statistics.median(slopes)


CASES = {
    "one group": [([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 12, 11, 15, 14, 18, 17, 21, 20, 24])],
    "ties": [([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [5, 5, 6, 6, 6, 7, 8, 8, 9, 10])],
    "two groups": [([0, 1, 2, 3], [10, 11, 13, 14]), ([4, 5, 6, 7], [30, 31, 32, 34])],
    "module leak p95": [([0.5, 1.5, 2.5, 3.5], [800, 950, 1800, 4500])],
}

for name, groups in CASES.items():
    b, se, lo, hi = within_fit(groups)
    s, var, z, p = mann_kendall(groups)
    print(f"{name}: slope {b!r} se {se!r} ci [{lo!r}, {hi!r}] theil-sen {theil_sen(groups)!r}")
    print(f"    MK S {s!r} var {var!r} z {z!r} p {p!r}")
