#!/usr/bin/env python3
"""The one rule of lib/ (ARCHITECTURE.md): layers only look down, and no circle;
and every module of lib/ is named in its layer's row of ARCHITECTURE.md.

Layers, bottom to top: base, model, read, analyze, render.  A file in
lib/<layer>/ or include/ltk/<layer>/ may include headers of its own layer or
of a layer below; a quoted include must name its layer ("ltk/read/csv.h",
"base/strutil.h"), so the rule can be read off the line.  Within lib/, the
modules (a module = a .c and its header, by base name) must not include each
other in a circle.  Every source file of lib/ must sit in a layer folder.

Run from the project root (or give it as the first argument).  Prints each
violation as file:line: what, and exits 1 when there is any.
"""
import os
import re
import sys

LAYERS = ["base", "model", "read", "analyze", "render"]
RANK = {name: i for i, name in enumerate(LAYERS)}
# Headers generated into the build tree, below every layer.
GENERATED = {"ltk/version.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of_include(target):
    """The layer a quoted include names, or None when it names none."""
    parts = target.split("/")
    if parts[0] == "ltk" and len(parts) == 3 and parts[1] in RANK:
        return parts[1]
    if len(parts) == 2 and parts[0] in RANK:
        return parts[0]
    return None


def sources(root):
    """(path, layer or None) of every .c and .h under lib/ and include/ltk/."""
    for top in ("lib", os.path.join("include", "ltk")):
        base = os.path.join(root, top)
        for dirpath, _, files in os.walk(base):
            rel = os.path.relpath(dirpath, base)
            layer = rel.split(os.sep)[0] if rel != "." else None
            for n in sorted(files):
                if n.endswith((".c", ".h")):
                    yield os.path.join(dirpath, n), layer if layer in RANK else None


def check(root):
    problems = []
    graph = {}
    for path, layer in sources(root):
        rel = os.path.relpath(path, root)
        if layer is None:
            problems.append(f"{rel}:1: not in a layer folder ({', '.join(LAYERS)})")
            continue
        module = os.path.splitext(os.path.basename(path))[0]
        graph.setdefault(module, set())
        with open(path, errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                if target in GENERATED:
                    continue
                tl = layer_of_include(target)
                if tl is None:
                    problems.append(f'{rel}:{lineno}: #include "{target}" names no layer')
                    continue
                if RANK[tl] > RANK[layer]:
                    problems.append(f'{rel}:{lineno}: #include "{target}" looks up, from {layer} to {tl}')
                dep = os.path.splitext(os.path.basename(target))[0]
                if dep != module:
                    graph[module].add(dep)
    for c in circles(graph):
        problems.append("lib:1: include circle: " + " -> ".join(c))
    problems += undocumented(root)
    return problems


def undocumented(root):
    """Every module of lib/ (a .c or private .h by base name) is named, as
    `name`, in its layer's row of ARCHITECTURE.md's table."""
    doc = os.path.join(root, "ARCHITECTURE.md")
    if not os.path.exists(doc):
        return ["ARCHITECTURE.md:1: missing"]
    rows = {}
    for line in open(doc, encoding="utf-8"):
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[1] in RANK:
            rows[cells[1]] = line
    out = []
    for path, layer in sources(root):
        rel = os.path.relpath(path, root)
        if layer is None or not rel.startswith("lib" + os.sep):
            continue
        name = os.path.splitext(os.path.basename(path))[0]
        if f"`{name}`" not in rows.get(layer, ""):
            out.append(f"{rel}:1: not named (`{name}`) in ARCHITECTURE.md's row for {layer}")
    return out


def circles(g):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            c = []
            while True:
                w = stack.pop()
                on.discard(w)
                c.append(w)
                if w == v:
                    break
            if len(c) > 1:
                out.append(sorted(c))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def selftest():
    """The check itself must catch each kind of violation: a tree that looks
    up, one with a circle, one with a loose file and one that names no layer
    each give a problem; a clean tree none."""
    import tempfile

    def tree(files):
        d = tempfile.mkdtemp(prefix="ltk-layers-")
        for rel, text in files.items():
            path = os.path.join(d, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
        return d

    clean = {"ARCHITECTURE.md": "| model | `run` |\n| read | `load` |\n",
             "lib/model/run.c": '#include "ltk/model/run.h"\n#include "ltk/base/error.h"\n',
             "include/ltk/model/run.h": '#include "ltk/base/error.h"\n',
             "include/ltk/base/error.h": "",
             "lib/read/load.c": '#include "ltk/model/run.h"\n#include "base/strutil.h"\n#include "ltk/version.h"\n'}
    cases = {
        "clean": (clean, None),
        "upward": (dict(clean, **{"lib/model/run.c": '#include "ltk/read/load.h"\n'}), "looks up"),
        "circle": (dict(clean, **{"lib/read/a.c": '#include "ltk/read/b.h"\n',
                                  "include/ltk/read/b.h": '#include "ltk/read/a.h"\n',
                                  "include/ltk/read/a.h": ""}), "include circle"),
        "loose": (dict(clean, **{"lib/stray.c": ""}), "not in a layer folder"),
        "unnamed": (dict(clean, **{"lib/read/load.c": '#include "run.h"\n'}), "names no layer"),
        "undocumented": (dict(clean, **{"lib/model/extra.c": ""}), "not named (`extra`)"),
    }
    bad = 0
    for name, (files, want) in cases.items():
        got = check(tree(files))
        ok = (not got) if want is None else any(want in p for p in got)
        if not ok:
            print(f"selftest {name}: expected {want or 'no problem'}, got {got}")
            bad += 1
    if bad:
        sys.exit(1)
    print(f"layers selftest: {len(cases)} cases behave")


if __name__ == "__main__":
    if sys.argv[1:] == ["--selftest"]:
        selftest()
        sys.exit(0)
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    found = check(root)
    for p in found:
        print(p)
    if found:
        sys.exit(1)
    print("layers: every include of lib/ looks down; no circle")
