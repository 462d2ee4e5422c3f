#!/usr/bin/env python3
"""End-to-end checks of `clnrm dev` against the real engine:
e2e_dev.py CASE CLNRM_BINARY SRC_DIR.

Each case starts a session with --format json on a temporary directory and
drives it through its event stream: every wait is for the next event line
(with a generous deadline), never a sleep. Each case ends the session with
SIGINT and checks that no container or network of it is left.
"""
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import check, leftovers  # noqa: E402

CLNRM, SRC = sys.argv[2], sys.argv[3]
DEADLINE_S = 120

STEP_TEST = """[test.metadata]
name = "{name}"

[services.app]
image = "clnrm-base:latest"

[[steps]]
name = "say"
service = "app"
command = ["sh", "-c", "echo {word}"]
expected_output_regex = "^{expect}$"
"""


def test_text(name, word, expect=None):
    return STEP_TEST.format(name=name, word=word, expect=expect or word)


def write(path, text):
    """Saves like an editor that writes a temporary file and renames it."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) +
                       ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


class Session:
    def __init__(self, paths, *args, command=("dev",)):
        self.log = []
        self.p = subprocess.Popen(
            [CLNRM, *command, "--format", "json", *args, *paths],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(os.environ, CI="1"))
        self.buf = b""
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.p.stdout, selectors.EVENT_READ)

    def event(self):
        """The next event line; reads the pipe's descriptor directly, as a
        buffered reader could hold lines that select() does not see."""
        end = time.monotonic() + DEADLINE_S
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            check(left > 0 and self.sel.select(left),
                  "no event within %d s" % DEADLINE_S, self.dump())
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if chunk == b"":
                self.p.wait(timeout=60)
                check(False, "the session ended early (rc %s)" %
                      self.p.returncode, self.dump() + "\n" +
                      self.p.stderr.read().decode(errors="replace"))
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        ev = json.loads(line)
        self.log.append(ev)
        return ev

    def until(self, kind, **match):
        """Reads events up to the first of kind whose fields match."""
        seen = []
        while True:
            ev = self.event()
            seen.append(ev)
            if ev["event"] == kind and all(ev.get(k) == v
                                           for k, v in match.items()):
                return ev, seen

    def rerun(self):
        """The events of one complete rerun: its tests and its end."""
        done, seen = self.until("rerun_done", cancelled=False)
        tests = {e["test"]: e for e in seen if e["event"] == "test_done"}
        return done, tests, seen

    def dump(self):
        return "\n".join(json.dumps(e) for e in self.log)

    def stop(self):
        """Ctrl-C: exit 130 and the engine holds nothing of the session
        within 5 s of the signal (polled, issue 17)."""
        sent = time.monotonic()
        self.p.send_signal(signal.SIGINT)
        out, err = self.p.communicate(timeout=60)
        err = err.decode(errors="replace")
        check(self.p.returncode == 130,
              "Ctrl-C exits 130 (got %s)" % self.p.returncode,
              self.dump() + err)
        while True:
            left = leftovers(self.p.pid)
            took = time.monotonic() - sent
            if not left or took > 5.0:
                break
            time.sleep(0.05)
        check(not left, "nothing left 5 s after Ctrl-C: %r" % left, err)
        print("dev: clean %.2f s after SIGINT" % took)


def start_one(tmp, *args, name="one", word="first"):
    path = os.path.join(tmp, name + ".clnrm.toml")
    write(path, test_text(name, word))
    s = Session([tmp], *args)
    done, tests, _ = s.rerun()
    check(tests[name]["status"] == "passed" and not tests[name]["warm"],
          "the first run passes in new containers", s.dump())
    return s, path


def case_edit():
    """Editing steps reruns them in the warm service; the latency is
    reported; --fresh is not the default."""
    with tempfile.TemporaryDirectory() as tmp:
        s, path = start_one(tmp)
        for word in ("second", "third"):
            write(path, test_text("one", word))
            done, tests, seen = s.rerun()
            t = tests["one"]
            check(t["status"] == "passed" and t["warm"],
                  "an edit of the steps reruns warm", s.dump())
            check(t["steps"][0]["stdout"] == word + "\n", "the new step ran",
                  s.dump())
            check(done["after_change"] and done["latency_ms"] > 0,
                  "the edit-to-result latency is reported", s.dump())
            check(not [e for e in seen if e["event"] == "service"],
                  "no container was created on the hot path", s.dump())
        # A changed service definition recreates that service.
        write(path, test_text("one", "fourth").replace(
            '[services.app]\n', '[services.app]\nenv = { X = "1" }\n'))
        done, tests, seen = s.rerun()
        svc = [e for e in seen if e["event"] == "service"]
        check(len(svc) == 1 and svc[0]["message"] == "recreated",
              "a service edit recreates that service", s.dump())
        check(tests["one"]["status"] == "passed", "and the test passes",
              s.dump())
        s.stop()


MOUNT_TEST = """[test.metadata]
name = "mount"

