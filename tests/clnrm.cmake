# clnrm: loader, regex, discovery, reports (unit); the binary against the
# real engine (integration).
foreach(t spec regex discover report runner)
  cr_add_cmocka_test(test_clnrm_${t}
                     ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_${t}.c
                     LIBS clnrm_lib)
endforeach()
