#!/usr/bin/env python3
"""Writes the synthetic result files of tests/bench.cmake (run it here).

Deterministic (fixed seeds): six samples per benchmark and unit unless
said otherwise, uniform noise of the given fraction around a centre.
"""
import random

HDR = ("goos: linux\ngoarch: amd64\npkg: cleanroom/synthetic\n"
       "cpu: synthetic\ngate: on\n")


def lines(name, ns, noise, n, bop, allocs, rate=False):
    out = []
    for _ in range(n):
        v = ns * (1 + random.uniform(-noise, noise))
        extra = f"\t{50000 / v:10.2f} MB/s" if rate else ""
        out.append(f"Benchmark{name}-2\t{int(1e9 // ns) + 1:10d}\t"
                   f"{v:12.1f} ns/op{extra}\t{bop:8d} B/op\t"
                   f"{allocs:8d} allocs/op")
    return out


def doc(parts, engine=None):
    s = HDR + "\n".join(parts) + "\n"
    if engine:
        s += "pkg: cleanroom/engine\ngate: off\n" + "\n".join(engine) + "\n"
    return s


def write(path, seed, parse_ns=1000, parse_noise=0.01, n=6, allocs=12,
          engine_ns=90e6, engine=True):
    random.seed(seed)
    parts = (lines("Parse/small", parse_ns, parse_noise, n, 4096, allocs,
                   rate=True) +
             lines("Plan/chain", 250000, 0.01, n, 800000, 3000))
    eng = lines("EngineLifecycle", engine_ns, 0.02, n, 0, 0) if engine else None
    text = doc(parts, eng)
    with open(path, "w") as f:
        f.write(text)
    return text


base = write("base.txt", 14313)
with open("same.txt", "w") as f:  # identical inputs: "~", exit 0
    f.write(base)
write("slower2x.txt", 1, parse_ns=2000)  # major, exit 1
write("slower10pct.txt", 2, parse_ns=1100, parse_noise=0.005)  # minor, 0
write("few.txt", 3, parse_ns=2000, n=3, engine=False)  # too few samples
write("engine2x.txt", 4, engine_ns=180e6)  # gate: off: reported, exit 0
write("allocs.txt", 5, allocs=18)  # allocs/op +50%: major, exit 1
