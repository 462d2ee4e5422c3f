# slo: verdict rules (unit) and the binary on small objective files (e2e).
cr_add_cmocka_test(test_slo ${CMAKE_CURRENT_SOURCE_DIR}/test_slo.c
                   LIBS slo_lib)

set(slo_dir ${CMAKE_CURRENT_SOURCE_DIR}/slo)
add_test(NAME slo_check_pass COMMAND slo check ${slo_dir}/pass.toml)
set_tests_properties(slo_check_pass PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "true +wall_ms +median .*(PASS|INCONCLUSIVE)")
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
  COMMAND sh -c "rm -rf slo-out && $<TARGET_FILE:slo> check ${slo_dir}/fail.toml --json slo-out/a/r.json --markdown slo-out/r.md --history slo-out/h.jsonl >/dev/null; $<TARGET_FILE:slo> check ${slo_dir}/fail.toml --history slo-out/h.jsonl >/dev/null; grep -c '\"verdict\":\"FAIL\"' slo-out/h.jsonl && grep -q FAIL slo-out/r.md && grep -q '\"results\"' slo-out/a/r.json && echo reports-ok"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(slo_check_reports PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^2\nreports-ok")
add_test(NAME slo_check_bad_runs COMMAND slo check ${slo_dir}/pass.toml --runs 1x)
set_tests_properties(slo_check_bad_runs PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "--runs must be between 1 and 100000")
