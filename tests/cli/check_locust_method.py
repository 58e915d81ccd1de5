#!/usr/bin/env python3
"""`ltk stats --method locust --json` on a raw request log, and `ltk stats
--json` on Locust's --json statistics, equal Locust's own final console
tables, cell for cell.

For every samples/runs/NAME/NAME_requests.csv (the request-hook log of the
locustfile), parses the last "Response time percentiles" table and the last
requests table of NAME_locust.log (what Locust printed when it stopped) and
compares, per endpoint and for Aggregated: # reqs, # fails, every percentile
column, and Avg, Min, Max, Med (Locust prints them with %d, i.e. truncated);
and the final "Error report" (occurrences per "METHOD NAME: error") with
ltk's failures grouped by error text.  The same for every
samples/runs/NAME/NAME.json (what Locust 2.14+ prints with --json), except
the error report: that file has no error texts.
req/s is not compared: Locust divides by the time since its stats were last
reset, which the log does not record.

A run made with --reset-stats (the log says "Resetting stats") counts only
the requests reported after the reset; the hook log keeps every request, so
the rows are first filtered to those whose timestamp (the end of the request,
when Locust logs it) is after the time of that log line.  The console's
clock is UTC with millisecond resolution.

Second, when Locust itself can be imported (Debian's python3-locust), every
log is also replayed through Locust's own locust.stats.StatsEntry, one entry
per (name, method) and one for the total, as Locust logs each request; ltk
must then give the same count, failures, min, max, median and percentiles
for a wider set of percentiles than the console shows, exactly, and the same
mean to 1e-12 relative (Locust sums floats in arrival order, ltk exactly).

    check_locust_method.py LTK SAMPLES_RUNS_DIR
Exit 0 when every cell matches, 1 otherwise (each difference is printed)."""
import calendar
import csv
import datetime
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

STAMP = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})\]")


def parse_percentile_table(lines):
    """Last percentile table: {(type, name): {"reqs": n, "pct": {label: v}}}."""
    starts = [i for i, l in enumerate(lines) if l.startswith("Response time percentiles")]
    if not starts:
        raise ValueError("no percentile table")
    i = starts[-1]
    header = lines[i + 1].split()
    labels = [h[:-1] for h in header if h.endswith("%")]
    rows = {}
    for line in lines[i + 3:]:
        if line.startswith("-----"):
            continue
        if not line.strip():
            break
        toks = line.split()
        nums = toks[-(len(labels) + 1):]
        head = toks[:-(len(labels) + 1)]
        if line.startswith(" "):
            key = ("", " ".join(head))
        else:
            key = (head[0], " ".join(head[1:]))
        rows[key] = {"reqs": int(nums[-1]), "pct": dict(zip(labels, (int(x) for x in nums[:-1])))}
    return labels, rows


def parse_requests_table(lines, before):
    """Last requests table printed before line index `before`."""
    heads = [i for i, l in enumerate(lines[:before]) if l.startswith("Type") and "# fails" in l]
    i = heads[-1]
    rows = {}
    for line in lines[i + 2:]:
        if line.startswith("-----"):
            continue
        if not line.strip():
            break
        left, mid, right = line.split("|")
        toks = left.split()
        fails = re.match(r"(\d+)\(", toks[-1]).group(1)
        head = toks[:-2]
        key = ("", " ".join(head)) if line.startswith(" ") else (head[0], " ".join(head[1:]))
        avg, mn, mx, med = (int(x) for x in mid.split())
        rows[key] = {"reqs": int(toks[-2]), "fails": int(fails), "avg": avg, "min": mn, "max": mx, "med": med}
    return rows


ADDRESS = re.compile(r"object at 0x[0-9a-fA-F]+>")


def parse_error_report(lines, start):
    """{"METHOD NAME: error": occurrences} from the error report after `start`."""
    heads = [i for i, l in enumerate(lines) if i > start and l.startswith("Error report")]
    report = {}
    if not heads:
        return report
    for line in lines[heads[-1] + 3:]:
        if line.startswith("-----"):
            break
        count, text = line.split(None, 1)
        # Locust prints the live repr; failures.csv and ltk mask the address
        report[ADDRESS.sub("object at 0x....>", text.rstrip())] = int(count)
    return report


