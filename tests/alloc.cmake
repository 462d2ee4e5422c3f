# Allocation-failure injection (tests/test_alloc_fail.h): each program fails
# the Nth allocation of one area's loaders, writers or engine calls for
# N = 0, 1, 2, ... until the call succeeds, and checks every failure is a
# clean out-of-memory error (leaks are ASan's to find).
set(alloc_areas toml:cleanroom clnrm:clnrm_lib slo:slo_lib engine:engine)
foreach(pair ${alloc_areas})
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 area)
  list(GET pair 1 lib)
  cr_add_cmocka_test(test_alloc_${area}
                     ${CMAKE_CURRENT_SOURCE_DIR}/test_alloc_${area}.c
                     LIBS ${lib})
  target_compile_definitions(test_alloc_${area} PRIVATE
                             CR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endforeach()
# The engine's sweep talks to the canned-reply fake engine.
target_sources(test_alloc_engine PRIVATE
               ${CMAKE_CURRENT_SOURCE_DIR}/fake_http.c)
