#!/usr/bin/env python3
"""`ltk report` opened in a real browser: headless Chromium loads the report
of the stress sample from a file with every host name unresolvable, and
the test asserts that the console stayed silent (no script errors), that
the page asked the network for nothing (Chromium's net log holds no
request made for the page other than file:// ones), that the DOM the
browser built holds every chart as a non-empty SVG, and saves a
screenshot as a test artifact.

    report_chromium.py LTK_BIN_DIR SOURCE_DIR ARTIFACT_DIR
Exit status 77 (ctest SKIP_RETURN_CODE) when chromium is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

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
if fails:
    print("\n".join("FAIL: " + f for f in fails))
    sys.exit(1)
print(f"ok: {len(svgs)} charts in the browser's DOM, console silent; screenshot {shot}")
