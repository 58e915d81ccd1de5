#!/usr/bin/env python3
"""Structural tests of `ltk compare --format html` (the page holds gnuplot's
SVG, so no golden file): the page is self-contained (only allowed elements,
one inline script allowed by its CSP hash, none with --static, no external
resource), the p95 chart and the two over-time overlays are inline SVGs,
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
LTK = os.path.join(BIN, "ltk")
ALLOWED = set("""html head meta title style body main header h1 h2 h3 div dl dt dd a p section table thead tbody tr
th td code ul li figure figcaption strong span footer svg g path text rect circle use defs tspan polyline polygon
line filter feflood fecomposite script""".split())
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
    for w in pagecheck.page_scripts(page)[0]:
        check(False, f"{name}: {w}")
    check(not re.search(r"https?://", page), f"{name}: no http:// or https:// anywhere")
    check(not re.search(r"@import|url\((?!#)", page), f"{name}: no CSS import or external url()")
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    if chart:
        check(len(svgs) == chart and all("<path" in x and "<text" in x for x in svgs), f"{name}: {chart} non-empty charts")
    else:
        check(not svgs and 'class="nochart"' in page, f"{name}: no SVG, a visible note instead")


S = lambda *p: os.path.join(SRC, *p)  # noqa: E731
with tempfile.TemporaryDirectory() as tmp:
    load, stress = S("samples/runs/load/load_requests.csv"), S("samples/runs/stress/stress_requests.csv")
    out = os.path.join(tmp, "cmp.html")
    p = compare(["-o", out, load, stress], tmp)
    check(p.returncode == 1, f"load vs stress: exit 1, got {p.returncode}: {p.stderr}")
    page = open(out, encoding="utf-8").read()
    # p95 per endpoint, p95 and requests/s over time, the distribution of all requests and of 3 endpoints
    structure("load vs stress", page, 7)
    check(page.count('id="chart-cdf') == 4 and "percent of requests at or below" in page,
          "load vs stress: a distribution chart for all requests and each endpoint")
    cdfs = [d for d in pagecheck.page_scripts(page)[1] if d.get("ylabel") == "percent of requests at or below"]
    check(len(cdfs) == 4 and all(x["steps"] and x["y"][-1] == 100 for d in cdfs for x in d["series"]),
          "load vs stress: raw logs give step CDFs ending at 100 %")
    check('class="verdict fail"' in page and "REGRESSION" in page, "load vs stress: the verdict is a regression")
    check("Mann-Whitney" in page and "CI +" in page, "load vs stress: the tests are shown")

    p = compare([load, load], tmp)
    check(p.returncode == 0, f"load vs itself: exit 0, got {p.returncode}: {p.stderr}")
    structure("load vs itself", p.stdout, 7)
    check('class="verdict pass"' in p.stdout and 'class="bad"' not in p.stdout, "load vs itself: no regression")

    p = compare([S("samples/runs/load/load"), S("samples/runs/stress/stress")], tmp)
    check(p.returncode == 1, f"stats.csv: exit 1, got {p.returncode}")
    check("significance cannot be computed" in p.stdout, "stats.csv: says significance cannot be computed")

    hostile = S("tests/data/hostile/hostile")
    p = compare([hostile, hostile], tmp)
    check(p.returncode == 0, f"hostile: exit 0, got {p.returncode}: {p.stderr}")
    structure("hostile", p.stdout, 5)  # no history: no overlays; p95 per endpoint and 4 distributions
    check("<h3>GET &lt;script&gt;alert(1)&lt;/script&gt;</h3>" in p.stdout, "hostile: name escaped in the CDF heading")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in p.stdout, "hostile: name escaped in the table")
    names = set()
    for d in pagecheck.page_scripts(p.stdout)[1]:
        names.update(d["categories"])
        names.update(x["title"] for x in d["series"])
    check("GET <script>alert(1)</script>" in names, f"hostile: the name exact in the chart data ({sorted(names)[:5]})")
    check(p.stdout.count('<script type="application/json"') == p.stdout.count("</script>") - 1,
          "hostile: every data block closed by its own </script>")
    p = compare(["--static", hostile, hostile], tmp)
    check(p.returncode == 0 and "<script" not in p.stdout, "hostile --static: no script element")
    svg = "".join(re.findall(r"<svg\b.*?</svg>", p.stdout, re.S))
    check("&lt;script" in svg, "hostile: name escaped in the chart")
    check("/x`touch pwned`" in p.stdout, "hostile: backquotes shown as text")
    check(not os.path.exists(os.path.join(tmp, "pwned")) and not os.path.exists(S("pwned")), "no file 'pwned'")

    p = compare(["--gnuplot", os.path.join(tmp, "no-such-gnuplot"), load, load], tmp)
    check(p.returncode == 0, f"no gnuplot: exit 0, got {p.returncode}")
    structure("no gnuplot", p.stdout, 0)
    check("gnuplot is not installed" in p.stdout and "warning: chart not drawn" in p.stderr,
          f"no gnuplot: a note and a warning: {p.stderr}")
    p = compare(["--no-charts", load, stress], tmp)
    check(p.returncode == 1 and "charts were not requested" in p.stdout, "--no-charts: a note, same verdict")

if failures:
    sys.exit(1)
print("ok")
