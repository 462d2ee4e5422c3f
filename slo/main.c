/* slo: command-line entry point. */
#include "slo.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("slo (%s)\n", slo_version());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: slo --version | --help\n");
        return 0;
    }
    fprintf(stderr, "slo: not implemented yet (see ROADMAP)\n");
    return 2;
}
