#!/bin/sh
# record_selftest.sh FLAMEGRAPH CLNRM: the system-wide profile of `clnrm
# self-test` (needs the engine): the folded stacks have one root for clnrm
# and for the engine's daemons (dockerd or containerd), and the report
# states the share of clnrm's samples with [unknown] frames. Prints
# "record selftest ok" when every check passed.
set -u
fg=$1
clnrm=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

fail() {
    echo "FAIL $*"
    tail -n 30 err 2>/dev/null
    exit 1
}

"$fg" record --system-wide -F 499 --min-samples 100 --out p --name self-test \
    -- "$clnrm" self-test >out 2>err || fail "record: exit $?"
grep -q '^clnrm;' p/self-test.folded || fail "no root clnrm"
grep -Eq '^(dockerd|containerd);' p/self-test.folded ||
    fail "no root dockerd or containerd"
grep -Eq '^containerd-shim' p/self-test.folded || fail "no root containerd-shim"
grep -Eq '^clnrm: [0-9]+ samples; [0-9]+ \([0-9.]+%\) with \[unknown\] frames' \
    p/self-test.report.txt || fail "report: no unknown share for clnrm"
grep -q 'system-wide' p/self-test.report.txt || fail "report: not system-wide"
# The command's own processes, followed by pid and recorded on their own.
grep -Eq "^  \(the command's own [0-9]+ process(es)?: .*recorded on their own" \
    p/self-test.report.txt || fail "report: no line for the command's processes"
grep -Eq '^  in the system-wide profile at 499 Hz: [0-9]+ samples' \
    p/self-test.report.txt || fail "report: no system-wide share of them"
[ -s p/self-test.own.perf.data ] || fail "no own.perf.data"
grep -q '^clnrm;' p/self-test.own.folded || fail "own.folded: no root clnrm"
grep -q '<g id="frames">' p/self-test.own.svg || fail "own.svg: no frames"
grep -q 'only clnrm' p/self-test.report.txt && fail "report: says process alone"
grep 'clnrm:' p/self-test.report.txt
echo "record selftest ok"
