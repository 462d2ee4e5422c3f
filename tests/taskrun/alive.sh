# Sourced by the process-control tests: is_running PID succeeds when PID is a
# running process. A zombie waiting for its reaper is not running.
is_running() {
    [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}
