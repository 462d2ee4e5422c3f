#!/usr/bin/env python3
"""End-to-end checks of the clnrm binary: e2e.py CASE CLNRM_BINARY SRC_DIR.

Cases labelled integration need the Docker engine; the others only run
the binary. Each case exits 0 on success and prints why it failed.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import xml.dom.minidom

CLNRM, SRC = sys.argv[2], sys.argv[3]


def run(*args, cwd=SRC, env=None):
    e = dict(os.environ, CI="1")
    e.update(env or {})
    p = subprocess.run([CLNRM, *args], cwd=cwd, env=e, capture_output=True,
                       text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


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
    """Ids of containers ('containers/json?all=1') or networks by label."""
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


def junit_counts(path_or_text, is_text=False):
    d = (xml.dom.minidom.parseString(path_or_text) if is_text
         else xml.dom.minidom.parse(path_or_text))
    root = d.documentElement
    cases = d.getElementsByTagName("testcase")
    return (root.tagName, int(root.getAttribute("tests")),
            int(root.getAttribute("failures")), len(cases),
            len(d.getElementsByTagName("failure")),
            len(d.getElementsByTagName("skipped")))


# ---------------------------------------------------------------- integration

def case_examples():
    with tempfile.TemporaryDirectory() as tmp:
        junit = os.path.join(tmp, "junit.xml")
        rc, out, err = run("run", "-j", "2", "examples/", "--report-junit",
                           junit)
        check(rc == 0, "clnrm run examples/ exits 0 (got %d)" % rc, out + err)
        check("9 tests: 9 passed" in out, "summary shows 9 passed", out)
        tag, tests, failures, cases, nfail, nskip = junit_counts(junit)
        check(tag == "testsuites" and tests == 27 and cases == 27,
              "27 step testcases in JUnit (%d/%d)" % (tests, cases))
        check(failures == 0 and nfail == 0, "no JUnit failures")
    rc, out, err = run("run", "examples/", "--format", "json")
    doc = json.loads(out)
    check(rc == 0 and doc["summary"]["passed"] == 9, "json summary", out)


def case_failing():
    rc, out, err = run("run", "tests/clnrm/fail")
    check(rc == 1, "a failing test exits 1 (got %d)" % rc, out + err)
    for want in ('step "wrong output"', "actual-output-xyz", "err-text",
                 "/^expected-output$/"):
        check(want in out, "failure shows %r" % want, out)
    rc, out, err = run("run", "tests/clnrm/fail", "--format", "junit")
    check(rc == 1, "exit 1 in junit format too (got %d)" % rc)
    tag, tests, failures, cases, nfail, nskip = junit_counts(out, True)
    check((tests, failures, cases, nfail, nskip) == (3, 1, 3, 1, 1),
          "junit counts %r" % ((tests, failures, cases, nfail, nskip),), out)
    rc, out, err = run("run", "tests/clnrm/fail", "--format", "tap")
    check(out.startswith("TAP version 13\n1..1\nnot ok 1 - failing_fixture"),
          "tap output", out)


def case_missing_image():
    rc, out, err = run("run", "tests/clnrm/missing_image")
    check(rc == 3, "a missing image exits 3 (got %d)" % rc, out + err)
    check("clnrm-no-such-image:latest" in err and "hint:" in err,
          "names the image and gives a hint", err)


def case_timeout():
    rc, out, err = run("run", "tests/clnrm/timeout")
    check(rc == 1, "a timeout exits 1 (got %d)" % rc, out + err)
    check("timed out after" in out and "step timeout" in out,
          "reported as a step timeout", out)


def start_slow():
    p = subprocess.Popen([CLNRM, "run", "tests/clnrm/slow"], cwd=SRC,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(os.environ, CI="1"), text=True)
    for _ in range(300):
        if len(engine_list("containers", "cleanroom.pid=%d" % p.pid)) == 2:
            time.sleep(0.5)  # let the step's exec start
            return p
        time.sleep(0.1)
    p.kill()
    check(False, "the slow fixture never started its containers")


def case_sigint():
    p = start_slow()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    check(p.returncode == 130, "Ctrl-C exits 130 (got %d)" % p.returncode,
          out + err)
    left = leftovers(p.pid)
    check(not left, "nothing left after Ctrl-C: %r" % left, out + err)


def case_sigterm():
    """SIGTERM (a CI runner cancelling the job) cleans up like Ctrl-C."""
    p = start_slow()
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=60)
    check(p.returncode == 130, "SIGTERM exits 130 (got %d)" % p.returncode,
          out + err)
    check(not leftovers(p.pid), "nothing left after SIGTERM", out + err)


def case_sigkill():
    p = start_slow()
    p.kill()
    p.wait()
    check(leftovers(p.pid), "SIGKILL leaves the containers (precondition)")
    rc, out, err = run("run", "examples/hello.clnrm.toml")
    check(rc == 0, "the next run passes", out + err)
    left = leftovers(p.pid)
    check(not left, "the next run swept the orphans: %r" % left, err)
    check("left by runs that are gone" in err, "the sweep is reported", err)


def case_selftest():
    rc, out, err = run("self-test", "--format", "json")
    doc = json.loads(out)
    bad = [c for c in doc["checks"] if not c["passed"]]
    check(rc == 0 and not bad and doc["total"] >= 20,
          "self-test passes: %r" % bad, out + err)
    suites = {c["suite"] for c in doc["checks"]}
    check(suites == {"parsing", "engine", "lifecycle", "exec", "isolation",
                     "timeouts", "cleanup", "reports"}, "all suites ran")
    rc, out, err = run("self-test", "--suite", "parsing")
    check(rc == 0 and "4 checks: 4 passed" in out, "--suite parsing", out)


def case_fail_fast():
    rc, out, err = run("run", "-j", "1", "--fail-fast", "tests/clnrm/fail",
                       "tests/clnrm/rust")
    check(rc == 1, "fail-fast run exits 1 (got %d)" % rc, out + err)
    check("0 passed, 1 failed" in out and "2 skipped" in out,
          "tests after the failure are skipped", out)
    rc, out, err = run("run", "-x", "-k", "^hel", "-j", "1", "examples")
    check(rc == 0 and "1 passed" in out, "short options -x -k -j", out + err)


def case_service_exits():
    rc, out, err = run("run", "tests/clnrm/dead")
    check(rc == 1, "exits 1 (got %d)" % rc, out + err)
    check("exited with code 4" in out and "boom" in out,
          "shows the service's exit code and log", out)



def case_log_readiness_exit():
    rc, out, err = run("run", "tests/clnrm/dead_log")
    check(rc == 1, "exits 1 (got %d)" % rc, out + err)
    check("exited before it was ready: its command exited with code 3" in out,
          "reports the exit instead of a readiness timeout", out)


def case_missing_volume():
    """A missing bind source is refused, not created on the host."""
    with tempfile.TemporaryDirectory() as tmp:
        gone = os.path.join(tmp, "absent")
        with open(os.path.join(tmp, "v.clnrm.toml"), "w") as f:
            f.write('[test]\nname = "vol"\n[services.a]\nvolumes = '
                    '[{ host_path = "absent", container_path = "/x" }]\n'
                    '[[steps]]\nname = "s"\nservice = "a"\n'
                    'command = ["true"]\n')
        rc, out, err = run("run", tmp)
        check(rc == 3, "exits 3, the environment (got %d)" % rc, out + err)
        check(re.search(r"v\.clnrm\.toml:4:\d+: volume source %s " %
                        re.escape(gone), err) and err.count("\n") == 1,
              "one line with the volume's position and path", err)
        check(not os.path.exists(gone), "the path was not created")
        # Checked before the images (it needs no engine): a missing image
        # in the same suite does not hide it.
        with open(os.path.join(tmp, "v.clnrm.toml"), "a") as f:
            f.write('[services.b]\nimage = "clnrm-no-such-image:latest"\n')
        rc, out, err = run("run", tmp)
        check(rc == 3 and "volume source %s " % gone in err and
              "clnrm-no-such-image" not in err,
              "the volume is reported before the missing image", out + err)


def case_rust_files():
    rc, out, err = run("run", "tests/clnrm/rust")
    check(rc == 0, "Rust clnrm files run unchanged", out + err)


def case_init_run():
    with tempfile.TemporaryDirectory() as tmp:
        rc, out, err = run("init", cwd=tmp)
        check(rc == 0, "init", out + err)
        rc, out, err = run("run", "tests", cwd=tmp)
        check(rc == 0, "the example init writes passes", out + err)

# ------------------------------------------------------------------------ e2e

def case_validate():
    rc, out, err = run("validate", "tests/clnrm/rust", "examples")
    check(rc == 0, "validate accepts the Rust files and examples", out + err)
    rc, out, err = run("validate", "tests/clnrm/bad")
    check(rc == 2, "validate rejects bad files with 2 (got %d)" % rc)
    check("badtype.clnrm.toml:6:11:" in err, "bad type has its position",
          err)
    check('did you mean "expected_exit_code"' in err, "did-you-mean", err)
    rc, out, err = run("validate", "--strict", "tests/clnrm/bad/typo.clnrm.toml")
    check(rc == 2 and "strict" in err, "--strict makes warnings errors", err)
    rc, out, err = run("validate", "--explain", "examples/hello.clnrm.toml")
    for want in ("network: none", "drop ALL", "pids=256", "memory=512 MiB",
                 "no-new-privileges=yes"):
        check(want in out, "--explain shows %r" % want, out)


# The Rust clnrm's templated files (../shared/clnrm-files): those whose
# rendered text is valid TOML 1.0 must validate. The others use TOML 1.1
# multi-line inline tables (`resources = {` over several lines), which
# neither TOML 1.0 parser accepts; for them validate must fail with a
# position in the template.
TEMPLATED_INVALID_TOML = {
    "examples_templates_ci-integration.clnrm.toml": 20,
    "examples_templates_matrix-expansion.clnrm.toml": 30,
    "examples_templates_multi-environment.clnrm.toml": 21,
    "examples_templates_simple-variables.clnrm.toml": 17,
}


def case_templates():
    import tomllib
    shared = os.path.join(SRC, "..", "shared", "clnrm-files")
    templated = []
    for name in sorted(os.listdir(shared)):
        path = os.path.join(shared, name)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if any(t in text for t in ("{{", "{%", "{#")):
            templated.append((name, path))
    check(len(templated) == 5, "5 templated Rust files", repr(templated))
    valid = 0
    for name, path in templated:
        rc, out, err = run("render", path, env={"CI": ""})
        check(rc == 0, "render %s" % name, err)
        try:
            tomllib.loads(out)
            is_toml = True
        except tomllib.TOMLDecodeError:
            is_toml = False
        rc, vout, verr = run("validate", path)
        if is_toml:
            valid += 1
            check(rc == 0, "%s renders to TOML and validates" % name, verr)
        else:
            line = TEMPLATED_INVALID_TOML.get(name)
            check(line is not None, "%s: rendered text is not TOML 1.0, "
                  "but it is not on the list" % name, out)
            check(rc == 2 and "%s:%d:" % (name, line) in verr,
                  "%s: TOML error mapped to template line %d" % (name, line),
                  verr)
    check(valid == 1, "one templated Rust file is TOML 1.0 once rendered")
    # Same seed, same bytes.
    a = run("render", "examples/template_fake.clnrm.toml")
    b = run("render", "examples/template_fake.clnrm.toml")
    check(a[0] == 0 and a[1] == b[1] and "Donald Knuth" in a[1],
          "seeded rendering is reproducible", a[1] + a[2])
    # --var wins over [vars].
    rc, out, err = run("render", "--var", "greeting=bye",
                       "examples/template_vars.clnrm.toml")
    check(rc == 0 and "echo 'BYE, cleanroom'" in out, "--var", out + err)
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.clnrm.toml")
        with open(bad, "w") as f:
            f.write('[[steps]]\nname = "x"\ncommand = ["echo", '
                    '"{{ vars.nope }}"]\n')
        rc, out, err = run("render", bad)
        check(rc == 2 and err.count("\n") == 1 and
              err.startswith("clnrm render: %s:3:24: " % bad) and
              '"vars.nope" is not defined' in err,
              "a broken template: one positioned line, exit 2", err)
        rc, out, err = run("validate", bad)
        check(rc == 2 and "error: %s:3:24: " % bad in err,
              "validate shows the template position", err)
        # A TOML error after a loop maps back to its template line.
        toml_bad = os.path.join(tmp, "toml.clnrm.toml")
        with open(toml_bad, "w") as f:
            f.write('{% for i in [1, 2] %}\n[[steps]]\nname = "s{{ i }}"\n'
                    'command = ["true"]\n{% endfor %}\nbroken = \n')
        rc, out, err = run("validate", toml_bad)
        check(rc == 2 and "toml.clnrm.toml:6:10:" in err,
              "TOML error at template line 6", err)


def case_cli():
    rc, out, err = run("--help")
    check(rc == 0 and "exit status" in out and "self-test" in out, "help",
          out)
    rc, out, err = run("frobnicate")
    check(rc == 2, "unknown command exits 2")
    rc, out, err = run("run", "--shard", "3/2", "examples")
    check(rc == 2, "bad shard exits 2")
    rc, out, err = run("run", "/nonexistent")
    check(rc == 2, "missing path exits 2")
    a = run("list", "--shard", "1/2", "examples")[1].splitlines()
    b = run("list", "--shard", "2/2", "examples")[1].splitlines()
    check(len(a) == 5 and len(b) == 4 and not set(a) & set(b),
          "shards split the examples 5+4", "\n".join(a + b))
    rc, out, err = run("list", "--filter", "^hel", "examples")
    check(out.startswith("hello\t") and len(out.splitlines()) == 1,
          "--filter", out)
    helps = {"run": ["--jobs", "--shard", "--filter", "--fail-fast",
                     "--format", "--report-junit", "--strict", "130",
                     "--var"],
             "validate": ["--strict", "--explain", "--filter", "--shard",
                          "--var"],
             "render": ["--var", "FILE"],
             "list": ["--strict", "--filter", "--shard"],
             "init": ["DIR"], "health": ["base image"],
             "self-test": ["--suite", "--format"]}
    for cmd, words in helps.items():
        # A dead engine proves --help does no work.
        rc, out, err = run(cmd, "--help",
                           env={"DOCKER_HOST": "unix:///nonexistent.sock"})
        check(rc == 0 and out.startswith("usage: clnrm " + cmd),
              "%s --help" % cmd, out + err)
        for w in words:
            check(w in out, "%s --help mentions %s" % (cmd, w), out)


def case_init_never_overwrites():
    with tempfile.TemporaryDirectory() as tmp:
        rc, out, err = run("init", cwd=tmp)
        path = os.path.join(tmp, "tests", "basic.clnrm.toml")
        check(rc == 0 and os.path.exists(path), "init writes the example")
        with open(path, "w") as f:
            f.write("# mine\n")
        rc, out, err = run("init", cwd=tmp)
        check(rc == 2 and "not overwriting" in err, "second init refuses",
              err)
        with open(path) as f:
            check(f.read() == "# mine\n", "the user's file is untouched")


PORTS_TEST = r"""
[test.metadata]
name = "published"
timeout = "120s"

