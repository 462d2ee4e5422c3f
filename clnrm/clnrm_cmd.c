/* clnrm_cmd: helpers the commands share. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_spec.h"

void clnrm_cmd_print_diags(const struct clnrm_ctx *ctx,
                           const struct clnrm_diags *d, bool notes)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct clnrm_diag *g = &d->items[i];
        if (g->level == CLNRM_DIAG_NOTE && !notes)
            continue;
        fprintf(ctx->err, "%s: %s\n",
                g->level == CLNRM_DIAG_ERROR  ? "error"
                : g->level == CLNRM_DIAG_WARN ? "warning"
                                              : "note",
                g->msg);
    }
}
