#!/usr/bin/env python3
"""Checks of what the Rust clnrm's users rely on (issue 19):
compat.py CASE CLNRM_BINARY SRC_DIR.

The Rust tool's keys and compose short forms, fmt, lint, dry-run, plugins,
report, record/diff, run --keep-on-failure with clean, and images built
from a Dockerfile. Cases labelled integration need the Docker engine and
the base image; the others only run the binary. Each case exits 0 on
success and prints why it failed.
"""
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse

CLNRM, SRC = sys.argv[2], sys.argv[3]
SHARED = os.path.join(SRC, "..", "shared", "clnrm-files")


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


def engine(method, path):
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    conn = UnixHTTP(host[len("unix://"):])
    conn.request(method, path)
    r = conn.getresponse()
    body = r.read()
    return r.status, (json.loads(body) if body.startswith((b"[", b"{"))
                      else body)


def labelled(kind, label):
    q = urllib.parse.quote(json.dumps({"label": [label]}))
    path = ("/containers/json?all=1&filters=" if kind == "containers"
            else "/networks?filters=") + q
    return [o["Id"] for o in engine("GET", path)[1]]


# ------------------------------------------------------------------------ e2e

# Files of ../shared/clnrm-files that the Rust clnrm rejects too, so they
# are not expected to validate here: not TOML at all (a string broken over
# lines) or TOML 1.1 inline tables spread over several lines, which its
# TOML 1.0 parser refuses as ours does.
INVALID_FOR_RUST_TOO = {
    "examples_clnrm-case-study_tests_ai-performance-benchmark.clnrm.toml":
        "newline inside a basic string",
    "examples_clnrm-case-study_tests_ai-production-readiness.clnrm.toml":
        "newline inside a basic string",
    "examples_templates_ci-integration.clnrm.toml": "TOML 1.1 inline table",
    "examples_templates_matrix-expansion.clnrm.toml": "TOML 1.1 inline table",
    "examples_templates_multi-environment.clnrm.toml":
        "TOML 1.1 inline table",
    "examples_templates_simple-variables.clnrm.toml": "TOML 1.1 inline table",
    "tests_chaos_concurrent_chaos.clnrm.toml": "TOML 1.1 inline table",
    "tests_chaos_container_failures.clnrm.toml": "TOML 1.1 inline table",
    "tests_chaos_network_partitions.clnrm.toml": "TOML 1.1 inline table",
    "tests_chaos_timeout_scenarios.clnrm.toml": "TOML 1.1 inline table",
}


def case_rust_keys():
    """Every file the Rust tool accepts validates with no warning."""
    names = sorted(n for n in os.listdir(SHARED) if n.endswith(".toml"))
    check(len(names) == 53, "53 Rust clnrm files (%d)" % len(names))
    for name in names:
        rc, out, err = run("validate", os.path.join(SHARED, name))
        if name in INVALID_FOR_RUST_TOO:
            check(rc == 2 and "error:" in err,
                  "%s is refused (%s)" % (name, INVALID_FOR_RUST_TOO[name]),
                  out + err)
            continue
        check(rc == 0, "%s validates" % name, out + err)
        check("warning" not in err, "%s: no warnings" % name, err)
    # Keys accepted, not used, are listed by --explain; unknown keys still
    # warn with a did-you-mean.
    rc, out, err = run("validate", "--explain", os.path.join(
        SHARED, "examples_optimus-prime-platform_tests_admin-dashboard"
        ".clnrm.toml"))
    check("accepted, not used: " in out and "cleanup in [test]" in out,
          "--explain lists keys accepted, not used", out)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "t.clnrm.toml")
        with open(f, "w") as fh:
            fh.write('[test.metadata]\nname = "t"\n[services.a]\n'
                     'image = "clnrm-base:latest"\nagrs = ["x"]\n'
                     '[[steps]]\nname = "s"\ncommand = ["true"]\n'
                     'descripton = "x"\n')
        rc, out, err = run("validate", f)
        check(':5:1: unknown key "agrs"' in err and
              'did you mean "args"' in err, "typo of args warns", err)
        check('did you mean "description"' in err, "typo of description",
              err)