[services.web]
image = "clnrm-base:latest"
command = ["sh", "-c", "mkdir -p /tmp/www && echo published > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
ports = [8080]
wait_for_port = 8080

[[steps]]
name = "hold until the host has fetched the page"
service = "web"
timeout = "60s"
command = ["sh", "-c", "while [ ! -e /tmp/done ]; do sleep 0.1; done; echo $CLNRM_PORT_WEB_8080"]
expected_output_regex = "^\\d+$"
"""


def engine_call(method, path, body=None):
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    conn = UnixHTTP(host[len("unix://"):])
    data = json.dumps(body) if body is not None else None
    conn.request(method, path, data,
                 {"Content-Type": "application/json"} if data else {})
    r = conn.getresponse()
    text = r.read()
    return r.status, (json.loads(text) if text.strip() else None)


def case_ports():
    """A declared port is published on 127.0.0.1 and reachable from the
    host while the test runs; the step sees the same port in its env."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "p.clnrm.toml"), "w") as f:
            f.write(PORTS_TEST)
        p = subprocess.Popen([CLNRM, "run", tmp, "--format", "json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=dict(os.environ, CI="1"), text=True)
        cid = None
        for _ in range(300):
            ids = engine_list("containers", "cleanroom.pid=%d" % p.pid)
            if ids:
                cid = ids[0]
                break
            if p.poll() is not None:
                break
            time.sleep(0.1)
        if cid is None:
            p.kill()
            out, err = p.communicate()
            check(False, "the ports fixture started its container", out + err)
        binding = None
        for _ in range(300):
            st, doc = engine_call("GET", "/containers/%s/json" % cid)
            ports = (doc or {}).get("NetworkSettings", {}).get("Ports") or {}
            if ports.get("8080/tcp"):
                binding = ports["8080/tcp"][0]
                break
            time.sleep(0.1)
        check(binding is not None, "8080/tcp is published")
        check(binding["HostIp"] == "127.0.0.1", "published on loopback only")
        page = ""
        for _ in range(100):  # httpd may still be starting
            try:
                c = http.client.HTTPConnection("127.0.0.1",
                                               int(binding["HostPort"]),
                                               timeout=5)
                c.request("GET", "/index.html")
                page = c.getresponse().read().decode()
                break
            except OSError:
                time.sleep(0.1)
        st, ex = engine_call("POST", "/containers/%s/exec" % cid,
                             {"Cmd": ["touch", "/tmp/done"]})
        engine_call("POST", "/exec/%s/start" % ex["Id"], {"Detach": True})
        out, err = p.communicate(timeout=120)
        check(page.strip() == "published", "the host fetched the page: %r"
              % page, err)
        check(p.returncode == 0, "the test passes (got %d)" % p.returncode,
              out + err)
        step = json.loads(out)["tests"][0]["steps"][0]
        check(step["stdout"].strip() == binding["HostPort"],
              "the step saw the host port in CLNRM_PORT_WEB_8080", out)
        check(not leftovers(p.pid), "nothing left", err)


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
    print("ok", sys.argv[1])
