#!/usr/bin/env python3
"""The shell completions offer exactly what each tool's --help documents.

    completions.py BUILD_DIR SOURCE_DIR

BUILD_DIR/completions holds what tools/completions.sh generated from the
tools' option tables at build time.  This test

  * reads, for ltk and every command of "ltk --list-commands", the options
    --help documents (its option lines, "-o, --output F", and the usage
    line's "[-h | --help]"), with whether each takes a value (a metavariable
    such as F, N, FILE after it);
  * requires that set to equal the tool's hidden --list-options, the bash
    file's list and the zsh file's _arguments specs, value or not included,
    and the commands of "ltk --help" to be those of both files;
  * installs the build (cmake --install into a temporary prefix) and checks
    the files land where bash-completion and zsh look: share/bash-completion/
    completions/ltk (and ltk-TOOL links to it), share/zsh/site-functions/_ltk;
  * runs the installed bash completion: "ltk <TAB>", "ltk help <TAB>", every
    tool's "--<TAB>" both as "ltk TOOL" and as "ltk-TOOL" (each must offer the
    long options of its --help, no more, no fewer), an option's value (files:
    nothing offered), and bash-completion's own loader finding the file;
  * runs the installed zsh completion in a pseudo-terminal (zsh/zpty): every
    long option of every tool completed from its shortest unique prefix after
    "ltk TOOL" (one per tool after "ltk-TOOL"), commands, "ltk help", a file
    name after -o.
bash-completion or zsh missing: that part is skipped with a message.
"""
import os
import re
import shutil
import sys
import tempfile

from ltktest import problem, problems, run

OPT = r"(?:--[a-z0-9][a-z0-9-]*|-[A-Za-z0-9])"
# an option line of --help: "  -o, --output F   write ..." / "      --no-color  ..."
HELP_LINE = re.compile(rf"^\s+({OPT}(?:, {OPT})*)(?: ([A-Z][A-Z0-9_]*))?(?:\s|$)")
USAGE_GROUP = re.compile(rf"\[({OPT}(?: \| {OPT})*)\]")



def help_options(text):
    """{"--output=", "-o=", "--brief", ...} from a --help text."""
    opts = set()
    lines = text.split("\n")
    for g in USAGE_GROUP.findall(lines[0]):
        opts.update(o.strip() for o in g.split("|"))
    for line in lines[1:]:
        m = HELP_LINE.match(line)
        if m:
            mark = "=" if m.group(2) else ""
            opts.update(o + mark for o in m.group(1).split(", "))
    return opts