SHORT = """[test.metadata]
name = "short"
[services.db]
image = "clnrm-base:latest"
ports = ["9000:80", "8080", 53]
volumes = ["./data:/data:ro", "./w:/w"]
environment = ["A=1", "B=two words"]
healthcheck = { test = ["CMD-SHELL", "test -f /ready"], interval = "2s", retries = 3 }
working_dir = "/srv"
[services.app]
image = "clnrm-base:latest"
args = ["sleep", "100"]
environment = { MODE = "x" }
depends_on = ["db"]
healthcheck = { test = ["CMD", "true"] }
[[steps]]
name = "s"
description = "a step"
service = "app"
command = ["true"]
expected_output_contains = "a.b"
"""


def case_short_forms():
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "s.clnrm.toml")
        with open(f, "w") as fh:
            fh.write(SHORT)
        rc, out, err = run("validate", "--explain", f)
        check(rc == 0 and "warning" not in err, "short forms validate",
              out + err)
        real = os.path.realpath(tmp)
        for want in ("publishes 127.0.0.1:9000 -> 80, "
                     "127.0.0.1:<random> -> 8080, 127.0.0.1:<random> -> 53",
                     "ready when [\"sh\", \"-c\", \"test -f /ready\"] exits 0",
                     "env A=1", "env B=two words",
                     "volume %s/data -> /data (read-only)" % real,
                     "volume %s/w -> /w\n" % real,
                     "working directory /srv",
                     "depends on db (waits until it is ready)",
                     "pid 1 [\"sleep\", \"100\"]", "env MODE=x",
                     "ready when [\"true\"] exits 0",
                     "description: a step"):
            check(want in out, "--explain shows %r" % want, out)
        check("note" not in err, "the host port is honoured: no note", err)
        bad = SHORT.replace('depends_on = ["db"]', 'depends_on = ["dbx"]')
        with open(f, "w") as fh:
            fh.write(bad)
        rc, out, err = run("validate", f)
        check(rc == 2 and 'unknown service "dbx"' in err,
              "depends_on names a service", err)
        bad = SHORT.replace('"./w:/w"', '"cache:/w"')
        with open(f, "w") as fh:
            fh.write(bad)
        rc, out, err = run("validate", f)
        check(rc == 2 and "named volumes are not supported" in err and
              ":6:" in err, "named volume refused at its line", err)


UNFORMATTED = """# leading comment
[ test.metadata ]
name="f"   # the name
   description  =   "d"


[[steps]]
name = "s"
command = [
"echo",
      "x" ,
]
text = '''
  kept   as is  
'''
"""


def case_fmt():
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "f.clnrm.toml")
        with open(f, "w") as fh:
            fh.write(UNFORMATTED)
        rc, out, err = run("fmt", "--check", f)
        check(rc == 1 and "not formatted" in out, "--check exits 1", out)
        with open(f) as fh:
            check(fh.read() == UNFORMATTED, "--check changes nothing")
        rc, out, err = run("fmt", f)
        check(rc == 0, "fmt exits 0", out + err)
        with open(f) as fh:
            text = fh.read()
        for want in ("# leading comment\n[test.metadata]\n",
                     'name = "f"   # the name\n', 'description = "d"\n\n[[',
                     'command = [\n    "echo",\n    "x" ,\n]\n',
                     "\n  kept   as is  \n"):
            check(want in text, "formatted text has %r" % want, text)
        check("\n\n\n" not in text and text.endswith("\n"),
              "one blank line at most", text)
        rc, out, err = run("fmt", "--check", f)
        check(rc == 0, "formatted file passes --check", out + err)
        rc, out, err = run("validate", f)
        check(rc == 0, "formatted file still validates", out + err)
    # On real files: what the loader reads is the same before and after,
    # and a second fmt finds nothing to change.
    with tempfile.TemporaryDirectory() as tmp:
        for d in (SHARED, os.path.join(SRC, "examples")):
            for n in os.listdir(d):
                if n.endswith(".toml"):
                    shutil.copy(os.path.join(d, n), tmp)
        names = sorted(os.listdir(tmp))
        before = {n: run("validate", "--explain", n, cwd=tmp) for n in names}
        rc, out, err = run("fmt", ".", cwd=tmp)
        check(rc == 0 and "formatted" in out, "fmt of the real files",
              out + err)
        for n in names:
            check(run("validate", "--explain", n, cwd=tmp) == before[n],
                  "%s means the same after fmt" % n)
        rc, out, err = run("fmt", "--check", ".", cwd=tmp)
        check(rc == 0, "fmt is idempotent", out + err)


