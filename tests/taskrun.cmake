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

# Scale: 50,000-task chains, a 20,000-task fan-out and 20,000 [env]
# entries plan and run under a small stack (no recursion as deep as the
# input). The bench suite "taskrun" keeps their cost linear.
add_test(NAME taskrun_e2e_scale COMMAND sh ${TR_DIR}/scale.sh
         $<TARGET_FILE:taskrun> ${TR_DIR}/gen_big.sh)
set_tests_properties(taskrun_e2e_scale PROPERTIES LABELS e2e TIMEOUT 300)

# The taskrun suite sets up (its generated makefiles load and plan) and
# prints its lines; one quick measurement, no timing is judged here.
add_test(NAME bench_taskrun_runs
  COMMAND bench taskrun -filter PlanFan20k -benchtime 1)
set_tests_properties(bench_taskrun_runs PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION
  "pkg: cleanroom/taskrun\ncpu: [^\n]+\nBenchmarkPlanFan20k-[0-9]+ *\t +[0-9]+\t +[0-9.]+ ns/op")

# A missing extended file is an error at its extend (issue 11); only
# { path, optional = true } may be missing.
taskrun_e2e(extend_missing 2
  "^taskrun: extend/missing.toml:2:10: extended file .*/extend/bad.toml: No such file or directory$"
  -f extend/missing.toml)
taskrun_e2e(extend_optional_missing 0 "optional ok" -f extend/optional.toml)

# No silent success (issue 11): a dependency, alias or run_task naming no
# task fails before anything runs, at the reference; --json says so too.
taskrun_e2e(missing_core_dep 3
  "^taskrun: nocore.toml:8:17: task \"build\" not found, needed by \"ci-flow2\" \\(a cargo-make core task, left out by \\[config\\] skip_core_tasks = true\\)$"
  -f nocore.toml ci-flow2)
taskrun_e2e(missing_core_dep_json 3
  "\"event\":\"error\",\"message\":\"nocore.toml:8:17: task .*not found"
  -f nocore.toml --json ci-flow2)
taskrun_e2e(missing_alias 3
  "^taskrun: nocore.toml:11:9: task \"nothing-here\" not found, needed by \"alias-to-nothing\"$"
  -f nocore.toml alias-to-nothing)
taskrun_e2e(missing_run_task 3
  "^taskrun: nocore.toml:16:12: task \"nothing-here\" not found, needed by \"route-to-nothing\"$"
  -f nocore.toml route-to-nothing)
taskrun_e2e(missing_default 3
  "^taskrun: task \"default\" not found \\(a cargo-make core task, left out by \\[config\\] skip_core_tasks = true\\)$"
  -f nocore.toml)
taskrun_e2e(missing_on_error_task 3
  "^taskrun: \\[config\\] on_error_task: task \"cleanup\" not found \\(did you mean \"clean\"\\?\\)$"
  -f onerror_missing.toml)
# Core tasks (issue 11): cargo-make's built-in tasks beneath the file's.
# modify_core_tasks: namespaced (references too) and private.
taskrun_e2e(core_modify_namespace 0
  "4\\. core::format-flow +\\(no action\\) +\\[after: core::pre-format, core::format, core::post-format\\].*5\\. build +command: echo mine"
  -f core_modify.toml --print-steps flow)
taskrun_e2e(core_modify_private 3 "task \"core::build\" is private"
  -f core_modify.toml core::build)
taskrun_e2e(core_modify_env 0 "ns=core prefix=core::" -f core_modify.toml ns)
taskrun_e2e(core_modify_type 2
  "^taskrun: core_modify_bad.toml:2:33: \"private\" must be a boolean, not a string$"
  -f core_modify_bad.toml)
taskrun_e2e(core_dep_plans_build 0
  "^  1\\. build  command: cargo build @@remove-empty\\(CARGO_MAKE_CARGO_VERBOSE_FLAGS\\) @@split\\(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, \\)$"
  -f core.toml --print-steps rel)
taskrun_e2e(core_default_is_dev_test_flow 0
  "^ 13\\. dev-test-flow  .*\\[after: format-flow, pre-build, build, post-build, test-flow\\]$"
  -f core.toml --print-steps)
