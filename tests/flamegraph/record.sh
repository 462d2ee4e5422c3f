#!/bin/sh
# record.sh FLAMEGRAPH: `flamegraph record` end to end with the real perf on
# a small CPU-bound command, profiled alone: every output file, the report,
# and on a second run the kept previous profile and the differential graph.
# If perf cannot record here the test fails with perf's error. Prints
# "record ok" when every check passed.
set -u
fg=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

fail() {
    echo "FAIL $*"
    cat out err 2>/dev/null
    exit 1
}

# A quarter of a second of shell arithmetic: a few hundred samples.
spin='i=0; while [ $i -lt 250000 ]; do i=$((i+1)); done'

"$fg" record --out prof --name spin -- sh -c "$spin" >out 2>err ||
    fail "record: exit $?"
for f in perf.data folded svg icicle.svg top.txt top.json report.txt; do
    [ -s "prof/spin.$f" ] || fail "no prof/spin.$f"
done
[ -e prof/spin.diff.svg ] && fail "a diff.svg without a previous profile"
grep -q '^sh;' prof/spin.folded || fail "folded: no root sh"
# Every line is "stack COUNT" with a count of samples, not nanoseconds.
awk '$NF !~ /^[0-9]+$/ || $NF > 100000 { bad = 1 } END { exit bad }' \
    prof/spin.folded || fail "folded: a count is not a sample count"
grep -q '<g id="frames">' prof/spin.svg || fail "svg: no frames"
grep -q 'spin: flame graph' prof/spin.svg || fail "svg: no title"
grep -q 'spin: icicle graph' prof/spin.icicle.svg || fail "icicle: no title"
grep -q '"functions":\[' prof/spin.top.json || fail "top.json: no functions"
grep -Eq 'flat +flat%' prof/spin.top.txt || fail "top.txt: no header"
grep -Eq '^sh: [0-9]+ samples; [0-9]+ \([0-9.]+%\) with \[unknown\] frames' \
    prof/spin.report.txt || fail "report: no unknown share"
grep -q 'only sh and its child processes were recorded' prof/spin.report.txt ||
    fail "report: does not say the profile is of the process alone"
grep -q '^written: prof/spin' out || fail "stdout: no file list"
grep -q '^samples: [0-9]* in 1 process$' out || fail "stdout: no sample count"

# Again: the first folded file is kept and compared with.
cp prof/spin.folded first.folded
"$fg" record --out prof --name spin -- sh -c "$spin" >out 2>err ||
    fail "second record: exit $?"
cmp -s first.folded prof/spin.prev.folded || fail "previous profile not kept"
[ -e prof/spin.perf.data.old ] && fail "perf's .old copy left behind"
grep -q 'differential flame graph' prof/spin.diff.svg || fail "no diff.svg"
grep -q 'diff.svg' out || fail "stdout does not list diff.svg"
# --only: the graphs keep the named processes, the report says so.
"$fg" record --only sh,nothing --out only -- sh -c "$spin" >out 2>err ||
    fail "record --only: exit $?"
grep -q '^drawn (--only sh,nothing): [0-9]* of [0-9]* samples' \
    only/sh.report.txt || fail "report: no --only line"
"$fg" record --only nomatch --out only -- sh -c "$spin" >out 2>err
[ $? = 5 ] || fail "--only nomatch: not exit 5"
grep -q 'no samples of processes named nomatch' err ||
    fail "--only nomatch: no error line"
echo "record ok"
