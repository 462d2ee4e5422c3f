/* clnrm: command-line entry point. The work is in clnrm_cli.c. */
#include "clnrm_cli.h"

int main(int argc, char **argv)
{
    return clnrm_cli_main(argc, argv);
}
