#!/usr/bin/env python3
"""make install puts the tools, a man page for each and the templates in place.

    install_check.py BUILD_DIR SOURCE_DIR

Runs "cmake --install BUILD_DIR --prefix TMP" and checks that TMP/bin has ltk
and every ltk-TOOL of tools/ltk.c's tools[], that TMP/share/man/man1 has
every docs/man/*.1 as NAME.1.gz (gzip -9n, as Debian wants; byte for byte
once uncompressed, and compressed without a time stamp so that every build
gives the same bytes), and that "man" finds each installed page by name
(MANPATH=TMP/share/man) when man is installed.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, src = argv[1], argv[2]
    with open(os.path.join(src, "tools", "ltk.c"), encoding="utf-8") as f:
        body = re.search(r"tools\[\]\s*=\s*\{(.*?)\n\};", f.read(), re.S).group(1)
    tools = re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', body)
    problems = []
    with tempfile.TemporaryDirectory(prefix="ltk-install-") as prefix:
        p = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            print(p.stdout.decode(errors="replace"))
            return 1
        man1 = os.path.join(prefix, "share", "man", "man1")
        for prog in ["ltk"] + [f"ltk-{t}" for t in tools]:
            if not os.access(os.path.join(prefix, "bin", prog), os.X_OK):
                problems.append(f"bin/{prog} not installed")
            page = os.path.join(man1, f"{prog}.1.gz")
            if not os.path.exists(page):
                problems.append(f"share/man/man1/{prog}.1.gz not installed")
                continue
            with open(page, "rb") as f:
                packed = f.read()
            with open(os.path.join(src, "docs", "man", f"{prog}.1"), "rb") as f:
                if gzip.decompress(packed) != f.read():
                    problems.append(f"share/man/man1/{prog}.1.gz differs from docs/man/{prog}.1")
            if packed[4:8] != b"\0\0\0\0":
                problems.append(f"share/man/man1/{prog}.1.gz has a time stamp (gzip -n)")
            if not shutil.which("man"):
                continue
            env = dict(os.environ, MANPATH=os.path.join(prefix, "share", "man"), MANWIDTH="80")
            w = subprocess.run(["man", "-w", prog], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
            if w.returncode != 0 or not w.stdout.decode().strip().startswith(man1):
                problems.append(f"man -w {prog} does not find the installed page: "
                                f"{(w.stdout + w.stderr).decode(errors='replace').strip()}")
        for t in ("report.html", "report.md"):
            if not os.path.exists(os.path.join(prefix, "share", "ltk", "templates", t)):
                problems.append(f"share/ltk/templates/{t} not installed")
    for pr in problems:
        print("FAIL " + pr)
    print(f"install_check: {1 + len(tools)} tools and man pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
