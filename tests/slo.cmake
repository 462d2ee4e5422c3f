# slo: verdict rules (unit) and the binary on small objective files (e2e).
cr_add_cmocka_test(test_slo ${CMAKE_CURRENT_SOURCE_DIR}/test_slo.c
                   LIBS slo_lib)
cr_add_cmocka_test(test_slo_report ${CMAKE_CURRENT_SOURCE_DIR}/test_slo_report.c
                   LIBS slo_lib)

set(slo_dir ${CMAKE_CURRENT_SOURCE_DIR}/slo)
add_test(NAME slo_check_pass COMMAND slo check ${slo_dir}/pass.toml)
set_tests_properties(slo_check_pass PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "true +[0-9.]+ ms .*(PASS|INCONCLUSIVE)")
add_test(NAME slo_check_fail COMMAND slo check ${slo_dir}/fail.toml)
set_tests_properties(slo_check_fail PROPERTIES LABELS e2e WILL_FAIL TRUE)
add_test(NAME slo_check_fail_verdict COMMAND slo check ${slo_dir}/fail.toml
         --format json)
set_tests_properties(slo_check_fail_verdict PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "\"verdict\":\"FAIL\"")
add_test(NAME slo_check_error COMMAND slo check ${slo_dir}/error.toml)
set_tests_properties(slo_check_error PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "ERROR.*\n.*exited with status 1")
add_test(NAME slo_check_badkey COMMAND slo check ${slo_dir}/badkey.toml)
set_tests_properties(slo_check_badkey PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION
  "badkey.toml:3:1: unknown key \"taget\" in \\[objectives.x\\] \\(did you mean \"target\"\\?\\)")