def bash_lists(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    cmds = re.search(r"^_ltk_commands='([^']*)'$", text, re.M).group(1).split()
    opts = {m.group(1): set(m.group(2).split())
            for m in re.finditer(r"^\s+([a-z0-9-]+)\) _ltk_o='([^']*)' ;;$", text, re.M)}
    return cmds, opts


def zsh_option(spec):
    """'--output=:value:_files' -> '--output=', '-o+:value:_files' -> '-o=',
    '--x=-::value:_files' -> '--x[=]', '--brief' -> '--brief'"""
    name = spec.split(":", 1)[0]
    if name.endswith("=-"):
        return name[:-2] + "[=]"
    if name.endswith("+"):
        return name[:-1] + "="
    return name


def zsh_lists(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first = text.split("\n", 1)[0].split()
    cmds = [c.split(":", 1)[0] for c in re.findall(r"^    '([a-z0-9-]+:[^\n]*)'$", text, re.M)]
    opts = {m.group(1): {zsh_option(s) for s in re.findall(r"'([^']*)'", m.group(2))}
            for m in re.finditer(r"^([a-z0-9-]+)\) specs=\((.*)\) ;;$", text, re.M)}
    own = re.search(r"^\s+_arguments((?: '[^']*')+)$", text, re.M)
    opts["ltk"] = {zsh_option(s) for s in re.findall(r"'([^']*)'", own.group(1))} if own else set()
    return first, cmds, opts


BASH_DRIVER = r'''
source "$1"
shift
while IFS= read -r line; do
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _ltk "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[*]}"
done
'''

ZSH_DRIVER = r'''
zmodload zsh/zpty || exit 77
fdir=$1 out=$2 cwd=$3; shift 3
: >$out
zpty z 'zsh -f -i'
zpty -w z "cd ${(q)cwd}; PS1='%% '; fpath=(${(q)fdir} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)out}.dump"
zpty -w z "dump() { print -r -- \"[\$BUFFER]\" >>${(q)out}; BUFFER=; }; zle -N dump; bindkey '^T' dump"
for line in "$@"; do zpty -w -n z "$line"$'\t\x14'; done
# until every line came back, or none for 60 s (the sanitizer build's stage of
# make test runs beside other tests: 10 s without a line cut it short once)
last=0 idle=0
while (( idle < 600 )); do
    n=$(wc -l <$out)
    (( n >= $# )) && break
    if (( n > last )); then last=$n idle=0; else (( idle++ )); fi
    sleep 0.1
done
zpty -d z
'''


def unique_prefix(name, names):
    """The shortest prefix of name (at least "--" and one letter) that no other
    of names starts with, or None."""
    others = [n for n in names if n != name]
    for k in range(3, len(name) + 1):
        if not any(o.startswith(name[:k]) for o in others):
            return name[:k]
    return None


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    build, src = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    binp = os.path.join(build, "bin")
    gen = os.path.join(build, "completions")
    ltk = os.path.join(binp, "ltk")

    listed = run([ltk, "--list-commands"]).stdout.split("\n")
    commands = [line.split("\t")[0] for line in listed if line]
    ltk_help = run([ltk, "--help"]).stdout
    help_cmds = re.findall(r"^  ([a-z0-9-]+)  +\S", ltk_help.split("commands:", 1)[1], re.M)
    if commands != help_cmds:
        problem(f"ltk --list-commands {commands} != the commands of ltk --help {help_cmds}")

    documented = {}
    for tool in ["ltk"] + commands:
        cmd = [ltk] if tool == "ltk" else [os.path.join(binp, f"ltk-{tool}")]
        h = run(cmd + ["--help"])
        lo = run(cmd + ["--list-options"])
        if h.returncode or lo.returncode:
            problem(f"{tool}: --help exit {h.returncode}, --list-options exit {lo.returncode}")
            continue
        documented[tool] = help_options(h.stdout)
        table = set(lo.stdout.split())
        for o in sorted(table - documented[tool]):
            problem(f"{tool}: '{o}' is in its option table but not in its --help")
        for o in sorted(documented[tool] - table):
            problem(f"{tool}: '{o}' is in its --help but not in its option table")

    bash_cmds, bash_opts = bash_lists(os.path.join(gen, "bash", "ltk"))
    zsh_first, zsh_cmds, zsh_opts = zsh_lists(os.path.join(gen, "zsh", "_ltk"))
    if bash_cmds != commands:
        problem(f"bash completion's commands {bash_cmds} != {commands}")
    if zsh_cmds != commands + ["help"]:
        problem(f"zsh completion's commands {zsh_cmds} != {commands} + help")
    want_first = ["#compdef", "ltk"] + [f"ltk-{c}" for c in commands]
    if zsh_first != want_first:
        problem(f"zsh completion's first line {' '.join(zsh_first)!r}, expected {' '.join(want_first)!r}")
    for tool, opts in documented.items():
        for shell, lists in (("bash", bash_opts), ("zsh", zsh_opts)):
            got = lists.get(tool)
            if got is None:
                problem(f"{shell} completion: no options for {tool}")
            elif got != opts:
                problem(f"{shell} completion of {tool}: {sorted(got ^ opts)} differ from its --help")
    print(f"completions: {len(documented)} tools, {sum(len(o) for o in documented.values())} options, "
          "option tables, --help, bash and zsh lists compared")

    with tempfile.TemporaryDirectory(prefix="ltk-completions-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        p = run(["cmake", "--install", build, "--prefix", prefix])
        if p.returncode:
            print(p.stdout + p.stderr)
            problem("cmake --install failed")
            return 1
        bash_dir = os.path.join(prefix, "share", "bash-completion", "completions")
        zsh_dir = os.path.join(prefix, "share", "zsh", "site-functions")
        bash_file = os.path.join(bash_dir, "ltk")
        for f in [bash_file, os.path.join(zsh_dir, "_ltk")]:
            if not os.path.isfile(f):
                problem(f"{os.path.relpath(f, prefix)} not installed")
        for c in commands:
            link = os.path.join(bash_dir, f"ltk-{c}")
            if not (os.path.islink(link) and os.readlink(link) == "ltk"):
                problem(f"{os.path.relpath(link, prefix)} is not a link to ltk")
        if problems:
            return 1
        check_bash(bash_file, prefix, commands, documented, tmp)
        check_zsh(zsh_dir, commands, documented, src, tmp)

    print(f"completions: {len(problems)} problems")
    return 1 if problems else 0


def check_bash(bash_file, prefix, commands, documented, tmp):
    cases = [("ltk ", commands + ["help"]), ("ltk s", [c for c in commands if c.startswith("s")]),
             ("ltk help ", commands), ("ltk help co", [c for c in commands if c.startswith("co")]),
             ("ltk -", sorted(documented["ltk"])), ("ltk check --criteria ", []),
             ("ltk check -o ", []), ("ltk report --format ", [])]
    for tool in commands:
        longs = sorted(o.rstrip("=") for o in documented[tool] if o.startswith("--"))
        cases.append((f"ltk {tool} --", longs))
        cases.append((f"/usr/bin/ltk-{tool} --", longs))
    driver = os.path.join(tmp, "driver.bash")
    with open(driver, "w", encoding="utf-8") as f:
        f.write(BASH_DRIVER)
    p = run(["bash", "--norc", "--noprofile", driver, bash_file], input="".join(c + "\n" for c, _ in cases))
    got = p.stdout.split("\n")
    if p.returncode or len(got) < len(cases):
        problem(f"bash completion driver: exit {p.returncode}: {p.stderr.strip()}")
        return
    for (line, want), out in zip(cases, got):
        if sorted(out.split()) != sorted(want):
            problem(f"bash: '{line}<TAB>' offers {out.split()}, expected {sorted(want)}")
    print(f"bash: {len(cases)} completions checked")

    loader = "/usr/share/bash-completion/bash_completion"
    if not os.path.exists(loader):
        print("bash: SKIPPED the bash-completion loader check: /usr/share/bash-completion/bash_completion "
              "not found (apt-get install -y bash-completion)")
        return
    script = (f"source {loader}\n"
              "for c in ltk ltk-check; do __load_completion $c || echo \"not loaded: $c\"; complete -p $c; done\n")
    env = dict(os.environ, XDG_DATA_DIRS=os.path.join(prefix, "share"), HOME=tmp,
               BASH_COMPLETION_USER_DIR=os.path.join(tmp, "none"))
    p = run(["bash", "--norc", "--noprofile", "-c", script], env=env)
    for c in ("ltk", "ltk-check"):
        if f"-F _ltk {c}" not in p.stdout:
            problem(f"bash-completion's loader did not find the installed completion of {c}: "
                    f"{(p.stdout + p.stderr).strip()}")
    print("bash: bash-completion's loader finds the installed file")


def check_zsh(zsh_dir, commands, documented, src, tmp):
    zsh = shutil.which("zsh")
    if not zsh:
        print("zsh: SKIPPED: zsh not found (apt-get install -y zsh)")
        return
    work = os.path.join(tmp, "files")
    os.makedirs(work)
    with open(os.path.join(work, "only_file.csv"), "w") as f:
        f.write("x\n")
    cases = [("ltk st", "ltk stats "), ("ltk help me", "ltk help merge "), ("ltk --vers", "ltk --version "),
             ("ltk report -o on", "ltk report -o only_file.csv ")]
    for tool in commands:
        longs = sorted(o.rstrip("=") for o in documented[tool] if o.startswith("--"))
        direct = False
        for name in longs:
            pre = unique_prefix(name, longs)
            if not pre:
                continue
            takes = name + "=" in documented[tool]
            lines = [f"ltk {tool} {pre}"] + ([] if direct else [f"ltk-{tool} {pre}"])
            direct = True
            for line in lines:
                cases.append((line, line[: -len(pre)] + name + ("=" if takes else " ")))
    driver = os.path.join(tmp, "driver.zsh")
    with open(driver, "w", encoding="utf-8") as f:
        f.write(ZSH_DRIVER)
    out = os.path.join(tmp, "zsh.out")
    p = run([zsh, "-f", driver, zsh_dir, out, work] + [c for c, _ in cases])
    if p.returncode == 77:
        print("zsh: SKIPPED: no zsh/zpty module")
        return
    with open(out, encoding="utf-8") as f:
        got = f.read().split("\n")
    if len(got) < len(cases):
        problem(f"zsh: {len(got) - 1} of {len(cases)} completions came back: {p.stderr.strip()}")
    for (line, want), buf in zip(cases, got):
        if buf != f"[{want}]":
            problem(f"zsh: '{line}<TAB>' gives {buf}, expected [{want}]")
    print(f"zsh: {len(cases)} completions checked")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
