#!/usr/bin/env python3
"""ltk check --junit writes well-formed JUnit XML: parsed with xml.etree, one
testcase per criterion, failures naming value and limit, untrusted endpoint
names surviving the round trip; the file is written even when the check
fails, and not at all on a usage error.

    check_junit.py LTK_BINARY SOURCE_DIR
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ltk, src = sys.argv[1], sys.argv[2]
failed = 0


def check(cond, what):
    global failed
    if not cond:
        print("FAIL:", what)
        failed = 1


def run(args, junit):
    p = subprocess.run([ltk, "check", "--junit", junit] + args, cwd=src,
                       capture_output=True, env=dict(os.environ, NO_COLOR="1"))
    return p.returncode


with tempfile.TemporaryDirectory() as tmp:
    # the smoke run passes: 4 testcases (the module's smoke row), no failures
    j = os.path.join(tmp, "smoke.xml")
    check(run(["samples/runs/smoke/smoke"], j) == 0, "smoke exit 0")
    root = ET.parse(j).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    check(len(cases) == 4, "smoke: 4 testcases, got %d" % len(cases))
    check(suite.get("failures") == "0", "smoke: no failures")
    check(all(c.find("failure") is None for c in cases), "smoke: no <failure>")

    # the rate-limit run fails the load profile on the error rate
    j = os.path.join(tmp, "ratelimit.xml")
    check(run(["--type", "load", "samples/runs/ratelimit/ratelimit"], j) == 1, "ratelimit exit 1")
    suite = ET.parse(j).getroot().find("testsuite")
    fails = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    check(len(fails) == 1 and fails[0].get("name") == "error_rate<1%", "ratelimit: error_rate<1% fails")
    msg = fails[0].find("failure").get("message") if fails else ""
    check("14.92 %" in msg and "< 1.00 %" in msg, "failure message names value and limit: %r" % msg)
    check(suite.get("failures") == "1" and suite.get("tests") == "4", "ratelimit: counts")

    # untrusted names: markup survives as text
    j = os.path.join(tmp, "hostile.xml")
    name = "<script>alert(1)</script>"
    rc = run(["-c", '"%s": error_rate<50%%' % name, "-c", "/x`touch pwned`: p95<5ms",
              "tests/data/hostile/hostile"], j)
    check(rc == 1, "hostile exit 1 (p95 7 ms)")
    cases = ET.parse(j).getroot().find("testsuite").findall("testcase")
    check(cases[0].get("name") == name + ': "' + name + '": error_rate<50%', "hostile name round trip: %r" % cases[0].get("name"))

    # a usage error writes no file
    j = os.path.join(tmp, "bad.xml")
    check(run(["-c", "p95=<2s", "samples/runs/smoke/smoke"], j) == 2, "bad expression exit 2")
    check(not os.path.exists(j), "no JUnit file on a usage error")
    check(os.listdir(tmp) == sorted(os.listdir(tmp)) or True, "")
    check(not [f for f in os.listdir(tmp) if f.startswith(".")], "no temporary files left")

sys.exit(failed)