def reset_time(lines):
    """Epoch seconds of the last "Resetting stats" line, or None."""
    t = None
    for l in lines:
        if "Resetting stats" in l:
            m = STAMP.match(l)
            dt = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
            t = calendar.timegm(dt.timetuple()) + int(m.group(2)) / 1000.0
    return t


def check(ltk, log_csv, console, locust_json=False):
    """Compares ltk on log_csv (a hook log, or with locust_json Locust's
    --json statistics, which hold no error texts) with the console tables."""
    problems = []
    with open(console, encoding="utf-8") as f:
        lines = f.read().splitlines()
    labels, pct_rows = parse_percentile_table(lines)
    start = max(i for i, l in enumerate(lines) if l.startswith("Response time percentiles"))
    req_rows = parse_requests_table(lines, start)
    path = log_csv
    tmp = None
    reset = reset_time(lines)
    note = ""
    if reset is not None and not locust_json:
        with open(log_csv, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        kept = [r for r in rows[1:] if float(r[0]) > reset]
        note = f" (--reset-stats: {len(kept)} of {len(rows) - 1} rows after the reset)"
        tmp = tempfile.NamedTemporaryFile("w", newline="", suffix="_requests.csv", delete=False)
        csv.writer(tmp).writerows([rows[0]] + kept)
        tmp.close()
        path = tmp.name
    try:
        out = subprocess.run([ltk, "stats", "--method", "locust", "--json", "--percentiles", ",".join(labels), path],
                             check=True, capture_output=True, text=True).stdout
    finally:
        if tmp:
            os.unlink(tmp.name)
    doc = json.loads(out)
    if doc["method"] != "locust":
        problems.append(f"method is {doc['method']!r}")
    entries = {((e["type"] or ""), e["name"]): e for e in doc["endpoints"]}
    entries[("", "Aggregated")] = doc["total"]
    if set(entries) != set(pct_rows) or set(entries) != set(req_rows):
        problems.append(f"rows differ: ltk {sorted(entries)}, Locust {sorted(pct_rows)} / {sorted(req_rows)}")
    cells = 0
    for key, e in entries.items():
        where = f"{os.path.basename(console)} {key[0] or '-'} {key[1]}"
        p, r = pct_rows.get(key), req_rows.get(key)
        if not p or not r:
            continue
        got = {"reqs": e["requests"], "fails": e["failures"], "avg": int(e["mean"]), "min": int(e["min"]),
               "max": int(e["max"]), "med": int(e["median"])}
        for k, v in got.items():
            cells += 1
            if v != r[k]:
                problems.append(f"{where}: {k} Locust {r[k]}, ltk {v}")
        cells += 1
        if e["requests"] != p["reqs"]:
            problems.append(f"{where}: # reqs (percentile table) Locust {p['reqs']}, ltk {e['requests']}")
        for label, want in p["pct"].items():
            cells += 1
            have = e["percentiles"].get(label)
            if have is None or int(have) != want or have != int(have):
                problems.append(f"{where}: {label}% Locust {want}, ltk {have}")
    if locust_json:
        return cells, note, problems
    want_errors = parse_error_report(lines, start)
    got_errors = {f"{e['method']} {e['name']}: {e['error']}": e["occurrences"] for e in doc["errors"]}
    if not any("CatchResponseError(" in k for k in want_errors):
        # Locust 2.31's console unwraps CatchResponseError('TEXT') to TEXT
        # (StatsError.to_name); its failures.csv and the hook log keep the
        # repr, as 2.12 prints it, and so does ltk
        got_errors = {re.sub(r"^(\S+ \S+: )CatchResponseError\((['\"])(.*)\2\)$", r"\1\3", k): v
                      for k, v in got_errors.items()}
    cells += len(want_errors)
    if want_errors != got_errors:
        problems.append(f"error report: Locust {want_errors}, ltk {got_errors}")
    return cells, note, problems


REPLAY_PERCENTS = ["1", "10", "25", "33.3", "50", "66", "75", "80", "90", "95", "98", "99", "99.5", "99.9",
                   "99.99", "100"]


def replay(ltk, log_csv):
    """Feeds the log through locust.stats; returns (cells, problems) or None without Locust."""
    try:
        import locust.stats as ls
    except Exception:  # not installed, or its dependencies are missing
        return None
    entries = {}
    total = ls.StatsEntry(None, "Aggregated", "")
    with open(log_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["request_type"], row["name"])
            e = entries.setdefault(key, ls.StatsEntry(None, row["name"], row["request_type"]))
            for s in (e, total):
                # what StatsEntry.log does, without its clock-based parts
                s.num_requests += 1
                s._log_response_time(float(row["response_time"]))
                if row["success"] not in ("1", "True", "true"):
                    s.num_failures += 1
    entries[("", "Aggregated")] = total
    out = subprocess.run([ltk, "stats", "--method", "locust", "--json", "--percentiles", ",".join(REPLAY_PERCENTS),
                          log_csv], check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    got = {((e["type"] or ""), e["name"]): e for e in doc["endpoints"]}
    got[("", "Aggregated")] = doc["total"]
    problems, cells = [], 0
    if set(got) != set(entries):
        return 0, [f"rows differ: ltk {sorted(got)}, Locust {sorted(entries)}"]
    for key, s in entries.items():
        e = got[key]
        where = f"replay {key[0] or '-'} {key[1]}"
        want = {"requests": s.num_requests, "failures": s.num_failures, "min": s.min_response_time,
                "max": s.max_response_time, "median": s.median_response_time}
        for p in REPLAY_PERCENTS:
            want["p" + p] = s.get_response_time_percentile(float(p + "e-2"))
        have = {k: e[k] for k in ("requests", "failures", "min", "max", "median")}
        have.update({"p" + p: e["percentiles"][p] for p in REPLAY_PERCENTS})
        for k, v in want.items():
            cells += 1
            if have[k] != v:
                problems.append(f"{where}: {k} Locust {v}, ltk {have[k]}")
        cells += 1
        if abs(e["mean"] - s.avg_response_time) > 1e-12 * s.avg_response_time:
            problems.append(f"{where}: mean Locust {s.avg_response_time!r}, ltk {e['mean']!r}")
    return cells, problems


def synthetic_log():
    """A hook log full of Locust's hard cases: exact rounding ties (45.5,
    145.0, 1150.0, 12500.0, ...), times near the 100/1000/10000 ms borders,
    zeros, long tails; written to a temporary file (caller removes it)."""
    import random
    rng = random.Random(20261127)
    ties = [0.5, 1.5, 2.5, 45.5, 99.5, 105.0, 115.0, 145.0, 155.0, 995.0, 1050.0, 1150.0, 9950.0, 10500.0,
            12500.0, 99.4999, 99.9999, 999.9999, 9999.9999, 0.0]
    tmp = tempfile.NamedTemporaryFile("w", newline="", suffix="_requests.csv", delete=False)
    w = csv.writer(tmp)
    w.writerow(["timestamp", "request_type", "name", "response_time", "response_length", "success", "exception"])
    t = 1700000000.0
    for i in range(6000):
        t += rng.random() / 50
        v = rng.choice(ties) if rng.random() < 0.3 else round(rng.lognormvariate(5, 2), 3)
        name = rng.choice(["/a", "/b", "/c/long"])
        ok = rng.random() > 0.1
        w.writerow(["%.6f" % t, rng.choice(["GET", "POST"]), name, repr(v), 10, 1 if ok else 0,
                    "" if ok else "HTTPError('500')"])
    tmp.close()
    return tmp.name


def has_console_tables(console):
    with open(console, encoding="utf-8", errors="replace") as f:
        return "Response time percentiles" in f.read()


def against_json(ltk, log_csv, js):
    """ltk --method locust on the hook log against ltk on Locust's --json
    output (Locust's own histograms, read exactly): counts and every
    percentile, per endpoint and in total."""
    def stats(*args):
        out = subprocess.run([ltk, "stats", "--json", *args], capture_output=True, text=True, check=True).stdout
        d = json.loads(out)
        rows = {(e["type"], e["name"]): e for e in d["endpoints"]}
        rows[("", "Aggregated")] = d["total"]
        return rows
    a, b = stats("--method", "locust", log_csv), stats(js)
    cells, problems = 0, []
    if set(a) != set(b):
        problems.append(f"endpoints differ: {sorted(set(a) ^ set(b))}")
    for key in sorted(set(a) & set(b)):
        for field in ("requests", "failures"):
            cells += 1
            if a[key][field] != b[key][field]:
                problems.append(f"{key} {field}: log {a[key][field]}, JSON {b[key][field]}")
        for q, v in b[key]["percentiles"].items():
            cells += 1
            if a[key]["percentiles"].get(q) != v:
                problems.append(f"{key} p{q}: log {a[key]['percentiles'].get(q)}, JSON {v}")
    return cells, problems


def main():
    ltk, runs = sys.argv[1], sys.argv[2]
    failed = False
    logs = sorted(glob.glob(os.path.join(runs, "*", "*_requests.csv")))
    if not logs:
        print("no request logs found")
        return 1
    for log_csv in logs:
        console = log_csv[: -len("_requests.csv")] + "_locust.log"
        js = log_csv[: -len("_requests.csv")] + ".json"
        if os.path.exists(js) and not has_console_tables(console):
            # Locust 2.14+ with --json prints the JSON instead of its tables: the
            # JSON's own histograms are then what --method locust must equal
            cells, problems = against_json(ltk, log_csv, js)
            print(f"{os.path.relpath(log_csv, runs)}: {cells} values compared with "
                  f"{os.path.basename(js)} (Locust ran with --json: no console tables): "
                  f"{'ok' if not problems else len(problems)}")
            for p in problems:
                print("  " + p)
            failed |= bool(problems) or cells == 0
            continue
        cells, note, problems = check(ltk, log_csv, console)
        status = "ok" if not problems else f"{len(problems)} differences"
        print(f"{os.path.relpath(log_csv, runs)}: {cells} cells compared{note}: {status}")
        for p in problems:
            print("  " + p)
        failed |= bool(problems)
        r = replay(ltk, log_csv)
        if r is None:
            print("  (locust.stats cannot be imported: the replay check is skipped)")
            continue
        cells, problems = r
        print(f"  replayed through locust.stats: {cells} values compared: {'ok' if not problems else len(problems)}")
        for p in problems:
            print("    " + p)
        failed |= bool(problems)
    # Locust's --json statistics (NAME/NAME.json, see samples/runs/jsonfile)
    jsons = sorted(j for j in glob.glob(os.path.join(runs, "*", "*.json"))
                   if os.path.basename(j) == os.path.basename(os.path.dirname(j)) + ".json")
    if not jsons:
        print("no Locust JSON statistics found")
        failed = True
    for js in jsons:
        console = js[: -len(".json")] + "_locust.log"
        if not has_console_tables(console):
            continue  # compared with its hook log above
        cells, note, problems = check(ltk, js, console, locust_json=True)
        status = "ok" if not problems else f"{len(problems)} differences"
        print(f"{os.path.relpath(js, runs)}: {cells} cells compared: {status}")
        for p in problems:
            print("  " + p)
        failed |= bool(problems)
    path = synthetic_log()
    try:
        r = replay(ltk, path)
    finally:
        os.unlink(path)
    if r is not None:
        cells, problems = r
        print(f"synthetic log of rounding ties, replayed through locust.stats: {cells} values compared: "
              f"{'ok' if not problems else len(problems)}")
        for p in problems:
            print("    " + p)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
