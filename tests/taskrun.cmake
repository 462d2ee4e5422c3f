# taskrun and the shared process layer (cr_proc).
cr_add_cmocka_test(test_proc ${CMAKE_CURRENT_SOURCE_DIR}/test_proc.c
                   LIBS cleanroom)