# Reports go to missing directories too, atomically; history appends.
add_test(NAME slo_check_reports
  COMMAND sh -c "rm -rf slo-out && $<TARGET_FILE:slo> check ${slo_dir}/fail.toml --json slo-out/a/r.json --markdown slo-out/r.md --history slo-out/h.jsonl >/dev/null 2>&1; $<TARGET_FILE:slo> check ${slo_dir}/fail.toml --history slo-out/h.jsonl >/dev/null 2>&1; grep -c '\"verdict\":\"FAIL\"' slo-out/h.jsonl && grep -q FAIL slo-out/r.md && grep -q '\"results\"' slo-out/a/r.json && echo reports-ok"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_check_reports PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^2\nreports-ok")
add_test(NAME slo_check_bad_runs COMMAND slo check ${slo_dir}/pass.toml --runs 1x)
set_tests_properties(slo_check_bad_runs PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "--runs must be between 1 and 100000")

# slo memory: heap objectives under heaptrack (see slo/README.md). The
# profiled command is clnrm validate, except in sanitizer builds, where an
# instrumented program cannot run under heaptrack (tests/heap.cmake).
if(CLEANROOM_SANITIZE OR CLEANROOM_TSAN OR CLEANROOM_FUZZ)
  set(heap_profiled "$<TARGET_FILE:heap_leaky>")
  set(heap_site main)
else()
  set(heap_profiled "$<TARGET_FILE:clnrm> validate ${PROJECT_SOURCE_DIR}/examples")
  set(heap_site cr_)
endif()
add_test(NAME slo_memory_validate
  COMMAND sh -c "rm -rf mem-ok && $<TARGET_FILE:slo> memory --config ${slo_dir}/memory.toml --out mem-ok -- ${heap_profiled} > mem-ok.stdout; echo exit=$?; grep -c PASS mem-ok/report.txt; grep -o '\"name\":\"leaks\",\"metric\":\"leaked_kb\",\"value\":[0-9.]*,\"target\":64,\"critical\":1000,\"verdict\":\"PASS\"' mem-ok/report.json; grep -q 'top allocators by calls' mem-ok.stdout && grep -q ${heap_site} mem-ok/report.txt && test -s mem-ok/alloc.folded && test -f mem-ok/peak.folded && test -f mem-ok/leaked.folded && test -f mem-ok/heaptrack.zst && test -f mem-ok/command.log && grep -q '<svg' mem-ok/alloc.svg && echo files-ok"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_memory_validate PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "^exit=0\n2\n\"name\":\"leaks\"[^\n]*PASS\"\nfiles-ok\n$")
# A leak over the critical limit: FAIL, exit 1, and the leaking line named.
add_test(NAME slo_memory_leak_fails
  COMMAND sh -c "$<TARGET_FILE:slo> memory --config ${slo_dir}/memory-tight.toml --out mem-leak --format json -- $<TARGET_FILE:heap_leaky>; echo exit=$?"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_memory_leak_fails PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "\"leaked_bytes\":5000.*\"metric\":\"leaked_kb\",\"value\":5,[^}]*\"verdict\":\"FAIL\".*\"top_leaks\":\\[\\{\"function\":\"main\",[^}]*\"calls\":5,\"bytes\":5000\}.*\nexit=1\n$")
# The profiled command fails: one line with its status, exit 1.
add_test(NAME slo_memory_command_fails
  COMMAND sh -c "$<TARGET_FILE:slo> memory --out mem-fail -- $<TARGET_FILE:heap_leaky> 3; echo exit=$?"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_memory_command_fails PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "^slo: [^\n]*heap_leaky exited with status 3 under heaptrack\nexit=1\n$")
# heaptrack missing from PATH: one line naming the Debian package, exit 3.
add_test(NAME slo_memory_no_heaptrack
  COMMAND sh -c "PATH=/nonexistent $<TARGET_FILE:slo> memory --out mem-none -- /bin/true; echo exit=$?"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_memory_no_heaptrack PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "^slo: heaptrack not found in PATH \\(install the Debian package: apt-get install heaptrack\\)\nexit=3\n$")
# slo check: a heap objective without heaptrack is an ERROR naming the
# package, and the check fails.
add_test(NAME slo_check_heap_no_heaptrack
  COMMAND sh -c "PATH=/nonexistent $<TARGET_FILE:slo> check ${slo_dir}/heap-check.toml; echo exit=$?")
set_tests_properties(slo_check_heap_no_heaptrack PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "note: heaptrack not found in PATH \\(install the Debian package: apt-get install heaptrack\\)\nexit=1")
# A non-heap objective named with --objective is a usage error.
add_test(NAME slo_memory_bad_objective
  COMMAND sh -c "$<TARGET_FILE:slo> memory --config ${slo_dir}/pass.toml --objective true --out mem-bad; echo exit=$?"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_memory_bad_objective PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "objective \"true\" measures wall_ms, not peak_heap_mb or leaked_kb\nexit=2\n$")
# slo check measures heap metrics under heaptrack as well.
add_test(NAME slo_check_heap COMMAND slo check ${slo_dir}/heap-check.toml)
set_tests_properties(slo_check_heap PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "true-heap +[0-9.]+ MB .*PASS")

# A limit set below the measurement fails the check with one clear line
# naming the file, the objective, the figure and the limit.
add_test(NAME slo_check_limit_below_fails
  COMMAND sh -c "$<TARGET_FILE:slo> check ${slo_dir}/fail.toml 2>&1 >/dev/null; echo exit=$?")
set_tests_properties(slo_check_limit_below_fails PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^slo: [^\n]*fail.toml: objective sleepy: FAIL: median wall_ms [0-9.]+ ms is over its critical limit 2.00 ms\nexit=1\n$")
# A test suite that fails (TAP "not ok", a non-zero exit, an empty plan) is
# an ERROR, never a fast PASS; a passing one passes.
add_test(NAME slo_check_failing_suite_is_error
  COMMAND sh -c "$<TARGET_FILE:slo> check ${slo_dir}/suite-fails.toml 2>/dev/null; echo exit=$?")
set_tests_properties(slo_check_failing_suite_is_error PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "suite-not-ok +- [^\n]* ERROR [^\n]*\n +note: sh: 1 of 2 tests failed\nsuite-exit-1 +- [^\n]* ERROR [^\n]*\n +note: sh: exited with status 1\nsuite-empty +- [^\n]* ERROR [^\n]*\n +note: sh: the suite ran no tests \\(TAP plan 1..0\\)\nsuite-ok +[0-9.]+ ms [^\n]* PASS .*exit=1\n$")
# prepare and cleanup run around each of the 4 runs; a slow run is killed
# at its timeout and recorded as an ERROR.
add_test(NAME slo_check_prepare_cleanup_timeout
  COMMAND sh -c "rm -f per-run.log prepared; $<TARGET_FILE:slo> check ${slo_dir}/per-run.toml --json per-run.json 2>/dev/null | grep -o 'note: .*'; echo exit=$?; sort per-run.log | uniq -c | tr -s ' '"
  WORKING_DIRECTORY ${slo_dir})
set_tests_properties(slo_check_prepare_cleanup_timeout PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^note: sleep: timed out after 0.3 s\nexit=0\n 4 c\n 4 p\n$")
# --strict fails on WARN; without it WARN passes.
add_test(NAME slo_check_strict
  COMMAND sh -c "$<TARGET_FILE:slo> check ${slo_dir}/warn.toml >/dev/null 2>&1; echo plain=$?; $<TARGET_FILE:slo> check ${slo_dir}/warn.toml --strict 2>&1 >/dev/null; echo strict=$?")
set_tests_properties(slo_check_strict PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^plain=0\nslo: [^\n]*objective sleeper: WARN: median wall_ms [0-9.]+ ms is over its target limit 1.00 ms\nstrict=1\n$")
# The export's times are seconds, as hyperfine writes them: sleep 0.05
# has a median of 0.05x s, not 50 (ms).
add_test(NAME slo_check_json_seconds
  COMMAND sh -c "$<TARGET_FILE:slo> check ${slo_dir}/sleep.toml --format json")
set_tests_properties(slo_check_json_seconds PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "\"mean\":0\\.0[5-9][0-9]*,\"stddev\":[0-9.e-]+,\"median\":0\\.0[5-9][0-9]*,\"user\":[0-9.e-]+,\"system\":[0-9.e-]+,\"min\":0\\.0[5-9][0-9]*,\"max\":0\\.[0-9]+,\"p95\":0\\.[0-9]+,\"times\":\\[0\\.0[5-9]")
# Two checks: the second shows the change since the first (history), or
# since a saved report (--baseline); slo history prints the trend; --svg
# writes the chart.
add_test(NAME slo_check_change_history_chart
  COMMAND sh -c "rm -rf slo-trend && mkdir slo-trend && cd slo-trend && S=$<TARGET_FILE:slo> && $S check ${slo_dir}/sleep.toml --runs 6 --history h.jsonl --json first.json >/dev/null && $S check ${slo_dir}/sleep.toml --runs 6 --history h.jsonl --svg chart.svg | grep -c '%)' && $S check ${slo_dir}/sleep.toml --runs 6 --baseline first.json --format json | grep -c '\"change\":{\"metric_value\":' && $S history --history h.jsonl --last 5 && grep -c 'class=\"trend\"' chart.svg"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_check_change_history_chart PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^1\n1\nobjective +change +value per check[^\n]*\nsleep +[-+][0-9.]+% +[0-9.]+ms [0-9.]+ms +(PASS|INCONCLUSIVE|WARN)\n\\(2 of 2 checks\\)\n1\n$")
# The container lifecycle probe through the engine library: each phase
# timed, start and start+stop judged, a container that never answers is an
# ERROR, and no container is left behind.
add_test(NAME slo_check_container_probe
  COMMAND sh -c "$<TARGET_FILE:slo> check ${slo_dir}/container.toml --format json 2>/dev/null | grep -o '\"name\":\"[a-z-]*\"\\|\"phase_times\":{\"create\":\\[[0-9.e-]*,[0-9.e-]*\\],\"start\"\\|\"verdict\":\"[A-Z]*\"\\|\"note\":\"[^\"]*\"'; echo exit=$?; docker ps -aq --filter label=org.cleanroom.slo=probe | wc -l")
set_tests_properties(slo_check_container_probe PROPERTIES LABELS integration
  TIMEOUT 120
  PASS_REGULAR_EXPRESSION "\"name\":\"start\"\n\"phase_times\":{\"create\":\\[[^\n]*\n\"verdict\":\"PASS\"\n\"note\":\"\"\n\"name\":\"start-stop\"\n\"phase_times\"[^\n]*\n\"verdict\":\"PASS\"\n\"note\":\"\"\n\"name\":\"not-ready\"\n\"verdict\":\"ERROR\"\n\"note\":\"container probe: ready failed: false exited with status 1\"\nexit=0\n0\n$")
# The SVG chart renders in headless Chromium: bars, marks, whiskers and
# trend lines present and sized, no script (the flame graph's harness).
add_test(NAME slo_chart_browser
  COMMAND sh ${slo_dir}/browser.sh $<TARGET_FILE:slo> ${PROJECT_SOURCE_DIR}
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_chart_browser PROPERTIES LABELS "browser;e2e"
  SKIP_RETURN_CODE 77 TIMEOUT 180)
