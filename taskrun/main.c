/* taskrun: command-line entry point. */
#include "taskrun.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("taskrun (%s)\n", taskrun_version());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: taskrun --version | --help\n");
        return 0;
    }
    fprintf(stderr, "taskrun: not implemented yet (see ROADMAP)\n");
    return 2;
}
