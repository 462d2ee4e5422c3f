#!/usr/bin/env python3
"""Reliability of clnrm run against the real engine (issue 17):
e2e_rel.py CASE CLNRM_BINARY SRC_DIR.

  timeout_oom   a step that never ends is killed at its timeout and
                reported as a timeout; a step killed by the memory limit is
                reported OOM-killed (oom_killed in the JSON), a step killed
                by SIGKILL otherwise is a plain failure; the one-step fast
                path and the exec path both; nothing left
  scale         200 generated tests (one- and two-step) at -j 16, three
                times: all pass, nothing of the run left a second after
                exit, clnrm's peak RSS (the child's ru_maxrss) < 50 MB
                (CLNRM_RSS_LIMIT_MB; 0 under sanitizers: not checked)
  sigint        SIGINT during a parallel run of 50 tests: exit 130 and the
  sigterm       engine holds nothing of the run within 5 s of the signal
  sweep_window  SIGKILL of `run -j 8` over 200 tests at 10 moments (chosen
                by observed progress), each followed by a one-test run:
                within a second of its exit nothing of the killed run is
                left, late creations included

Synchronisation is on clnrm's output and the engine's state (polled with a
deadline), never on sleeps. Numbers measured are printed.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from e2e_speed import (CLNRM, SRC, check, engine_list, leftovers,  # noqa: E402
                       nothing_left_within, one, write)

TWO = """[test.metadata]
name = "{name}"
[[steps]]
name = "write"
command = ["sh", "-c", "echo {name} > /tmp/f"]
[[steps]]
name = "read"
command = ["cat", "/tmp/f"]
expected_output_regex = "^{name}$"
"""

HOG = "x=$(head -c 200000000 /dev/zero | tr '\\0' x); echo survived"


def env():
    return dict(os.environ, CI="1")


def suite(d, n, two_every=2, argv=("true",), timeout=""):
    """n tests in d: every two_every-th a two-step test, else one step."""
    for i in range(n):
        name = "t%03d" % i
        if two_every and i % two_every == 1:
            write(d, name, TWO.format(name=name))
        else:
            write(d, name, one(name, list(argv), extra=timeout))


def run_measured(args, outdir):
    """Runs clnrm to completion; returns (pid, rc, stdout, stderr, peak RSS
    in KiB from the kernel's accounting of the child, seconds)."""
    out_path = os.path.join(outdir, "out")
    err_path = os.path.join(outdir, "err")
    start = time.monotonic()
    with open(out_path, "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen([CLNRM, *args], cwd=SRC, stdout=out, stderr=err,
                             env=env())
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    secs = time.monotonic() - start
    with open(out_path) as o, open(err_path) as e:
        return p.pid, p.returncode, o.read(), e.read(), usage.ru_maxrss, secs


# ----------------------------------------------------------- timeout, OOM

OOM_TWO = """[test.metadata]
name = "{name}"
[security]
memory_mb = 16
[[steps]]
name = "first"
command = ["true"]
[[steps]]
name = "last"
command = {argv}
{extra}
"""


def case_timeout_oom():
    hog = ["sh", "-c", HOG]
    selfkill = ["sh", "-c", "kill -9 $$"]
    with tempfile.TemporaryDirectory() as d:
        never = ["sh", "-c", "while :; do :; done"]
        write(d, "timeout_one", one("timeout_one", never,
                                    extra="timeout_ms = 1000"))
        write(d, "timeout_two", OOM_TWO.format(name="timeout_two",
                                               argv=json.dumps(never),
                                               extra="timeout_ms = 1000"))
        write(d, "oom_one", one("oom_one", hog) + "[security]\nmemory_mb = 16\n")
        write(d, "oom_two", OOM_TWO.format(name="oom_two",
                                           argv=json.dumps(hog), extra=""))
        write(d, "killed_one", one("killed_one", selfkill))
        write(d, "killed_two", OOM_TWO.format(name="killed_two",
                                              argv=json.dumps(selfkill),
                                              extra=""))
        pid, rc, out, err, _, secs = run_measured(
            ["run", "-j", "6", "--format", "json", d], d)
        check(rc == 1, "failures exit 1 (rc %d)" % rc, out + err)
        tests = {t["name"]: t for t in json.loads(out)["tests"]}
        for name in ("timeout_one", "timeout_two"):
            t = tests[name]
            last = t["steps"][-1]
            check(t["status"] == "timeout" and last["status"] == "timeout" and
                  "killed" in last["message"] and
                  "step timeout" in last["message"],
                  "%s: reported as a step timeout, killed" % name,
                  json.dumps(t, indent=1))
            check(last["duration_ms"] < 10000,
                  "%s: killed near its 1 s timeout (%d ms)" %
                  (name, last["duration_ms"]))
        for name in ("oom_one", "oom_two"):
            last = tests[name]["steps"][-1]
            check(tests[name]["status"] == "failed" and
                  last["exit_code"] == 137 and last.get("oom_killed") is True
                  and "OOM-killed" in last["message"] and
                  "survived" not in last["stdout"],
                  "%s: reported as out of memory" % name,
                  json.dumps(tests[name], indent=1))
        for name in ("killed_one", "killed_two"):
            last = tests[name]["steps"][-1]
            check(last["exit_code"] == 137 and "oom_killed" not in last and
                  "OOM" not in last["message"],
                  "%s: SIGKILL without the memory limit is a plain failure"
                  % name, json.dumps(tests[name], indent=1))
        left = nothing_left_within(pid)
        check(not left, "nothing left: %r" % left, err)
        print("timeout_oom: run took %.1f s" % secs)


# ------------------------------------------------------------------ scale

def case_scale():
    with tempfile.TemporaryDirectory() as d:
        suite(d, 200)
        for rnd in range(3):
            pid, rc, out, err, rss, secs = run_measured(
                ["run", "-j", "16", "--format", "json", d], d)
            check(rc == 0, "round %d: 200 tests pass (rc %d)" % (rnd, rc),
                  err[-3000:])
            summary = json.loads(out)["summary"]
            check(summary["tests"] == 200 and summary["passed"] == 200,
                  "round %d: all 200 passed %r" % (rnd, summary))
            left = nothing_left_within(pid)
            check(not left, "round %d: nothing left 1 s after exit: %r" %
                  (rnd, left), err[-3000:])
            print("scale round %d: %.1f s, peak RSS %.1f MB" %
                  (rnd, secs, rss / 1024.0))
            limit = int(os.environ.get("CLNRM_RSS_LIMIT_MB", "50"))
            check(not limit or rss < limit * 1024,
                  "peak RSS %d KiB < %d MB" % (rss, limit))


# ---------------------------------------------------------------- signals

def running_containers(pid):
    return engine_list("containers", "cleanroom.pid=%d" % pid)


def signal_during_50(sig):
    with tempfile.TemporaryDirectory() as d:
        suite(d, 50, two_every=2, argv=("sleep", "600"))
        # The two-step tests' steps run in an exec; make the second one
        # never end too.
        for i in range(1, 50, 2):
            name = "t%03d" % i
            write(d, name, TWO.format(name=name).replace(
                '["cat", "/tmp/f"]', '["sleep", "600"]').replace(
                'expected_output_regex = "^%s$"' % name, ""))
        p = subprocess.Popen([CLNRM, "run", "-j", "8", d], cwd=SRC,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env())
        end = time.monotonic() + 120
        while len(running_containers(p.pid)) < 8:
            check(time.monotonic() < end and p.poll() is None,
                  "8 tests in flight before the signal")
            time.sleep(0.05)
        sent = time.monotonic()
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
        check(p.returncode == 130, "exit 130 (got %d)" % p.returncode,
              out[-2000:] + err[-2000:])
        while True:
            left = leftovers(p.pid)
            took = time.monotonic() - sent
            if not left or took > 5.0:
                break
            time.sleep(0.05)
        check(not left, "nothing left 5 s after the signal: %r" % left, err)
        print("%s: exit %.2f s and engine clean %.2f s after the signal" %
              (signal.Signals(sig).name, time.monotonic() - sent, took))


def case_sigint():
    signal_during_50(signal.SIGINT)


def case_sigterm():
    signal_during_50(signal.SIGTERM)


# ----------------------------------------------------------- sweep window

def killed_at(d, point):
    """Starts `run -j 8` of d and SIGKILLs it at point: ("time", s) after
    start, or ("done", n) once n tests have finished (its output lines).
    Returns the killed process."""
    p = subprocess.Popen([CLNRM, "run", "-j", "8", d], cwd=SRC,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=env())
    kind, n = point
    if kind == "time":
        try:
            p.wait(timeout=n)  # the moment itself is what is tested
        except subprocess.TimeoutExpired:
            pass
    else:
        done = 0
        for line in p.stdout:
            if line.startswith(("PASS ", "FAIL ")):
                done += 1
                if done >= n:
                    break
    p.kill()
    p.wait()
    p.stdout.close()
    return p


def case_sweep_window():
    points = [("time", 0.2), ("time", 0.5), ("done", 1), ("done", 2),
              ("done", 4), ("done", 7), ("done", 11), ("done", 16),
              ("done", 22), ("done", 30)]
    with tempfile.TemporaryDirectory() as d, \
            tempfile.TemporaryDirectory() as single:
        suite(d, 200, two_every=4)
        write(single, "one", one("one", ["true"]))
        for point in points:
            p = killed_at(d, point)
            seen = len(leftovers(p.pid))
            start = time.monotonic()
            q = subprocess.run([CLNRM, "run", single], cwd=SRC, env=env(),
                               capture_output=True, text=True, timeout=120)
            took = time.monotonic() - start
            check(q.returncode == 0, "the one-test run passes", q.stderr)
            left = nothing_left_within(p.pid, 1.0)
            check(not left, "kill at %r: %d object(s) of the killed run left "
                  "1 s after the next run: %r" % (point, len(left), left),
                  q.stderr)
            print("kill at %s %s: %d object(s) at the kill, next run %.2f s,"
                  " none left" % (point[0], point[1], seen, took))


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
    print("ok", sys.argv[1])
