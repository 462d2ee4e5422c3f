#!/usr/bin/env python3
"""Ctrl-C during a watch task's command: watch_sigint.py TASKRUN.

A terminal's Ctrl-C is SIGINT to its whole foreground process group, not
to one process. Two ways it reaches a watched command, both checked:

- terminal: taskrun runs on a pseudo-terminal and a 0x03 byte is typed
  into it; the line discipline signals the foreground group, which is the
  command's (taskrun hands the terminal to the watch loop, the loop hands
  it to the command). The command dies of SIGINT, the loop and taskrun
  stop because of that.
- group: no terminal; SIGINT goes to taskrun's whole process group, as a
  terminal would send it to a job. Only taskrun is in it (each task has a
  group of its own): taskrun stops the loop, the loop stops the command.

- loop: the same for the watch loop alone (`taskrun --watch-loop`), with
  no taskrun around it to kill orphans: the loop itself must pass the
  signal on and clean up.

The command must see the signal that was meant for it (it reports it:
SIGINT from the terminal, SIGTERM when taskrun stops its tasks), not a
SIGKILL after a grace period, and taskrun (or the loop) must exit 130
leaving nothing behind: neither the command nor its background job (which
ignores SIGINT, as a non-interactive shell's background jobs do), nor any
other process. This test is a child
subreaper, so every orphan would become its child; once taskrun has
exited, none may be left running. Every wait is for an output line or an exit
(pidfd) with a generous deadline, never a sleep.
"""
import ctypes
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

TASKRUN = sys.argv[1]
PR_SET_CHILD_SUBREAPER = 36
# The watched command: says which signal stopped it, starts a background
# job the way a non-interactive shell does (SIGINT ignored), prints both
# pids once its handlers are in place, then waits.
COMMAND = """import os, signal, subprocess
def stop(signo, frame):
    os.write(1, b"got-%s\\n" % signal.Signals(signo).name[3:].encode())
    os._exit(128 + signo)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
bg = subprocess.Popen(["sleep", "300"], preexec_fn=lambda: signal.signal(
    signal.SIGINT, signal.SIG_IGN))
print("bg-pid", bg.pid, flush=True)
print("cmd-pid", os.getpid(), flush=True)
while True:
    signal.pause()
"""
MAKEFILE = """[tasks.w]
command = "%s"
args = ["command.py"]
watch = { watch = ["src"] }
""" % sys.executable


def fail(what, seen):
    print("FAILED:", what)
    print("\n".join(seen))
    sys.exit(1)


class Lines:
    """Lines read from fd, each waited for with a deadline."""

    def __init__(self, fd):
        self.fd, self.buf, self.seen = fd, b"", []

    def wait_for(self, word):
        end = time.monotonic() + 60
        while True:
            while b"\n" not in self.buf:
                left = end - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    fail("no line with %r" % word, self.seen)
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # EIO: the terminal's other side is gone
                    chunk = b""
                if not chunk:
                    fail("output ended", self.seen)
                self.buf += chunk
            line, self.buf = self.buf.split(b"\n", 1)
            self.seen.append(line.decode(errors="replace").rstrip("\r"))
            if word in self.seen[-1]:
                return self.seen[-1]


def pid_after(lines, word):
    return int(lines.wait_for(word).split(word, 1)[1].split()[0])


def wait_exit(pid, seen):
    """taskrun's exit status, waited for through a pidfd with a deadline."""
    fd = os.pidfd_open(pid)
    try:
        if not select.select([fd], [], [], 60)[0]:
            os.kill(pid, signal.SIGKILL)
            fail("taskrun did not exit after Ctrl-C", seen)
    finally:
        os.close(fd)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def running_children():
    """Our children still running (orphans come to us: subreaper)."""
    me, found = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and fields[0] not in ("Z", "X"):
            found.append(int(name))
    return found


def reap_zombies():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def still_running(pids):
    """Those of pids that do not end within a deadline. A SIGKILL is
    delivered asynchronously: one sent just before taskrun exited may not
    have taken effect yet, so wait for each exit (pidfd), never sleep."""
    fds = {}
    for p in pids:
        try:
            fds[os.pidfd_open(p)] = p
        except ProcessLookupError:
            pass
    end, left = time.monotonic() + 30, dict(fds)
    while left and time.monotonic() < end:
        ready = select.select(list(left), [], [], end - time.monotonic())[0]
        for fd in ready:
            del left[fd]
    for fd in fds:
        os.close(fd)
    return sorted(p for p in left.values() if running(p))


def check(how, status, pids, lines, signame):
    seen = lines.seen
    lines.wait_for("got-")
    if "got-" + signame not in seen[-1]:
        fail("%s: the command should have got SIG%s" % (how, signame), seen)
    alive = still_running({p for p in pids + running_children() if running(p)})
    reap_zombies()
    if status != 130:
        fail("%s: taskrun exit status %d, expected 130" % (how, status), seen)
    if alive:
        for p in alive:
            os.kill(p, signal.SIGKILL)
        fail("%s: still running: %s" % (how, alive), seen)
    print("ok: %s: exit 130, nothing left" % how)


def env():
    return dict(os.environ, CI="1")


def by_terminal(tmp):
    pid, master = pty.fork()
    if pid == 0:
        os.chdir(tmp)
        os.execve(TASKRUN, [TASKRUN, "w"], env())
    lines = Lines(master)
    pids = [pid_after(lines, "bg-pid "), pid_after(lines, "cmd-pid ")]
    os.write(master, b"\x03")  # Ctrl-C, typed
    status = wait_exit(pid, lines.seen)
    check("terminal", status, pids, lines, "INT")
    os.close(master)


def by_group(tmp, how, argv, signame):
    p = subprocess.Popen(argv, cwd=tmp, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env(), start_new_session=True)
    lines = Lines(p.stdout.fileno())
    pids = [pid_after(lines, "bg-pid "), pid_after(lines, "cmd-pid ")]
    os.killpg(p.pid, signal.SIGINT)
    status = wait_exit(p.pid, lines.seen)
    p.returncode = status  # reaped by wait_exit
    check(how, status, pids, lines, signame)
    p.stdout.close()


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        fail("prctl(PR_SET_CHILD_SUBREAPER)", [])
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "src"))
        with open(os.path.join(tmp, "Makefile.toml"), "w") as f:
            f.write(MAKEFILE)
        with open(os.path.join(tmp, "command.py"), "w") as f:
            f.write(COMMAND)
        by_terminal(tmp)
        by_group(tmp, "group", [TASKRUN, "w"], "TERM")
        by_group(tmp, "loop", [TASKRUN, "--watch-loop", "--path", "src",
                               "--", sys.executable, "command.py"], "INT")


if __name__ == "__main__":
    main()
