#!/usr/bin/env python3
"""Independent reference values for tests/test_compare.c (Python standard
library only: no scipy here).  Run it to regenerate the constants:

    python3 tests/data/compare/reference.py

Mann-Whitney U from ranks (average ranks for ties), the variance with the
tie correction n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))), z with
the continuity correction (|U - n1 n2 / 2| - 0.5) and the two-sided p from
erfc; the exact null distribution by enumerating every split of the pooled
ranks; Fisher's exact test from binomial coefficients (fractions, exact).
"""
import itertools
import math
from fractions import Fraction


def mann_whitney(a, b):
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks = {}
    i = 0
    ties = 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j][0] == pooled[i][0]:
            j += 1
        t = j - i
        ranks[pooled[i][0]] = (i + 1 + j) / 2  # average of ranks i+1 .. j
        ties += t ** 3 - t
        i = j
    n1, n2 = len(a), len(b)
    n = n1 + n2
    rb = sum(ranks[v] for v in b)
    u = rb - n2 * (n2 + 1) / 2
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    d = u - n1 * n2 / 2
    z = math.copysign(max(abs(d) - 0.5, 0), d) / math.sqrt(var)
    p = min(1.0, math.erfc(abs(z) / math.sqrt(2)))
    return u, z, p, u / (n1 * n2)


def exact_cdf_table(n1, n2):
    """Counts of U (of the second sample) over every split of ranks 1..n1+n2."""
    n = n1 + n2
    counts = [0] * (n1 * n2 + 1)
    for second in itertools.combinations(range(1, n + 1), n2):
        u = sum(second) - n2 * (n2 + 1) // 2
        counts[u] += 1
    return counts


def fisher_greater(req1, fail1, req2, fail2):
    f = fail1 + fail2
    ok = req1 + req2 - f
    total = math.comb(f + ok, req2)
    p = Fraction(0)
    for x in range(fail2, min(f, req2) + 1):
        p += Fraction(math.comb(f, x) * math.comb(ok, req2 - x), total)
    return float(p)


TIES_A = [12, 15, 15, 18, 20, 22, 22, 22, 25, 30, 31, 35]
TIES_B = [14, 18, 22, 24, 26, 28, 30, 30, 33, 36, 40, 41, 45]
# 60 distinct values (N > 50: the normal approximation without ties)
BIG_A = [float(3 * i + 1) for i in range(30)]
BIG_B = [float(3 * i + 2 + (i % 4) * 3) for i in range(30)]

if __name__ == "__main__":
    print("ties:", "U=%r z=%r p=%r prob=%r" % mann_whitney(TIES_A, TIES_B))
    print("big: ", "U=%r z=%r p=%r prob=%r" % mann_whitney(BIG_A, BIG_B))
    c = exact_cdf_table(3, 3)
    print("exact 3,3 counts:", c)
    c = exact_cdf_table(4, 5)
    print("exact 4,5 counts:", c)
    c = exact_cdf_table(10, 10)
    tot = sum(c)
    print("exact 10,10: P(U<=23)=%r P(U<=24)=%r" % (sum(c[:24]) / tot, sum(c[:25]) / tot))
    c = exact_cdf_table(7, 9)
    tot = sum(c)
    print("exact 7,9: P(U<=12)=%r" % (sum(c[:13]) / tot))
    print("fisher 10,1,10,5:", repr(fisher_greater(10, 1, 10, 5)))
    print("fisher 2202,0,2101,395:", repr(fisher_greater(2202, 0, 2101, 395)))
    print("fisher 161,0,151,19:", repr(fisher_greater(161, 0, 151, 19)))
    print("fisher 100,5,100,5:", repr(fisher_greater(100, 5, 100, 5)))