taskrun_e2e(core_listed 0 "^build - cargo build \\[core\\]$"
  -f core.toml --list-all-steps)
taskrun_e2e(core_listed_json 0 "\"name\":\"clippy\",.*\"core\":true"
  -f core.toml --list-all-steps --json)
# A bare run runs dev-test-flow; build keeps the core args and [env].
# CI=true adds --verbose (cargo-make's CARGO_MAKE_CI): both ways pinned.
add_test(NAME taskrun_e2e_core_default_runs
         COMMAND sh ${TR_DIR}/check.sh 0 "^build --all-features$"
                 env -u CI $<TARGET_FILE:taskrun> -f core_run.toml)
set_tests_properties(taskrun_e2e_core_default_runs PROPERTIES LABELS e2e
                     TIMEOUT 120)
add_test(NAME taskrun_e2e_core_default_runs_ci
         COMMAND sh ${TR_DIR}/check.sh 0 "^build --verbose --all-features$"
                 env CI=true $<TARGET_FILE:taskrun> -f core_run.toml)
set_tests_properties(taskrun_e2e_core_default_runs_ci PROPERTIES LABELS e2e
                     TIMEOUT 120)
taskrun_e2e(core_default_runs_test 0 "^test-ran$" -f core_run.toml)
# A default of the file's own is no alias of dev-test-flow.
taskrun_e2e(core_own_default 0 "^  1\\. default  command: echo own-default$"
  -f core_default.toml --print-steps)
taskrun_e2e(condition_type_error 2
  "^taskrun: condtype.toml:4:25: \"env_set\" must be an array, not a string$"
  -f condtype.toml)
taskrun_e2e(skip_tasks_before_lookup 0
  "skip.*part1-b.*part2 ran.*flow ran"
  -f skip.toml --json --skip-tasks "part1.*" flow)
taskrun_e2e(env_cycle_position 2
  "^taskrun: envcycle.toml:3:1: env cycle: \"A\" refers to itself through other variables$"
  -f envcycle.toml)
taskrun_e2e(nul_in_string 2
  "^taskrun: nul.toml:5:9: a string with a NUL character \\(\\\\u0000\\) inside is not supported$"
  -f nul.toml)
taskrun_e2e(cwd_missing 4
  "cwd_missing.toml:2:8: task \"default\": cannot change to its cwd \"/nonexistent-taskrun-cwd\": No such file or directory"
  -f cwd_missing.toml)

# Cross-file dependencies (issue 11): { name, path } runs the task of that
# makefile (relative to the referencing file) with its own [env] and
# directory; a missing task or file there is an error before anything runs.
taskrun_e2e(xfile_dep 0
  "helper ran as sub.*fromext ran as sub in sub.*main ran as main"
  -f xfile/main.toml)
taskrun_e2e(xfile_missing_task 3
  "^taskrun: xfile/missing_task.toml:3:17: dependency \"sub/e.toml:nope\": .*/xfile/sub/e.toml: task \"nope\" not found"
  -f xfile/missing_task.toml)
taskrun_e2e(xfile_missing_file 2
  "^taskrun: xfile/missing_file.toml:3:38: makefile \"sub/none.toml\" of dependency \"x\": No such file or directory$"
  -f xfile/missing_file.toml)
taskrun_e2e(xfile_loop 3
  "loop_a.toml:3:17: dependency \"loop_b.toml:default\": cross-file dependencies nest deeper than 16"
  -f xfile/loop_a.toml)
taskrun_e2e(xfile_loop_nested 3
  "loop_a.toml:3:17: dependency \"loop_b.toml:default\": cross-file dependencies nest deeper than 16"
  -e TR=$<TARGET_FILE:taskrun> -f xfile/nested.toml)

# channels and rust_version from the installed rustc (issue 11): a fake
# rustc from tests/taskrun/rustc/ first on PATH, or none at all.
function(taskrun_e2e_path name status regex path)
  add_test(NAME taskrun_e2e_${name}
           COMMAND sh ${TR_DIR}/check.sh ${status} "${regex}"
                   env PATH=${path} $<TARGET_FILE:taskrun> ${ARGN})
  set_tests_properties(taskrun_e2e_${name} PROPERTIES LABELS e2e TIMEOUT 120)
