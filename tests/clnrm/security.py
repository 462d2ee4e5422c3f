#!/usr/bin/env python3
"""Security and fault checks of clnrm (issue 17): security.py CASE CLNRM SRC.

Fault cases put tests/clnrm/fault_proxy.py between clnrm and the engine
(DOCKER_HOST=unix://<tmp>/proxy.sock) and wait for the proxy's own lines
("ready", "> POST ...") rather than sleeping. Cases that need the engine are
labelled integration in tests/clnrm.cmake; each exits 0 on success and
prints why it failed otherwise.
"""
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import xml.dom.minidom

CLNRM, SRC = sys.argv[2], sys.argv[3]
HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, "fault_proxy.py")
sys.path.insert(0, HERE)
from e2e import check, leftovers  # noqa: E402  (shared helpers)

TEST = """[test]
name = "%(name)s"

[services.app]
image = "clnrm-base:latest"
%(service)s

[[steps]]
name = "step"
command = %(command)s
%(step)s
"""


def write_test(d, name, command='["echo", "hi"]', service="", step=""):
    path = os.path.join(d, name + ".clnrm.toml")
    with open(path, "w") as f:
        f.write(TEST % dict(name=name, command=command, service=service,
                            step=step))
    return path


def env_for(extra=None):
    e = dict(os.environ, CI="1")
    e.update(extra or {})
    return e


def run(*args, cwd=None, env=None, timeout=120, preexec=None):
    """Runs clnrm; returns (rc, stdout, stderr, seconds)."""
    start = time.monotonic()
    p = subprocess.run([CLNRM, *args], cwd=cwd, env=env_for(env),
                       capture_output=True, text=True, timeout=timeout,
                       preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr, time.monotonic() - start


class Proxy:
    """fault_proxy.py on a socket in d; started and ready on return."""

    def __init__(self, d, *opts):
        self.sock = os.path.join(d, "proxy.sock")
        self.p = subprocess.Popen([sys.executable, "-u", PROXY, self.sock,
                                   *opts], stdout=subprocess.PIPE, text=True)
        check(self.p.stdout.readline().strip() == "ready",
              "the proxy reports ready")
        self.host = {"DOCKER_HOST": "unix://" + self.sock}

    def wait_for(self, pattern):
        """Reads the proxy's request log up to a line matching pattern."""
        for line in self.p.stdout:
            if re.search(pattern, line):
                return line
        check(False, "the proxy never saw %r" % pattern)

    def kill(self):
        self.p.kill()
        self.p.wait()


# ----------------------------------------------------------------- faults

def case_engine_unreachable():
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "unreachable")
        sock = os.path.join(d, "nobody.sock")
        rc, out, err, secs = run("run", t, env={"DOCKER_HOST": "unix://" + sock})
        check(rc == 3, "an unreachable engine exits 3 (got %d)" % rc, err)
        check("Cannot connect to the Docker daemon at unix://" + sock in err,
              "the message names the engine", err)
        check(len(err.strip().splitlines()) == 1, "one line", err)


