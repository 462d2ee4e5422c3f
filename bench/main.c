/* bench: command-line entry point. */
#include "bench.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("bench (%s)\n", bench_version());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: bench --version | --help\n");
        return 0;
    }
    fprintf(stderr, "bench: not implemented yet (see ROADMAP)\n");
    return 2;
}
