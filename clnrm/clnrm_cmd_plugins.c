/* clnrm_cmd_plugins: `clnrm plugins`, the service kinds (`plugin` or
 * `type` of a service) this tool understands. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include <string.h>

const char clnrm_cmd_plugins_usage[] =
    "usage: clnrm plugins\n\n"
    "Lists the service kinds a test file may name in a service's `plugin`\n"
    "(or `type`) and what this tool does with each.\n";

/* The Rust clnrm's list, and what each one means here. */
static const struct {
    const char *name;
    const char *what;
} kinds[] = {
    { "generic_container",
      "a container from `image` (or `build`); the default" },
    { "surreal_db", "a container from `image` (e.g. surrealdb/surrealdb); "
                    "username/password/strict accepted, not used" },
    { "surrealdb", "the same as surreal_db" },
    { "network_tools", "a container from `image`" },
    { "ollama", "a container from `image` (ollama/ollama); endpoint and "
                "default_model accepted, not used" },
    { "vllm", "a container from `image`" },
    { "tgi", "a container from `image`" },
};

int clnrm_cmd_plugins(struct clnrm_ctx *ctx, int argc, char **argv)
{
    if (argc > 1) {
        fprintf(ctx->err, "clnrm plugins: unexpected argument \"%s\"\n",
                argv[1]);
        return CLNRM_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        fprintf(ctx->out, "%-18s %s\n", kinds[i].name, kinds[i].what);
    fputs("\nEvery kind runs as a plain container: the image decides what "
          "it is.\nOther names are accepted and run the same way.\n",
          ctx->out);
    return CLNRM_EXIT_OK;
}
