#!/usr/bin/env python3
"""Runs every broken input of tests/broken/ through the tool that reads it
and checks what expected.txt says: the exit status, and one output line
matching the case's regex (which names FILE:LINE:COL or the resource).
Also fails on a crash (a signal, a sanitizer report) and on a case file
without a line in the table.

usage: check.py BINDIR SRCDIR [--engine]
  without --engine: every case but `run` ones (no Docker engine needed);
  with --engine: only the `run` cases (clnrm run against the engine).
"""
import os
import re
import subprocess
import sys

MODES = {
    "validate": lambda b, f: [b + "/clnrm", "validate", f],
    "strict": lambda b, f: [b + "/clnrm", "validate", "--strict", f],
    "run": lambda b, f: [b + "/clnrm", "run", f],
    "taskrun": lambda b, f: [b + "/taskrun", "--makefile", f,
                             "--print-steps", "a"],
    "taskrun-strict": lambda b, f: [b + "/taskrun", "--strict", "--makefile",
                                    f, "--print-steps", "a"],
    "slo": lambda b, f: [b + "/slo", "check", f],
}
CRASH = re.compile(r"Sanitizer|runtime error|Segmentation|core dumped")


def load_table(path):
    """expected.txt: MODE FILE STATUS REGEX, blank-separated (the regex is
    the rest of the line); # starts a comment."""
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            mode, name, status, regex = line.split(None, 3)
            if mode not in MODES:
                sys.exit("%s:%d: unknown mode %s" % (path, n, mode))
            rows.append((mode, name, int(status), regex))
    return rows


def check_one(bindir, src, mode, name, status, regex):
    """Returns None or why the case failed."""
    path = os.path.join("tests", "broken", name)
    env = dict(os.environ, CI="1", NO_COLOR="1")
    p = subprocess.run(MODES[mode](bindir, path), cwd=src, env=env,
                       capture_output=True, text=True, timeout=120,
                       errors="replace")
    out = p.stdout + p.stderr
    if p.returncode < 0 or p.returncode >= 128 or CRASH.search(out):
        return "crashed (status %d)\n%s" % (p.returncode, out)
    if p.returncode != status:
        return "exit status %d, want %d\n%s" % (p.returncode, status, out)
    lines = [l for l in out.splitlines() if re.search(regex, l)]
    if len(lines) != 1:
        return "%d lines match %r, want one\n%s" % (len(lines), regex, out)
    return None


def main():
    bindir, src = sys.argv[1], sys.argv[2]
    engine = "--engine" in sys.argv[3:]
    rows = load_table(os.path.join(src, "tests", "broken", "expected.txt"))
    listed = {r[1] for r in rows}
    failed = 0
    for root, _, files in os.walk(os.path.join(src, "tests", "broken")):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f),
                                  os.path.join(src, "tests", "broken"))
            if f.endswith(".toml") and rel not in listed:
                print("FAIL %s: no line in expected.txt" % rel)
                failed += 1
    ran = 0
    for mode, name, status, regex in rows:
        if (mode == "run") != engine:
            continue
        why = check_one(bindir, src, mode, name, status, regex)
        ran += 1
        if why:
            failed += 1
            print("FAIL %s %s: %s" % (mode, name, why))
    print("broken inputs: %d checked, %d failed" % (ran, failed))
    return 1 if failed or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
