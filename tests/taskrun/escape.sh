#!/bin/sh
# escape.sh TASKRUN: a task starts a process that leaves its process group
# (setsid) and another that ignores SIGTERM in the background; once taskrun
# exits, neither may still run.
taskrun=$1
dir=$(mktemp -d /tmp/taskrun-escape-XXXXXX)
cat > "$dir/tasks.toml" <<TOML
[tasks.default]
script = "setsid sleep 300 >/dev/null 2>&1 & echo \$! >> $dir/pids; (trap '' TERM; sleep 301) >/dev/null 2>&1 & echo \$! >> $dir/pids"
TOML
"$taskrun" -f "$dir/tasks.toml"; status=$?
alive=""
for p in $(cat "$dir/pids"); do
    if [ -e /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status 2>/dev/null; then
        alive="$alive $p"
    fi
done
rm -rf "$dir"
[ "$status" -eq 0 ] || { echo "exit status $status"; exit 1; }
[ -z "$alive" ] || { echo "still running:$alive"; kill -9 $alive; exit 1; }
echo "ok: nothing left"
