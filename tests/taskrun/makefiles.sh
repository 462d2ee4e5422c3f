#!/bin/sh
# makefiles.sh TASKRUN DIR: every *.toml in DIR must load, list its tasks
# and print its plan (nothing is run). The sample holds single files taken
# out of their repositories: a file that extends one the sample does not
# hold is refused, as cargo-make refuses it; it is listed as skipped and
# counted, not passed.
taskrun=$1; dir=$2; n=0; bad=0; skipped=0
err=/tmp/taskrun-mf.$$
for f in "$dir"/*.toml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    for mode in --list-all-steps --print-steps; do
        if ! "$taskrun" -f "$f" "$mode" >/dev/null 2>$err; then
            if grep -Eq '^taskrun: [^ ]+:[0-9]+:[0-9]+: extended file .*: No such file or directory$' $err; then
                echo "SKIP $f: $(cat $err)"
                skipped=$((skipped + 1))
                break
            fi
            echo "FAIL $mode $f: $(cat $err)"
            bad=$((bad + 1))
        fi
    done
done
rm -f $err
echo "$n makefiles, $bad failures, $skipped skipped (extended file not in the sample)"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$skipped" -lt "$n" ]
