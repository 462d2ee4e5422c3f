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
