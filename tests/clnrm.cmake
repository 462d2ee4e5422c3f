# clnrm: loader, regex, discovery, reports (unit); the binary against the
# real engine (integration).
foreach(t spec regex discover report runner cli)
  cr_add_cmocka_test(test_clnrm_${t}
                     ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_${t}.c
                     LIBS clnrm_lib)
endforeach()

# The binary end to end (tests/clnrm/e2e.py). Integration cases need the
# engine and the base image, which the first one builds.
add_test(NAME engine_baseimage_bootstrap
         COMMAND clnrm image bootstrap --quiet)
set_tests_properties(engine_baseimage_bootstrap PROPERTIES
  LABELS integration FIXTURES_SETUP clnrm_base TIMEOUT 300)
foreach(case examples failing missing_image timeout sigint sigterm sigkill selftest
        rust_files init_run fail_fast service_exits ports
        log_readiness_exit missing_volume)
  add_test(NAME clnrm_e2e_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/e2e.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_e2e_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 600
    # Every run sweeps orphans of dead runs at its start, which would race
    # with the SIGKILL case checking that its orphans exist.
    RESOURCE_LOCK clnrm_sweep)
endforeach()
foreach(case validate cli init_never_overwrites templates)
  add_test(NAME clnrm_e2e_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/e2e.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_e2e_${case} PROPERTIES LABELS e2e TIMEOUT 120)
endforeach()

# `clnrm dev` end to end against the engine (tests/clnrm/e2e_dev.py),
# driven through its JSON event stream.
foreach(case edit mount break_fix new_file two_files once run_watch only
        timebox cancel sigint sigkill)
  add_test(NAME clnrm_dev_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/e2e_dev.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_dev_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 300
    RESOURCE_LOCK clnrm_sweep)
endforeach()
# What the Rust clnrm's users rely on (issue 19): tests/clnrm/compat.py.
foreach(case rust_keys short_forms fmt lint dry_run plugins report_diff)
  add_test(NAME clnrm_compat_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/compat.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_compat_${case} PROPERTIES LABELS e2e TIMEOUT 120)
endforeach()
foreach(case record_diff keep_clean build entrypoint ready_crash depends_order
             host_port)
  add_test(NAME clnrm_compat_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/compat.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_compat_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 600
    RESOURCE_LOCK clnrm_sweep)
endforeach()

# Security and faults (issue 17): secret masking (unit) and
# tests/clnrm/security.py, whose fault cases put tests/clnrm/fault_proxy.py
# between clnrm and the engine.
cr_add_cmocka_test(test_clnrm_mask ${CMAKE_CURRENT_SOURCE_DIR}/test_clnrm_mask.c
                   LIBS clnrm_lib)
# --engine-timeout's engine side, against the fake engine (fake_engine.cmake).
cr_add_cmocka_test(test_engine_call_timeout
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_engine_call_timeout.c
                   LIBS clnrm_lib fake_engine)
foreach(case engine_unreachable security_flags engine_env)
  add_test(NAME clnrm_security_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/security.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_security_${case} PROPERTIES LABELS e2e
                       TIMEOUT 120)
endforeach()
foreach(case connection_cut slow_engine garbage_json truncated_json
        report_unwritable report_disk_full masking shell_literal
        host_namespaces)
  add_test(NAME clnrm_security_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/security.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_security_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 300
    RESOURCE_LOCK clnrm_sweep)
endforeach()

# Engine calls per test and leftovers of `clnrm run` against the engine
# (tests/clnrm/e2e_speed.py, issue 15).
foreach(case calls leftovers outcomes sigint sigkill)
  add_test(NAME clnrm_speed_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/e2e_speed.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_speed_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 300
    RESOURCE_LOCK clnrm_sweep)
endforeach()

# Reliability against the engine (tests/clnrm/e2e_rel.py, issue 17):
# timeouts and OOM kills, 200 tests at -j 16 three times (leftovers, peak
# RSS), SIGINT/SIGTERM during 50 tests, SIGKILL at many moments. The
# 50 MB RSS bound is the Release build's: a sanitizer's shadow memory makes
# RSS meaningless, so there it is printed, not checked.
if(CLEANROOM_SANITIZE OR CLEANROOM_TSAN)
  set(clnrm_rss_limit_mb 0)
else()
  set(clnrm_rss_limit_mb 50)
endif()
foreach(case timeout_oom scale sigint sigterm sweep_window)
  add_test(NAME clnrm_rel_${case}
           COMMAND ${Python3_EXECUTABLE}
                   ${CMAKE_CURRENT_SOURCE_DIR}/clnrm/e2e_rel.py ${case}
                   $<TARGET_FILE:clnrm> ${PROJECT_SOURCE_DIR})
  set_tests_properties(clnrm_rel_${case} PROPERTIES
    LABELS integration FIXTURES_REQUIRED clnrm_base TIMEOUT 1800
    RESOURCE_LOCK clnrm_sweep
    ENVIRONMENT CLNRM_RSS_LIMIT_MB=${clnrm_rss_limit_mb})
endforeach()
