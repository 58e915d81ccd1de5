#!/usr/bin/env python3
"""Run every command documented in Markdown files and compare its output.

    doctest.py [--fix] FILE.md...

Environment: LTK_BIN (build/bin, put first on PATH), LTK_SOURCE_DIR (the source
tree; default: two directories above this script).

The convention (docs/tutorial.md, "How the examples are checked"):

* Only fenced code blocks whose info string is `console` are run:

      ```console
      $ ltk stats --brief samples/module/example_stats.csv
      /query          | p50:  780ms | ...
      ```

* In such a block, a line starting with "$ " is a command; the lines after it,
  up to the next "$ " line or the end of the block, are its expected output:
  standard output and standard error together, as a terminal shows them.
* A line "..." on its own stands for any number of lines (zero or more).
* A command that exits with a status other than 0 must say so: its expected
  output ends with the line "[exit N]".
* Commands are one line: "ltk ..." optionally piped into head, tail or grep.
  Redirections, ";", "&&", "$(...)" and backquotes are refused, so the
  documented line is exactly what a reader can paste.
* All the commands of one file run, in order, in one scratch directory that
  holds a symbolic link to every top-level entry of the source tree: paths such
  as samples/runs/load/load work as in a checkout, and files a command writes
  (ltk capacity --json -o stress.json) stay out of the tree and are there for
  the commands after it.
* Compared exactly, after removing trailing white space from every line and
  trailing empty lines (Markdown cannot keep them), and after replacing the
  absolute paths of the scratch directory, the source tree and LTK_BIN by
  ".", "." and "build/bin".
* A "$ ltk" line outside a console block is an error (it would not be checked),
  and so is a file with no console block.

--fix rewrites the expected output of every block without "..." from what the
commands print now (review the diff before committing it).
Exit status: 0 all match, 1 a mismatch, 2 usage or a malformed document.
"""
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ALLOWED_FILTERS = {"head", "tail", "grep"}
FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
TIMEOUT = 300


class DocError(Exception):
    pass


class Example:
    def __init__(self, path, line, command):
        self.path = path
        self.line = line            # 1-based line of the "$ " line
        self.command = command
        self.expected = []          # lines
        self.out_start = None       # 0-based index of the first output line
        self.out_end = None         # 0-based index after the last output line


def closes(line, fence):
    """Whether LINE closes a block opened by FENCE (same character, at least as long)."""
    s = line.strip()
    return len(s) >= len(fence) and s == fence[0] * len(s)


def parse(path, lines):
    """The examples of one Markdown file, and the number of console blocks."""
    examples = []
    blocks = 0
    i = 0
    n = len(lines)
    while i < n:
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].lstrip().startswith("$ ltk"):
                raise DocError(f"{path}:{i + 1}: '$ ltk' outside a console block "
                               "(it would not be checked)")
            i += 1
            continue
        fence, info = m.group(1), m.group(2).strip()
        j = i + 1
        while j < n and not closes(lines[j], fence):
            j += 1
        if j >= n:
            raise DocError(f"{path}:{i + 1}: code block is never closed")
        if info.split()[:1] == ["console"]:
            blocks += 1
            current = None
            for k in range(i + 1, j):
                if lines[k].startswith("$ "):
                    if current:
                        current.out_end = k
                    current = Example(path, k + 1, lines[k][2:].strip())
                    current.out_start = k + 1
                    examples.append(current)
                elif current is None:
                    raise DocError(f"{path}:{k + 1}: console block must start with a '$ ' line")
                else:
                    current.expected.append(lines[k])
            if current:
                current.out_end = j
        else:
            for k in range(i + 1, j):
                if lines[k].startswith("$ ltk"):
                    raise DocError(f"{path}:{k + 1}: '$ ltk' in a '{info or 'plain'}' block; "
                                   "use ```console so that it is checked")
        i = j + 1
    return examples, blocks


