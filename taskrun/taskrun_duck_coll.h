/*
 * taskrun_duck_coll: the duckscript commands on handles: arrays, sets and maps,
 * split (which makes an array) and release. Each has the duck_cmd_fn
 * signature of taskrun_duck_int.h and is listed in the command table of
 * taskrun_duck_cmds.c.
 */
#ifndef TASKRUN_DUCK_COLL_H
#define TASKRUN_DUCK_COLL_H

#include "taskrun_duck_int.h"

#define DUCK_COLL_COMMANDS(X)                                                  \
    X(array)                                                                   \
    X(set_new)                                                                 \
    X(range)                                                                   \
    X(array_length)                                                            \
    X(array_is_empty)                                                          \
    X(array_get)                                                               \
    X(array_set)                                                               \
    X(array_push)                                                              \
    X(array_pop)                                                               \
    X(array_remove)                                                            \
    X(array_clear)                                                             \
    X(array_join)                                                              \
    X(array_contains)                                                          \
    X(set_contains)                                                            \
    X(split)                                                                   \
    X(release)                                                                 \
    X(map)                                                                     \
    X(is_map)                                                                  \
    X(map_put)                                                                 \
    X(map_get)                                                                 \
    X(map_remove)                                                              \
    X(map_size)                                                                \
    X(map_is_empty)                                                            \
    X(map_contains_key)                                                        \
    X(map_contains_value)                                                      \
    X(map_keys)                                                                \
    X(is_array)                                                                \
    X(is_set)                                                                  \
    X(set_remove)                                                              \
    X(set_to_array)                                                            \
    X(set_from_array)

DUCK_COLL_COMMANDS(DUCK_DECLARE_COMMAND)

#endif
