#!/bin/sh
# format_check.sh BENCH: runs the engine-free suites briefly and checks
# every line of their output with `bench check`; every result line must
# also carry B/op and allocs/op.
bench=$1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$bench" harness toml clnrm engine-data -benchtime 100x -count 2 >"$out" ||
    exit 1
"$bench" flamegraph watch -benchtime 3x -count 2 >>"$out" || exit 1
"$bench" taskrun -benchtime 1x -count 2 >>"$out" || exit 1
"$bench" check "$out" || exit 1
missing=$(grep '^Benchmark' "$out" | grep -v ' B/op.* allocs/op$')
if [ -n "$missing" ]; then
    echo "results without B/op and allocs/op:"
    echo "$missing"
    exit 1
fi
