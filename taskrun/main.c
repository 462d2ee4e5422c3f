/* taskrun: command-line entry point; everything else is in taskrun_lib. */
#include "cr_alloc.h"
#include "taskrun_cli.h"
#include "taskrun_duck_main.h"
#include "taskrun_watch.h"

#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct taskrun_cli cli;
    struct cr_error err = { 0 };
    cr_alloc_set(NULL); /* cJSON through the allocation hook */
    if (taskrun_duck_main_wanted(argc, argv))
        return taskrun_duck_main(argc, argv, STDOUT_FILENO, STDERR_FILENO);
    if (taskrun_watch_main_wanted(argc, argv))
        return taskrun_watch_main(argc, argv);
    if (taskrun_cli_parse(&cli, argc, argv, &err) != TASKRUN_OK) {
        fprintf(stderr, "taskrun: %s\n(see taskrun --help)\n", err.msg);
        taskrun_cli_release(&cli);
        return taskrun_exit_status(err.code);
    }
    int status = taskrun_cli_run(&cli, STDOUT_FILENO, STDERR_FILENO);
    taskrun_cli_release(&cli);
    return status;
}
