#!/usr/bin/env python3
"""Structural tests of `ltk report` on the real samples and hostile input.

The HTML is large and holds gnuplot's SVG, so instead of golden files this
checks what must hold for every report: every section is there, only
allowed elements appear (no script, no external resource of any kind),
every chart is an inline, non-empty SVG, untrusted names are escaped, no
command named in the data ran (no file 'pwned'), and a missing gnuplot
leaves a visible note, a warning and exit status 0.

    report_structure.py LTK_BIN_DIR SOURCE_DIR
"""
import csv
import html.parser
import json
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
LTK = os.path.join(BIN, "ltk")
SECTIONS = ["verdict", "headline", "endpoints", "status", "success", "over-time", "diagnosis", "trend", "capacity", "failures", "method"]
ALLOWED = set("""html head meta title style body main header h1 h2 h3 div nav a p section table thead tbody tr th td
code pre ul li dl dt dd figure figcaption strong span footer svg g path text rect circle use defs tspan
polyline polygon line filter feflood fecomposite script""".split())
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


def run(args, cwd, env=None):
    e = dict(os.environ, NO_COLOR="")
    if env:
        e.update(env)
    return subprocess.run([LTK, "report"] + args, cwd=cwd, env=e, capture_output=True, text=True, timeout=300)


def structure(name, page, expect_charts):
    check(page.startswith("<!DOCTYPE html>"), f"{name}: starts with the doctype")
    for s in SECTIONS:
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
    figures = page.count('<figure class="chart"')
    if expect_charts:
        check(len(svgs) == figures and figures >= 2, f"{name}: {figures} figures, {len(svgs)} SVGs")
        for i, svg in enumerate(svgs):
            check("<path" in svg and "<text" in svg, f"{name}: chart {i + 1} is not empty")
        ids = re.findall(r"\bid=['\"]([^'\"]+)", page)
        check(len(ids) == len(set(ids)), f"{name}: ids are unique")
    else:
        check(not svgs and 'class="nochart"' in page, f"{name}: no SVG, a visible note instead")
    return len(svgs)


