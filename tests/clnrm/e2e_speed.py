#!/usr/bin/env python3
"""clnrm run's engine calls and leftovers against the real engine (issue
15): e2e_speed.py CASE CLNRM_BINARY SRC_DIR.

  calls      a generated suite: one-step tests run as the container's main
             process (5 engine calls each, no exec), a two-step test keeps
             the keep-alive + exec; --stats and the JSON report agree
  leftovers  right after clnrm exits nothing of its run is left (the
             engine is allowed one second for its own removals, polled)
  outcomes   exit code, output, a timeout of a one-step test
  sigint     Ctrl-C during a one-step test: exit 130, nothing left
  sigkill    SIGKILL during a one-step test: the next run sweeps it
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import http.client
import urllib.parse

CLNRM, SRC = sys.argv[2], sys.argv[3]

ONE = """[test.metadata]
name = "{name}"
[[steps]]
name = "s"
command = {argv}
expected_exit_code = {code}
{extra}
"""

SVCDIR = """[test.metadata]
name = "svcdir"
[services.s]
type = "generic_container"
image = "clnrm-base:latest"
working_dir = "/etc"
[[steps]]
name = "pwd"
service = "s"
command = ["pwd"]
expected_output_regex = "^/etc$"
"""

TWO = """[test.metadata]
name = "two_steps"
[[steps]]
name = "write"
command = ["sh", "-c", "echo kept > /tmp/f"]
[[steps]]
name = "read"
command = ["cat", "/tmp/f"]
expected_output_regex = "^kept$"
"""


def check(cond, what, out=""):
    if not cond:
        print("FAILED:", what)
        print(out)
        sys.exit(1)


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def engine_list(kind, label):
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    conn = UnixHTTP(host[len("unix://"):])
    q = urllib.parse.quote(json.dumps({"label": [label]}))
    path = ("/containers/json?all=1&filters=" if kind == "containers"
            else "/networks?filters=") + q
    conn.request("GET", path)
    return [o["Id"] for o in json.loads(conn.getresponse().read())]


def leftovers(pid):
    label = "cleanroom.pid=%d" % pid
    return engine_list("containers", label) + engine_list("networks", label)


def nothing_left_within(pid, seconds=1.0):
    """Polls until nothing of pid's run is listed, for at most seconds."""
    end = time.monotonic() + seconds
    while True:
        left = leftovers(pid)
        if not left or time.monotonic() >= end:
            return left
        time.sleep(0.05)


def write(d, name, text):
    with open(os.path.join(d, name + ".clnrm.toml"), "w") as f:
        f.write(text)


def one(name, argv, code=0, extra=""):
    return ONE.format(name=name, argv=json.dumps(argv), code=code,
                      extra=extra)


def run(args, cwd=SRC):
    p = subprocess.Popen([CLNRM, *args], cwd=cwd, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, CI="1"))
    out, err = p.communicate(timeout=600)
    return p.pid, p.returncode, out, err


def case_calls():
    with tempfile.TemporaryDirectory() as d:
        for i in range(4):
            write(d, "one%d" % i, one("one%d" % i, ["echo", "hi %d" % i],
                                      extra='expected_output_regex = '
                                            '"^hi %d$"' % i))
        write(d, "two", TWO)
        pid, rc, out, err = run(["run", "-j", "3", "--stats", "--format",
                                 "json", d])
        check(rc == 0, "the suite passes (rc %d)" % rc, out + err)
        doc = json.loads(out)
        for t in doc["tests"]:
            c = t["engine_calls"]
            if t["name"] == "two_steps":
                check(c.get("exec_create") == 2 and
                      c.get("container_start") == 1 and
                      "container_wait" not in c,
                      "two steps: keep-alive and two execs %r" % c)
            else:
                check(c == {"total": 5, "container_create": 1,
                            "container_start": 1, "container_wait": 1,
                            "container_logs": 1, "container_remove": 1},
                      "one step: 5 calls, no exec %r" % c)
        total = doc["summary"]["engine_calls"]["total"]
        check(total == sum(t["engine_calls"]["total"] for t in doc["tests"]),
              "the summary adds the tests up")
        check("engine calls: %d for 5 test(s)" % total in err,
              "--stats prints the same total", err)
        check(not nothing_left_within(pid), "nothing left", err)


