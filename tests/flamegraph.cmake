# flamegraph: collapse/render/diff/top unit tests, the golden comparison
# with stackcollapse-perf.pl's output, the tool's exit codes, the browser
# test of the SVG's script, and the libFuzzer target.
cr_add_cmocka_test(test_flamegraph ${CMAKE_CURRENT_SOURCE_DIR}/test_flamegraph.c
                   LIBS flamegraph_lib)
cr_add_cmocka_test(test_flamegraph_render
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_flamegraph_render.c
                   LIBS flamegraph_lib)
cr_add_cmocka_test(test_flamegraph_record
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_flamegraph_record.c
                   LIBS flamegraph_lib)

# Allocation-failure sweep (tests/test_alloc_fail.h) over the pipeline.
cr_add_cmocka_test(test_alloc_flamegraph
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_alloc_flamegraph.c
                   LIBS flamegraph_lib)

set(fg_dir ${CMAKE_CURRENT_SOURCE_DIR}/flamegraph)
set(fg_shared ${CR_SHARED_DIR}/flamegraph)

# Golden: every recorded input under every option, byte for byte (sorted).
foreach(input user sys dwarf)
  foreach(opt default pid tid kernel addrs)
    add_test(NAME flamegraph_golden_${input}_${opt}
      COMMAND sh ${fg_dir}/golden.sh $<TARGET_FILE:flamegraph> ${fg_shared}
              ${input} ${opt})
    set_tests_properties(flamegraph_golden_${input}_${opt} PROPERTIES
      LABELS e2e PASS_REGULAR_EXPRESSION "^golden ok\n$")
  endforeach()
endforeach()

# The tool's exit codes and error lines.
add_test(NAME flamegraph_e2e
  COMMAND sh ${fg_dir}/e2e.sh $<TARGET_FILE:flamegraph>
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(flamegraph_e2e PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "e2e ok\n$")

# The SVG's zoom, search and URL state in headless Chromium (playwright-core
# from scripts/bootstrap). Skipped (exit 77) only when no browser exists.
add_test(NAME flamegraph_browser
  COMMAND sh ${fg_dir}/browser.sh $<TARGET_FILE:flamegraph>
          ${PROJECT_SOURCE_DIR} ${fg_shared}
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(flamegraph_browser PROPERTIES LABELS "browser;e2e"
  SKIP_RETURN_CODE 77 TIMEOUT 180)

# The fuzz target's checks, replayed over the recorded inputs and the cases.
add_executable(fg_fuzz_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_fg_collapse.c)
target_compile_definitions(fg_fuzz_replay PRIVATE CR_FUZZ_REPLAY)
target_link_libraries(fg_fuzz_replay PRIVATE flamegraph_lib)
add_test(NAME flamegraph_fuzz_replay COMMAND fg_fuzz_replay ${fg_dir}/fuzz)
set_tests_properties(flamegraph_fuzz_replay PROPERTIES LABELS unit TIMEOUT 300)

if(CLEANROOM_FUZZ)
  add_executable(fuzz_fg_collapse ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_fg_collapse.c)
  target_link_libraries(fuzz_fg_collapse PRIVATE flamegraph_lib)
  target_link_options(fuzz_fg_collapse PRIVATE -fsanitize=fuzzer)
endif()

add_test(NAME smoke_flamegraph_version COMMAND flamegraph --version)
set_tests_properties(smoke_flamegraph_version PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "^flamegraph .*cleanroom [0-9]+\\.[0-9]+\\.[0-9]+")

# flamegraph record with the real perf on a small CPU-bound command (fails,
# with perf's error, where perf cannot record), and its error lines and exit
# codes (perf missing, perf_event_paranoid through a stand-in perf, the
# command failing, too few samples).
add_test(NAME flamegraph_record_e2e
  COMMAND sh ${fg_dir}/record.sh $<TARGET_FILE:flamegraph>)
set_tests_properties(flamegraph_record_e2e PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "record ok\n$")
add_test(NAME flamegraph_record_errors
  COMMAND sh ${fg_dir}/record_errors.sh $<TARGET_FILE:flamegraph> ${fg_dir})
set_tests_properties(flamegraph_record_errors PROPERTIES LABELS e2e TIMEOUT 120
  PASS_REGULAR_EXPRESSION "record errors ok\n$")

# The system-wide profile of clnrm self-test (the real engine): roots for
# clnrm and the engine's daemons, and the report's unknown share.
add_test(NAME flamegraph_record_selftest
  COMMAND sh ${fg_dir}/record_selftest.sh $<TARGET_FILE:flamegraph>
          $<TARGET_FILE:clnrm>)
set_tests_properties(flamegraph_record_selftest PROPERTIES
  LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 300
  RESOURCE_LOCK clnrm_sweep PASS_REGULAR_EXPRESSION "record selftest ok\n$")
