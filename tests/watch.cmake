# watch: inotify, recursion, write-rename saves, debounce (unit).
cr_add_cmocka_test(test_watch ${CMAKE_CURRENT_SOURCE_DIR}/test_watch.c
                   LIBS watch)
