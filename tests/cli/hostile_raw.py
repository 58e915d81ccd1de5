#!/usr/bin/env python3
"""Hostile endpoint names and error texts from a raw request log, from its
summary, and (names only: the format has no error texts) from Locust's --json
statistics of the same requests, through every output: they must come back exactly in JSON (stats,
compare, check, diagnose, trend), escaped in HTML (report, compare, their
SVG charts), Markdown (report, compare) and JUnit XML (which Python's XML
parser must read back to the same text), and nothing named in them may run
(gnuplot draws the compare chart: system("touch pwned") is in a name; no file
'pwned' may appear, in the working directory or the source tree).

    hostile_raw.py LTK_BIN_DIR SOURCE_DIR
"""
import csv
import json
import re
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
LTK = os.path.join(BIN, "ltk")
LOG = os.path.join(SRC, "tests/data/hostile/hostile_raw_requests.csv")
SUMMARY = os.path.join(SRC, "tests/data/hostile/hostile_raw.ltk.json")
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def run(args, cwd, ok=(0,)):
    p = subprocess.run([LTK] + args, cwd=cwd, capture_output=True, text=True, timeout=300)
    check(p.returncode in ok, f"ltk {' '.join(args[:3])}...: exit {p.returncode}, expected {ok}: {p.stderr}")
    return p


# what the log holds, read with Python's csv module
with open(LOG, newline="") as f:
    rows = list(csv.DictReader(f))
NAMES = {(r["request_type"], r["name"]) for r in rows}
ERRORS = {r["exception"] for r in rows if r["exception"]}
assert len(NAMES) == 6 and len(ERRORS) == 2
DANGEROUS = ["<script>", "<b>bad</b>", "<![CDATA[", "<testcase name="]


def all_strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from all_strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from all_strings(v)


def without_own_scripts(page, what):
    """The page without its own chart script and data blocks, once
    pagecheck has found them sound (the CSP hash, data nothing breaks out of)."""
    for w in pagecheck.page_scripts(page)[0]:
        check(False, f"{what}: {w}")
    return re.sub(r'<script>.*?</script>|<script type="application/json" class="ltk-plot">[^<]*</script>', "", page,
                  flags=re.S)


def no_raw_markup(text, what):
    for d in DANGEROUS:
        check(d not in text, f"{what}: {d!r} appears unescaped")
    check("\x1b" not in text, f"{what}: a raw escape character")


def md_tables(md, what):
    """Each Markdown table keeps its columns: every row has as many unescaped
    '|' as its header (a '|' or a line break in a name would add or split)."""
    width = None
    for line in md.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        n = line.replace("\\|", "").count("|")
        if width is None:
            width = n
        check(n == width, f"{what}: a table row with {n} cells' bars, not {width}: {line[:80]!r}")


def locust_round(rt):
    """stats.py's rounding of a response time before it is counted."""
    if rt < 100:
        return round(rt)
    if rt < 1000:
        return round(rt, -1)
    if rt < 10000:
        return round(rt, -2)
    return round(rt, -3)


def locust_json(path):
    """The log's requests as Locust's --json would print them."""
    entries = {}
    for r in rows:
        key = (r["request_type"], r["name"])
        e = entries.setdefault(key, {
            "name": r["name"], "method": r["request_type"], "last_request_timestamp": None,
            "start_time": float(r["timestamp"]), "num_requests": 0, "num_none_requests": 0,
            "num_failures": 0, "total_response_time": 0.0, "max_response_time": 0,
            "min_response_time": None, "total_content_length": 0, "response_times": {},
            "num_reqs_per_sec": {}, "num_fail_per_sec": {}})
        rt, t = float(r["response_time"]), float(r["timestamp"])
        e["num_requests"] += 1
        e["total_response_time"] += rt
        e["max_response_time"] = max(e["max_response_time"], rt)
        e["min_response_time"] = rt if e["min_response_time"] is None else min(e["min_response_time"], rt)
        e["total_content_length"] += int(r["response_length"] or 0)
        k = locust_round(rt)
        e["response_times"][k] = e["response_times"].get(k, 0) + 1
        e["num_reqs_per_sec"][int(t)] = e["num_reqs_per_sec"].get(int(t), 0) + 1
        e["start_time"] = min(e["start_time"], t)
        e["last_request_timestamp"] = max(e["last_request_timestamp"] or t, t)
        if r["success"] not in ("1", "True", "true"):
            e["num_failures"] += 1
            e["num_fail_per_sec"][int(t)] = e["num_fail_per_sec"].get(int(t), 0) + 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(list(entries.values()), indent=4))


