#!/bin/sh
# scale.sh TASKRUN GEN: big generated makefiles load, plan and run under a
# 512 KB stack. Walks as deep as the input (a 50,000-task dependency chain,
# a 50,000-task extend chain, a 10,000-long [env] reference chain) must not
# recurse on the C stack: no input may crash taskrun. No timing is checked
# here (bench suite "taskrun" measures it).
tr=$1; gen=$2
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
fail() { printf 'scale: %s\n' "$*"; exit 1; }
ulimit -s 512 || fail "cannot lower the stack limit"

sh "$gen" 50000 20000 20000 > "$dir/big.toml" || fail "generator failed"
out=$("$tr" -f "$dir/big.toml" --print-steps c49999 2>&1) ||
    fail "plan of c49999 exited $?: $(printf '%s' "$out" | tail -3)"
printf '%s\n' "$out" | grep -q '^plan: 50000 steps' ||
    fail "plan of c49999 is not 50000 steps: $(printf '%s' "$out" | head -3)"
printf '%s\n' "$out" | grep -Eq '^50000\. c49999 +command: true +\[after: c49998\]$' ||
    fail "last step of c49999 is wrong: $(printf '%s' "$out" | tail -1)"
out=$("$tr" -f "$dir/big.toml" --print-steps fan 2>&1) ||
    fail "plan of fan exited $?"
printf '%s\n' "$out" | grep -q '^plan: 20001 steps' ||
    fail "plan of fan is not 20001 steps: $(printf '%s' "$out" | head -3)"
"$tr" -f "$dir/big.toml" --list-all-steps > /dev/null 2>&1 ||
    fail "--list-all-steps exited $?"

# The [env] reference chain is evaluated when a task runs. Its entries are
# conditional and never set, so the child's environment stays small.
awk 'BEGIN {
    print "[env]"
    for (i = 0; i < 10000; i++)
        printf "E%d = { value = \"${E%d}\", condition = { env_set = [\"NEVER_SET_X\"] } }\n", i, i + 1
    print "E10000 = \"end\""
    print "LAST = \"${E10000}\""
    print "[tasks.show]\ncommand = \"echo\"\nargs = [\"last=${LAST}\"]"
}' > "$dir/env.toml"
out=$(NEVER_SET_X= env -u NEVER_SET_X "$tr" -f "$dir/env.toml" show 2>&1) ||
    fail "env chain run exited $?: $out"
printf '%s\n' "$out" | grep -q '^last=end$' || fail "env chain: $out"

# x0 extends x1 ... extends x49999: resolving x0 follows the whole chain.
awk 'BEGIN {
    for (i = 0; i < 49999; i++)
        printf "[tasks.x%d]\nextend = \"x%d\"\n", i, i + 1
    print "[tasks.x49999]\ncommand = \"echo\"\nargs = [\"extended\"]"
}' > "$dir/extend.toml"
out=$("$tr" -f "$dir/extend.toml" --print-steps x0 2>&1) ||
    fail "extend chain plan exited $?"
printf '%s\n' "$out" | grep -Eq "^ *1\\. x0 +command: echo extended$" ||
    fail "extend chain: $out"

# r0 run_task r1 ... r49999, run for real under a 1 GB address-space limit:
# the planner once copied every target's done nodes up the chain (n^2 of
# them, 10 GB for this file).
awk 'BEGIN {
    for (i = 0; i < 49999; i++)
        printf "[tasks.r%d]\nrun_task = \"r%d\"\n", i, i + 1
    print "[tasks.r49999]\ncommand = \"echo\"\nargs = [\"routed\"]"
}' > "$dir/route.toml"
# A sanitizer build reserves terabytes of shadow memory up front and cannot
# start under the limit: there the run goes without it.
limit="ulimit -v 1048576"
( eval "$limit" && "$tr" --version ) > /dev/null 2>&1 || limit=:
out=$( (eval "$limit" && "$tr" -f "$dir/route.toml" --print-steps r0) 2>&1) ||
    fail "run_task chain plan exited $?: $(printf '%s' "$out" | tail -3)"
printf '%s\n' "$out" | grep -Eq '^50000\. r49999 +command: echo routed +\[after: r49998\]$' ||
    fail "run_task chain plan: $(printf '%s' "$out" | tail -1)"
out=$( (eval "$limit" && "$tr" -f "$dir/route.toml" --quiet r0) 2>&1) ||
    fail "run_task chain run exited $?: $(printf '%s' "$out" | tail -3)"
printf '%s\n' "$out" | grep -q '^routed$' || fail "run_task chain run: $out"
exit 0