LINT = """[test.metadata]
name = "l"
[services.web]
image = "alpine"
imgae = "x"
[[steps]]
name = "s"
command = ["true"]
"""


def case_lint():
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "l.clnrm.toml")
        with open(f, "w") as fh:
            fh.write(LINT)
        rc, out, err = run("lint", f)
        check(rc == 0, "warnings alone exit 0", out + err)
        for want in (":5:1: warning: unknown key \"imgae\"",
                     "[missing-description]", "[image-untagged]",
                     "[step-no-expectation]"):
            check(want in out, "human output has %r" % want, out)
        rc, out, err = run("lint", "--format", "json", f)
        doc = json.loads(out)
        rules = sorted(x["rule"] for x in doc)
        check(rules == ["image-untagged", "missing-description",
                        "missing-description", "step-no-expectation",
                        "unknown-key"], "json rules", out)
        check(all(x["file"] == f and x["level"] == "warning" for x in doc),
              "json file and level", out)
        rc, out, err = run("lint", "-f", "github", "--deny-warnings", f)
        check(rc == 1, "--deny-warnings exits 1 (got %d)" % rc, out + err)
        check(re.search(r"^::warning file=[^,]*l\.clnrm\.toml,line=5,col=1,"
                        r"title=unknown-key::", out, re.M),
              "GitHub annotation", out)
        with open(f, "w") as fh:
            fh.write("[test]\nname = 1\n")
        rc, out, err = run("lint", f)
        check(rc == 2 and "error:" in out and "[invalid]" in out,
              "an invalid file is an error finding", out + err)


def case_dry_run():
    rc, out, err = run("dry-run", "examples/http_two_services.clnrm.toml")
    check(rc == 0 and "nothing started" in out, "dry-run", out + err)
    for want in ("create bridge clnrm-<run>-N",
                 "create and start container clnrm-<run>-N-",
                 "exec in ", "remove the containers and the network"):
        check(want in out, "dry-run shows %r" % want, out)
    rc, out, err = run("dry-run", "examples/build-image/built_image"
                       ".clnrm.toml")
    check(rc == 0 and "an image built from" in out, "dry-run of a build",
          out + err)
    rc, out, err = run("dry-run", "tests/clnrm/bad")
    check(rc == 2, "dry-run of invalid files exits 2", out + err)
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "one.clnrm.toml")
        with open(f, "w") as fh:
            fh.write('[test.metadata]\nname = "one"\n[[steps]]\n'
                     'name = "s"\ncommand = ["echo", "hi"]\n')
        rc, out, err = run("dry-run", f)
        check(rc == 0 and "the step as its command" in out and
              "start default with the step as its main process" in out and
              "exec in " not in out and "create and start" not in out,
              "dry-run of a one-step test shows the step as the main "
              "process", out + err)


def case_plugins():
    rc, out, err = run("plugins")
    check(rc == 0, "plugins", out + err)
    for want in ("generic_container", "surreal_db", "network_tools",
                 "ollama", "vllm", "tgi"):
        check(re.search("^%s " % want, out, re.M), "lists %s" % want, out)


