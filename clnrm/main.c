/* clnrm: command-line entry point. */
#include "clnrm.h"
#include "cmd_image.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "image") == 0)
        return clnrm_cmd_image(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("clnrm (%s)\n", clnrm_version());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: clnrm --version | --help\n");
        return 0;
    }
    fprintf(stderr, "clnrm: not implemented yet (see ROADMAP)\n");
    return 2;
}
