#!/bin/sh
# e2e.sh FLAMEGRAPH: the tool's exit codes and error lines. Prints "e2e ok"
# when every check passed; otherwise names the first one that failed.
set -u
fg=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# check NAME WANT_STATUS REGEX CMD...: runs CMD, wants its status and a line
# of its stderr (or stdout) matching REGEX.
check() {
    name=$1 want=$2 re=$3
    shift 3
    "$@" >out 2>err
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, wanted $want"
        cat err
        exit 1
    fi
    if [ -n "$re" ] && ! grep -Eq -- "$re" err out; then
        echo "FAIL $name: no line matches /$re/"
        cat err out
        exit 1
    fi
}

printf 'pr 1 1.0: 2 cpu-clock:\n\t1 f+0x1 (/a)\n!!garbage\n\npr 1 1.1: 3 cpu-clock:\n\t1 g (/a)\n\n' >small.perf
printf 'main;f 5\n' >small.folded
printf 'garbage\nmore garbage\n' >junk.txt

check no-args 2 'usage: flamegraph COMMAND' "$fg"
check unknown-command 2 "'nope' is not a command" "$fg" nope
check help 0 'collapse +perf script output' "$fg" help
check help-cmd 0 'usage: flamegraph top' "$fg" help top
check cmd-help 0 'usage: flamegraph collapse' "$fg" collapse --help
check bad-option 2 'flamegraph collapse: unknown option --bogus' \
    "$fg" collapse --bogus
check missing-file 1 '^flamegraph: missing.perf: No such file or directory$' \
    "$fg" collapse missing.perf
check skipped-lines 0 '^flamegraph: small.perf:3: skipped 1 unrecognised line' \
    "$fg" collapse small.perf -o small.out
grep -qx 'pr;f 2' small.out || { echo "FAIL collapse output"; exit 1; }
check no-valid-input 2 '^flamegraph: junk.txt: no valid input' \
    "$fg" render junk.txt -o junk.svg
grep -q 'ERROR: junk.txt: no valid input' junk.svg || { echo "FAIL error svg"; exit 1; }
check junk-lines 2 '^flamegraph: junk.txt:1: skipped 2 unrecognised lines' \
    "$fg" render junk.txt -o junk.svg
check few-samples 0 'warning: only 5 samples' \
    "$fg" render small.folded -o small.svg
grep -q '<g id="frames">' small.svg || { echo "FAIL svg"; exit 1; }
printf 'pr 1 1.0: 1000000 cpu-clock:\n\t1 f (/a)\n\n' >one.perf
check few-perf-samples 0 'warning: only 1 samples' \
    "$fg" render one.perf -o one.svg
check bad-minwidth 2 'minwidth wants pixels or N%' \
    "$fg" render --minwidth abc small.folded
check bad-palette 2 'unknown palette rainbow' \
    "$fg" render --colors rainbow small.folded
check bad-format 2 '--format is text or json, not xml' \
    "$fg" top --format xml small.folded
check top 0 '^ +5 100.00% 100.00% +5 100.00%  f$' "$fg" top small.folded
check diff-one-file 2 'needs OLD.folded and NEW.folded' \
    "$fg" diff small.folded
check diff-folded 0 '^main;f 5 5$' "$fg" diff --folded small.folded small.folded
check events-exclusive 2 'exclude each other' \
    "$fg" collapse --all-events --event cycles small.perf
echo "e2e ok"