with tempfile.TemporaryDirectory() as tmp:
    runs = ["stress", "load", "smoke", "spike", "soak", "pool", "ratelimit", "custom_pct"]
    for r in runs:
        out = os.path.join(tmp, f"{r}.html")
        p = run(["-o", out, os.path.join(SRC, "samples/runs", r, r)], tmp)
        check(p.returncode == 0, f"{r}: exit status {p.returncode}: {p.stderr}")
        check("chart" not in p.stderr, f"{r}: no chart warnings: {p.stderr}")
        if p.returncode == 0:
            n = structure(r, open(out, encoding="utf-8").read(), True)
            print(f"ok {r}: {n} charts")

    # hostile names: escaped in the page and in the charts, nothing runs
    out = os.path.join(tmp, "hostile.html")
    p = run(["-o", out, "--apdex-t", "1s", "--ranges", "1s", os.path.join(SRC, "tests/data/hostile/hostile")], tmp)
    check(p.returncode == 0, f"hostile: exit {p.returncode}: {p.stderr}")
    page = open(out, encoding="utf-8").read()
    structure("hostile", page, True)
    # the Apdex and ranges tables (and the status section's note) escape the names too
    for sec in ("apdex", "ranges", "status"):
        m = re.search(r'<section id="%s">(.*?)</section>' % sec, page, re.S)
        check(m is not None, f"hostile: section {sec}")
        body = m.group(1) if m else ""
        check("<script>" not in body and "<b>" not in body, f"hostile: {sec}: raw markup")
        if sec != "status":
            check("&lt;script&gt;alert(1)&lt;/script&gt;" in body, f"hostile: {sec}: name escaped")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in page, "hostile: name escaped in the table")
    check("&lt;script>alert(1)&lt;/script>" in page, "hostile: name escaped in the chart")
    check("/x`touch pwned`" in page, "hostile: backquotes shown as text")
    # the hover text and legend take the names from the data blocks, exactly
    names = set()
    for d in pagecheck.page_scripts(page)[1]:
        names.update(d["categories"])
        names.update(x["title"] for x in d["series"])
    for n in ("GET <script>alert(1)</script>", "GET /x`touch pwned`"):
        check(n in names, f"hostile: {n!r} exact in the charts' data ({sorted(names)[:6]})")
    check(any(n.startswith('POST /q$(id) "quoted"') for n in names), "hostile: quotes and $( ) exact in the data")
    # ... the newline and the ESC of that name too (the hover text shows the name as read)
    check('POST /q$(id) "quoted"\nnext line\x1b[31m' in names, "hostile: a name's newline and ESC exact in the data")
    # the script-free page: no <script> at all (not even a data block), names still escaped
    out_static = os.path.join(tmp, "hostile-static.html")
    p = run(["--static", "-o", out_static, os.path.join(SRC, "tests/data/hostile/hostile")], tmp)
    check(p.returncode == 0, f"hostile --static: exit {p.returncode}: {p.stderr}")
    if os.path.exists(out_static):
        spage = open(out_static, encoding="utf-8").read()
        check("<script" not in spage.lower(), "hostile --static: no <script> anywhere")
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in spage and "/x`touch pwned`" in spage,
              "hostile --static: names escaped in the tables")
        check("<b>bad</b>" not in spage, "hostile --static: error message escaped")
    check(page.count('<script type="application/json"') == page.count("</script>") - 1,
          "hostile: every data block closed by its own </script>")
    check("&lt;b&gt;bad&lt;/b&gt;" in page, "hostile: error message escaped")
    md = run(["--format", "md", os.path.join(SRC, "tests/data/hostile/hostile")], tmp)
    check(md.returncode == 0 and "<script" not in md.stdout and "&lt;script&gt;" in md.stdout, "hostile: Markdown escaped")
    check(not os.path.exists(os.path.join(tmp, "pwned")) and not os.path.exists(os.path.join(SRC, "pwned")),
          "no file 'pwned' was made")

    # a hostile error text reaches the diagnosis as data: exact in JSON, escaped in HTML
    qdir = os.path.join(tmp, "quote")
    os.mkdir(qdir)
    shutil.copy(os.path.join(SRC, "tests/data/hostile/hostile_stats.csv"), os.path.join(qdir, "q_stats.csv"))
    nasty = "E('x'); touch pwned; echo '$(id)`id`\\ <img src=x onerror=alert(1)>"
    with open(os.path.join(qdir, "q_failures.csv"), "w", newline="") as fp:
        csv.writer(fp).writerows([["Method", "Name", "Error", "Occurrences"], ["GET", "/a", nasty, "5"]])
    p = run(["--format", "json", os.path.join(qdir, "q")], tmp)
    check(p.returncode == 0, f"quote: exit {p.returncode}: {p.stderr}")
    findings = json.loads(p.stdout)["diagnosis"]["findings"] if p.returncode == 0 else []
    texts = [e["value"] for f in findings for e in f["evidence"] if e["metric"] == "error_text"]
    check(nasty in texts, f"quote: the error text is kept exactly as evidence: {texts!r}")
    p = run(["--no-charts", os.path.join(qdir, "q")], tmp)
    check(p.returncode == 0 and "<img" not in p.stdout and "&lt;img src=x onerror=alert(1)&gt;" in p.stdout,
          "quote: the error text is escaped in HTML")

    # gnuplot missing: named by LTK_GNUPLOT, or absent from PATH
    for how, env in (("LTK_GNUPLOT", {"LTK_GNUPLOT": "/nonexistent/gnuplot"}), ("PATH", {"PATH": BIN})):
        out = os.path.join(tmp, f"nognuplot-{how}.html")
        p = run(["-o", out, os.path.join(SRC, "samples/runs/load/load")], tmp, env)
        check(p.returncode == 0, f"no gnuplot ({how}): exit 0, got {p.returncode}")
        check(p.stderr.count("warning: charts not drawn") == 1 and "gnuplot" in p.stderr,
              f"no gnuplot ({how}): one warning on stderr: {p.stderr!r}")
        if os.path.exists(out):
            page = open(out, encoding="utf-8").read()
            structure(f"no gnuplot ({how})", page, False)
            check('id="charts-notice"' in page, f"no gnuplot ({how}): notice at the top")

    # --png writes every chart as a PNG too, making DIR when it is missing
    pngdir = os.path.join(tmp, "png")
    p = run(["-o", os.path.join(tmp, "s.html"), "--png", pngdir, os.path.join(SRC, "samples/runs/stress/stress")], tmp)
    check(p.returncode == 0, f"--png: exit {p.returncode}: {p.stderr}")
    pngs = sorted(os.listdir(pngdir))
    want = ["capacity.png", "endpoint_errors_time.png", "endpoint_p50_time.png", "endpoint_p95.png",
            "endpoint_p95_time.png", "endpoint_p99_time.png", "endpoint_rps_time.png", "error_rate.png", "latency_distribution.png", "percentiles.png", "users_rps.png"]
    check(pngs == want, f"--png: {want}, got {pngs}")
    for f in pngs:
        with open(os.path.join(pngdir, f), "rb") as fp:
            check(fp.read(8) == b"\x89PNG\r\n\x1a\n", f"--png: {f} is a PNG")

    # a DIR whose parent is missing, or that is a file: exit 2, a message naming it
    for bad, why in ((os.path.join(tmp, "no", "such"), "cannot create the directory"),
                     (os.path.join(pngdir, pngs[0]) if pngs else tmp, "not a directory")):
        p = run(["-o", os.path.join(tmp, "bad.html"), "--png", bad, os.path.join(SRC, "samples/runs/stress/stress")], tmp)
        check(p.returncode == 2 and bad in p.stderr and why in p.stderr,
              f"--png {bad}: exit {p.returncode}, {p.stderr!r}")
        check(not os.path.exists(os.path.join(tmp, "bad.html")), f"--png {bad}: no page written")

    # a window (--from/--to): the page says which, its sections are all there,
    # and the over-time charts count from the run's start (10 s to 50 s)
    out = os.path.join(tmp, "window.html")
    p = run(["--from", "10s", "--to", "50s", "-o", out, os.path.join(SRC, "samples/runs/stress/stress_requests.csv")], tmp)
    check(p.returncode == 0, f"window: exit {p.returncode}: {p.stderr}")
    if os.path.exists(out):
        page = open(out, encoding="utf-8").read()
        structure("window", page, True)
        check("selection: 10 s to 50 s since the run&#39;s start" in page, "window: the selection line is on the page")
        xs = []
        for m in re.finditer(r'<script type="application/json" class="ltk-plot">(.*?)</script>', page, re.S):
            d = json.loads(m.group(1))
            if d.get("xlabel") == "seconds since start":
                xs.extend(x for ser in d["series"] for x in ser["x"])
        check(xs and min(xs) >= 10 and max(xs) <= 50 and min(xs) < 11,
              f"window: over-time charts from 10 s to 50 s, got {min(xs) if xs else None} to {max(xs) if xs else None}")

    # nothing left behind in the temporary directory of the charts
    check(not [f for f in os.listdir(tmp) if f.startswith("ltk-chart-")], "no chart temp dirs left")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all report structure checks passed")
