#!/usr/bin/env python3
"""`ltk report` opened in a real browser: headless Chromium loads the report
of the stress sample from a file with every host name unresolvable, and
the test asserts that the console stayed silent (no script errors), that
the page asked the network for nothing (Chromium's net log holds no
request made for the page other than file:// ones), that the DOM the
browser built holds every chart as a non-empty SVG, and saves a
screenshot as a test artifact.

Then it drives the page through the DevTools protocol (tests/cli/cdp.py,
standard library only): no console message, exception or CSP violation;
hovering the p95 line of the percentile chart at a second of the run shows
the value stats_history.csv has for that second; clicking the p95 legend
entry hides the line (and its value from the hover box), clicking again
shows it; the zoom buttons zoom and reset.  On the compare page of two raw logs,
hovering the distribution (CDF) of all requests at a time of the current
log shows each run's share of requests at or below it, counted here from
the logs.  The --static page has no
<script> at all.

    report_chromium.py LTK_BIN_DIR SOURCE_DIR ARTIFACT_DIR
Exit status 77 (ctest SKIP_RETURN_CODE) when chromium is not installed.
"""
import bisect
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

BIN, SRC, ART = sys.argv[1], sys.argv[2], sys.argv[3]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("chromium is not installed (apt-get install -y chromium): skipped")
    sys.exit(77)
os.makedirs(ART, exist_ok=True)
page = os.path.join(ART, "report-stress.html")
shot = os.path.join(ART, "report-stress.png")
for f in (page, shot):
    if os.path.exists(f):
        os.remove(f)
p = subprocess.run([os.path.join(BIN, "ltk"), "report", "-o", page, os.path.join(SRC, "samples/runs/stress/stress")],
                   capture_output=True, text=True)
if p.returncode != 0:
    print("ltk report failed:", p.stderr)
    sys.exit(1)
source = open(page, encoding="utf-8").read()
figures = source.count('<figure class="chart"')