def case_connection_cut():
    """The proxy dies while a step runs: the test errors, the run ends,
    and the next run (straight to the engine) sweeps the leftovers."""
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "cut", command='["sleep", "60"]')
        proxy = Proxy(d, "--log")
        p = subprocess.Popen([CLNRM, "run", "-f", "json", t],
                             env=env_for(proxy.host), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        # The step runs once its exec starts, or, for a one-step test run
        # as the container's main process, once the container starts.
        proxy.wait_for(r"> POST /v[0-9.]+/(exec|containers)/[0-9a-f]+/start")
        proxy.kill()
        start = time.monotonic()
        out, err = p.communicate(timeout=30)
        secs = time.monotonic() - start
        # The cancellation bound of the README: 0.1 s polls, plus teardown
        # attempts that fail at once on a dead socket.
        check(secs < 5, "the run ended %.2f s after the cut" % secs, err)
        print("the run ended %.3f s after the cut" % secs)
        check(p.returncode not in (0, 130) and p.returncode < 128,
              "a cut run fails, no crash (got %d)" % p.returncode, err)
        status = json.loads(out)["tests"][0]["status"]
        check(status == "error", "the test is errored (%s)" % status, out)
        check("the next run sweeps" in err, "says who cleans up", err)
        check(leftovers(p.pid), "the cut run left its container behind")
        rc, out2, err2, _ = run("run", write_test(d, "after"))
        check(rc == 0, "the next run passes (got %d)" % rc, out2 + err2)
        check(not leftovers(p.pid), "the next run swept the cut run's "
              "container", err2)


def case_slow_engine():
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "slow")
        proxy = Proxy(d, "--delay-ms", "2000", "--delay-match",
                      "/containers/create")
        try:
            rc, out, err, secs = run("run", "--engine-timeout", "1s", t,
                                     env=proxy.host)
        finally:
            proxy.kill()
        want = ("engine: POST /containers/create timed out after 1.0 s")
        check(want in out, "names the call and the timeout", out + err)
        check(rc == 1 and "1 errors" in out,
              "the test is errored, exit 1 (got %d)" % rc, out + err)
        check(secs < 10, "no hang (%.1f s)" % secs)
        print("the run took %.3f s" % secs)
        rc, out, err, _ = run("run", "--engine-timeout", "soon", t)
        check(rc == 2 and "--engine-timeout needs a duration" in err,
              "a bad duration is a usage error", err)


def garbage(mode):
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "garbage")
        proxy = Proxy(d, mode)
        try:
            rc, out, err, secs = run("run", t, env=proxy.host)
        finally:
            proxy.kill()
        check(0 < rc < 128, "a clear failure, no crash (got %d)" % rc,
              out + err)
        check(rc != 0 and "passed" not in out.replace("0 passed", ""),
              "nothing passes", out)
        text = out + err
        check(re.search(r"unreadable|no Id|lost connection|transfer closed",
                        text), "says what was wrong", text)
        check("Traceback" not in text and "Sanitizer" not in text,
              "no crash", text)


def case_garbage_json():
    garbage("--garble")


def case_truncated_json():
    garbage("--truncate")


# ---------------------------------------------------------------- reports

def report_fails(path, preexec=None):
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "reportfail")
        rc, out, err, _ = run("run", "--report-json", path, t,
                              preexec=preexec)
        check(rc == 3, "a report that cannot be written exits 3 (got %d)"
              % rc, out + err)
        check("report %s not written:" % path in err, "says why", err)
        check("PASS reportfail" in out, "the run itself happened", out)
        return out


def case_report_unwritable():
    report_fails("/proc/version/r.json")


def limit_file_size():
    # A file may not grow past 64 bytes: writes fail as on a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def case_report_disk_full():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "r.json")
        with open(path, "w") as f:
            f.write("OLD")
        report_fails(path, preexec=limit_file_size)
        with open(path) as f:
            check(f.read() == "OLD", "the old report is left whole")
        check(os.listdir(d) == ["r.json"], "no temporary file is left: %r"
              % os.listdir(d))


# ---------------------------------------------------------------- masking

SECRET_ENV = ('env = { API_TOKEN = "tok-s3cr3t-1", DB_PASSWORD = "pw-s3cr3t-2",'
              ' MY_CRED = "cred-s3cr3t-3", PLAIN = "plain-value-4" }')
SECRET_CMD = ('["sh", "-c", "echo $API_TOKEN $DB_PASSWORD $MY_CRED $PLAIN '
              '$HOST_SECRET; echo $API_TOKEN >&2; exit 1"]')


