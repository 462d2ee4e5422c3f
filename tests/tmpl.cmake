# tmpl: the template renderer's unit tests and its fuzz target (replayed
# over the examples and the Rust clnrm's files as a seed corpus).
cr_add_cmocka_test(test_tmpl ${CMAKE_CURRENT_SOURCE_DIR}/test_tmpl.c
                   LIBS tmpl)

add_executable(tmpl_fuzz_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_tmpl.c)
target_compile_definitions(tmpl_fuzz_replay PRIVATE CR_FUZZ_REPLAY)
target_link_libraries(tmpl_fuzz_replay PRIVATE tmpl)
add_test(NAME tmpl_fuzz_replay
  COMMAND tmpl_fuzz_replay ${PROJECT_SOURCE_DIR}/examples
          ${CMAKE_CURRENT_SOURCE_DIR}/tmpl ${CR_SHARED_DIR}/clnrm-files)
set_tests_properties(tmpl_fuzz_replay PROPERTIES LABELS unit TIMEOUT 300)

if(CLEANROOM_FUZZ)
  add_executable(fuzz_tmpl ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_tmpl.c)
  target_link_libraries(fuzz_tmpl PRIVATE tmpl)
  target_link_options(fuzz_tmpl PRIVATE -fsanitize=fuzzer)
endif()

# The loader's side: rendering before parsing, positions mapped back.
cr_add_cmocka_test(test_clnrm_tmpl ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_tmpl.c
                   LIBS clnrm_lib)
