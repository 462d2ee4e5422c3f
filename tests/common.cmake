# libcleanroom helpers (buffers, files, clocks) and a smoke test per binary.
cr_add_cmocka_test(test_common ${CMAKE_CURRENT_SOURCE_DIR}/test_common.c
                   LIBS cleanroom)

foreach(bin clnrm taskrun slo bench)
  add_test(NAME smoke_${bin}_version COMMAND ${bin} --version)
  set_tests_properties(smoke_${bin}_version PROPERTIES LABELS e2e
    PASS_REGULAR_EXPRESSION "^${bin} .*cleanroom [0-9]+\\.[0-9]+\\.[0-9]+")
endforeach()
