/*
 * taskrun_duck_sys: the duckscript commands that touch the system: files,
 * directories, the environment, processes (exec) and the embedding task
 * runner (cm_run_task). Each has the duck_cmd_fn signature of
 * taskrun_duck_int.h and is listed in the command table of
 * taskrun_duck_cmds.c. Paths resolve against the interpreter's cwd.
 */
#ifndef TASKRUN_DUCK_SYS_H
#define TASKRUN_DUCK_SYS_H

#include "taskrun_duck_int.h"

#define DUCK_SYS_COMMANDS(X)                                                   \
    X(cd)                                                                      \
    X(pwd)                                                                     \
    X(get_env)                                                                 \
    X(set_env)                                                                 \
    X(unset_env)                                                               \
    X(is_path_exists)                                                          \
    X(is_file)                                                                 \
    X(is_directory)                                                            \
    X(mkdir)                                                                   \
    X(rm)                                                                      \
    X(cp)                                                                      \
    X(mv)                                                                      \
    X(touch)                                                                   \
    X(glob_array)                                                              \
    X(readfile)                                                                \
    X(writefile)                                                               \
    X(appendfile)                                                              \
    X(which)                                                                   \
    X(exec)                                                                    \
    X(cm_run_task)

DUCK_SYS_COMMANDS(DUCK_DECLARE_COMMAND)

#endif
