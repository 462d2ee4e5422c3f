# libcleanroom helpers (buffers, files, clocks) and a smoke test per binary.
cr_add_cmocka_test(test_common ${CMAKE_CURRENT_SOURCE_DIR}/test_common.c
                   LIBS cleanroom)

foreach(bin clnrm taskrun slo bench)
  add_test(NAME smoke_${bin}_version COMMAND ${bin} --version)
  set_tests_properties(smoke_${bin}_version PROPERTIES LABELS e2e
    PASS_REGULAR_EXPRESSION "^${bin} .*cleanroom [0-9]+\\.[0-9]+\\.[0-9]+")
endforeach()

# A missing dependency stops configuration and names the apt package: hide
# every pkg-config module and configure a scratch tree.
add_test(NAME configure_missing_dependency
  COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_LIBDIR=/nonexistent
          ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR}
          -B ${CMAKE_CURRENT_BINARY_DIR}/missing-dep -DCLEANROOM_TESTS=OFF)
set_tests_properties(configure_missing_dependency PROPERTIES LABELS e2e
  PASS_REGULAR_EXPRESSION "missing dependency libcjson: apt-get install libcjson-dev")

# The bootstrap script is idempotent: with everything in place it prints
# nothing and succeeds (docker steps skipped: the integration tests own them).
add_test(NAME bootstrap_idempotent
  COMMAND ${CMAKE_COMMAND} -E env CLEANROOM_NO_DOCKER=1
          CLEANROOM_BUILD_DIR=${PROJECT_BINARY_DIR}
          ${PROJECT_SOURCE_DIR}/scripts/bootstrap)
set_tests_properties(bootstrap_idempotent PROPERTIES LABELS e2e
  FAIL_REGULAR_EXPRESSION "." RUN_SERIAL TRUE)

# One style: every C file is clang-formatted (.clang-format at the top).
find_program(CLANG_FORMAT clang-format)
if(CLANG_FORMAT)
  add_test(NAME format_check
    # Every C file outside the build trees and the local state, so a new
    # folder is covered without a list to keep up to date.
    COMMAND sh -c "find . \\( -path './build*' -o -path ./.cleanroom -o -path ./.git \\) -prune -o -name '*.[ch]' -print0 | xargs -0 ${CLANG_FORMAT} --dry-run --Werror"
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(format_check PROPERTIES LABELS unit)
endif()

# Killing the engine and rerunning the set-up brings it back. Serial: every
# other engine test would fail while the engine is down.
add_test(NAME bootstrap_restarts_killed_engine
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/engine_restart.sh ${PROJECT_SOURCE_DIR}
          ${PROJECT_BINARY_DIR})
set_tests_properties(bootstrap_restarts_killed_engine PROPERTIES
  LABELS integration RUN_SERIAL TRUE SKIP_RETURN_CODE 77 TIMEOUT 180
  PASS_REGULAR_EXPRESSION "engine restarted")

# Issue 17: atomic writes on a full disk (RLIMIT_FSIZE in a child).
cr_add_cmocka_test(test_fs_atomic_full
                   ${CMAKE_CURRENT_SOURCE_DIR}/test_fs_atomic_full.c
                   LIBS cleanroom)