RESULT = {
    "version": 1,
    "summary": {"tests": 2, "passed": 1, "failed": 1, "timeouts": 0,
                "errors": 0, "skipped": 0, "steps": 3, "duration_ms": 1200},
    "tests": [
        {"name": "a", "file": "t/a.clnrm.toml", "status": "passed",
         "duration_ms": 500, "message": "", "steps": [
             {"name": "one", "command": ["echo", "hi"], "status": "passed",
              "exit_code": 0, "expected_exit_code": 0, "duration_ms": 10,
              "message": "", "stdout": "hi\n", "stderr": "",
              "truncated": False}]},
        {"name": "b", "file": "t/b.clnrm.toml", "status": "failed",
         "duration_ms": 700, "message": "step \"two\": expected exit code 0",
         "steps": [
             {"name": "two", "command": ["false"], "status": "failed",
              "description": "fails on purpose",
              "exit_code": 1, "expected_exit_code": 0, "duration_ms": 10,
              "message": "expected exit code 0, got 1", "stdout": "",
              "stderr": "boom|x", "truncated": False},
             {"name": "three", "command": ["true"], "status": "skipped",
              "exit_code": -1, "expected_exit_code": 0, "duration_ms": 0,
              "message": "not run", "stdout": "", "stderr": "",
              "truncated": False}]},
    ],
}


def case_report_diff():
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, "a.json")
        with open(a, "w") as fh:
            json.dump(RESULT, fh)
        rc, out, err = run("report", "-i", a, "-f", "markdown")
        check(rc == 0 and "| b | t/b.clnrm.toml | failed | 0.700 s |" in out
              and "| two | failed | 1 | expected exit code 0, got 1 |" in out,
              "markdown", out + err)
        rc, out, err = run("report", "-i", a, "-f", "junit")
        check(rc == 0 and "<testsuites" in out and "<failure" in out,
              "junit", out + err)
        rc, out, err = run("report", "-i", a, "-f", "tap")
        check(rc == 0 and "1..2" in out and "not ok 2 - b" in out, "tap",
              out + err)
        rc, out, err = run("report", "-i", a)
        check(rc == 0 and "FAIL" in out and "2 tests: 1 passed, 1 failed"
              in out, "human", out + err)
        check("about:    fails on purpose" in out,
              "a failed step's description is shown", out)
        md = os.path.join(tmp, "r.md")
        rc, out, err = run("report", "-i", a, "-f", "markdown", "-o", md)
        check(rc == 0 and out == "" and os.path.exists(md), "-o", out + err)
        rc, out, err = run("report", "-i", os.path.join(tmp, "none.json"))
        check(rc == 2 and "cannot read" in err, "missing input", err)
        rc, out, err = run("diff", a, a)
        check(rc == 0 and "no difference" in out, "diff of same", out + err)
        b = os.path.join(tmp, "b.json")
        changed = json.loads(json.dumps(RESULT))
        changed["tests"][1]["status"] = "passed"
        changed["tests"][1]["steps"][0].update(status="passed", exit_code=0)
        changed["tests"][0]["duration_ms"] = 999  # durations do not count
        changed["tests"].append(dict(RESULT["tests"][0], name="c"))
        with open(b, "w") as fh:
            json.dump(changed, fh)
        rc, out, err = run("diff", a, b)
        check(rc == 1, "diff exits 1 on a difference (got %d)" % rc,
              out + err)
        for want in ("~ b (t/b.clnrm.toml): failed -> passed",
                     '~ b: step 1 "two": failed, exit 1 -> "two": passed, '
                     "exit 0", "+ c (t/a.clnrm.toml): only in the new result",
                     "3 differences"):
            check(want in out, "diff shows %r" % want, out)
        rc, out, err = run("diff", a)
        check(rc == 2, "diff needs two files", out + err)


# ---------------------------------------------------------------- integration

PASSING = """[test.metadata]
name = "keep_ok"
description = "passes"
[services.app]
image = "clnrm-base:latest"
environment = { GREETING = "hello" }
working_dir = "/tmp"
[[steps]]
name = "greet"
description = "greets from the working directory"
command = ["sh", "-c", "echo $GREETING; pwd"]
expected_output_regex = "hello\\n/tmp"
"""

