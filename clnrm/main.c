/* clnrm: command-line entry point. The work is in clnrm_cli.c. */
#include "clnrm_cli.h"
#include "cr_alloc.h"

int main(int argc, char **argv)
{
    cr_alloc_set(NULL); /* cJSON through the allocation hook */
    return clnrm_cli_main(argc, argv);
}
