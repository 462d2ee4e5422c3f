#!/bin/sh
# golden.sh FLAMEGRAPH SHARED_DIR INPUT OPTION: collapses the recorded perf
# script INPUT with OPTION (default, pid, tid, kernel, addrs), read from a
# pipe, and compares the sorted output with stackcollapse-perf.pl's.
set -eu
fg=$1 dir=$2 input=$3 opt=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flag=
[ "$opt" = default ] || flag=--$opt
gzip -dc "$dir/$input.perf-script.gz" >"$tmp/in"
# shellcheck disable=SC2086
"$fg" collapse $flag - <"$tmp/in" >"$tmp/raw"
LC_ALL=C sort "$tmp/raw" >"$tmp/out"
gzip -dc "$dir/$input.$opt.folded.gz" | LC_ALL=C sort >"$tmp/ref"
if ! cmp -s "$tmp/out" "$tmp/ref"; then
    echo "golden mismatch for $input $opt:"
    diff "$tmp/ref" "$tmp/out" | head -20
    exit 1
fi
echo "golden ok"