FAILING = """[test.metadata]
name = "keep_bad"
[services.db]
image = "clnrm-base:latest"
[services.app]
image = "clnrm-base:latest"
[[steps]]
name = "boom"
service = "app"
command = ["sh", "-c", "echo inspect-me > /tmp/state; exit 4"]
"""


def case_record_diff():
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (("ok", PASSING), ("bad", FAILING)):
            with open(os.path.join(tmp, name + ".clnrm.toml"), "w") as fh:
                fh.write(text)
        rc, out, err = run("record", "-o", "base/b.json", ".", cwd=tmp)
        check(rc == 1 and "saved base/b.json" in err, "record exits as run",
              out + err)
        with open(os.path.join(tmp, "base", "b.json")) as fh:
            doc = json.load(fh)
        check(doc["summary"]["passed"] == 1 and doc["summary"]["failed"] == 1,
              "baseline holds the results", json.dumps(doc))
        steps = [s for t in doc["tests"] for s in t["steps"]]
        check(any(s.get("description") == "greets from the working directory"
                  for s in steps), "the step's description is reported",
              json.dumps(doc))
        rc, out, err = run("run", "--format", "json", ".", cwd=tmp)
        with open(os.path.join(tmp, "new.json"), "w") as fh:
            fh.write(out)
        rc, out, err = run("diff", "base/b.json", "new.json", cwd=tmp)
        check(rc == 0 and "no difference (2 tests)" in out,
              "an unchanged run has no difference", out + err)
        with open(os.path.join(tmp, "bad.clnrm.toml"), "w") as fh:
            fh.write(FAILING.replace("exit 4", "exit 0"))
        rc, out, err = run("run", "--report-json", "new.json", ".", cwd=tmp)
        check(rc == 0, "fixed run passes", out + err)
        rc, out, err = run("diff", "base/b.json", "new.json", cwd=tmp)
        check(rc == 1 and "failed -> passed" in out, "diff sees the fix",
              out + err)


def case_keep_clean():
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "bad.clnrm.toml"), "w") as fh:
            fh.write(FAILING)
        with open(os.path.join(tmp, "ok.clnrm.toml"), "w") as fh:
            fh.write(PASSING)
        rc, out, err = run("run", "--keep-on-failure", ".", cwd=tmp)
        check(rc == 1, "the failing test fails", out + err)
        m = re.search(r"docker exec -it (clnrm-([0-9a-f]+)-\d+)-app sh", err)
        check(m and "clnrm clean" in err, "says how to reach the kept "
              "containers", err)
        prefix, run_id = m.group(1), m.group(2)
        kept = labelled("containers", "cleanroom.run=" + run_id)
        check(len(kept) == 2, "both containers of the failed test stay "
              "(%d)" % len(kept), err)
        nets = labelled("networks", "cleanroom.run=" + run_id)
        check(len(nets) == 1, "its network stays", err)
        status, info = engine("GET", "/containers/%s-app/json" % prefix)
        check(status == 200 and
              info["Config"]["Labels"].get("cleanroom.keep") == "on-failure",
              "kept containers are labelled", json.dumps(info)[:500])
        # Another run sweeps leftovers of dead runs: kept ones stay.
        rc, out, err = run("run", "ok.clnrm.toml", cwd=tmp)
        check(rc == 0, "a later run passes", out + err)
        check(len(labelled("containers", "cleanroom.run=" + run_id)) == 2,
              "the sweep leaves kept containers alone")
        rc, out, err = run("clean")
        check(rc == 0 and "kept container(s)" in out, "clean", out + err)
        check(labelled("containers", "cleanroom.run=" + run_id) == [] and
              labelled("networks", "cleanroom.run=" + run_id) == [],
              "clean removed the kept containers and network")