def report_sections(tmp):
    """The report's sections of status codes, Apdex, ranges and successful
    requests (and the p50/p99 per-endpoint charts) on the log with a status
    column added: every hostile name exact in the JSON rows, escaped in the
    HTML sections and in the charts' data, Markdown tables whole."""
    log = os.path.join(tmp, "hostile_status.csv")
    with open(log, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(rows[0].keys()) + ["status"])
        for r in rows:
            w.writerow(list(r.values()) + ["200" if r["success"] in ("1", "True", "true") else "503"])
    opts = ["--apdex-t", "100ms", "--ranges", "100ms,1s", "--percentiles", "90,99.9"]
    doc = json.loads(run(["report", "--format", "json"] + opts + [log], tmp).stdout)
    for sec in ("status", "apdex", "ranges", "ok"):
        got = {(r["type"], r["name"]) for r in doc[sec]["rows"]}
        check(got == NAMES, f"report sections: {sec}: names not exact: {got ^ NAMES}")
    check(doc["status"]["available"] and "503" in doc["status"]["total"]["codes"], "report sections: codes read")
    out = os.path.join(tmp, "sections.html")
    run(["report", "-o", out] + opts + [log], tmp)
    page = open(out, encoding="utf-8").read()
    for sec in ("status", "apdex", "ranges", "success"):
        m = re.search(r'<section id="%s">(.*?)</section>' % sec, page, re.S)
        check(m is not None, f"report sections: no section {sec}")
        if m:
            no_raw_markup(m.group(1), f"report sections: {sec}")
            check("&lt;script&gt;alert(1)&lt;/script&gt;" in m.group(1), f"report sections: {sec}: name not escaped")
            check("/x`touch pwned`" in m.group(1), f"report sections: {sec}: backquotes not shown as text")
    titles = set()
    for d in pagecheck.page_scripts(page)[1]:
        titles.update(x["title"] for x in d["series"])
    check("GET <script>alert(1)</script>" in titles, "report sections: the charts' data hold the name exactly")
    check(re.search(r'id="chart-endpoint_p50_time"', page) and re.search(r'id="chart-endpoint_p99_time"', page),
          "report sections: p50 and p99 per endpoint over time")
    no_raw_markup(without_own_scripts(page, "report sections"), "report sections: page")
    md = run(["report", "--format", "md"] + opts + [log], tmp).stdout
    no_raw_markup(md, "report sections: md")
    md_tables(md, "report sections: md")
    check("**Apdex**" in md and "**HTTP status codes**" in md and "**Response-time ranges**" in md
          and "**Successful requests only**" in md, "report sections: md has every section")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report_sections(tmp)
        jpath = os.path.join(tmp, "hostile.json")
        locust_json(jpath)
        for label, run_path in (("log", LOG), ("summary", SUMMARY), ("locust-json", jpath)):
            # stats --json: exact round trip of names and error texts
            p = run(["stats", "--json", run_path], tmp)
            doc = json.loads(p.stdout)
            got = {(e["type"], e["name"]) for e in doc["endpoints"]}
            check(got == NAMES, f"{label}: stats --json names differ: {got ^ NAMES}")
            strings = set(all_strings(doc))
            for e in ERRORS if label != "locust-json" else ():
                check(e in strings, f"{label}: stats --json: error text {e!r} not found exactly")

            # report: HTML and Markdown
            html_out = os.path.join(tmp, f"{label}.html")
            run(["report", "-o", html_out, run_path], tmp)
            page = without_own_scripts(open(html_out, encoding="utf-8").read(), f"{label}: report html")
            no_raw_markup(page, f"{label}: report html")
            check("&lt;script&gt;alert(1)&lt;/script&gt;" in page, f"{label}: report html: name not escaped")
            check("<script" not in page.lower(), f"{label}: report html: a script element of its own")
            md = run(["report", "--format", "md", run_path], tmp).stdout
            no_raw_markup(md, f"{label}: report md")
            md_tables(md, f"{label}: report md")
            check("/x\\`touch pwned\\`" in md, f"{label}: report md: backquotes not escaped")
            check("\\*bold\\*" in md and "\\[l\\](javascript" in md, f"{label}: report md: emphasis or link not escaped")
            check("next line" in md and "\nnext line" not in md, f"{label}: report md: a newline in a name broke a line")

            # compare: the log against its summary (and the reverse)
            other = SUMMARY if run_path == LOG else LOG
            # Locust's JSON has Locust's histograms: the log is read the same way
            meth = ["--method", "locust"] if label == "locust-json" else []
            cmp_html = os.path.join(tmp, f"{label}_cmp.html")
            run(["compare"] + meth + ["--format", "html", "-o", cmp_html, other, run_path], tmp, ok=(0, 1))
            page = without_own_scripts(open(cmp_html, encoding="utf-8").read(), f"{label}: compare html")
            no_raw_markup(page, f"{label}: compare html")
            check("<script" not in page.lower(), f"{label}: compare html: a script element of its own")
            check("&lt;script" in page, f"{label}: compare html: name not escaped")
            md = run(["compare"] + meth + ["--format", "md", other, run_path], tmp, ok=(0, 1)).stdout
            no_raw_markup(md, f"{label}: compare md")
            md_tables(md, f"{label}: compare md")
            p = run(["compare"] + meth + ["--json", other, run_path], tmp, ok=(0, 1))
            doc = json.loads(p.stdout)
            strings = set(all_strings(doc))
            for _, n in NAMES:
                check(n in strings, f"{label}: compare --json: name {n!r} not found exactly")

            # check --junit (and --json): XML that reads back to the same text
            junit = os.path.join(tmp, f"{label}.xml")
            # the names the criteria language can quote (not a line break)
            quotable = [n for _, n in sorted(NAMES) if "\n" not in n and "\x1b" not in n]
            crit = ['"%s": p95<1s' % n.replace("\\", "\\\\").replace('"', '\\"') for n in quotable]
            crit += ['"<script>alert(1)</script>": error_rate<50%', 'error_rate<1%']
            args = ["check", "--json", "--junit", junit]
            for c in crit:
                args += ["-c", c]
            p = run(args + [run_path], tmp, ok=(0, 1))
            doc = json.loads(p.stdout)
            check("<script>alert(1)</script>" in set(all_strings(doc)), f"{label}: check --json: name not exact")
            raw = open(junit, encoding="utf-8").read()
            no_raw_markup(raw, f"{label}: junit")
            try:
                root = ET.fromstring(raw.encode("utf-8"))
                texts = set()
                for el in root.iter():
                    texts.update(el.attrib.values())
                    if el.text:
                        texts.add(el.text)
                joined = "\n".join(texts)
                for n in quotable:
                    check(n in joined, f"{label}: junit: name {n!r} does not read back")
                cases = root.findall(".//testcase")
                check(len(cases) == len(crit), f"{label}: junit: {len(cases)} testcases for {len(crit)} criteria")
            except ET.ParseError as e:
                check(False, f"{label}: junit is not well-formed XML: {e}")

            # diagnose --json and trend --json: exact text
            for tool in (["diagnose", "--json"], ["trend", "--json"]):
                p = run(tool + [run_path], tmp, ok=(0, 1))
                doc = json.loads(p.stdout)
                strings = set(all_strings(doc))
                present = [n for _, n in NAMES if n in strings]
                mangled = [s for s in strings if ("touch pwned" in s or "alert(" in s)
                           and not any(n in s for _, n in NAMES) and not any(e in s for e in ERRORS)]
                # (Locust's JSON has no users: trend finds no steady segment to name endpoints in)
                check(present or tool[0] == "diagnose" or label == "locust-json",
                      f"{label}: {tool[0]} --json: no endpoint name exactly")
                check(not mangled, f"{label}: {tool[0]} --json: altered text {mangled[:2]}")

        check(not os.path.exists(os.path.join(tmp, "pwned")), "a file 'pwned' appeared in the working directory")
    check(not os.path.exists(os.path.join(SRC, "pwned")), "a file 'pwned' appeared in the source tree")
    if failures:
        print(f"{failures} failure(s)")
        return 1
    print("hostile raw log, its summary and its Locust JSON: inert in every output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