def dev_events(t, host):
    """`clnrm dev --once -f json`: its events, after one edit."""
    p = subprocess.Popen([CLNRM, "dev", "--once", "-f", "json", "--mask",
                          "*CRED*", t], env=env_for(host),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    lines = []
    for line in p.stdout:
        lines.append(line)
        if '"event":"rerun_done"' in line:
            break
    with open(t, "a") as f:
        f.write("# edited\n")
    out, err = p.communicate(timeout=120)
    events = "".join(lines) + out
    check('"event":"test_done"' in events, "dev reported the test", events)
    check("****" in events, "dev events are masked", events)
    return [events, err]


def case_masking():
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "masked", command=SECRET_CMD, service=SECRET_ENV,
                       step='expected_output_regex = "never"')
        host = {"HOST_SECRET": "host-s3cr3t-5"}
        texts = []
        for fmt in ("human", "json", "junit", "tap"):
            junit, js = os.path.join(d, "j.xml"), os.path.join(d, "r.json")
            rc, out, err, _ = run("run", "--mask", "*CRED*", "-f", fmt,
                                  "--report-junit", junit, "--report-json",
                                  js, t, env=host)
            check(rc == 1, "the test fails (got %d)" % rc, out + err)
            check("plain-value-4" in open(junit).read(),
                  "%s: plain values stay" % fmt, out)
            texts += [out, err, open(junit).read(), open(js).read()]
        rc, out, err, _ = run("validate", "--explain", "--mask", "*CRED*", t,
                              env=host)
        texts += [out, err]
        check("API_TOKEN=****" in out, "explain masks", out)
        rc, out, err, _ = run("report", "-i", js)
        texts += [out, err]
        rc, out, err, _ = run("dry-run", "--mask", "*CRED*", t, env=host)
        texts += [out, err]
        texts += dev_events(t, host)
        for text in texts:
            check("s3cr3t" not in text, "no secret value anywhere", text)
        check(any("****" in x for x in texts), "masked, not dropped")
        xml.dom.minidom.parse(junit)  # still well-formed
        json.load(open(js))


# ------------------------------------------------ shell metacharacters

META = "$(touch /tmp/pwned); `id` | cat && echo x > /y * ' \\\" ${HOME}"


def case_shell_literal():
    """argv and env values reach the container byte for byte."""
    with tempfile.TemporaryDirectory() as d:
        val = json.dumps(META)  # a TOML basic string is JSON-compatible here
        t = write_test(d, "literal",
                       command='["printf", "%%s|%%s", %s, "$NOPE"]' % val,
                       service="env = { META = %s }" % val)
        with open(t, "a") as f:
            # The user's own script reads the value from the environment.
            f.write('\n[[steps]]\nname = "env"\ncommand = ["sh", "-c", '
                    '"printf %s \\"$META\\""]\n')
        rc, out, err, _ = run("run", "-f", "json", t)
        check(rc == 0, "the test passes (got %d)" % rc, out + err)
        steps = json.loads(out)["tests"][0]["steps"]
        check(steps[0]["stdout"] == META + "|$NOPE",
              "argv stays literal: %r" % steps[0]["stdout"])
        check(steps[1]["stdout"] == META,
              "env stays literal: %r" % steps[1]["stdout"])


# ---------------------------------------------------------------- security

def case_security_flags():
    cases = {
        "priv": ('[security]\nprivileged = true', "--allow-privileged"),
        "sock": ('volumes = ["/var/run/docker.sock:/var/run/docker.sock"]',
                 "--allow-docker-socket"),
        "sock2": ('volumes = [{ host_path = "/run/docker.sock", '
                  'container_path = "/s" }]', "--allow-docker-socket"),
        "sock3": ('volumes = ["/var:/hostvar:ro"]', "--allow-docker-socket"),
        "net": ('[security]\nnetwork_mode = "host"', "--allow-host-network"),
        "pid": ('[security]\npid_mode = "host"', "--allow-host-pid"),
        "ipc": ('[security]\nipc_mode = "host"', "--allow-host-ipc"),
    }
    with tempfile.TemporaryDirectory() as d:
        for name, (extra, flag) in cases.items():
            t = write_test(d, name, service=extra)
            for cmd in ("validate", "run", "dry-run"):
                rc, out, err, _ = run(cmd, t, env={"DOCKER_HOST":
                                                   "unix:///nonexistent"})
                check(rc == 2, "%s %s is refused (got %d)" % (cmd, name, rc),
                      err)
                check(re.search(re.escape(t) + r":\d+:\d+: .*" + flag, err),
                      "%s: position and flag named" % name, err)
            rc, out, err, _ = run("validate", flag, t)
            check(rc == 0, "%s passes with %s (got %d)" % (name, flag, rc),
                  err)
        # One namespace's flag never grants another's.
        t = write_test(d, "pidonly", service='[security]\npid_mode = "host"')
        rc, out, err, _ = run("validate", "--allow-host-network",
                              "--allow-host-ipc", t)
        check(rc == 2 and "--allow-host-pid" in err,
              "host PID needs its own flag", err)
        # A host network has no test network to publish ports from.
        t = write_test(d, "netports", service='ports = [8080]\n'
                       '[security]\nnetwork_mode = "host"')
        rc, out, err, _ = run("validate", "--allow-host-network", t)
        check(rc == 2 and re.search(re.escape(t) + r":\d+:\d+: .*publishes "
                                    r"ports.*network_mode", err),
              "host network with ports refused at a position", err)


