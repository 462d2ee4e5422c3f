/*
 * taskrun_duck_str: the duckscript commands on strings and numbers (trim,
 * split's neighbours, indexof, substring, calc...). Each has the duck_cmd_fn
 * signature of taskrun_duck_int.h and is listed in the command table of
 * taskrun_duck_cmds.c.
 */
#ifndef TASKRUN_DUCK_STR_H
#define TASKRUN_DUCK_STR_H

#include "taskrun_duck_int.h"

#define DUCK_STR_COMMANDS(X)                                                   \
    X(trim)                                                                    \
    X(trim_start)                                                              \
    X(trim_end)                                                                \
    X(length)                                                                  \
    X(is_empty)                                                                \
    X(eq)                                                                      \
    X(contains)                                                                \
    X(starts_with)                                                             \
    X(ends_with)                                                               \
    X(indexof)                                                                 \
    X(last_indexof)                                                            \
    X(substring)                                                               \
    X(concat)                                                                  \
    X(replace)                                                                 \
    X(uppercase)                                                               \
    X(lowercase)                                                               \
    X(join_path)                                                               \
    X(calc)                                                                    \
    X(greater_than)                                                            \
    X(less_than)                                                               \
    X(basename)                                                                \
    X(dirname)

DUCK_STR_COMMANDS(DUCK_DECLARE_COMMAND)

#endif
