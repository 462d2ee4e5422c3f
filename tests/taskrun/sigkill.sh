#!/bin/sh
# sigkill.sh TASKRUN: taskrun is SIGKILLed (no chance to clean up) while a
# command task and a script task with a grandchild run: none of them may
# survive it (PR_SET_PDEATHSIG for the children, the guard for the rest).
taskrun=$1
. "$(dirname "$0")/alive.sh"
dir=$(mktemp -d /tmp/taskrun-sigkill-XXXXXX)
cat > "$dir/tasks.toml" <<TOML
[tasks.script]
script = "sleep 303 & echo \$! >> $dir/pids; echo \$\$ >> $dir/pids; wait"
[tasks.command]
command = "sh"
args = ["-c", "echo \$\$ >> $dir/pids; exec sleep 304"]
[tasks.default]
dependencies = ["script", "command"]
TOML
"$taskrun" -f "$dir/tasks.toml" -j 2 >"$dir/out" 2>&1 &
tr=$!
i=0
while [ "$(cat "$dir/pids" 2>/dev/null | wc -l)" -lt 3 ] && [ $i -lt 500 ]; do
    sleep 0.02; i=$((i + 1))
done
kill -KILL $tr
wait $tr
# The kills are asynchronous (the guard reads EOF, then signals): allow
# them up to 10 s.
i=0
while [ $i -lt 500 ]; do
    alive=""
    for p in $(cat "$dir/pids"); do
        is_running "$p" && alive="$alive $p"
    done
    [ -z "$alive" ] && break
    sleep 0.02; i=$((i + 1))
done
cat "$dir/out"; rm -rf "$dir"
[ -z "$alive" ] || { echo "still running:$alive"; kill -9 $alive; exit 1; }
echo "ok: nothing survived SIGKILL"
