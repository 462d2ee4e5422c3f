#!/bin/sh
# escape.sh TASKRUN: a task starts a background process in its own group
# that ignores SIGTERM, and a daemon that leaves the group (setsid).
#  1. A run that ends by itself kills the one left in the group and lets the
#     daemon go (leaving the group is how a task starts a service). The
#     task waits until the daemon has left its group: until then the daemon
#     is part of the task and dies with it.
#  2. An interrupted run (SIGINT) kills both.
taskrun=$1
dir=$(mktemp -d /tmp/taskrun-escape-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/tasks.toml" <<TOML
[tasks.default]
script = "setsid sh -c 'echo \$\$ > $dir/daemon; exec sleep 300' >/dev/null 2>&1 & (trap '' TERM; sleep 301) >/dev/null 2>&1 & echo \$! >> $dir/stray; while [ ! -s $dir/daemon ]; do sleep 0.01; done"

[tasks.slow]
script = "setsid sh -c 'echo \$\$ > $dir/daemon2; exec sleep 302' >/dev/null 2>&1 & (trap '' TERM; sleep 303) >/dev/null 2>&1 & echo \$! >> $dir/stray2; sleep 30"
TOML
. "$(dirname "$0")/alive.sh"

"$taskrun" -f "$dir/tasks.toml"; status=$?
[ "$status" -eq 0 ] || { echo "exit status $status"; exit 1; }
stray=$(cat "$dir/stray") daemon=$(cat "$dir/daemon")
if is_running "$stray"; then kill -9 "$stray" "$daemon"; echo "stray process survived"; exit 1; fi
if ! is_running "$daemon"; then echo "daemon was killed after a normal run"; exit 1; fi
kill -9 "$daemon"

"$taskrun" -f "$dir/tasks.toml" slow & trpid=$!
for _ in $(seq 100); do [ -s "$dir/stray2" ] && [ -s "$dir/daemon2" ] && break; sleep 0.05; done
sleep 0.2
kill -INT $trpid
wait $trpid; status=$?
left=""
for p in $(cat "$dir/daemon2" "$dir/stray2"); do
    is_running "$p" && left="$left $p"
done
[ -z "$left" ] || { kill -9 $left; echo "still running after SIGINT:$left"; exit 1; }
[ "$status" -eq 130 ] || { echo "interrupted run exited $status, not 130"; exit 1; }
echo "ok: nothing left"