def case_build():
    test = "examples/build-image/built_image.clnrm.toml"
    images = []
    try:
        rc, out, err = run("run", test)
        check(rc == 0 and "1 passed" in out, "the built service runs green",
              out + err)
        check(re.search(r"note: [01] image\(s\) built", err),
              "the build is reported", err)
        rc, out, err = run("run", test)
        check(rc == 0 and "note: 0 image(s) built, 1 unchanged" in err,
              "a second run does not rebuild", out + err)
        status, images = engine("GET", "/images/json?filters=" +
                                urllib.parse.quote(json.dumps(
                                    {"reference": ["clnrm-build-web"]})))
        check(len(images) == 1, "one image, tagged by the context's hash",
              json.dumps(images))
        with tempfile.TemporaryDirectory() as tmp:
            ctx = os.path.join(tmp, "ctx")
            shutil.copytree(os.path.join(SRC, "examples", "build-image"), ctx)
            with open(os.path.join(ctx, "Dockerfile"), "a") as fh:
                fh.write("RUN exit 7\n")
            rc, out, err = run("run", os.path.join(ctx, "built_image"
                                                   ".clnrm.toml"))
            check(rc == 1 and "build of clnrm-build-web:" in err and
                  "failed:" in err and "last output:" in err,
                  "a failed build says why, with its last lines", out + err)
    finally:
        for img in images:
            for tag in img.get("RepoTags") or []:
                engine("DELETE", "/images/%s?force=1" % tag)


WRAPPED = """[test.metadata]
name = "%(name)s"
[services.%(name)s]
build = { context = "." }
[[steps]]
name = "direct"
command = ["echo", "direct"]
expected_output_regex = "^direct$"
"""


def case_entrypoint():
    """An image's ENTRYPOINT does not wrap clnrm's own argv: neither the
    one-step main process nor the keep-alive of a two-step test."""
    images = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "Dockerfile"), "w") as fh:
                fh.write('FROM clnrm-base:latest\n'
                         'ENTRYPOINT ["echo", "wrapped"]\n')
            with open(os.path.join(tmp, "one.clnrm.toml"), "w") as fh:
                fh.write(WRAPPED % {"name": "epone"})
            with open(os.path.join(tmp, "two.clnrm.toml"), "w") as fh:
                fh.write(WRAPPED % {"name": "eptwo"} +
                         '[[steps]]\nname = "again"\n'
                         'command = ["echo", "direct"]\n'
                         'expected_output_regex = "^direct$"\n')
            rc, out, err = run("run", tmp)
            status, images = engine("GET", "/images/json?filters=" +
                                    urllib.parse.quote(json.dumps(
                                        {"reference": ["clnrm-build-ep*"]})))
            check(rc == 0 and "2 passed" in out,
                  "steps run without the image's entrypoint", out + err)
    finally:
        for img in images:
            for tag in img.get("RepoTags") or []:
                engine("DELETE", "/images/%s?force=1" % tag)


CRASH = """[test.metadata]
name = "crash"
[services.db]
image = "clnrm-base:latest"
command = ["sh", "-c", "echo starting; echo fatal: no config >&2; exit 3"]
healthcheck = { test = ["CMD", "test", "-f", "/ready"], interval = "100ms" }
[[steps]]
name = "s"
command = ["true"]
"""


def case_ready_crash():
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "c.clnrm.toml"), "w") as fh:
            fh.write(CRASH)
        rc, out, err = run("run", ".", cwd=tmp)
        check(rc == 1, "a crashing service fails the test", out + err)
        check("exited before it was ready" in out and "code 3" in out and
              "fatal: no config" in out and "is not running" not in out,
              "exit code and last log lines", out)


