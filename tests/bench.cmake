# bench: the statistics and the Go benchmark format (issue 13).
cr_add_cmocka_test(test_bench ${CMAKE_CURRENT_SOURCE_DIR}/test_bench.c
  LIBS bench_harness)

# bench compare on committed synthetic results (tests/bench/*.txt, written
# by tests/bench/gen_synthetic.py): the verdict and the exit status.
set(BENCH_DATA ${CMAKE_CURRENT_SOURCE_DIR}/bench)
function(bench_compare_case name new rc pattern)
  add_test(NAME bench_compare_${name}
    COMMAND sh ${BENCH_DATA}/compare_case.sh $<TARGET_FILE:bench>
            ${BENCH_DATA}/base.txt ${BENCH_DATA}/${new} ${rc} "${pattern}"
            ${ARGN})
  set_tests_properties(bench_compare_${name} PROPERTIES LABELS e2e)
endfunction()
bench_compare_case(identical same.txt 0
  "^Parse/small-2 .* ~ [(]p=1[.]000 n=6[+]6[)]$")
bench_compare_case(twice_slower slower2x.txt 1
  "Parse/small-2 .* [+]100[.][0-9]*% [(]p=0[.]002 n=6[+]6[)] major, at least [+]9[0-9][.][0-9]%$")
bench_compare_case(ten_pct_slower slower10pct.txt 0
  "Parse/small-2 .* [+]10[.][0-9]*% [(]p=0[.]002 n=6[+]6[)] minor, at least [+][5-9][.][0-9]%$")
bench_compare_case(too_few few.txt 0
  "too few samples [(]n=6[+]3, need 4[+]4[)]")
bench_compare_case(engine_not_gated engine2x.txt 0
  "EngineLifecycle-2 .* major [(]not gated[)], at least [+]")
bench_compare_case(allocs_major allocs.txt 1
  "^Parse/small-2 .* [+]50[.]00% [(]p=0[.]002 n=6[+]6[)] major, at least [+]50[.]0%$")
# A per-benchmark threshold: failing starts at 150 % for Parse/..., so
# twice as slow is minor there and the comparison passes.
bench_compare_case(threshold slower2x.txt 0
  "Parse/small-2 .* minor, at least [+]9" --threshold "^Parse/=150")
# --alpha 0.001 is below the smallest p of 6 + 6 samples (2/924 =
# 0.0022): no difference can be significant, everything is "~".
bench_compare_case(alpha slower2x.txt 0
  "Parse/small-2 .* ~ [(]p=0[.]002 n=6[+]6[)]$" --alpha 0.001)
bench_compare_case(csv slower2x.txt 1 "--format=csv")
bench_compare_case(json slower2x.txt 1 "--format=json")

# Every line bench prints is in Go's format (bench check), and every result
# has B/op and allocs/op. The engine-free suites, a fixed iteration count.
add_test(NAME bench_format_check
  COMMAND sh ${BENCH_DATA}/format_check.sh $<TARGET_FILE:bench>)
# ThreadSanitizer makes the taskrun suite some ten times slower.
set_tests_properties(bench_format_check PROPERTIES LABELS e2e TIMEOUT 1500)

# Allocation-failure injection over the reader, compare and renderers.
cr_add_cmocka_test(test_alloc_bench ${CMAKE_CURRENT_SOURCE_DIR}/test_alloc_bench.c
  LIBS bench_harness)
target_compile_definitions(test_alloc_bench PRIVATE
  CR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
