#!/usr/bin/env python3
"""libltk as a user gets it: installed, found by pkg-config, linked into a program.

    library_check.py BUILD_DIR SOURCE_DIR

  * "cmake --install BUILD_DIR --prefix TMP" installs libltk.a, the headers
    under include/ltk/ (with the generated version.h) and ltk.pc;
  * with PKG_CONFIG_PATH naming only TMP's pkgconfig folder, pkg-config finds
    ltk at the project's version, its Cflags name TMP/include and its Libs
    TMP's libdir;
  * every installed header compiles on its own (-std=c11 -Wall -Wextra
    -Wpedantic -Werror), with nothing from the source tree on the path;
  * docs/examples/p95.c, which docs/library.md shows verbatim, compiles with
    "pkg-config --cflags --libs ltk" and prints for a Locust export, a raw
    request log and a summary the p95 of each endpoint and the total that
    "ltk stats --json" reports; a missing run is exit 2 with the library's
    message;
  * (CC and LTK_EXAMPLE_FLAGS, set by tests/CMakeLists.txt, compile as the
    library was compiled: the same compiler, the sanitizers of an ASan build);
  * the library never prints or exits on its own: libltk.a calls no exit,
    abort, printf, puts or perror, touches no stderr, and stdout only in
    outfile.c (where the caller asked for standard output).
"""
import glob
import json
import os
import re
import shutil
import sys
import tempfile

from ltktest import problem, problems, project_version, run

FORBIDDEN = {"exit", "_exit", "abort", "printf", "vprintf", "puts", "putchar", "perror", "stderr",
             "__assert_fail"}



def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    ltk = os.path.join(build, "bin", "ltk")
    cc = os.environ.get("CC") or shutil.which("cc") or "gcc"
    version = project_version(src)

    with tempfile.TemporaryDirectory(prefix="ltk-library-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        p = run(["cmake", "--install", build, "--prefix", prefix])
        if p.returncode:
            print(p.stdout + p.stderr)
            return 1
        pcs = glob.glob(os.path.join(prefix, "**", "pkgconfig", "ltk.pc"), recursive=True)
        libs = glob.glob(os.path.join(prefix, "**", "libltk.a"), recursive=True)
        if len(pcs) != 1 or len(libs) != 1:
            problem(f"installed: ltk.pc {pcs}, libltk.a {libs}; expected one of each")
            return 1
        libdir = os.path.dirname(libs[0])
        if os.path.dirname(os.path.dirname(pcs[0])) != libdir:
            problem(f"ltk.pc is in {pcs[0]}, not in {libdir}/pkgconfig")
        # searched before the system's folders, so an ltk installed there is not the one found
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]))
        env.pop("PKG_CONFIG_SYSROOT_DIR", None)

        def pkgconfig(*args):
            r = run(["pkg-config"] + list(args) + ["ltk"], env=env)
            if r.returncode:
                problem(f"pkg-config {' '.join(args)} ltk: {r.stderr.strip()}")
            return r.stdout.split()

        got = pkgconfig("--modversion")
        if got != [version]:
            problem(f"pkg-config --modversion ltk: {got}, expected {version}")
        cflags = pkgconfig("--cflags")
        flags = pkgconfig("--cflags", "--libs")
        if f"-I{prefix}/include" not in cflags:
            problem(f"pkg-config --cflags ltk {cflags} does not name {prefix}/include")
        if f"-L{libdir}" not in flags or "-lltk" not in flags:
            problem(f"pkg-config --libs ltk {flags} does not name -L{libdir} -lltk")
        if any(src in f for f in flags):
            problem(f"pkg-config names the source tree: {flags}")

        warn = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"] + os.environ.get("LTK_EXAMPLE_FLAGS", "").split()
        headers = sorted(glob.glob(os.path.join(prefix, "include", "ltk", "**", "*.h"), recursive=True))
        want_headers = sorted(os.path.relpath(h, os.path.join(src, "include"))
                              for h in glob.glob(os.path.join(src, "include", "ltk", "**", "*.h"), recursive=True))
        got_headers = [os.path.relpath(h, os.path.join(prefix, "include")) for h in headers]
        if sorted(set(got_headers) - {"ltk/version.h"}) != want_headers or "ltk/version.h" not in got_headers:
            problem(f"installed headers {got_headers} != include/ltk's {want_headers} + ltk/version.h")
        for h in got_headers:
            r = run([cc] + warn + ["-fsyntax-only", "-x", "c", "-"] + cflags,
                    input=f"#include <{h}>\ntypedef int header_compiles;\n", cwd=tmp)
            if r.returncode:
                problem(f"#include <{h}> alone does not compile: {r.stderr.strip()[:400]}")
        print(f"library: {len(got_headers)} installed headers compile on their own")

        example = os.path.join(src, "docs", "examples", "p95.c")
        with open(example, encoding="utf-8") as f:
            code = f.read()
        with open(os.path.join(src, "docs", "library.md"), encoding="utf-8") as f:
            if "```c\n" + code + "```\n" not in f.read():
                problem("docs/library.md does not show docs/examples/p95.c verbatim in a ```c block")
        exe = os.path.join(tmp, "p95")
        r = run([cc] + warn + [example, "-o", exe] + flags, cwd=tmp)
        if r.returncode:
            problem(f"cc p95.c $(pkg-config --cflags --libs ltk): {r.stderr.strip()}")
            return 1
        for run_ in ("samples/runs/load/load", "samples/runs/stress/stress_requests.csv",
                     "tests/data/summary/pool_locust.ltk.json"):
            out = run([exe, run_], cwd=src)
            ref = run([ltk, "stats", "--json", run_], cwd=src)
            if out.returncode or ref.returncode:
                problem(f"p95 {run_}: exit {out.returncode} ({out.stderr.strip()}); ltk stats exit {ref.returncode}")
                continue
            doc = json.loads(ref.stdout)
            want = [(e["name"], e["percentiles"].get("95"), e["requests"]) for e in doc["endpoints"] + [doc["total"]]]
            got = []
            for line in out.stdout.splitlines():
                m = re.match(r"^(\S*)\s+(\S+)\s+(\S+) ms\s+(\d+) requests$", line)
                if not m:
                    problem(f"p95 {run_}: unexpected line {line!r}")
                    continue
                got.append((m.group(2), m.group(3), int(m.group(4))))
            if len(got) != len(want):
                problem(f"p95 {run_}: {len(got)} rows, ltk stats has {len(want)}")
            for (gn, gp, gr), (wn, wp, wr) in zip(got, want):
                if gn != wn or gr != wr or gp != f"{wp:.0f}":
                    problem(f"p95 {run_}: {gn} p95 {gp} ms of {gr} requests; ltk stats says {wn} {wp} ms of {wr}")
            print(f"library: p95 {run_}: {len(got)} rows equal ltk stats --json")
        out = run([exe, "results/nothing_here"], cwd=src)
        if out.returncode != 2 or "results/nothing_here" not in out.stderr or out.stdout:
            problem(f"p95 on a missing run: exit {out.returncode}, stderr {out.stderr!r}, stdout {out.stdout!r}")

        nm = run(["nm", "-A", "-u", libs[0]])
        for line in nm.stdout.splitlines():
            parts = line.split()
            sym, where = parts[-1], parts[0]
            if sym in FORBIDDEN or (sym == "stdout" and "outfile.c.o" not in where):
                problem(f"libltk.a: {where} uses {sym}: the library must not print or exit")
        print("library: libltk.a calls nothing that prints or exits on its own")

    print(f"library_check: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
