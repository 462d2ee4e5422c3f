# Engine client: demultiplexer, DOCKER_HOST parsing and tar writer (unit),
# and the client against the real Docker engine (integration).
cr_add_cmocka_test(test_demux ${CMAKE_CURRENT_SOURCE_DIR}/test_demux.c
                   LIBS clnrm_lib)
cr_add_cmocka_test(test_engine_unit
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_unit.c
                   LIBS clnrm_lib)
cr_add_cmocka_test(test_engine ${CMAKE_CURRENT_SOURCE_DIR}/test_engine.c
                   LIBS clnrm_lib LABEL integration)
cr_add_cmocka_test(test_engine_more
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_more.c
                   LIBS clnrm_lib LABEL integration)
cr_add_cmocka_test(test_engine_tls
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_tls.c
                   LIBS clnrm_lib LABEL integration)