endfunction()
taskrun_e2e_path(rust_nightly 0 "nightly ran.*old ran"
  ${TR_DIR}/rustc/nightly:/usr/bin:/bin -f rust.toml)
taskrun_e2e_path(rust_stable 0
  "skipped \"nightly-only\": condition not met \\(rust channel is stable\\).*skipped \"old-rust\": condition not met \\(rustc is 1.40.0, not max 1.30.0\\)"
  ${TR_DIR}/rustc/stable:/usr/bin:/bin -f rust.toml)
taskrun_e2e_path(rust_missing 0
  "skipped \"nightly-only\": condition not met \\(no rustc on PATH\\)"
  /nonexistent-taskrun-path:/usr/bin:/bin -f rust.toml)

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
  process/exec_test.ds
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

# cargo-make behaviours of issue 11 (fixtures in compat.toml).
taskrun_e2e(env_cli_precedence 0 "A=cli B=cli-b"
            -f compat.toml -e A=cli env-cli)
taskrun_e2e(profile_lowercase 0 "profile=production P=prod"
            -f compat.toml -p PRODUCTION profile)
taskrun_e2e(cleanup_task 5
  "step fails.*failed with exit code 5.*cleanup ran"
  -f compat.toml flow)
taskrun_e2e(cleanup_task_keep_going 5 "cleanup ran.*failure summary"
  -f compat.toml -j 2 -k flow)
taskrun_e2e(extended_script 0 "(^| )start new end $"
            -f compat.toml extended-script --output raw)

# cargo-make's listing and logging flags.
taskrun_e2e(flag_quiet 0 "^profile=development P= $"
            -f compat.toml --quiet profile)
taskrun_e2e(flag_silent_error 3 "^$" -f compat.toml --silent nope)
taskrun_e2e(flag_verbose 0 "\"profile\" runs: echo profile=development P="
            -f compat.toml -v profile)
taskrun_e2e(flag_loglevel_bad 2 "--loglevel is verbose, info, error or off"
            -f compat.toml -l loud profile)
taskrun_e2e(flag_no_color 0 "color=1" -f compat.toml --no-color color)
taskrun_e2e(flag_output_format_markdown 0
  "^## Hooks  \\* \\*\\*deploy\\*\\* - Ships it\\. Then more words\\. \\* \\*\\*empty\\*\\* "
  -f compat.toml --list-category-steps Hooks --output-format markdown)
taskrun_e2e(flag_output_format_page 0 "^# Task List  ## Hooks  \\* \\*\\*deploy"
  -f compat.toml --list-all-steps --output-format markdown-single-page)
taskrun_e2e(flag_output_format_sub 0 "^### Hooks  \\* \\*\\*deploy"
  -f compat.toml --list-all-steps --output-format markdown-sub-section)
taskrun_e2e(flag_output_format_short 0 "^deploy - Ships it$"
  -f compat.toml --list-category-steps Hooks --output-format short-description)
taskrun_e2e(flag_output_format_autocomplete 0
  "^deploy empty init post-build pre-build base-script cleanup "
  -f compat.toml --list-all-steps --output-format autocomplete)
taskrun_e2e(flag_output_format_bad 2 "--output-format is default, short-description"
  -f compat.toml --list-all-steps --output-format html)
taskrun_e2e(flag_hide_uninteresting 0 "^deploy $"
  -f compat.toml --list-category-steps Hooks --hide-uninteresting
  --output-format autocomplete)
# --diff-steps: the core tasks' plan against the file's, through git diff.
taskrun_e2e(flag_diff_steps 0
  " -  1\\. build  command: cargo build @@.* \\+  1\\. build  command: echo own-build "
  -f diffsteps.toml --diff-steps build)
add_test(NAME taskrun_e2e_flag_diff_steps_same
         COMMAND sh ${TR_DIR}/check.sh 0 "^no-diff-lines$"
                 sh -c "out=$(\"$0\" -f diffsteps.toml --diff-steps format) && ( printf '%s\\n' \"$out\" | grep -q '^[-+]' || echo no-diff-lines )"
                 $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_flag_diff_steps_same PROPERTIES LABELS e2e
                     TIMEOUT 120)