# b depends on a. a takes a moment (its command sleeps first: the container
# waits, not the harness), then serves a page; its healthcheck passes only
# once the page is served. b records at its start whether it could fetch
# the page, and is ready once it has recorded. c depends on nothing.
ORDERED = """[test.metadata]
name = "ordered"
[services.b]
image = "clnrm-base:latest"
depends_on = ["a"]
command = ["sh", "-c", "if wget -q -O /tmp/seen http://a:8000/; then echo b-saw-$(cat /tmp/seen); else echo b-saw-nothing; fi; echo recorded; exec sleep 2147483647"]
wait_for_log = "recorded"
[services.a]
image = "clnrm-base:latest"
command = ["sh", "-c", "sleep 1; mkdir -p /tmp/www; echo a-ready > /tmp/www/index.html; exec httpd -f -p 8000 -h /tmp/www"]
healthcheck = { test = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/"], interval = "100ms", retries = 300 }
[services.c]
image = "clnrm-base:latest"
[[steps]]
name = "b saw a ready"
service = "b"
command = ["cat", "/tmp/seen"]
expected_output_regex = "^a-ready$"
[[steps]]
name = "b logged it"
service = "b"
command = ["true"]
"""

# a's check never passes: b must never be created.
NEVER = ORDERED.replace('"wget", "-q", "-O", "/dev/null", '
                        '"http://127.0.0.1:8000/"]', '"false"]').replace("retries = 300", "retries = 3")


def case_depends_order():
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "o.clnrm.toml")
        with open(f, "w") as fh:
            fh.write(ORDERED)
        rc, out, err = run("run", "--format", "json", f)
        check(rc == 0, "b starts after a is ready and sees its page",
              out + err)
        with open(f, "w") as fh:
            fh.write(NEVER)
        rc, out, err = run("run", "--format", "json", f)
        res = json.loads(out)
        text = json.dumps(res)
        check(rc == 1 and 'service \\"a\\" not ready' in text and
              'service \\"b\\" depends on \\"a\\" and was not started'
              in text, "a dependency never ready fails naming both", out + err)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# web serves a page on container port 8000, published on host port H; the
# last step fails on purpose so that --keep-on-failure keeps web running
# for the harness to connect to 127.0.0.1:H (no waiting on either side).
HOST_PORT = """[test.metadata]
name = "host port"
[services.web]
image = "clnrm-base:latest"
command = ["sh", "-c", "mkdir -p /tmp/www; echo hello-from-web > /tmp/www/index.html; exec httpd -f -p 8000 -h /tmp/www"]
ports = ["HOST:8000"]
wait_for_port = 8000
[[steps]]
name = "the step learns the host port"
service = "web"
command = ["sh", "-c", "echo port=$CLNRM_PORT_WEB_8000"]
expected_output_regex = "^port=HOST$"
[[steps]]
name = "keep the service for the harness"
service = "web"
command = ["false"]
"""


def remove_run(run_id):
    """Removes this run's containers and network (only ours)."""
    for cid in labelled("containers", "cleanroom.run=" + run_id):
        engine("DELETE", "/containers/%s?force=1" % cid)
    for nid in labelled("networks", "cleanroom.run=" + run_id):
        engine("DELETE", "/networks/%s" % nid)


def case_host_port():
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, "p.clnrm.toml")
        with open(f, "w") as fh:
            fh.write(HOST_PORT.replace("HOST", str(port)))
        rc, out, err = run("run", "--keep-on-failure", "--format", "json", f)
        m = re.search(r"docker exec -it clnrm-([0-9a-f]+)-\d+-web sh", err)
        check(m, "the test's containers are kept", out + err)
        try:
            steps = json.loads(out)["tests"][0]["steps"]
            check(rc == 1 and [s["status"] for s in steps] ==
                  ["passed", "failed"], "only the deliberate step fails",
                  out + err)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/")
            body = conn.getresponse().read().decode()
            check(body.strip() == "hello-from-web",
                  "127.0.0.1:%d answers with the service's page" % port, body)
            # The port is taken now: a second test asking for it fails
            # naming the service and the port.
            with open(f, "w") as fh:
                fh.write(HOST_PORT.replace("HOST", str(port))
                         .replace("[services.web]", "[services.web2]")
                         .replace('"web"', '"web2"'))
            rc2, out2, err2 = run("run", f)
            check(rc2 == 1 and ('service "web2": host port 127.0.0.1:%d '
                                '(for container port 8000) is already in use'
                                % port) in out2 + err2,
                  "a taken host port is named", out2 + err2)
        finally:
            remove_run(m.group(1))


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
