"""What the Python checks of the installed ltk share (completions.py,
library_check.py, deb_check.py): a list of problems, running a program,
the project's version."""
import os
import re
import subprocess

problems = []


def problem(msg):
    """Records a problem and prints it as a FAIL line."""
    problems.append(msg)
    print("FAIL " + msg)


def run(cmd, timeout=120, **kw):
    """cmd's completed process, standard output and error as text."""
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout, **kw)


def project_version(src):
    """The VERSION of CMakeLists.txt's project(ltk ...)."""
    with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"project\(ltk VERSION ([0-9.]+)", f.read()).group(1)
