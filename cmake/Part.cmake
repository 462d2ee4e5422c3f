# cr_add_part(NAME DIR [LIBS ...]): a part is a static library made of every
# .c file in DIR except main.c, plus a thin binary built from main.c. Tests
# and benchmarks link the library, never the binary.
function(cr_add_part name)
  cmake_parse_arguments(P "" "" "LIBS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  list(FILTER srcs EXCLUDE REGEX "/main\\.c$")
  add_library(${name}_lib STATIC ${srcs})
  set_target_properties(${name}_lib PROPERTIES OUTPUT_NAME ${name})
  target_include_directories(${name}_lib PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${name}_lib PUBLIC ${P_LIBS})
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/main.c)
    add_executable(${name} main.c)
    # Binaries live together in build/bin so scripts need one PATH entry.
    set_target_properties(${name} PROPERTIES
      RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
    target_link_libraries(${name} PRIVATE ${name}_lib)
  endif()
endfunction()
