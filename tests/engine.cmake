# Engine client: demultiplexer, DOCKER_HOST parsing and tar writer (unit),
# and the client against the real Docker engine (integration).
cr_add_cmocka_test(test_demux ${CMAKE_CURRENT_SOURCE_DIR}/test_demux.c
                   LIBS engine)
cr_add_cmocka_test(test_engine_unit
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_unit.c
                   LIBS engine)
cr_add_cmocka_test(test_engine ${CMAKE_CURRENT_SOURCE_DIR}/test_engine.c
                   LIBS engine LABEL integration)
cr_add_cmocka_test(test_engine_more
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_more.c
                   LIBS engine LABEL integration)
cr_add_cmocka_test(test_engine_tls
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_tls.c
                   LIBS engine LABEL integration)

# `clnrm image`, as scripts/bootstrap uses it: --help must succeed, and a
# quiet bootstrap of an existing image prints nothing.
add_test(NAME e2e_clnrm_image_help COMMAND clnrm image --help)
set_tests_properties(e2e_clnrm_image_help PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "clnrm image bootstrap")
add_test(NAME e2e_clnrm_image_bootstrap
  COMMAND sh -c "$<TARGET_FILE:clnrm> image bootstrap --quiet && $<TARGET_FILE:clnrm> image bootstrap --quiet | wc -c")
set_tests_properties(e2e_clnrm_image_bootstrap PROPERTIES
  LABELS "e2e;integration" PASS_REGULAR_EXPRESSION "^0\n$")
add_test(NAME e2e_clnrm_image_dead_daemon
  COMMAND sh -c "DOCKER_HOST=unix:///nonexistent.sock $<TARGET_FILE:clnrm> image bootstrap; echo status=$?")
set_tests_properties(e2e_clnrm_image_dead_daemon PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running.*status=3")
cr_add_cmocka_test(test_engine_fake
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_fake.c
                   LIBS engine)
target_sources(test_engine_fake PRIVATE
               ${CMAKE_CURRENT_SOURCE_DIR}/fake_http.c)

# libcurl is loaded with dlopen by the commands that need the engine
# (engine/engine_curl.h): no binary may list it among its NEEDED libraries,
# or every start pays for its thirty-odd dependencies again.
foreach(tool clnrm slo bench taskrun)
  add_test(NAME e2e_${tool}_no_libcurl_needed
    COMMAND sh -c "readelf -d $<TARGET_FILE:${tool}> | grep NEEDED")
  set_tests_properties(e2e_${tool}_no_libcurl_needed PROPERTIES LABELS e2e
    PASS_REGULAR_EXPRESSION "\\[libc[.]so" FAIL_REGULAR_EXPRESSION "libcurl")
endforeach()
