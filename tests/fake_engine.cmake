# The scripted fake Docker engine (tests/fake_engine.h) and the runner
# driven through it: every error path a live engine rarely takes, no
# Docker needed (unit).
add_library(fake_engine STATIC ${CMAKE_CURRENT_SOURCE_DIR}/fake_engine.c
                               ${CMAKE_CURRENT_SOURCE_DIR}/fake_engine_routes.c)
target_include_directories(fake_engine PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(fake_engine PUBLIC Threads::Threads)

cr_add_cmocka_test(test_clnrm_runner_fake
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_runner_fake.c
                   LIBS clnrm_lib fake_engine)

# The `clnrm dev` session against the fake engine on a temporary directory.
cr_add_cmocka_test(test_clnrm_dev_fake
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_dev_fake.c
                   LIBS clnrm_lib fake_engine)
# Issue 19: builds from a Dockerfile, keep-on-failure and clean.
cr_add_cmocka_test(test_clnrm_compat
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_compat.c
                   LIBS clnrm_lib fake_engine)

# Engine calls per test, counted exactly (issue 15).
cr_add_cmocka_test(test_clnrm_speed_fake
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_speed_fake.c
                   LIBS clnrm_lib fake_engine)

# depends_on start-up order and requested host ports (issue 19).
cr_add_cmocka_test(test_clnrm_order_fake
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_order_fake.c
                   LIBS clnrm_lib fake_engine)
