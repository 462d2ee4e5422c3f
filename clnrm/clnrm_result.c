/* clnrm_result: result helpers. See clnrm_result.h. */
#include "clnrm_result.h"

#include <stdlib.h>

#include "cr_alloc.h"

const char *clnrm_status_name(enum clnrm_status s)
{
    static const char *const names[] = { "passed", "failed", "timeout", "error",
                                         "skipped" };

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void clnrm_test_result_release(struct clnrm_test_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n_steps; i++) {
        cr_buf_release(&r->steps[i].out);
        cr_buf_release(&r->steps[i].err);
    }
    cr_free(r->steps);
    r->steps = NULL;
    r->n_steps = 0;
}

void clnrm_totals_count(const struct clnrm_test_result *r, size_t n,
                        struct clnrm_totals *out)
{
    uint64_t duration = out->duration_ms;

    *out = (struct clnrm_totals){ .duration_ms = duration, .tests = n };
    for (size_t i = 0; i < n; i++) {
        switch (r[i].status) {
        case CLNRM_STATUS_PASS:
            out->passed++;
            break;
        case CLNRM_STATUS_FAIL:
            out->failed++;
            break;
        case CLNRM_STATUS_TIMEOUT:
            out->timeouts++;
            break;
        case CLNRM_STATUS_ERROR:
            out->errors++;
            break;
        case CLNRM_STATUS_SKIP:
            out->skipped++;
            break;
        }
        for (size_t k = 0; k < r[i].n_steps; k++) {
            out->steps++;
            if (r[i].steps[k].status == CLNRM_STATUS_SKIP)
                out->steps_skipped++;
            else if (r[i].steps[k].status != CLNRM_STATUS_PASS)
                out->steps_failed++;
        }
    }
}

static bool environmental(enum clnrm_code c)
{
    return c == CLNRM_E_ENGINE || c == CLNRM_E_PERMISSION ||
           c == CLNRM_E_VERSION || c == CLNRM_E_NOIMAGE;
}

int clnrm_totals_exit_status(const struct clnrm_test_result *r, size_t n)
{
    int status = 0;

    for (size_t i = 0; i < n; i++) {
        if (r[i].status == CLNRM_STATUS_ERROR && environmental(r[i].code))
            return 3;
        if (r[i].status != CLNRM_STATUS_PASS &&
            r[i].status != CLNRM_STATUS_SKIP)
            status = 1;
    }
    return status;
}
