#!/bin/sh
# record_errors.sh FLAMEGRAPH DIR: the one-line errors and exit codes of
# `flamegraph record` (flamegraph/README.md, "record"): perf missing, perf
# forbidden by kernel.perf_event_paranoid (a stand-in perf from DIR), the
# command failing or missing, too few samples, bad usage. Prints
# "record errors ok" when every check passed.
set -u
fg=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# check NAME WANT_STATUS REGEX CMD...: wants the status and a stderr line
# matching REGEX, and stderr's flamegraph lines to be one line.
check() {
    name=$1 want=$2 re=$3
    shift 3
    "$@" >out 2>err
    got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, wanted $want"
        cat out err
        exit 1
    fi
    if ! grep -Eq -- "$re" err; then
        echo "FAIL $name: no stderr line matches /$re/"
        cat err
        exit 1
    fi
    if [ "$(grep -c '^flamegraph' err)" != 1 ]; then
        echo "FAIL $name: not one flamegraph error line"
        cat err
        exit 1
    fi
}

check perf-missing 3 \
    '^flamegraph: perf: not found; install the Debian package linux-perf' \
    env PATH=/nonexistent "$fg" record --out o -- /bin/true
check perf-missing-explicit 3 '^flamegraph: /no/perf: not found' \
    "$fg" record --perf /no/perf --out o -- /bin/true
check paranoid 3 \
    '^flamegraph: perf may not record: kernel.perf_event_paranoid is 3; .*sysctl -w kernel.perf_event_paranoid=' \
    "$fg" record --perf "$dir/perf-paranoid" --out o -- /bin/true
check paranoid-system-wide 3 \
    'a system-wide profile needs 0 or less .*perf_event_paranoid=-1' \
    "$fg" record -a --perf "$dir/perf-paranoid" --out o -- /bin/true
check command-missing 4 '^flamegraph: no-such-command-here: command not found' \
    "$fg" record --out o -- no-such-command-here
check command-fails 4 \
    '^flamegraph: the profiled command sh exited with status 7' \
    "$fg" record --out o -- sh -c 'exit 7'
[ -e o/sh.svg ] && { echo "FAIL command-fails: drew a graph"; exit 1; }
check too-few 5 \
    '^flamegraph: o/true.perf.data: only [0-9]+ samples of /bin/true \(at least 50 needed' \
    "$fg" record --out o -- /bin/true
check no-command 2 'needs -- COMMAND' "$fg" record --out o
check bad-call-graph 2 '--call-graph is fp, dwarf or dwarf,BYTES' \
    "$fg" record --call-graph lbr -- /bin/true
check bad-frequency 2 '-F wants 1 to 100000 Hz, not 0' \
    "$fg" record -F 0 -- /bin/true
check bad-name 2 '--name a/b is not a file name' \
    "$fg" record --name a/b -- /bin/true
echo "record errors ok"
