#!/bin/sh
# tests/valgrind/run.sh BINDIR SRCDIR CASE: runs one tool invocation under
# valgrind (memcheck) and fails on any memory error or definite leak
# (valgrind then exits 99) or when the tool's own exit status is not the
# expected one. Cases: selftest and run_examples need the Docker engine
# (ctest label integration); the others do not (e2e).
set -u
bin=$1
src=$2
case=$3
cd "$src" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CI=1 NO_COLOR=1

vg() {
    want=$1
    shift
    valgrind --quiet --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite --track-fds=no \
        --log-file="$tmp/vg.%p" "$@" >"$tmp/out" 2>&1
    got=$?
    cat "$tmp"/vg.* 2>/dev/null
    if [ "$got" -eq 99 ] || grep -qs "definitely lost: [1-9]\|ERROR SUMMARY: [1-9]" "$tmp"/vg.*; then
        echo "valgrind: errors or definite leaks in: $*"
        exit 1
    fi
    if [ "$got" -ne "$want" ]; then
        echo "exit status $got, want $want: $*"
        cat "$tmp/out"
        exit 1
    fi
    rm -f "$tmp"/vg.*
}

case $case in
selftest)
    vg 0 "$bin/clnrm" self-test
    ;;
run_examples)
    # A few examples, not all: valgrind is slow.
    vg 0 "$bin/clnrm" run examples/hello.clnrm.toml \
        examples/multi_step.clnrm.toml examples/template_vars.clnrm.toml
    ;;
validate_broken)
    vg 2 "$bin/clnrm" validate tests/broken/clnrm
    vg 2 "$bin/clnrm" validate --strict tests/broken/clnrm/strict_step_key_typo.clnrm.toml
    vg 0 "$bin/clnrm" validate examples
    ;;
taskrun_parallel)
    # The diamond of basic.toml with b and c run side by side.
    vg 0 "$bin/taskrun" -f tests/taskrun/basic.toml -j 2 d
    vg 3 "$bin/taskrun" -f tests/broken/taskrun/cycle_two.toml --print-steps a
    ;;
slo_check)
    cat >"$tmp/slo.toml" <<'TOML'
[defaults]
runs = 3
warmup = 0

[objectives.true]
command = ["true"]
metric = "wall_ms"
target = 1000
critical = 5000
TOML
    vg 0 "$bin/slo" check "$tmp/slo.toml" --json "$tmp/slo.json"
    vg 2 "$bin/slo" check tests/broken/slo/unknown_key.toml
    ;;
*)
    echo "unknown case $case"
    exit 2
    ;;
esac
echo "valgrind $case: clean"