def case_leftovers():
    with tempfile.TemporaryDirectory() as d:
        for i in range(8):
            write(d, "t%d" % i, one("t%d" % i, ["true"]))
        for _ in range(3):
            pid, rc, out, err = run(["run", "-j", "4", d])
            check(rc == 0, "the suite passes (rc %d)" % rc, out + err)
            left = nothing_left_within(pid)
            check(not left, "nothing left 1 s after exit: %r" % left, err)


def case_outcomes():
    with tempfile.TemporaryDirectory() as d:
        write(d, "code", one("code", ["sh", "-c", "echo out; echo err >&2; "
                                      "exit 3"], code=3,
                             extra='expected_output_regex = "^out$"'))
        write(d, "wrong", one("wrong", ["sh", "-c", "exit 4"]))
        # The step's workdir wins over the service's, as for an exec.
        write(d, "stepdir", one("stepdir", ["pwd"],
                                extra='workdir = "/tmp"\n'
                                      'expected_output_regex = "^/tmp$"'))
        write(d, "svcdir", SVCDIR)
        # Own network namespace with loopback only (NetworkDisabled), not
        # the host's.
        write(d, "netns", one("netns", ["sh", "-c", "ls /sys/class/net; "
                                        "readlink /proc/self/ns/net"],
                              extra='expected_output_regex = "^lo\\nnet:"'))
        write(d, "slow", one("slow", ["sleep", "30"],
                             extra="timeout_ms = 500"))
        pid, rc, out, err = run(["run", "-j", "3", "--format", "json", d])
        check(rc == 1, "a failure and a timeout exit 1 (rc %d)" % rc,
              out + err)
        tests = {t["name"]: t for t in json.loads(out)["tests"]}
        s = tests["code"]["steps"][0]
        check(tests["code"]["status"] == "passed" and s["exit_code"] == 3 and
              s["stdout"] == "out\n" and s["stderr"] == "err\n",
              "exit code and both streams %r" % s)
        for name in ("stepdir", "svcdir", "netns"):
            check(tests[name]["status"] == "passed", name, tests[name])
        host_ns = os.readlink("/proc/self/ns/net")
        check(host_ns not in tests["netns"]["steps"][0]["stdout"],
              "a namespace of its own, not the host's %s" % host_ns)
        check(tests["wrong"]["steps"][0]["exit_code"] == 4 and
              tests["wrong"]["status"] == "failed", "exit 4 fails")
        check(tests["slow"]["status"] == "timeout" and
              "killed" in tests["slow"]["message"], "the timeout",
              tests["slow"]["message"])
        check(not nothing_left_within(pid), "nothing left", err)


def start_sleeper(d):
    write(d, "sleeper", one("sleeper", ["sleep", "60"]))
    p = subprocess.Popen([CLNRM, "run", d], cwd=SRC, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, CI="1"))
    label = "cleanroom.pid=%d" % p.pid
    for _ in range(300):
        ids = engine_list("containers", label)
        if ids:
            host = os.environ.get("DOCKER_HOST",
                                  "unix:///var/run/docker.sock")
            conn = UnixHTTP(host[len("unix://"):])
            conn.request("GET", "/containers/%s/json" % ids[0])
            if json.loads(conn.getresponse().read())["State"]["Running"]:
                return p
        time.sleep(0.1)
    p.kill()
    check(False, "the sleeper never started")


def case_sigint():
    with tempfile.TemporaryDirectory() as d:
        p = start_sleeper(d)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        check(p.returncode == 130, "Ctrl-C exits 130 (got %d)" % p.returncode,
              out + err)
        left = nothing_left_within(p.pid)
        check(not left, "nothing left after Ctrl-C: %r" % left, out + err)


def case_sigkill():
    with tempfile.TemporaryDirectory() as d:
        p = start_sleeper(d)
        p.kill()
        p.wait()
        check(leftovers(p.pid), "SIGKILL leaves the container (precondition)")
        write(d, "sleeper", one("sleeper", ["true"]))
        _, rc, out, err = run(["run", d])
        check(rc == 0, "the next run passes", out + err)
        left = nothing_left_within(p.pid)
        check(not left, "the next run swept the orphan: %r" % left, err)


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
    print("ok", sys.argv[1])
