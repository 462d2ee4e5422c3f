#!/bin/sh
# sigint.sh TASKRUN: Ctrl-C (SIGINT) while two tasks run, one of them
# ignoring SIGTERM and both with grandchildren: taskrun must exit 130 and
# leave no process of theirs behind.
taskrun=$1
. "$(dirname "$0")/alive.sh"
dir=$(mktemp -d /tmp/taskrun-sigint-XXXXXX)
cat > "$dir/tasks.toml" <<TOML
[tasks.polite]
script = "sleep 300 & echo \$! >> $dir/pids; echo \$\$ >> $dir/pids; wait"
[tasks.stubborn]
script = "trap '' TERM; sleep 301 & echo \$! >> $dir/pids; echo \$\$ >> $dir/pids; wait; sleep 302"
[tasks.default]
dependencies = ["polite", "stubborn"]
TOML
"$taskrun" -f "$dir/tasks.toml" -j 2 >"$dir/out" 2>&1 &
tr=$!
i=0
while [ "$(cat "$dir/pids" 2>/dev/null | wc -l)" -lt 4 ] && [ $i -lt 500 ]; do
    sleep 0.02; i=$((i + 1))
done
kill -INT $tr
wait $tr; status=$?
alive=""
for p in $(cat "$dir/pids"); do
    is_running "$p" && alive="$alive $p"
done
cat "$dir/out"; rm -rf "$dir"
[ "$status" -eq 130 ] || { echo "exit status $status, expected 130"; exit 1; }
[ -z "$alive" ] || { echo "still running:$alive"; exit 1; }
echo "ok: exit 130, nothing left"
