#!/bin/sh
# makefiles.sh TASKRUN DIR: every *.toml in DIR must load, list its tasks
# and print the plan of each task it defines (nothing is run).
#
# The sample holds single files taken out of their repositories: a file
# that extends one the sample does not hold is refused, as cargo-make
# refuses it; it is listed as skipped and counted, not passed. A file
# without a "default" task plans cargo-make's core "default" (issue 11,
# "Core tasks"), unless it sets skip_core_tasks: then a bare run must be
# refused (listed as "no default").
#
# A task that depends on a cargo-make core task taskrun does not provide
# fails to plan; the ones known, listed below as FILE:TASK:CORE, are
# reported as "needs core"; any other such failure fails the test. None is
# known: the core tasks the sample uses ("default", "docs") are provided.
needs_core=""
taskrun=$1; dir=$2; n=0; bad=0; skipped=0; nodefault=0; plans=0; needs=0
err=/tmp/taskrun-mf.$$
core='not found.*a cargo-make core task, left out by \[config\] skip_core_tasks = true'
for f in "$dir"/*.toml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    if ! list=$("$taskrun" -f "$f" --list-all-steps --json --allow-private \
                2>$err); then
        if grep -Eq '^taskrun: [^ ]+:[0-9]+:[0-9]+: extended file .*: No such file or directory$' $err; then
            echo "SKIP $f: $(cat $err)"
            skipped=$((skipped + 1))
            continue
        fi
        echo "FAIL --list-all-steps $f: $(cat $err)"
        bad=$((bad + 1))
        continue
    fi
    names=$(printf '%s\n' "$list" | grep -o '"name":"[^"]*"' |
            sed 's/^"name":"//; s/"$//')
    for t in $names; do
        plans=$((plans + 1))
        if ! "$taskrun" -f "$f" --allow-private --print-steps "$t" \
             >/dev/null 2>$err; then
            c=$(sed -n 's/.*task "\([^"]*\)" not found.*a cargo-make core task.*/\1/p' $err)
            if [ -n "$c" ] && printf '%s\n' $needs_core |
               grep -qxF "$(basename "$f"):$t:$c"; then
                echo "NEEDS CORE $c: $t in $f"
                needs=$((needs + 1))
            else
                echo "FAIL --print-steps $t $f: $(cat $err)"
                bad=$((bad + 1))
            fi
        fi
    done
    if ! "$taskrun" -f "$f" --print-steps >/dev/null 2>$err; then
        if printf '%s\n' "$names" | grep -qx default ||
           ! grep -Eq "task \"default\" $core" $err; then
            echo "FAIL --print-steps $f: $(cat $err)"
            bad=$((bad + 1))
        else
            echo "NO DEFAULT $f: $(cat $err)"
            nodefault=$((nodefault + 1))
        fi
    fi
done
rm -f $err
echo "$n makefiles, $plans task plans, $bad failures, $skipped skipped" \
     "(extended file not in the sample), $nodefault without a default task," \
     "$needs needing a core task"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$skipped" -lt "$n" ]
