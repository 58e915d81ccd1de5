#!/usr/bin/env python3
"""Checks `ltk stats --brief` against the teaching module's parsing cell.

The module (Section 3) parses a stats CSV with csv.DictReader and prints
each row with one f-string.  This script applies that same formatting to
each given stats.csv and compares it byte for byte with `ltk stats --brief`.
Exit 0 when all match."""
import csv
import subprocess
import sys


def module_lines(path):
    out = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            endpoint = row["Name"]
            p50 = int(row["50%"])
            p95 = int(row["95%"])
            p99 = int(row["99%"])
            rps = float(row["Requests/s"])
            error_rate = (int(row["Failure Count"]) / int(row["Request Count"])) * 100
            out.append(f"{endpoint:15} | p50: {p50:4}ms | p95: {p95:4}ms | p99: {p99:4}ms "
                       f"| RPS: {rps:4.1f} | Errors: {error_rate:.1f}%\n")
    return "".join(out)


def main():
    ltk = sys.argv[1]
    bad = 0
    for path in sys.argv[2:]:
        want = module_lines(path)
        got = subprocess.run([ltk, "stats", "--brief", path], check=True, capture_output=True,
                             text=True).stdout
        if got != want:
            bad += 1
            print(f"{path}: differs\n--- module cell:\n{want}--- ltk:\n{got}")
        else:
            print(f"{path}: identical ({len(want.splitlines())} lines)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
