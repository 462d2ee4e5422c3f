# taskrun and the shared process layer (cr_proc).
cr_add_cmocka_test(test_proc ${CMAKE_CURRENT_SOURCE_DIR}/test_proc.c
                   LIBS cleanroom)
foreach(t graph env sched load output duck)
  cr_add_cmocka_test(test_taskrun_${t}
                     ${CMAKE_CURRENT_SOURCE_DIR}/test_taskrun_${t}.c
                     LIBS taskrun_lib)
endforeach()
# The loader's allocation sweep reads the fixtures in tests/taskrun/.
target_compile_definitions(test_taskrun_load PRIVATE
                           CR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# End-to-end: build/bin/taskrun on the fixtures in tests/taskrun/.
set(TR_DIR ${CMAKE_CURRENT_SOURCE_DIR}/taskrun)
function(taskrun_e2e name status regex)
  add_test(NAME taskrun_e2e_${name}
           COMMAND sh ${TR_DIR}/check.sh ${status} "${regex}"
                   $<TARGET_FILE:taskrun> ${ARGN})
  set_tests_properties(taskrun_e2e_${name} PROPERTIES LABELS e2e TIMEOUT 120)
endfunction()

taskrun_e2e(run_diamond 0 "a: hello world.*b: task=b.*c: line two.*d: x y"
            -f basic.toml -- x y)
taskrun_e2e(profile 0 "a: bonjour world profile=production"
            -f basic.toml -p production a)
taskrun_e2e(plan 0 "plan: 4 steps.* 4\\. d +command: echo d:.*after: b, c"
            -f basic.toml --print-steps)
taskrun_e2e(list 0 "Diamond -+ a - the shared dependency"
            -f basic.toml --list-all-steps)
taskrun_e2e(private 3 "task \"secret\" is private" -f basic.toml secret)
taskrun_e2e(cycle 3 "^taskrun: cycle.toml:7:8: dependency cycle: a -> b -> c -> a$"
            -f cycle.toml a)
taskrun_e2e(unknown_key_warns 0
  "warning: unknown_key.toml:3:1: unknown key \"comand\" in \\[tasks.build\\] \\(did you mean \"command\"\\?\\)"
  -f unknown_key.toml build)
taskrun_e2e(unknown_key_strict 2
  "^taskrun: unknown_key.toml:3:1: unknown key \"comand\""
  -f unknown_key.toml --strict build)
taskrun_e2e(missing_task 3
  "missing.toml:[0-9]+:[0-9]+: task \"buidl\" not found, needed by \"release\" \\(did you mean \"build\"\\?\\)"
  -f missing.toml release)
taskrun_e2e(exit_code 42 "task \"default\" failed with exit code 42"
            -f exitcode.toml)
taskrun_e2e(ignore_errors 0 "still ran" -f exitcode.toml after-ignored)
taskrun_e2e(stop_on_failure 3 "exit code 3" -f keepgoing.toml all)
taskrun_e2e(keep_going 3
  "ok ran.*failure summary:.*failed +fail \\(exit code 3\\).*not-run +after-fail"
  -f keepgoing.toml -k all)
taskrun_e2e(json 0
  "\\{\"v\":1,\"event\":\"end\",\"task\":\"d\",\"status\":\"ok\",\"exit\":0"
  -f basic.toml --json -j 2)
taskrun_e2e(time_summary 0 "critical path [0-9]+ ms: a -> [bc] -> d"
            -f basic.toml --time-summary)
taskrun_e2e(bad_option 2 "unknown option \"--nope\"" --nope)

add_test(NAME taskrun_e2e_sigint COMMAND sh ${TR_DIR}/sigint.sh
         $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_sigint PROPERTIES LABELS e2e TIMEOUT 120)

# Every real-world Makefile.toml in the shared sample loads, lists, plans.
add_test(NAME taskrun_e2e_makefiles COMMAND sh ${TR_DIR}/makefiles.sh
         $<TARGET_FILE:taskrun> ${CR_SHARED_DIR}/makefiles)
set_tests_properties(taskrun_e2e_makefiles PROPERTIES LABELS e2e TIMEOUT 300)

# Conditions, routing, cwd, other runners, Rust-only keys, skips, runners.
taskrun_e2e(features 0
  "when-fast ran.*marker.*python says 42.*chosen ran.*rusty ran"
  -f features.toml)
taskrun_e2e(condition_skip 0
  "skipped \"when-slow\": condition not met \\(only in slow mode\\)"
  -f features.toml)
taskrun_e2e(rust_note 0
  "note: Rust-only keys are ignored, so these tasks run without them: rusty \\(install_crate\\)"
  -f features.toml rusty)
taskrun_e2e(skip_tasks 0
  "\"event\":\"skip\",\"task\":\"py\",\"reason\":\"matches --skip-tasks\""
  -f features.toml --json --skip-tasks "^py$")
taskrun_e2e(unsupported_runner 4 "duck.toml:[0-9]+:[0-9]+: task \"rusty\": unsupported script runner \"@rust\""
  -f duck.toml rusty)
# duckscript runs in taskrun itself (taskrun --duckscript-eval).
taskrun_e2e(duck_runs 0 "^hi$" -f features.toml duck)
taskrun_e2e(duck_exit 9
  "hello from duck in duck.*captured code=0.*child exited 3.*task \"duck\" failed with exit code 9"
  -f duck.toml duck)
taskrun_e2e(duck_fail_on_error 1
  "fail-on-error:1: exec: \"sh\" failed with exit code 4"
  -f duck.toml fail-on-error)
taskrun_e2e(duck_unknown_command 1
  "before.*unknown:3: unknown command \"frobnicate\""
  -f duck.toml unknown)
taskrun_e2e(duck_condition_false 0
  "skipped \"cond-yes\": condition_script exited non-zero"
  -f duck.toml cond-yes)
taskrun_e2e(duck_condition_true 0 "cond-yes ran"
  -f duck.toml -e DUCK_WANT=yes cond-yes)
taskrun_e2e(duck_cm_run_task 0 "first a1.*other ran.*back"
  -f duck.toml calls-other -- a1)
taskrun_e2e(unsupported_runner_plans 0 "1\\. duck +script \\(@duckscript\\)"
  -f features.toml --print-steps duck)
taskrun_e2e(list_json 0
  "^\\{\"v\":1,\"event\":\"tasks\",\"tasks\":\\[\\{\"name\":\"default\""
  -f basic.toml --list-all-steps --json)
taskrun_e2e(help 0 "Exit status:.*3 invalid task graph" --help)
taskrun_e2e(task_args 0 "task=args args=one;two words positional=one two words"
            -f basic.toml args -- one "two words")

# Strays in a task's group die with it; daemons (setsid) outlive a
# normal run but not an interrupted one.
add_test(NAME taskrun_e2e_escape COMMAND sh ${TR_DIR}/escape.sh
         $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_escape PROPERTIES LABELS e2e TIMEOUT 60)
taskrun_e2e(env_files 0 "A=from-a B=from-a C=from-def Z=prod"
            -f envfiles/tasks.toml -p production)
taskrun_e2e(on_error_task 7 "init.*failed with exit code 7.*cleanup ran"
            -f onerror.toml)

# SIGKILL leaves taskrun no chance to clean up; its tasks must die anyway.
add_test(NAME taskrun_e2e_sigkill COMMAND sh ${TR_DIR}/sigkill.sh
         $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_sigkill PROPERTIES LABELS e2e TIMEOUT 60)

# A closed stdout (taskrun | head) stops the run instead of running on.
add_test(NAME taskrun_e2e_epipe COMMAND sh ${TR_DIR}/epipe.sh
         $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_epipe PROPERTIES LABELS e2e TIMEOUT 90)

# Several task names run as one graph (a shared once); loose words that
# are not all task names stay arguments (the task_args test above).
taskrun_e2e(several_tasks 0 "plan: 3 steps.*1\\. a .*2\\. b .*3\\. c "
            -f basic.toml --print-steps b c)

# File-level extend: a diamond loads; a loop is refused with its chain.
taskrun_e2e(extend_diamond 0 "d loaded" -f extend/diamond.toml)
taskrun_e2e(extend_cycle 2
  "loop2.toml:1:10: extend cycle: .*/loop.toml -> .*/loop2.toml -> .*/loop.toml"
  -f extend/loop.toml)
taskrun_e2e(env_glob 0 "files=extend/b.toml;extend/c.toml dirs=envfiles;extend deep=envfiles/d.env"
            -f glob.toml)

# duckscript's own test scripts (../shared/duckscript-test) through
# taskrun's interpreter: the files of the commands taskrun implements must
# pass (see taskrun/README.md for the list and for the others).
add_executable(duck_suite ${CMAKE_CURRENT_SOURCE_DIR}/duck_suite.c)
target_link_libraries(duck_suite PRIVATE taskrun_lib)
set(DUCK_SUITE_PASS
  collections/array_contains_test.ds
  collections/array_get_test.ds
  collections/array_is_empty_test.ds
  collections/array_join_test.ds
  collections/array_pop_test.ds
  collections/array_push_test.ds
  collections/array_remove_test.ds
  collections/array_set_test.ds
  collections/array_test.ds
  collections/is_array_test.ds
  collections/is_map_test.ds
  collections/is_set_test.ds
  collections/map_contains_key_test.ds
  collections/map_contains_value_test.ds
  collections/map_is_empty_test.ds
  collections/map_keys_test.ds
  collections/map_remove_test.ds
  collections/map_size_test.ds
  collections/map_test.ds
  collections/range_test.ds
  collections/set_from_array_test.ds
  collections/set_is_empty_test.ds
  collections/set_put_test.ds
  collections/set_remove_test.ds
  collections/set_size_test.ds
  collections/set_to_array_test.ds
  env/which_test.ds
  flowcontrol/flow_control_test.ds
  flowcontrol/for_in_test.ds
  flowcontrol/function_scoped_test.ds
  flowcontrol/goto_test.ds
  flowcontrol/if_else_test.ds
  flowcontrol/while_test.ds
  fs/basename_test.ds
  fs/dirname_test.ds
  fs/exists_test.ds
  fs/glob_array_test.ds
  fs/is_directory_test.ds
  fs/is_file_test.ds
  fs/join_path_test.ds
  math/calc_test.ds
  math/greater_than_test.ds
  math/less_than_test.ds
  noop_test.ds
  not_test.ds
  on_error/trigger_error_test.ds
  print_test.ds
  println_test.ds
  release_test.ds
  string/concat_test.ds
  string/contains_test.ds
  string/ends_with_test.ds
  string/equals_test.ds
  string/indexof_test.ds
  string/is_empty_test.ds
  string/last_indexof_test.ds
  string/length_test.ds
  string/lowercase_test.ds
  string/replace_test.ds
  string/split_test.ds
  string/starts_with_test.ds
  string/substring_test.ds
  string/trim_end_test.ds
  string/trim_start_test.ds
  string/trim_test.ds
  string/uppercase_test.ds
  var/get_by_name_test.ds
  var/set_by_name_test.ds
  var/set_test.ds
  var/unset_test.ds)
add_test(NAME taskrun_duck_suite
         COMMAND duck_suite ${CR_SHARED_DIR}/duckscript-test/test
                 ${DUCK_SUITE_PASS}
         WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(taskrun_duck_suite PROPERTIES LABELS unit TIMEOUT 120)
taskrun_e2e(duck_init_cm_run_task 0
  "init ran.*helper ran.*default ran" -f duck_init.toml)
taskrun_e2e(duck_cm_run_task_loop 1
  "cm_run_task self: cm_run_task nested 16 deep" -f duck_init.toml self)
