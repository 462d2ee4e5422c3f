# Fuzz targets under tests/fuzz/ (README.md there): one per parser of
# outside input. Each NAME has tests/fuzz/fuzz_NAME.c (the entry point),
# a committed seed corpus in tests/fuzz/NAME/corpus/, the inputs of crashes
# it found in tests/fuzz/NAME/regressions/ and a dictionary NAME.dict.
#
# Every build gets NAME_fuzz_replay (unit): the entry point linked with
# fuzz_replay.c instead of libFuzzer, run over the corpus and regressions,
# so the gcc and ASan builds exercise them. CLEANROOM_FUZZ=ON (clang) also
# builds the libFuzzer binary fuzz_NAME; `taskrun fuzz` runs them all.
set(fuzz_dir ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)

function(cr_add_fuzz name)
  cmake_parse_arguments(F "" "" "LIBS" ${ARGN})
  set(src ${fuzz_dir}/fuzz_${name}.c)
  add_executable(${name}_fuzz_replay ${src} ${fuzz_dir}/fuzz_replay.c)
  target_link_libraries(${name}_fuzz_replay PRIVATE ${F_LIBS})
  set(dirs ${fuzz_dir}/${name}/corpus)
  if(EXISTS ${fuzz_dir}/${name}/regressions)
    list(APPEND dirs ${fuzz_dir}/${name}/regressions)
  endif()
  add_test(NAME ${name}_fuzz_replay COMMAND ${name}_fuzz_replay ${dirs})
  set_tests_properties(${name}_fuzz_replay PROPERTIES LABELS unit TIMEOUT 300
    PASS_REGULAR_EXPRESSION "${name}_fuzz_replay: [1-9][0-9]* inputs")
  if(CLEANROOM_FUZZ)
    add_executable(fuzz_${name} ${src})
    target_link_libraries(fuzz_${name} PRIVATE ${F_LIBS})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  endif()
endfunction()

cr_add_fuzz(clnrm_load LIBS clnrm_lib)
cr_add_fuzz(taskrun_load LIBS taskrun_lib)
cr_add_fuzz(slo_config LIBS slo_lib)
cr_add_fuzz(engine_json LIBS engine)
cr_add_fuzz(demux LIBS engine)
cr_add_fuzz(bench_compare LIBS bench_harness)

# The broken-input corpus (tests/broken/, table in expected.txt): every
# case gives its documented exit status and one positioned line, and none
# crashes. The `run` cases need the engine (missing image, volume source).
add_test(NAME broken_inputs
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/broken/check.py
          ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR})
set_tests_properties(broken_inputs PROPERTIES LABELS e2e TIMEOUT 300
  PASS_REGULAR_EXPRESSION "broken inputs: [1-9][0-9]* checked, 0 failed")
add_test(NAME broken_inputs_engine
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/broken/check.py
          ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR} --engine)
set_tests_properties(broken_inputs_engine PROPERTIES LABELS integration
  FIXTURES_REQUIRED clnrm_base TIMEOUT 300
  PASS_REGULAR_EXPRESSION "broken inputs: [1-9][0-9]* checked, 0 failed")

# Memcheck over the tools (tests/valgrind/run.sh): no memory error and no
# definite leak. Only in a plain build: valgrind cannot run a sanitized one.
if(NOT (CLEANROOM_SANITIZE OR CLEANROOM_TSAN OR CLEANROOM_FUZZ))
  foreach(case validate_broken taskrun_parallel slo_check selftest
          run_examples)
    set(label e2e)
    if(case STREQUAL selftest OR case STREQUAL run_examples)
      set(label integration)
    endif()
    add_test(NAME valgrind_${case}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/valgrind/run.sh
              ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR} ${case})
    set_tests_properties(valgrind_${case} PROPERTIES LABELS ${label}
      TIMEOUT 900 PASS_REGULAR_EXPRESSION "valgrind ${case}: clean")
    if(label STREQUAL integration)
      set_tests_properties(valgrind_${case} PROPERTIES
        FIXTURES_REQUIRED clnrm_base RESOURCE_LOCK clnrm_sweep)
    endif()
  endforeach()
endif()
