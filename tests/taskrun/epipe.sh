#!/bin/sh
# epipe.sh TASKRUN: `taskrun --json | head` must stop the run when head
# exits (a task that never ends would otherwise keep taskrun alive for
# ever), exit 141 like a process killed by SIGPIPE, and leave nothing.
taskrun=$1
. "$(dirname "$0")/alive.sh"
dir=$(mktemp -d /tmp/taskrun-epipe-XXXXXX)
cat > "$dir/tasks.toml" <<TOML
[tasks.default]
script = "echo \$\$ >> $dir/pids; while true; do echo line; sleep 0.01; done"
TOML
{ timeout 60 "$taskrun" -f "$dir/tasks.toml" --json; echo $? > "$dir/status"; } | head -n 3 > "$dir/out"
status=$(cat "$dir/status")
alive=""
for p in $(cat "$dir/pids"); do
    is_running "$p" && alive="$alive $p"
done
lines=$(wc -l < "$dir/out")
rm -rf "$dir"
[ "$status" -eq 141 ] || { echo "exit status $status, expected 141"; exit 1; }
[ "$lines" -eq 3 ] || { echo "$lines lines, expected 3"; exit 1; }
[ -z "$alive" ] || { echo "still running:$alive"; kill -9 $alive; exit 1; }
echo "ok: stopped with 141 once stdout closed"
