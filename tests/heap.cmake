# heap: the heaptrack reader. Parser and folded stacks on outputs recorded
# with heaptrack 1.4 under tests/heap/ (unit), the fuzz target's checks
# replayed over them, and the libFuzzer target.
set(heap_data ${CMAKE_CURRENT_SOURCE_DIR}/heap)
cr_add_cmocka_test(test_heap ${CMAKE_CURRENT_SOURCE_DIR}/test_heap.c
                   LIBS heap)
target_compile_definitions(test_heap PRIVATE HEAP_DATA_DIR="${heap_data}")

add_executable(heap_fuzz_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_heap_print.c)
target_compile_definitions(heap_fuzz_replay PRIVATE CR_FUZZ_REPLAY)
target_link_libraries(heap_fuzz_replay PRIVATE heap)
file(GLOB heap_recorded CONFIGURE_DEPENDS ${heap_data}/*.txt
     ${heap_data}/*.folded)
add_test(NAME heap_fuzz_replay COMMAND heap_fuzz_replay ${heap_recorded})
set_tests_properties(heap_fuzz_replay PROPERTIES LABELS unit
  PASS_REGULAR_EXPRESSION "heap_fuzz_replay: [1-9][0-9]* inputs")

if(CLEANROOM_FUZZ)
  add_executable(fuzz_heap_print ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_heap_print.c)
  target_link_libraries(fuzz_heap_print PRIVATE heap)
  target_link_options(fuzz_heap_print PRIVATE -fsanitize=fuzzer)
endif()

# A program that leaks 5 x 1000 bytes and exits with its argument, for the
# `slo memory` tests in tests/slo.cmake. Never instrumented: heaptrack's
# preloaded malloc cannot wrap an AddressSanitizer or ThreadSanitizer
# program (heaptrack then hangs), so the sanitizer builds profile this one
# instead of clnrm (see heap_profiled in tests/slo.cmake).
add_executable(heap_leaky ${CMAKE_CURRENT_SOURCE_DIR}/heap_leaky.c)
if(CLEANROOM_SANITIZE OR CLEANROOM_TSAN OR CLEANROOM_FUZZ)
  target_compile_options(heap_leaky PRIVATE -fno-sanitize=all)
  target_link_options(heap_leaky PRIVATE -fno-sanitize=all)
endif()
