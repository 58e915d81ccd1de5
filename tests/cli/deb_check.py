#!/usr/bin/env python3
"""make deb's packages: what they hold, what they declare, that they install.

    deb_check.py BUILD_DIR SOURCE_DIR

Runs cpack on BUILD_DIR's CPackConfig.cmake into a temporary folder (what
"make deb" does) and checks:

  * two packages, ltk_VERSION-1_ARCH.deb and libltk-dev_VERSION-1_ARCH.deb
    (dpkg --print-architecture);
  * their control fields (dpkg-deb -f): Package, Version, Architecture,
    Maintainer, Section, a synopsis and a description; ltk's Depends, from
    dpkg-shlibdeps, name the shared libraries the tools link (libc6,
    libcjson1, libcsv3, libgsl27, zlib1g) with versions, every one installed
    here at a version that satisfies it; gnuplot is Recommended; libltk-dev
    Depends on the -dev packages a static libltk needs;
  * their files (dpkg-deb -c): together exactly what "cmake --install
    --prefix /usr" installs (the same paths, executables 0755, others 0644,
    all root:root, the completion links as links), split as documented:
    tools, man pages, templates and completions in ltk, the library, headers,
    ltk.pc and the example in libltk-dev; the man pages gzip'd;
  * unpacked into a scratch root (dpkg -x), ROOT/usr/bin/ltk --version says
    the version and the build's commit, and "ROOT/usr/bin/ltk stats" finds its
    ltk-stats beside it (not on PATH) and prints what the build's does;
  * where the machine allows, dpkg installs both into a scratch root
    (--root with its own database; dependencies not checked there, as that
    root has no other packages), lists them as installed and removes them
    leaving no file behind.
"""
import os
import re
import shutil
import sys
import tempfile

from ltktest import problem, problems, project_version, run



def fields(deb):
    out = run(["dpkg-deb", "-f", deb]).stdout
    got, key = {}, None
    for line in out.split("\n"):
        if line.startswith(" ") and key:
            got[key] += "\n" + line
        elif ":" in line:
            key, value = line.split(":", 1)
            got[key] = value.strip()
    return got


def contents(deb):
    """{path: (mode, owner, link target or None)} from dpkg-deb -c"""
    out = run(["dpkg-deb", "-c", deb]).stdout
    files = {}
    for line in out.splitlines():
        m = re.match(r"^(\S+) (\S+)\s+\d+ \S+ \S+ \./(\S*?)/?(?: -> (\S+))?$", line)
        if not m:
            problem(f"{os.path.basename(deb)}: cannot read the line {line!r} of dpkg-deb -c")
            continue
        if m.group(3):
            files["/" + m.group(3)] = (m.group(1), m.group(2), m.group(4))
    return files


def installed_version(pkg):
    r = run(["dpkg-query", "-W", "-f", "${Status}\t${Version}\n", pkg])
    for line in r.stdout.splitlines():
        st, _, ver = line.partition("\t")
        if st == "install ok installed":
            return ver
    return None