def check_command(ex):
    """Refuse anything but 'ltk ...' piped into head, tail or grep."""
    lex = shlex.shlex(ex.command, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    try:
        tokens = list(lex)
    except ValueError as e:
        raise DocError(f"{ex.path}:{ex.line}: cannot parse the command: {e}")
    if "`" in ex.command or "$(" in ex.command:
        raise DocError(f"{ex.path}:{ex.line}: no command substitution in documented commands")
    segments = [[]]
    for t in tokens:
        if t == "|":
            segments.append([])
        elif t and all(c in "();<>|&" for c in t):
            raise DocError(f"{ex.path}:{ex.line}: '{t}' is not allowed; only '|' into "
                           f"{', '.join(sorted(ALLOWED_FILTERS))}")
        else:
            segments[-1].append(t)
    if not segments[0] or segments[0][0] != "ltk":
        raise DocError(f"{ex.path}:{ex.line}: a documented command starts with 'ltk'")
    for seg in segments[1:]:
        if not seg or seg[0] not in ALLOWED_FILTERS:
            raise DocError(f"{ex.path}:{ex.line}: a pipe may only lead into "
                           f"{', '.join(sorted(ALLOWED_FILTERS))}")


def normalise(text, replacements):
    for old, new in replacements:
        text = text.replace(old, new)
    lines = [l.rstrip() for l in text.split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def matches(expected, actual):
    """Line match where a line '...' stands for any number of lines."""
    expected = [l.rstrip() for l in expected]
    while expected and expected[-1] == "":
        expected.pop()
    # dynamic programming over (i, j)
    memo = {}

    def go(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expected):
            r = j == len(actual)
        elif expected[i] == "...":
            r = go(i + 1, j) or (j < len(actual) and go(i, j + 1))
        else:
            r = j < len(actual) and expected[i] == actual[j] and go(i + 1, j + 1)
        memo[key] = r
        return r

    sys.setrecursionlimit(max(10000, 4 * (len(expected) + len(actual)) + 100))
    return go(0, 0)


def run(ex, workdir, env, replacements):
    proc = subprocess.run(["sh", "-c", ex.command], cwd=workdir, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=TIMEOUT)
    actual = normalise(proc.stdout.decode("utf-8", "replace"), replacements)
    if proc.returncode != 0:
        actual.append(f"[exit {proc.returncode}]")
    return actual


EXIT_LINE = re.compile(r"^\[exit (\d+)\]$")


def split_status(lines):
    """(output lines, exit status) of an expected or actual output."""
    lines = [l.rstrip() for l in lines]
    while lines and lines[-1] == "":
        lines.pop()
    if lines:
        m = EXIT_LINE.match(lines[-1])
        if m:
            return lines[:-1], int(m.group(1))
    return lines, 0


def same(expected, actual):
    """Whether the documented output and status match what the command did;
    "..." never stands for the exit status line."""
    exp_lines, exp_status = split_status(expected)
    act_lines, act_status = split_status(actual)
    return exp_status == act_status and matches(exp_lines, act_lines)


def scratch_dir(src):
    d = tempfile.mkdtemp(prefix="ltk-doctest-")
    for name in os.listdir(src):
        if name in (".git",):
            continue
        os.symlink(os.path.join(src, name), os.path.join(d, name))
    return d


def main(argv):
    fix = False
    files = []
    for a in argv[1:]:
        if a == "--fix":
            fix = True
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            files.append(a)
    if not files:
        print("usage: doctest.py [--fix] FILE.md...", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    src = os.path.abspath(os.environ.get("LTK_SOURCE_DIR") or os.path.join(here, "..", ".."))
    bindir = os.path.abspath(os.environ.get("LTK_BIN") or os.path.join(src, "build", "bin"))
    if not os.access(os.path.join(bindir, "ltk"), os.X_OK):
        print(f"doctest: no ltk in {bindir} (build first, or set LTK_BIN)", file=sys.stderr)
        return 2
    env = dict(os.environ)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env.pop("NO_COLOR", None)
    env["LC_ALL"] = "C.UTF-8"
    env["TZ"] = "UTC"
    for var in ("LTK_TEMPLATES", "LTK_GNUPLOT"):
        env.pop(var, None)

    failed = 0
    total = 0
    for f in files:
        path = f if os.path.isabs(f) else os.path.join(src, f)
        rel = os.path.relpath(path, src)
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        lines = text.split("\n")
        try:
            examples, blocks = parse(rel, lines)
            if blocks == 0:
                raise DocError(f"{rel}: no ```console block: nothing would be checked")
            for ex in examples:
                check_command(ex)
        except DocError as e:
            print(f"doctest: {e}", file=sys.stderr)
            return 2
        work = scratch_dir(src)
        # longest first, so that the scratch dir is not half-replaced
        replacements = sorted({(os.path.realpath(work) + "/", ""), (work + "/", ""),
                               (bindir, "build/bin"), (src + "/", ""),
                               (os.path.realpath(src) + "/", "")},
                              key=lambda r: -len(r[0]))
        edits = []
        try:
            for ex in examples:
                total += 1
                try:
                    actual = run(ex, work, env, replacements)
                except subprocess.TimeoutExpired:
                    print(f"FAIL {rel}:{ex.line}: $ {ex.command}: no answer in {TIMEOUT} s")
                    failed += 1
                    continue
                if same(ex.expected, actual):
                    continue
                if fix and "..." not in [l.strip() for l in ex.expected]:
                    edits.append((ex, actual))
                    print(f"fixed {rel}:{ex.line}: $ {ex.command}")
                    continue
                failed += 1
                print(f"FAIL {rel}:{ex.line}: $ {ex.command}")
                for d in difflib.unified_diff(ex.expected, actual, "documented", "actual",
                                              lineterm="", n=2):
                    print("    " + d)
        finally:
            shutil.rmtree(work)
        if edits:
            for ex, actual in sorted(edits, key=lambda e: -e[0].out_start):
                lines[ex.out_start:ex.out_end] = actual
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(lines))
    print(f"doctest: {total - failed} of {total} documented commands give the documented output"
          f" ({', '.join(files)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
