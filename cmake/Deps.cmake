# Finds every third-party dependency. Each comes from Debian's archive; when
# one is missing, configuration stops and names the package to install.

find_package(PkgConfig QUIET)

# cr_require_pkg(VAR MODULE APT_PACKAGE): pkg-config lookup that fails with
# the exact apt-get line.
function(cr_require_pkg var module apt)
  if(NOT PKG_CONFIG_FOUND)
    message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
  endif()
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "missing dependency ${module}: apt-get install ${apt}")
  endif()
endfunction()

# libcurl: the engine library compiles against its headers but loads the
# library itself at run time with dlopen (engine/engine_curl.h), so nothing
# links it. It must still be installed here: the headers for the build, and
# libcurl.so.4 (libcurl4, a dependency of the -dev package) for the tests.
# 7.66 brought curl_multi_poll, the newest function the engine calls.
find_package(CURL QUIET)
if(NOT CURL_FOUND)
  message(FATAL_ERROR "missing dependency libcurl: apt-get install libcurl4-openssl-dev")
endif()
if(CURL_VERSION_STRING VERSION_LESS 7.66)
  message(FATAL_ERROR "libcurl ${CURL_VERSION_STRING} lacks curl_multi_poll; need >= 7.66")
endif()

cr_require_pkg(CJSON libcjson libcjson-dev)
cr_require_pkg(PCRE2 libpcre2-8 libpcre2-dev)

find_package(Threads REQUIRED)

if(CLEANROOM_TESTS)
  find_package(cmocka QUIET CONFIG)
  if(cmocka_FOUND AND TARGET cmocka::cmocka)
    add_library(cr_cmocka INTERFACE)
    target_link_libraries(cr_cmocka INTERFACE cmocka::cmocka)
  else()
    cr_require_pkg(CMOCKA cmocka libcmocka-dev)
    add_library(cr_cmocka INTERFACE)
    target_link_libraries(cr_cmocka INTERFACE PkgConfig::CMOCKA)
  endif()
  find_package(Python3 QUIET COMPONENTS Interpreter)
  if(NOT Python3_FOUND)
    message(FATAL_ERROR "missing python3 (runs the conformance suite): apt-get install python3")
  endif()
endif()
