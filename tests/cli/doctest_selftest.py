#!/usr/bin/env python3
"""The doc test must fail when the docs rot: feed doctest.py small documents,
good and bad, and check its verdict on each.  Same environment as doctest.py."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DOCTEST = os.path.join(HERE, "doctest.py")

GOOD = """\
```console
$ ltk decide --daily-users 1000 --growth 20 --sla --staging-matches-prod --architecture-stable | grep -A 1 'out of 7'
Score:    7 out of 7
Decision: yes, run a load test now (priority high)
```
"""

CASES = [
    # (name, document, expected exit status of doctest.py)
    ("good", GOOD, 0),
    ("ellipsis", GOOD.replace("Score:    7 out of 7\n", "...\n"), 0),
    ("ellipsis at the end", GOOD.replace("Score:    7 out of 7\nDecision: yes, run a load test now (priority high)\n", "Score:    7 out of 7\n...\n"), 0),
    ("trailing blanks ignored", GOOD.replace("7 out of 7\n", "7 out of 7   \n"), 0),
    ("changed number", GOOD.replace("7 out of 7", "6 out of 7"), 1),
    ("missing line", GOOD.replace("Score:    7 out of 7\n", ""), 1),
    ("extra line", GOOD.replace("Score:", "Reasons:\nScore:"), 1),
    ("exit status shown", "```console\n$ ltk decide --scenario e\n...\n[exit 2]\n```\n", 0),
    ("exit status not shown", "```console\n$ ltk decide --scenario e\n...\n```\n", 1),
    ("wrong exit status", "```console\n$ ltk decide --scenario e\n...\n[exit 1]\n```\n", 1),
    ("command in a sh block", "```sh\n$ ltk decide --scenario a\n```\n", 2),
    ("no console block", "no commands here\n", 2),
    ("redirection", "```console\n$ ltk decide --scenario a > x\n```\n", 2),
    ("sequence", "```console\n$ ltk decide --scenario a; ls\n```\n", 2),
    ("substitution", "```console\n$ ltk decide --scenario $(ls)\n```\n", 2),
    ("pipe into sh", "```console\n$ ltk decide --scenario a | sh\n```\n", 2),
    ("not ltk", "```console\n$ ls /\n```\n", 2),
    ("unclosed block", "```console\n$ ltk decide --scenario a\n", 2),
]


def main():
    failed = 0
    with tempfile.TemporaryDirectory(prefix="ltk-doctest-self-") as d:
        for i, (name, doc, want) in enumerate(CASES):
            path = os.path.join(d, f"case{i}.md")
            with open(path, "w") as f:
                f.write(doc)
            p = subprocess.run([sys.executable, DOCTEST, path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=120)
            ok = p.returncode == want
            print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {p.returncode} (want {want})")
            if not ok:
                failed += 1
                print("    " + p.stdout.decode(errors="replace").replace("\n", "\n    "))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