fails = []
with tempfile.TemporaryDirectory() as profile:
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"]
    url = "file://" + os.path.abspath(page)
    netlog = os.path.join(profile, "net.json")
    dom = subprocess.run(base + [f"--log-net-log={netlog}", "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    # requests the page made carry its file:// isolation key; Chromium's own
    # background requests (updates, time) do not
    try:
        events = json.load(open(netlog, encoding="utf-8")).get("events", [])
    except (OSError, ValueError) as e:
        events = []
        fails.append(f"no readable net log: {e}")
    for ev in events:
        prm = ev.get("params") or {}
        u = prm.get("url", "")
        if u and not u.startswith("file:") and "file://" in str(prm.get("network_isolation_key", "")):
            fails.append(f"the page requested {u}")
    shotrun = subprocess.run(base + ["--window-size=1200,5600", f"--screenshot={shot}", url],
                             capture_output=True, text=True, timeout=120)
for run in (dom, shotrun):
    console = [l for l in run.stderr.splitlines() if "CONSOLE" in l or "net::ERR" in l]
    if console:
        fails.append("console messages: " + " | ".join(console[:5]))
if dom.returncode != 0:
    fails.append(f"chromium --dump-dom exited {dom.returncode}")
svgs = re.findall(r"<svg\b.*?</svg>", dom.stdout, re.S)
if figures < 5 or len(svgs) != figures:
    fails.append(f"the browser's DOM has {len(svgs)} SVGs for {figures} charts")
for i, s in enumerate(svgs):
    if s.count("<path") < 5 or "<text" not in s:
        fails.append(f"chart {i + 1} is empty in the DOM")
for sec in ("verdict", "headline", "endpoints", "over-time", "diagnosis", "trend", "capacity", "failures", "method"):
    if f'id="{sec}"' not in dom.stdout:
        fails.append(f"section {sec} missing from the DOM")
if not os.path.exists(shot) or os.path.getsize(shot) < 50000:
    fails.append("no screenshot (or a blank one) at " + shot)


def expected_p95(history):
    """(seconds since start, p95) of each Aggregated second, the last row of a repeated second kept."""
    rows = {}
    with open(history, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["Name"] == "Aggregated":
                rows[int(r["Timestamp"])] = r["95%"]
    t0 = min(rows)
    return {t - t0: (None if v in ("N/A", "") else float(v)) for t, v in rows.items()}


def fmt(v):
    a = abs(v)
    return f"{v:.0f}" if a >= 100 else f"{v:.2f}" if a >= 1 else "0" if v == 0 else f"{v:.3g}"


POINT_JS = """(function (id, z, want) {
  var f = document.getElementById(id);
  f.scrollIntoView({block: "center"});
  var d = JSON.parse(f.querySelector("script.ltk-plot").textContent), a = d.axes, svg = f.querySelector("svg");
  var x0 = a.xmin + (a.xmax - a.xmin) * z, x1 = a.xmax - (a.xmax - a.xmin) * z;  /* z: zoomed in by z each side */
  var px = a.left + (want - x0) / (x1 - x0) * (a.right - a.left), py = (a.top + a.bottom) / 2;
  var pt = svg.createSVGPoint(); pt.x = px; pt.y = py;
  var c = pt.matrixTransform(svg.getScreenCTM());
  return [c.x, c.y];
})(%s, %s, %s)"""

CENTER_JS = """(function (sel) {
  var e = document.querySelector(sel); e.scrollIntoView({block: "center"});
  var r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2];
})(%s)"""


def click(pg, xy):
    pg.mouse("mouseMoved", *xy)
    pg.mouse("mousePressed", *xy, button="left", clicks=1)
    pg.mouse("mouseReleased", *xy, button="left", clicks=1)


def hover_text(pg, fig, t, zoom=0):
    xy = pg.eval(POINT_JS % (json.dumps(fig), zoom, t))
    pg.mouse("mouseMoved", xy[0] - 3, xy[1])
    pg.mouse("mouseMoved", *xy)
    return pg.eval("(function () { var t = document.querySelector('#" + fig + " .ltk-tip');"
                   " return t && !t.hidden ? t.textContent : null; })()")


def drive(url, fig, key, label, other, exp, nplots):
    """The interactive checks of chart fig through the DevTools protocol: the
    hover box shows "label: value" with exp's value, the legend entry of
    plot number key hides and shows it (the row of other stays); returns
    failures."""
    bad = []
    with tempfile.TemporaryDirectory() as prof:
        pg = cdp.Page(chromium, prof, url)
        try:
            n = pg.eval("document.querySelectorAll('script.ltk-plot').length")
            if n != nplots:
                bad.append(f"{n} chart data blocks for {nplots} charts")
            # a second in the middle of the run with a known p95
            t = sorted(k for k, v in exp.items() if v is not None)[len(exp) // 2]
            text = hover_text(pg, fig, t)
            want = f"{label}: {fmt(exp[t])}"
            if not text or want not in text or f": {t}" not in text.split(label)[0]:
                bad.append(f"{fig}: hover at {t} s: expected {want!r} (stats_history.csv) in {text!r}")
            keysel = f"#{fig} [id$='-gnuplot_plot_{key}_keyentry']"
            plot = f"#{fig} [id$='-gnuplot_plot_{key}']"
            vis = f"document.querySelector({json.dumps(plot)}).getAttribute('visibility')"
            click(pg, pg.eval(CENTER_JS % json.dumps(keysel)))
            if pg.eval(vis) != "hidden":
                bad.append(f"{fig}: clicking the legend entry did not hide the line")
            text = hover_text(pg, fig, t)
            if not text or f"{label}:" in text or f"{other}:" not in text:
                bad.append(f"{fig}: {label} hidden: the hover box still shows it or lost {other}: {text!r}")
            click(pg, pg.eval(CENTER_JS % json.dumps(keysel)))
            if pg.eval(vis) != "visible":
                bad.append(f"{fig}: clicking the legend entry again did not show the line")
            zin = f"#{fig} .ltk-zoom button:nth-child(1)"
            reset = f"#{fig} .ltk-zoom button:nth-child(2)"
            dis = f"document.querySelector({json.dumps(reset)}).disabled"
            click(pg, pg.eval(CENTER_JS % json.dumps(zin)))
            if pg.eval(dis) is not False:
                bad.append(f"{fig}: zoom in did not enable reset")
            text = hover_text(pg, fig, t, 0.25)  # "zoom in" keeps the middle half
            if not text or want not in text:
                bad.append(f"{fig}: zoomed: hover at {t} s shows {text!r}, expected {want!r}")
            click(pg, pg.eval(CENTER_JS % json.dumps(reset)))
            if pg.eval(dis) is not True:
                bad.append(f"{fig}: reset zoom did not reset")
            bad += pg.problems()
        finally:
            pg.close()
    return bad


stress = os.path.join(SRC, "samples/runs/stress/stress")
exp = expected_p95(stress + "_stats_history.csv")
fails += drive(url, "chart-percentiles", 2, "p95", "p50", exp, figures)



def endpoint_hover(url, history):
    """Hovering the requests/s per endpoint chart shows POST /query's
    Requests/s of stats_history.csv at that second; returns failures."""
    rows = {}
    with open(history, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["Name"], {})[int(r["Timestamp"])] = float(r["Requests/s"])
    t0 = min(rows["Aggregated"])
    t = sorted(rows["/query"])[len(rows["/query"]) // 2] - t0
    with tempfile.TemporaryDirectory() as prof:
        pg = cdp.Page(chromium, prof, url)
        try:
            text = hover_text(pg, "chart-endpoint_rps_time", t)
            want = f"POST /query: {fmt(rows['/query'][t0 + t])}"
            bad = [] if text and want in text else [f"endpoint chart: hover at {t} s: {want!r} not in {text!r}"]
            return bad + pg.problems()
        finally:
            pg.close()


fails += endpoint_hover(url, stress + "_stats_history.csv")

# the compare page: load as the baseline, stress as the current run; the
# p95 over time of the current run is stress's stats_history.csv again
cmp_page = os.path.join(ART, "compare-load-stress.html")
p = subprocess.run([os.path.join(BIN, "ltk"), "compare", "--format", "html", "-o", cmp_page,
                    os.path.join(SRC, "samples/runs/load/load"), stress], capture_output=True, text=True)
if p.returncode not in (0, 1):
    fails.append(f"ltk compare failed: {p.stderr}")
else:
    ncmp = open(cmp_page, encoding="utf-8").read().count('<figure class="chart"')
    fails += drive("file://" + os.path.abspath(cmp_page), "chart-time_p95", 2, "current: " + stress,
                   "baseline: " + os.path.join(SRC, "samples/runs/load/load"), exp, ncmp)
    with tempfile.TemporaryDirectory() as prof:
        shotrun = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                  f"--user-data-dir={prof}", "--host-resolver-rules=MAP * ~NOTFOUND",
                                  "--window-size=1200,2400", "--screenshot=" + os.path.join(ART, "compare-load-stress.png"),
                                  "file://" + os.path.abspath(cmp_page)], capture_output=True, text=True, timeout=120)


CDF_JS = """(function (id, want) {
  var f = document.getElementById(id);
  f.scrollIntoView({block: "center"});
  var d = JSON.parse(f.querySelector("script.ltk-plot").textContent), a = d.axes, svg = f.querySelector("svg");
  var lg = function (v) { return a.logx ? Math.log(v) : v; };
  var px = a.left + (lg(want) - lg(a.xmin)) / (lg(a.xmax) - lg(a.xmin)) * (a.right - a.left), py = (a.top + a.bottom) / 2;
  var pt = svg.createSVGPoint(); pt.x = px; pt.y = py;
  var c = pt.matrixTransform(svg.getScreenCTM());
  return [c.x, c.y];
})(%s, %s)"""


def cdf_hover():
    """The compare page of two raw logs (--method exact): hovering the
    distribution of all requests at a time of the current log shows, for
    each run, the percent of its requests at or below that time, counted
    here from the logs themselves; returns failures."""
    logs = [os.path.join(SRC, f"samples/runs/{n}/{n}_requests.csv") for n in ("load", "stress")]
    times = []
    for path in logs:
        with open(path, newline="", encoding="utf-8") as f:
            times.append(sorted(float(r["response_time"]) for r in csv.DictReader(f)))
    base, cur = times
    # a time of the current log with no other time of either log within
    # 3 %, so that the pointer (whole pixels) lands on that step

    def alone(x):
        for t in (base, cur):
            i = bisect.bisect_left(t, 0.97 * x)
            if any(y != x for y in t[i:bisect.bisect_right(t, 1.03 * x)]):
                return False
        return True
    cands = [x for x in cur if alone(x)]
    if not cands:
        return ["cdf: no time of the current log far from every baseline time"]
    x = cands[len(cands) // 2]
    page = os.path.join(ART, "compare-raw-cdf.html")
    p = subprocess.run([os.path.join(BIN, "ltk"), "compare", "--format", "html", "--method", "exact", "-o", page,
                        *logs], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        return [f"ltk compare (raw) failed: {p.stderr}"]
    want = [f"baseline: {logs[0]}: {fmt(100 * sum(b <= x for b in base) / len(base))}",
            f"current: {logs[1]}: {fmt(100 * sum(c <= x for c in cur) / len(cur))}"]
    with tempfile.TemporaryDirectory() as prof:
        pg = cdp.Page(chromium, prof, "file://" + os.path.abspath(page))
        try:
            xy = pg.eval(CDF_JS % (json.dumps("chart-cdf1"), x))
            pg.mouse("mouseMoved", xy[0] - 3, xy[1])
            pg.mouse("mouseMoved", *xy)
            text = pg.eval("(function () { var t = document.querySelector('#chart-cdf1 .ltk-tip');"
                           " return t && !t.hidden ? t.textContent : null; })()")
            bad = [f"cdf: hover at {x} ms: {w!r} not in {text!r}" for w in want if not text or w not in text]
            return bad + pg.problems()
        finally:
            pg.close()


fails += cdf_hover()

static = os.path.join(ART, "report-stress-static.html")
p = subprocess.run([os.path.join(BIN, "ltk"), "report", "--static", "-o", static,
                    os.path.join(SRC, "samples/runs/stress/stress")], capture_output=True, text=True)
if p.returncode != 0 or "<script" in open(static, encoding="utf-8").read():
    fails.append(f"--static: exit {p.returncode}, or the page has a <script>")

if fails:
    print("\n".join("FAIL: " + f for f in fails))
    sys.exit(1)
print(f"ok: {len(svgs)} charts in the browser's DOM, console silent; screenshot {shot}")