[services.app]
image = "clnrm-base:latest"
volumes = [
  { host_path = "data/conf.txt", container_path = "/conf.txt", read_only = true },
]

[services.other]
image = "clnrm-base:latest"

[[steps]]
name = "read"
service = "app"
command = ["cat", "/conf.txt"]
"""


def case_mount():
    """Saving a file a service mounts recreates that service only (a bind
    mount keeps the old inode after a write-rename save), and the step
    sees the new content; step events come before test_done."""
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "data"))
        conf = os.path.join(tmp, "data", "conf.txt")
        write(conf, "one\n")
        write(os.path.join(tmp, "mount.clnrm.toml"), MOUNT_TEST)
        s = Session([tmp])
        done, tests, seen = s.rerun()
        check(tests["mount"]["steps"][0]["stdout"] == "one\n",
              "the step reads the mounted file", s.dump())
        steps = [e for e in seen if e["event"] == "step"]
        check(len(steps) == 1 and steps[0]["name"] == "read" and
              seen.index(steps[0]) < seen.index(tests["mount"]),
              "a step event precedes test_done", s.dump())
        write(conf, "two\n")
        done, tests, seen = s.rerun()
        svc = [(e["service"], e["message"]) for e in seen
               if e["event"] == "service"]
        check(svc == [("app", "recreated")], "only app is recreated: %r" % svc,
              s.dump())
        check(tests["mount"]["steps"][0]["stdout"] == "two\n",
              "the step reads the new content", s.dump())
        s.stop()


def case_break_fix():
    """A broken file shows file:line:col and the session goes on; fixing
    it resumes."""
    with tempfile.TemporaryDirectory() as tmp:
        s, path = start_one(tmp)
        write(path, test_text("one", "x") + "\n[[steps]\nname = \n")
        ev, _ = s.until("error")
        check(ev["path"] == os.path.realpath(path) and
              os.path.basename(path) + ":" in ev["message"],
              "the error names the file with its line", s.dump())
        write(path, test_text("one", "fixed", "nope"))
        done, tests, _ = s.rerun()
        check(tests["one"]["status"] == "failed" and done["failed"] == 1,
              "a failing edit is reported as failed", s.dump())
        write(path, test_text("one", "fixed"))
        done, tests, _ = s.rerun()
        check(tests["one"]["status"] == "passed", "fixing it passes again",
              s.dump())
        s.stop()


def case_new_file():
    """A test file created after the start (in a new directory) runs; only
    it reruns."""
    with tempfile.TemporaryDirectory() as tmp:
        s, _ = start_one(tmp)
        sub = os.path.join(tmp, "sub")
        os.mkdir(sub)
        write(os.path.join(sub, "two.clnrm.toml"), test_text("two", "new"))
        done, tests, _ = s.rerun()
        check(list(tests) == ["two"] and tests["two"]["status"] == "passed",
              "only the new test runs", s.dump())
        os.unlink(os.path.join(sub, "two.clnrm.toml"))
        ev, _ = s.until("file_removed")
        s.stop()


def case_two_files():
    """Two files saved at once fold into one rerun of both."""
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, "a.clnrm.toml")
        b = os.path.join(tmp, "b.clnrm.toml")
        write(a, test_text("a", "one"))
        write(b, test_text("b", "one"))
        s = Session([tmp], "--debounce-ms", "200")
        done, tests, _ = s.rerun()
        check(sorted(tests) == ["a", "b"], "both run first", s.dump())
        write(a, test_text("a", "two"))
        write(b, test_text("b", "two"))
        done, tests, _ = s.rerun()
        check(sorted(tests) == ["a", "b"] and done["passed"] == 2,
              "both rerun in one rerun", s.dump())
        check(all(t["warm"] for t in tests.values()), "both warm", s.dump())
        s.stop()


def case_once():
    """--once exits after the first rerun that follows a change."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "one.clnrm.toml")
        write(path, test_text("one", "a"))
        s = Session([tmp], "--once")
        s.rerun()
        write(path, test_text("one", "b", "nope"))
        done, tests, _ = s.rerun()
        out, err = s.p.communicate(timeout=60)
        err = err.decode(errors="replace")
        check(s.p.returncode == 1, "--once exits 1 after a failing rerun "
              "(got %s)" % s.p.returncode, s.dump() + err)
        check(not leftovers(s.p.pid), "--once removes its containers", err)