NS_STEP = ('["sh", "-c", "for n in net pid ipc; do readlink /proc/self/ns/$n;'
           ' done; cat /proc/1/comm"]')


def namespaces_seen(t, *flags):
    """Runs t (one- and two-step variants) and returns each step's lines."""
    rc, out, err, _ = run("run", *flags, "--format", "json", t)
    check(rc == 0, "the namespace test passes (rc %d)" % rc, out + err)
    return [s["stdout"].split() for tt in json.loads(out)["tests"]
            for s in tt["steps"]]


def case_host_namespaces():
    """With their flags, network_mode/pid_mode/ipc_mode = "host" share the
    host's namespaces, in the one-step fast path and through an exec;
    without them every namespace is the container's own."""
    mine = [os.readlink("/proc/self/ns/" + n) for n in ("net", "pid", "ipc")]
    with open("/proc/1/comm") as f:
        init = f.read().strip()
    host = ('[security]\nnetwork_mode = "host"\npid_mode = "host"\n'
            'ipc_mode = "host"')
    flags = ("--allow-host-network", "--allow-host-pid", "--allow-host-ipc")
    with tempfile.TemporaryDirectory() as d:
        write_test(d, "one", command=NS_STEP, service=host)
        write_test(d, "two", command=NS_STEP, service=host,
                   step='[[steps]]\nname = "again"\ncommand = %s' % NS_STEP)
        seen = namespaces_seen(d, *flags)
        check(len(seen) == 3, "three steps ran %r" % seen)
        for lines in seen:
            check(lines == mine + [init],
                  "host namespaces and the host's PID 1 (%r) seen: %r" %
                  (mine + [init], lines))
    with tempfile.TemporaryDirectory() as d:
        write_test(d, "own", command=NS_STEP)
        for lines in namespaces_seen(d):
            check(all(a != b for a, b in zip(lines[:3], mine)),
                  "without the flags every namespace is the container's: "
                  "%r" % lines)


def case_engine_env():
    """DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as Docker reads
    them, and one warning for plaintext tcp://."""
    with tempfile.TemporaryDirectory() as d:
        t = write_test(d, "tls")
        base = {"DOCKER_HOST": "tcp://127.0.0.1:1", "DOCKER_CERT_PATH": d}
        for verify in ("1", "0", "false", "no"):
            rc, out, err, _ = run("run", t, env=dict(base,
                                                     DOCKER_TLS_VERIFY=verify))
            check(rc == 3 and "cannot read %s/ca.pem" % d in err,
                  "DOCKER_TLS_VERIFY=%s means verify" % verify, err)
            check("plaintext" not in err, "no plaintext warning with TLS", err)
        rc, out, err, _ = run("run", t, env=dict(base, DOCKER_TLS_VERIFY=""))
        check(rc == 3 and err.count("plaintext TCP") == 1,
              "an empty DOCKER_TLS_VERIFY is plaintext, warned once", err)
        rc, out, err, _ = run("validate", t, env=base)
        check("plaintext" not in err, "no warning without the engine", err)


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
    print("ok", sys.argv[1])
