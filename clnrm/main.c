/* clnrm: command-line entry point. The work is in clnrm_cli.c. */
#include "clnrm.h"
#include "clnrm_cli.h"
#include "clnrm_cmd_image.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "image") == 0)
        return clnrm_cmd_image(argc - 1, argv + 1);
    return clnrm_cli_main(argc, argv);
}