taskrun_e2e(flag_diff_steps_file_only 0
  "note: the built-in flow has no task \"extra\".* \\+  1\\. extra  command: echo extra "
  -f diffsteps.toml --diff-steps extra)
taskrun_e2e(flag_diff_steps_skip_core 0
  "note: the built-in flow is empty: \\[config\\] skip_core_tasks = true.* \\+  2\\. b "
  -f basic.toml --diff-steps b)
taskrun_e2e(flag_diff_steps_missing 3 "^taskrun: task \"nope\" not found"
  -f diffsteps.toml --diff-steps nope)
add_test(NAME taskrun_e2e_flag_diff_steps_no_git
         COMMAND sh ${TR_DIR}/check.sh 4
                 "^taskrun: --diff-steps needs git \\(apt-get install git\\)$"
                 env PATH=/nonexistent $<TARGET_FILE:taskrun>
                 -f diffsteps.toml --diff-steps build)
set_tests_properties(taskrun_e2e_flag_diff_steps_no_git PROPERTIES LABELS e2e
                     TIMEOUT 120)
taskrun_e2e(cleanup_task_plan 0
  "4\\. cleanup +command: echo cleanup ran \\(cleanup_task: runs even after a failure\\) +\\[after: step-fail\\]"
  -f compat.toml --print-steps flow)
# The heaptrack job kind runs BIN memory --out OUTPUT ARGS (slo memory).
taskrun_e2e(job_heaptrack 0
            "^memory --out \\.cleanroom/memory/mem --config slo\\.toml$"
            -f heaptrack.toml mem)
taskrun_e2e(job_heaptrack_output 0 "^memory --out out/m -- ls -l$"
            -f heaptrack.toml mem-out)

# cargo-make's `watch` key through the watch library.
add_test(NAME taskrun_e2e_watch
         COMMAND ${Python3_EXECUTABLE} ${TR_DIR}/watch_e2e.py
                 $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_watch PROPERTIES LABELS e2e TIMEOUT 120)
# The profile job kind runs FLAMEGRAPH record [options] --out DIR --name
# NAME -- COMMAND (flamegraph/README.md, "record").
taskrun_e2e(job_profile 0
  "^record --out \\.cleanroom/profile --name prof -- ls -l$"
  -f profile.toml prof)
taskrun_e2e(job_profile_options 0
  "^record --system-wide --call-graph fp -F 499 --only clnrm,dockerd --out out/p --name st -- clnrm self-test$"
  -f profile.toml prof-all)
taskrun_e2e(job_profile_expand 0
  "^record --call-graph dwarf,16384 --out \\.cleanroom/profile --name n499 -- sh -c run 499$"
  -f profile.toml prof-expand)
taskrun_e2e(job_profile_bad_wide 2
  "profile_bad_wide.toml:7:[0-9]+: \"system_wide\" must be true or false"
  -f profile_bad_wide.toml wide)
taskrun_e2e(job_profile_bad_call_graph 2
  "profile_bad_cg.toml:7:[0-9]+: \"call_graph\" must be \"fp\", \"dwarf\" or \"dwarf,BYTES\""
  -f profile_bad_cg.toml cg)
taskrun_e2e(job_profile_bad_frequency 2
  "profile_bad_hz.toml:7:[0-9]+: \"frequency\" must be an integer from 1 to 100000"
  -f profile_bad_hz.toml hz)

# Issue 17: shell metacharacters in tasks.toml values stay literal (argv).
taskrun_e2e(metachar_literal 0
  "<\\$\\(touch pwned\\); `touch pwned2` \\| cat && echo x > out\\.txt \\*><a;b\\|c \\$HOME>"
  -f metachar.toml literal)

# Ctrl-C (by a pseudo-terminal, and as SIGINT to the process group) while
# a watch task's command runs: it stops the command and taskrun, and
# nothing is left running (tests/taskrun/watch_sigint.py).
add_test(NAME taskrun_e2e_watch_sigint
         COMMAND ${Python3_EXECUTABLE} ${TR_DIR}/watch_sigint.py
                 $<TARGET_FILE:taskrun>)
set_tests_properties(taskrun_e2e_watch_sigint PROPERTIES LABELS e2e
                     TIMEOUT 240)