def check_depends(name, depends):
    """Every alternative group names a package installed here at a version
    that satisfies the relation (the tools were built against them)."""
    for group in [g.strip() for g in depends.split(",") if g.strip()]:
        ok = False
        for alt in group.split("|"):
            m = re.match(r"^\s*([a-z0-9][a-z0-9.+-]*)(?::\w+)?\s*(?:\((<<|<=|=|>=|>>)\s*([^)\s]+)\))?\s*$", alt)
            if not m:
                problem(f"{name}: cannot read the dependency {alt!r}")
                continue
            ver = installed_version(m.group(1))
            if ver and (not m.group(2) or
                        run(["dpkg", "--compare-versions", ver, m.group(2).replace("<<", "lt").replace(">>", "gt")
                             .replace("<=", "le").replace(">=", "ge").replace("=", "eq"), m.group(3)]).returncode == 0):
                ok = True
        if not ok:
            problem(f"{name}: Depends '{group}' is not satisfied by the packages installed here")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    for prog in ("cpack", "dpkg-deb", "dpkg"):
        if not shutil.which(prog):
            print(f"deb_check: SKIPPED: {prog} not found")
            return 77
    if not shutil.which("dpkg-shlibdeps"):
        print("deb_check: FAIL: dpkg-shlibdeps not found (apt-get install -y dpkg-dev): "
              "make deb needs it for the Depends field")
        return 1
    version = project_version(src)
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    ltk_version = run([os.path.join(build, "bin", "ltk"), "--version"]).stdout

    with tempfile.TemporaryDirectory(prefix="ltk-deb-") as tmp:
        out = os.path.join(tmp, "packages")
        p = run(["cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-B", out], cwd=build, timeout=300)
        if p.returncode:
            print(p.stdout + p.stderr)
            problem("cpack failed")
            return 1
        debs = {n: os.path.join(out, f"{n}_{version}-1_{arch}.deb") for n in ("ltk", "libltk-dev")}
        made = sorted(f for f in os.listdir(out) if f.endswith(".deb"))
        if made != sorted(os.path.basename(d) for d in debs.values()):
            problem(f"cpack made {made}, expected {sorted(os.path.basename(d) for d in debs.values())}")
            return 1

        # ---- control fields
        info = {n: fields(d) for n, d in debs.items()}
        for n, f in info.items():
            for key, want in (("Package", n), ("Version", f"{version}-1"), ("Architecture", arch),
                              ("Priority", "optional")):
                if f.get(key) != want:
                    problem(f"{n}: {key} is {f.get(key)!r}, expected {want!r}")
            if not re.match(r"^.+ <[^>]+@[^>]+>$", f.get("Maintainer", "")):
                problem(f"{n}: Maintainer {f.get('Maintainer')!r} is not 'Name <address>'")
            desc = f.get("Description", "").split("\n")
            if len(desc) < 3 or not desc[0] or len(desc[0]) > 80 or any(not d.startswith(" ") for d in desc[1:]):
                problem(f"{n}: Description needs a synopsis and indented text: {desc!r}")
        if info["ltk"].get("Section") != "utils" or info["libltk-dev"].get("Section") != "libdevel":
            problem(f"Sections: {info['ltk'].get('Section')}, {info['libltk-dev'].get('Section')}")
        dep = info["ltk"].get("Depends", "")
        for lib in ("libc6", "libcjson1", "libcsv3", "libgsl27", "zlib1g"):
            if not re.search(rf"(^|, ){re.escape(lib)} \(>= [^)]+\)", dep):
                problem(f"ltk: Depends '{dep}' does not name {lib} with a version (dpkg-shlibdeps)")
        check_depends("ltk", dep)
        if not re.search(r"(^|, |\| )gnuplot", info["ltk"].get("Recommends", "")):
            problem(f"ltk: Recommends {info['ltk'].get('Recommends')!r} does not name gnuplot")
        dev_dep = info["libltk-dev"].get("Depends", "")
        for d in ("libcjson-dev", "libgsl-dev", "zlib1g-dev", "libcsv-dev"):
            if d not in [x.strip().split()[0] for x in dev_dep.split(",")]:
                problem(f"libltk-dev: Depends '{dev_dep}' does not name {d}")
        check_depends("libltk-dev", dev_dep)
        print(f"deb_check: control fields of {', '.join(sorted(made))} checked; ltk Depends: {dep}")

        # ---- files
        files = {n: contents(d) for n, d in debs.items()}
        stage = os.path.join(tmp, "stage")
        p = run(["cmake", "--install", build, "--prefix", "/usr"], env=dict(os.environ, DESTDIR=stage))
        if p.returncode:
            print(p.stdout + p.stderr)
            problem("cmake --install --prefix /usr (DESTDIR) failed")
            return 1
        want = set()
        for root, dirs, names in os.walk(stage):
            for x in dirs + names:
                want.add("/" + os.path.relpath(os.path.join(root, x), stage))
        both = set(files["ltk"]) & set(files["libltk-dev"])
        shared_dirs = {p for p in both if files["ltk"][p][0].startswith("d")}
        for p in sorted(both - shared_dirs):
            problem(f"{p} is in both packages")
        got = set(files["ltk"]) | set(files["libltk-dev"])
        for p in sorted(want - got):
            problem(f"{p} is installed by cmake --install but in no package")
        for p in sorted(got - want):
            problem(f"{p} is in a package but not installed by cmake --install")
        for n, fl in files.items():
            for p, (mode, owner, link) in fl.items():
                if owner != "root/root":
                    problem(f"{n}: {p} is owned by {owner}")
                kind = mode[0]
                full = os.path.join(stage, p.lstrip("/"))
                if kind == "l":
                    if not os.path.islink(full) or os.readlink(full) != link:
                        problem(f"{n}: {p} -> {link}, installed as something else")
                elif kind == "d":
                    if mode != "drwxr-xr-x":
                        problem(f"{n}: folder {p} has mode {mode}")
                elif p.startswith("/usr/bin/"):
                    if mode != "-rwxr-xr-x":
                        problem(f"{n}: {p} has mode {mode}, expected -rwxr-xr-x")
                elif mode != "-rw-r--r--":
                    problem(f"{n}: {p} has mode {mode}, expected -rw-r--r--")
        with open(os.path.join(src, "tools", "ltk.c"), encoding="utf-8") as f:
            body = re.search(r"tools\[\]\s*=\s*\{(.*?)\n\};", f.read(), re.S).group(1)
        tools = re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', body)
        expect = {"ltk": ["/usr/bin/ltk", "/usr/share/man/man1/ltk.1.gz",
                          "/usr/share/bash-completion/completions/ltk", "/usr/share/zsh/vendor-completions/_ltk",
                          "/usr/share/ltk/templates/report.html", "/usr/share/ltk/templates/report.md"]
                  + [f"/usr/bin/ltk-{t}" for t in tools] + [f"/usr/share/man/man1/ltk-{t}.1.gz" for t in tools]
                  + [f"/usr/share/bash-completion/completions/ltk-{t}" for t in tools],
                  "libltk-dev": ["/usr/include/ltk/version.h", "/usr/include/ltk/base/error.h",
                                 "/usr/include/ltk/model/run.h", "/usr/include/ltk/read/load.h",
                                 "/usr/share/doc/libltk-dev/examples/p95.c"]}
        for n, paths in expect.items():
            for p in paths:
                if p not in files[n]:
                    problem(f"{n}: {p} missing")
        for suffix in ("/libltk.a", "/pkgconfig/ltk.pc"):
            if not any(p.startswith("/usr/lib/") and p.endswith(suffix) for p in files["libltk-dev"]):
                problem(f"libltk-dev: no /usr/lib/...{suffix}")
        for p in files["ltk"]:
            if p.startswith("/usr/include/") or p.endswith(".a"):
                problem(f"ltk: {p} belongs in libltk-dev")
        print(f"deb_check: {len(files['ltk'])} + {len(files['libltk-dev'])} entries, "
              "the same as cmake --install --prefix /usr")

        # ---- unpacked into a scratch root
        root = os.path.join(tmp, "root")
        for d in debs.values():
            p = run(["dpkg", "-x", d, root])
            if p.returncode:
                problem(f"dpkg -x {os.path.basename(d)}: {p.stderr.strip()}")
        env = dict(os.environ, PATH="/usr/bin:/bin")
        v = run([os.path.join(root, "usr", "bin", "ltk"), "--version"], env=env)
        if v.returncode or v.stdout != ltk_version or f"(ltk) {version} (commit " not in v.stdout:
            problem(f"ROOT/usr/bin/ltk --version: exit {v.returncode}, {v.stdout!r}; the build says {ltk_version!r}")
        sample = "samples/runs/load/load"
        a = run([os.path.join(root, "usr", "bin", "ltk"), "stats", sample], cwd=src, env=env)
        b = run([os.path.join(build, "bin", "ltk"), "stats", sample], cwd=src, env=env)
        if a.returncode or a.stdout != b.stdout or not a.stdout:
            problem(f"ROOT/usr/bin/ltk stats {sample}: exit {a.returncode} {a.stderr.strip()}, "
                    "not what the build's ltk stats prints")
        print(f"deb_check: unpacked, {v.stdout.strip()}; ltk stats from the package = the build's")

        # ---- dpkg install and remove in a scratch root, where dpkg allows
        droot = os.path.join(tmp, "dpkg-root")
        admin = os.path.join(droot, "var", "lib", "dpkg")
        for d in ("updates", "info", "triggers"):
            os.makedirs(os.path.join(admin, d))
        for f in ("status", "available"):
            open(os.path.join(admin, f), "w").close()
        base = ["dpkg", f"--root={droot}", "--force-not-root", "--force-script-chrootless", "--log=/dev/null"]
        p = run(base + ["--force-depends", "--install", debs["ltk"], debs["libltk-dev"]])
        if p.returncode:
            print("deb_check: SKIPPED the dpkg --root install: dpkg refused here: " + p.stderr.strip()[-500:])
        else:
            for n in debs:
                s = run(base + ["--status", n]).stdout
                if "Status: install ok installed" not in s:
                    problem(f"dpkg --root: {n} not installed: {s[:200]}")
            listed = run(base + ["--listfiles", "ltk"]).stdout.split()
            if "/usr/bin/ltk" not in listed:
                problem("dpkg --root --listfiles ltk does not list /usr/bin/ltk")
            v = run([os.path.join(droot, "usr", "bin", "ltk"), "--version"], env=env)
            if v.stdout != ltk_version:
                problem(f"dpkg --root: installed ltk --version: {v.stdout!r}")
            p = run(base + ["--purge", "ltk", "libltk-dev"])
            left = [os.path.join(r, x) for r, _, xs in os.walk(os.path.join(droot, "usr")) for x in xs]
            if p.returncode or left:
                problem(f"dpkg --root --purge: exit {p.returncode} {p.stderr.strip()}; left behind: {left[:5]}")
            else:
                print("deb_check: dpkg installed both into a scratch root, listed and removed them")

    print(f"deb_check: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
