#!/usr/bin/env python3
"""The manual pages agree with the tools.

    mancheck.py

Environment: LTK_BIN (build/bin), LTK_SOURCE_DIR (the source tree).

For ltk(1) and every tool in tools/ltk.c's tools[] (ltk-NAME(1)):
  * docs/man/ltk-NAME.1 exists, and ltk(1) lists NAME under COMMANDS and SEE ALSO;
  * it has the sections NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLES,
    SEE ALSO, and FILES for the tools (each reads files);
  * its NAME line is "ltk-NAME \\- ...";
  * "man -l" renders it with every groff warning enabled, at 80 columns, and
    nothing is written to standard error;
  * every long option of "ltk NAME --help" appears in the page, and every long
    option the page's SYNOPSIS and OPTIONS sections name is in --help (options
    of other programs, such as Locust's, are listed in FOREIGN);
  * the short options (-o, -m ...) of --help and of the OPTIONS section agree;
  * so do the column roles of --columns (name=COL, status=COL ...), unless
    --help gives the first few and "...";
  * the exit statuses named in --help's "Exit status:" text are those the
    page's EXIT STATUS section names.
Exit status: 0 all hold, 1 a mismatch, 77 skipped (no man command).
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.environ.get("LTK_SOURCE_DIR") or os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("LTK_BIN") or os.path.join(SRC, "build", "bin"))
MAN = os.path.join(SRC, "docs", "man")

SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
TOOL_SECTIONS = SECTIONS + ["FILES"]

# Long options of other programs that a page or --help may mention.
FOREIGN = {"--csv", "--csv-full-history", "--html", "--users", "--spawn-rate", "--run-time",
           "--headless", "--host", "--reset-stats", "--out"}

LONG = re.compile(r"(?<![\w-])--(?:\[no-\])?[a-z][a-z0-9-]*")
SHORT = re.compile(r"(?<![\w-])-[a-zA-Z](?![\w-])")


def tools_from_source():
    with open(os.path.join(SRC, "tools", "ltk.c"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"tools\[\]\s*=\s*\{(.*?)\n\};", text, re.S)
    if not m:
        raise SystemExit("mancheck: cannot find tools[] in tools/ltk.c")
    return re.findall(r'\{\s*"([a-z0-9-]+)"\s*,', m.group(1))


def sections(roff):
    """{section name: roff source of its body}"""
    out = {}
    name = None
    for line in roff.split("\n"):
        m = re.match(r'^\.SH\s+"?([^"]*?)"?\s*$', line)
        if m:
            name = m.group(1).strip()
            out[name] = []
        elif name:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def plain(roff):
    """Roff source to text good enough to find option names and numbers in."""
    t = roff.replace("\\-", "-").replace("\\(dq", '"').replace("\\e", "\\")
    t = re.sub(r"\\f[BIRP]", "", t)
    t = re.sub(r"\\\(..", " ", t)
    t = re.sub(r"^\.[A-Za-z]+\s?", "", t, flags=re.M)
    t = t.replace('"', " ")
    return t


def options(text):
    opts = set()
    for o in LONG.findall(text):
        if o.startswith("--[no-]"):
            opts.add("--" + o[len("--[no-]"):])
            opts.add("--no-" + o[len("--[no-]"):])
        else:
            opts.add(o)
    return opts - FOREIGN


def exit_codes(text):
    """The statuses a text names: a lone digit that starts a line or a clause
    (after ':', ';' or ',') and is followed by words."""
    return set(int(d) for d in re.findall(r"(?:^|[:;,])[ \t]*([0-9])\s+(?=[A-Za-z(])", text, re.M))


def drop_examples(roff):
    """Roff without its .nf/.fi (literal example) blocks."""
    return re.sub(r"^\.nf\b.*?^\.fi\b", "", roff, flags=re.M | re.S)


def render(path):
    env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="", LC_ALL="C.UTF-8")
    env.pop("MANPAGER", None)
    env["PAGER"] = "cat"
    p = subprocess.run(["man", "--warnings=w", "-l", path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    if not shutil.which("man"):
        print("mancheck: skipped: no man command (apt-get install -y man-db)")
        return 77
    problems = []

    def problem(msg):
        problems.append(msg)
        print("FAIL " + msg)

    tools = tools_from_source()
    pages = [("ltk", os.path.join(MAN, "ltk.1"))] + \
            [(t, os.path.join(MAN, f"ltk-{t}.1")) for t in tools]
    known = {"ltk.1"} | {f"ltk-{t}.1" for t in tools}
    for extra in sorted(set(os.listdir(MAN)) - known):
        if extra.endswith(".1"):
            problem(f"docs/man/{extra}: no such tool in tools/ltk.c")

    for tool, path in pages:
        rel = os.path.relpath(path, SRC)
        if not os.path.exists(path):
            problem(f"{rel}: missing: '{tool}' is in tools/ltk.c's tools[] but has no man page")
            continue
        with open(path, encoding="utf-8") as f:
            roff = f.read()
        secs = sections(roff)
        need = SECTIONS if tool == "ltk" else TOOL_SECTIONS
        for s in need:
            if s not in secs:
                problem(f"{rel}: no {s} section")
        page = "ltk" if tool == "ltk" else f"ltk-{tool}"
        name_text = plain(secs.get("NAME", "")).strip()
        if not name_text.startswith(page + " - "):
            problem(f"{rel}: NAME should start with '{page} \\- ', not '{name_text[:40]}'")

        rc, out, err = render(path)
        if rc != 0 or err.strip():
            problem(f"{rel}: man -l: exit {rc}: {err.strip()}")
        if page.upper() not in out.split("\n", 1)[0]:
            problem(f"{rel}: rendered page does not start with its title {page.upper()}")

        tool_cmd = "ltk" if tool == "ltk" else f"ltk {tool}"
        cmd = [os.path.join(BIN, "ltk")] + ([] if tool == "ltk" else [tool]) + ["--help"]
        h = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        help_text = h.stdout.decode("utf-8", "replace")
        if h.returncode != 0:
            problem(f"{' '.join(cmd[1:])}: exit {h.returncode}")
            continue

        help_opts = options(help_text)
        page_all = options(plain(roff))
        page_declared = options(plain(secs.get("SYNOPSIS", "") + "\n" + secs.get("OPTIONS", "")))
        for o in sorted(help_opts - page_all):
            problem(f"{rel}: '{o}' is in '{tool_cmd} --help' but not in the man page")
        for o in sorted(page_declared - help_opts):
            problem(f"{rel}: '{o}' is in the man page's SYNOPSIS or OPTIONS but not in "
                    f"'{tool_cmd} --help'")

        help_short = set(re.findall(r"(?m)^\s+(-[a-zA-Z]),\s+--", help_text))
        page_short = set(SHORT.findall(plain(secs.get("OPTIONS", ""))))
        if tool == "ltk":
            help_short = page_short  # ltk's usage line names only the long forms
        for o in sorted(help_short - page_short):
            problem(f"{rel}: short option '{o}' is in '{tool_cmd} --help' but not in OPTIONS")
        for o in sorted(page_short - help_short):
            problem(f"{rel}: short option '{o}' is in OPTIONS but not in '{tool_cmd} --help'")

        # the column roles of --columns (name=COL, status=COL ...), unless
        # --help gives only the first few and "..."
        help_roles = set(re.findall(r"\b([a-z]+)=COL\b", help_text))
        page_roles = set(re.findall(r"\b([a-z]+)=COL\b", plain(secs.get("OPTIONS", ""))))
        if (help_roles or page_roles) and not re.search(r"=COL\]?\.\.\.", help_text):
            for r in sorted(help_roles - page_roles):
                problem(f"{rel}: --columns role '{r}=' is in '{tool_cmd} --help' but not in OPTIONS")
            for r in sorted(page_roles - help_roles):
                problem(f"{rel}: --columns role '{r}=' is in OPTIONS but not in '{tool_cmd} --help'")

        m = re.search(r"Exit status:(.*)", help_text, re.S)
        if not m:
            problem(f"ltk {tool} --help: no 'Exit status:'")
        else:
            want = exit_codes(m.group(1))
            got = exit_codes(plain(drop_examples(secs.get("EXIT STATUS", ""))))
            if want != got:
                problem(f"{rel}: EXIT STATUS names {sorted(got)}, --help {sorted(want)}")

        if tool == "ltk":
            cmds = plain(secs.get("COMMANDS", ""))
            see = plain(secs.get("SEE ALSO", ""))
            for t in tools:
                if not re.search(rf"(?m)^{re.escape(t)}\s*$", cmds):
                    problem(f"{rel}: COMMANDS does not list '{t}'")
                if f"ltk-{t}(1)" not in see.replace(" (1)", "(1)"):
                    problem(f"{rel}: SEE ALSO does not list ltk-{t}(1)")
        else:
            if "ltk(1)" not in plain(secs.get("SEE ALSO", "")).replace(" (1)", "(1)"):
                problem(f"{rel}: SEE ALSO does not list ltk(1)")

    print(f"mancheck: {len(pages)} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
