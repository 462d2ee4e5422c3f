# cr_toml: unit tests, the toml-test decoder and its conformance run, and the
# libFuzzer target.
add_executable(toml-decode ${CMAKE_CURRENT_SOURCE_DIR}/toml_decode.c)
target_link_libraries(toml-decode PRIVATE cleanroom m)
set_target_properties(toml-decode PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

add_test(NAME toml_conformance
  COMMAND ${Python3_EXECUTABLE} ${CR_SHARED_DIR}/toml-test/run.py
          $<TARGET_FILE:toml-decode>)
set_tests_properties(toml_conformance PROPERTIES LABELS conformance
  TIMEOUT 600)

cr_add_cmocka_test(test_toml ${CMAKE_CURRENT_SOURCE_DIR}/test_toml.c
                   LIBS cleanroom m)

# The fuzz target's checks, replayed over the shared cases as a seed corpus.
add_executable(toml_fuzz_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_toml.c)
target_compile_definitions(toml_fuzz_replay PRIVATE CR_FUZZ_REPLAY)
target_link_libraries(toml_fuzz_replay PRIVATE cleanroom)
add_test(NAME toml_fuzz_replay
  COMMAND toml_fuzz_replay ${CR_SHARED_DIR}/toml-test/cases
          ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/toml/corpus)
set_tests_properties(toml_fuzz_replay PROPERTIES LABELS unit TIMEOUT 300)

if(CLEANROOM_FUZZ)
  add_executable(fuzz_toml ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_toml.c)
  target_link_libraries(fuzz_toml PRIVATE cleanroom)
  target_link_options(fuzz_toml PRIVATE -fsanitize=fuzzer)
endif()

# The bench harness prints Go benchmark lines that benchstat can read.
add_test(NAME bench_toml_format
  COMMAND bench toml -filter tasks -benchtime 1)
set_tests_properties(bench_toml_format PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION
  "pkg: cleanroom/toml\ncpu: [^\n]+\nBenchmarkTomlParse/tasks-[0-9]+ *\t +[0-9]+\t +[0-9.]+ ns/op\t +[0-9.]+ MB/s")
