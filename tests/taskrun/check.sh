#!/bin/sh
# check.sh EXPECTED_STATUS REGEX COMMAND...: runs COMMAND (from this
# directory), then requires its exit status and that its combined output
# matches the extended regular expression REGEX, either on one line or
# across lines (the output joined with spaces).
want=$1; re=$2; shift 2
cd "$(dirname "$0")" || exit 1
out=$("$@" 2>&1); got=$?
if [ "$got" -ne "$want" ]; then
    printf 'exit status %s, expected %s; output:\n%s\n' "$got" "$want" "$out"
    exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$re" &&
   ! printf '%s\n' "$out" | tr '\n' ' ' | grep -Eq -- "$re"; then
    printf 'output does not match /%s/:\n%s\n' "$re" "$out"
    exit 1
fi
exit 0
