#!/bin/sh
# compare_case.sh BENCH OLD NEW RC PATTERN [OPTION...]: bench compare OLD
# NEW [OPTION...] must exit with RC and print a line matching PATTERN
# (grep -E). PATTERN --format=csv / --format=json checks those renderings
# instead.
bench=$1 old=$2 new=$3 want=$4 pattern=$5
shift 5
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
case $pattern in
--format=csv)
    "$bench" compare "$old" "$new" --format csv >"$out"; rc=$?
    head -1 "$out" | grep -q '^unit,name,old,old_spread_pct,' || exit 1
    grep -E '^ns/op,Parse/small-2,.*,changed,major,yes$' "$out" || exit 1 ;;
--format=json)
    "$bench" compare "$old" "$new" --format json >"$out"; rc=$?
    grep -q '"failed":[[:space:]]*true' "$out" || exit 1
    grep -q '"class":[[:space:]]*"major"' "$out" || exit 1 ;;
*)
    "$bench" compare "$old" "$new" "$@" >"$out"; rc=$?
    grep -E -e "$pattern" "$out" || { cat "$out"; exit 1; } ;;
esac
if [ "$rc" -ne "$want" ]; then
    echo "exit status $rc, expected $want"
    exit 1
fi
