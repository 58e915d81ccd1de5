#!/usr/bin/env python3
"""Structural tests of `ltk compare --format html` (the page holds gnuplot's
SVG, so no golden file): the page is self-contained (only allowed elements,
no script, no external resource), the p95 chart is an inline non-empty SVG,
the verdict and exit status agree, hostile endpoint names are escaped in the
table and the chart and nothing named in them runs, and a missing gnuplot
leaves a visible note and a warning without changing the verdict.

    compare_structure.py LTK_BIN_DIR SOURCE_DIR
"""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
LTK = os.path.join(BIN, "ltk")
ALLOWED = set("""html head meta title style body main header h1 h2 h3 div dl dt dd a p section table thead tbody tr
th td code ul li figure figcaption strong span footer svg g path text rect circle use defs tspan polyline polygon
line filter feflood fecomposite""".split())
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)


def compare(args, cwd):
    return subprocess.run([LTK, "compare", "--format", "html"] + args, cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=dict(os.environ, NO_COLOR=""))


def structure(name, page, chart):
    check(page.startswith("<!DOCTYPE html>"), f"{name}: starts with the doctype")
    for s in ("verdict", "chart", "endpoints", "method"):
        check(f'<section id="{s}">' in page, f"{name}: section {s}")
    p = Tags()
    p.feed(page)
    check(p.tags <= ALLOWED, f"{name}: only allowed elements, got extra {sorted(p.tags - ALLOWED)}")
    for k, v in p.attrs:
        check(not k.startswith("on"), f"{name}: no event handler attribute {k}")
        if k in ("href", "xlink:href", "src"):
            check((v or "").startswith("#"), f"{name}: {k}={v!r} is a reference inside the page")
    check(not re.search(r"https?://", page), f"{name}: no http:// or https:// anywhere")
    check(not re.search(r"@import|url\((?!#)", page), f"{name}: no CSS import or external url()")
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    if chart:
        check(len(svgs) == 1 and "<path" in svgs[0] and "<text" in svgs[0], f"{name}: one non-empty chart")
    else:
        check(not svgs and 'class="nochart"' in page, f"{name}: no SVG, a visible note instead")


S = lambda *p: os.path.join(SRC, *p)  # noqa: E731
with tempfile.TemporaryDirectory() as tmp:
    load, stress = S("samples/runs/load/load_requests.csv"), S("samples/runs/stress/stress_requests.csv")
    out = os.path.join(tmp, "cmp.html")
    p = compare(["-o", out, load, stress], tmp)
    check(p.returncode == 1, f"load vs stress: exit 1, got {p.returncode}: {p.stderr}")
    page = open(out, encoding="utf-8").read()
    structure("load vs stress", page, True)
    check('class="verdict fail"' in page and "REGRESSION" in page, "load vs stress: the verdict is a regression")
    check("Mann-Whitney" in page and "CI +" in page, "load vs stress: the tests are shown")

    p = compare([load, load], tmp)
    check(p.returncode == 0, f"load vs itself: exit 0, got {p.returncode}: {p.stderr}")
    structure("load vs itself", p.stdout, True)
    check('class="verdict pass"' in p.stdout and 'class="bad"' not in p.stdout, "load vs itself: no regression")

    p = compare([S("samples/runs/load/load"), S("samples/runs/stress/stress")], tmp)
    check(p.returncode == 1, f"stats.csv: exit 1, got {p.returncode}")
    check("significance cannot be computed" in p.stdout, "stats.csv: says significance cannot be computed")

    hostile = S("tests/data/hostile/hostile")
    p = compare([hostile, hostile], tmp)
    check(p.returncode == 0, f"hostile: exit 0, got {p.returncode}: {p.stderr}")
    structure("hostile", p.stdout, True)
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in p.stdout, "hostile: name escaped in the table")
    check("<script" not in p.stdout, "hostile: no script element")
    svg = "".join(re.findall(r"<svg\b.*?</svg>", p.stdout, re.S))
    check("&lt;script" in svg, "hostile: name escaped in the chart")
    check("/x`touch pwned`" in p.stdout, "hostile: backquotes shown as text")
    check(not os.path.exists(os.path.join(tmp, "pwned")) and not os.path.exists(S("pwned")), "no file 'pwned'")

    p = compare(["--gnuplot", os.path.join(tmp, "no-such-gnuplot"), load, load], tmp)
    check(p.returncode == 0, f"no gnuplot: exit 0, got {p.returncode}")
    structure("no gnuplot", p.stdout, False)
    check("gnuplot is not installed" in p.stdout and "warning: chart not drawn" in p.stderr,
          f"no gnuplot: a note and a warning: {p.stderr}")
    p = compare(["--no-charts", load, stress], tmp)
    check(p.returncode == 1 and "charts were not requested" in p.stdout, "--no-charts: a note, same verdict")

if failures:
    sys.exit(1)
print("ok")
