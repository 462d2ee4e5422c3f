#!/usr/bin/env python3
"""taskrun's cargo-make `watch` key end to end: watch_e2e.py TASKRUN.

A watch task runs once, then again after a save in its watched directory
(a file in a directory created after the start included), while an
ignored file changes nothing. Every wait is for the next output line (with
a generous deadline), never a sleep. SIGINT ends it.
"""
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time

TASKRUN = sys.argv[1]
MAKEFILE = """[tasks.w]
script = "echo ran $(cat src/f 2>/dev/null) $(cat src/sub/g 2>/dev/null)"
watch = { watch = ["src"], ignore_pattern = "*.tmp" }
"""


def fail(what, out):
    print("FAILED:", what)
    print(out)
    sys.exit(1)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "src"))
        with open(os.path.join(tmp, "Makefile.toml"), "w") as f:
            f.write(MAKEFILE)
        p = subprocess.Popen([TASKRUN, "w"], cwd=tmp, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT,
                             env=dict(os.environ, CI="1"))
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        buf = [b""]
        seen = []

        def line_with(word):
            end = time.monotonic() + 60
            while True:
                while b"\n" not in buf[0]:
                    left = end - time.monotonic()
                    if left <= 0 or not sel.select(left):
                        fail("no line with %r" % word, "\n".join(seen))
                    chunk = os.read(p.stdout.fileno(), 4096)
                    if not chunk:
                        fail("taskrun ended", "\n".join(seen))
                    buf[0] += chunk
                line, buf[0] = buf[0].split(b"\n", 1)
                seen.append(line.decode())
                if word in seen[-1]:
                    return seen[-1]

        line_with("ran")
        with open(os.path.join(tmp, "src", "x.tmp"), "w") as f:
            f.write("ignored")
        with open(os.path.join(tmp, "src", "f"), "w") as f:
            f.write("two")
        got = line_with("ran")
        if "ran two" not in got:
            fail("the rerun after a save sees the file", "\n".join(seen))
        os.mkdir(os.path.join(tmp, "src", "sub"))
        with open(os.path.join(tmp, "src", "sub", "g"), "w") as f:
            f.write("three")
        got = line_with("ran")
        if "ran two three" not in got:
            fail("a file in a new directory reruns", "\n".join(seen))
        p.send_signal(signal.SIGINT)
        p.wait(timeout=60)
        if [s for s in seen if "watch is not supported" in s]:
            fail("watch refused", "\n".join(seen))
    print("ok")


if __name__ == "__main__":
    main()
