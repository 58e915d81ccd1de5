#!/usr/bin/env python3
"""A raw request log alone is a full run: its load profile.

Generates bench/genlog.c's log at the bench's rate (58 requests a second,
lognormal response times: about 27 in flight) over two hours, with nothing
beside it, and checks that `ltk stats` says the users were derived, that
`ltk check` calls it a soak with one steady phase, and that `ltk trend` fits
a steady segment; then the bundled real Locust run whose hook log has a
users column gets its two levels (5 and 15 users) from the log alone.

    check_raw_profile.py BIN_DIR GENLOG SOURCE_DIR
"""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN, GENLOG, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
LTK = os.path.join(BIN, "ltk")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def ltk(*args):
    p = subprocess.run([LTK, *args], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(p.stderr)
    return p


with tempfile.TemporaryDirectory() as tmp:
    log = os.path.join(tmp, "soak_requests.csv")
    with open(log, "w") as fp:
        subprocess.run([GENLOG, "420000", "7200"], stdout=fp, check=True)

    st = json.loads(ltk("stats", "--json", log).stdout)
    h = st["history"]
    check(h["users_derived"] is True, "stats: users derived")
    check("Little's law" in (h["users_source"] or ""), "stats: says how: " + str(h["users_source"]))
    check(20 <= h["max_users"] <= 35, "stats: about 27 in flight, got %s" % h["max_users"])
    text = ltk("stats", log).stdout
    check("users: none in the log or beside it; derived" in text, "stats table names the derived profile")

    ck = json.loads(ltk("check", "--json", log).stdout)
    check(ck["test_type"] == "soak", "check: soak, got %s (%s)" % (ck["test_type"], ck["test_type_reason"]))
    steady = [p for p in ck["phases"] if p["kind"] == "steady"]
    check(len(steady) == 1 and len(ck["phases"]) == 1, "check: one steady phase, got %s" % ck["phases"])

    tr = json.loads(ltk("trend", "--json", log).stdout)
    check(len(tr["segments"]) >= 1, "trend: a steady segment")
    check(tr["test_type"] == "soak", "trend: soak")

    # the summary of the same log gives the same profile
    summ = os.path.join(tmp, "soak.ltk.json")
    check(ltk("summarize", "-o", summ, log).returncode == 0, "summarize")
    ck2 = json.loads(ltk("check", "--json", summ).stdout)
    check(ck2["test_type"] == "soak" and ck2["phases"] == ck["phases"], "check of the summary: the same phases")

    # its gzip: the span told by a first pass through zlib, so the same
    # automatic interval (10 s over two hours, not 1 s) and the same answers
    gz = os.path.join(tmp, "soak_gz_requests.csv.gz")
    with open(log, "rb") as src, gzip.open(gz, "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
    sg = json.loads(ltk("stats", "--json", gz).stdout)
    check(sg["history"]["percentiles"] == st["history"]["percentiles"] == "interval_10s",
          "gzip: the plain file's interval, got %s and %s" % (sg["history"]["percentiles"],
                                                              st["history"]["percentiles"]))
    check(sg["history"]["ticks"] == st["history"]["ticks"], "gzip: as many intervals as the plain file")
    check(sg["endpoints"] == st["endpoints"], "gzip: the plain file's endpoints")
    check(ltk("stats", gz).stdout.replace(gz, log) == text, "gzip: the plain file's table, byte for byte")

    # a real Locust hook log with a users column, alone in a directory
    real = os.path.join(tmp, "users_requests.csv")
    shutil.copy(os.path.join(SRC, "samples/runs/users/users_requests.csv"), real)
    st = json.loads(ltk("stats", "--json", real).stdout)
    check(st["history"]["users_source"] == "the log's users column", "real log: users from its column")
    check(st["history"]["max_users"] == 15 and not st["history"]["users_derived"], "real log: up to 15 users")
    ck = json.loads(ltk("check", "--json", real).stdout)
    levels = [p["users"] for p in ck["phases"] if p["kind"] == "steady"]
    check(levels == [5, 15], "real log: steady 5 then 15 users, got %s" % ck["phases"])

sys.exit(1 if failures else 0)