def case_run_watch():
    """`clnrm run --watch` is the same loop, with dev's options."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "one.clnrm.toml")
        write(path, test_text("one", "a"))
        s = Session([tmp], "--once", command=("run", "--watch"))
        s.rerun()
        write(path, test_text("one", "b"))
        done, tests, _ = s.rerun()
        s.p.communicate(timeout=60)
        check(s.p.returncode == 0 and tests["one"]["warm"],
              "run --watch --once reruns warm and exits 0 (got %s)" %
              s.p.returncode, s.dump())
        check(not leftovers(s.p.pid), "nothing left", s.dump())


def case_only():
    """--only keeps the other tests out, at the start and on a change."""
    with tempfile.TemporaryDirectory() as tmp:
        a = os.path.join(tmp, "a.clnrm.toml")
        write(a, test_text("alpha", "x"))
        write(os.path.join(tmp, "b.clnrm.toml"), test_text("beta", "x"))
        s = Session([tmp], "--only", "^al")
        done, tests, _ = s.rerun()
        check(list(tests) == ["alpha"], "only alpha runs", s.dump())
        write(os.path.join(tmp, "b.clnrm.toml"), test_text("beta", "y"))
        write(a, test_text("alpha", "y"))
        done, tests, _ = s.rerun()
        check(list(tests) == ["alpha"], "beta stays out", s.dump())
        s.stop()


def case_timebox():
    """A rerun longer than --timebox is cut and reported; the warm service
    survives (only the step's process is killed)."""
    with tempfile.TemporaryDirectory() as tmp:
        # The timebox counts the first run's container creation too, which
        # took 3.3 s once in CI under load: leave it room.
        s, path = start_one(tmp, "--timebox", "6000")
        write(path, test_text("one", "slow; sleep 600", "slow"))
        done, tests, _ = s.rerun()
        check(done["timeboxed"] and tests["one"]["timeboxed"] and
              tests["one"]["status"] == "timeout", "the rerun is cut",
              s.dump())
        write(path, test_text("one", "quick"))
        done, tests, seen = s.rerun()
        check(tests["one"]["status"] == "passed" and tests["one"]["warm"],
              "the next rerun runs in the same warm service", s.dump())
        s.stop()


def case_cancel():
    """A change during a rerun cancels it and starts over."""
    with tempfile.TemporaryDirectory() as tmp:
        s, path = start_one(tmp)
        write(path, test_text("one", "slow; sleep 600", "slow"))
        s.until("rerun_started")
        # The next rerun counts the cancelled step's processes left running.
        write(path, test_text("one", "$(ps | grep -c '[s]leep 600')", "0"))
        ev, _ = s.until("rerun_done")
        check(ev["cancelled"], "the slow rerun is cancelled", s.dump())
        done, tests, _ = s.rerun()
        check(tests["one"]["status"] == "passed" and tests["one"]["warm"],
              "the next rerun runs in the same warm service and the "
              "cancelled step's process is gone", s.dump())
        s.stop()


def case_sigkill():
    """SIGKILL leaves the labelled containers; the next run sweeps them."""
    with tempfile.TemporaryDirectory() as tmp:
        s, path = start_one(tmp)
        s.p.kill()
        s.p.wait()
        check(leftovers(s.p.pid), "SIGKILL leaves the containers "
              "(precondition)", s.dump())
        rc = subprocess.run([CLNRM, "run", os.path.join(SRC, "examples",
                                                        "hello.clnrm.toml")],
                            capture_output=True, env=dict(os.environ, CI="1"),
                            timeout=300).returncode
        check(rc == 0, "the next run passes (rc %d)" % rc)
        check(not leftovers(s.p.pid), "the next run swept the session's "
              "containers", s.dump())


def case_sigint():
    """Ctrl-C in the middle of a rerun removes everything."""
    with tempfile.TemporaryDirectory() as tmp:
        s, path = start_one(tmp)
        write(path, test_text("one", "slow; sleep 600", "slow"))
        s.until("rerun_started")
        s.stop()


if __name__ == "__main__":
    globals()["case_" + sys.argv[1]]()
    print("ok")
