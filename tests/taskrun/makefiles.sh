#!/bin/sh
# makefiles.sh TASKRUN DIR: every *.toml in DIR must load, list its tasks
# and print its plan (nothing is run).
taskrun=$1; dir=$2; n=0; bad=0
for f in "$dir"/*.toml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    for mode in --list-all-steps --print-steps; do
        if ! "$taskrun" -f "$f" "$mode" >/dev/null 2>/tmp/taskrun-mf.$$; then
            echo "FAIL $mode $f: $(cat /tmp/taskrun-mf.$$)"
            bad=$((bad + 1))
        fi
    done
done
rm -f /tmp/taskrun-mf.$$
echo "$n makefiles, $bad failures"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
