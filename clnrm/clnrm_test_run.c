/* clnrm_test_run: helpers on a running test's state. See
 * clnrm_test_run.h. */
#include "clnrm_test_run.h"

#include <stdio.h>

bool clnrm__cancelled(const struct clnrm_test_run *tr)
{
    return tr->rc->cancel != NULL && *tr->rc->cancel;
}

/* Records why the test could not go on; keeps the first message. */
enum clnrm_code clnrm__test_fail(struct clnrm_test_run *tr,
                                 enum clnrm_status st, enum clnrm_code code,
                                 const char *msg)
{
    if (tr->res->message[0] == '\0')
        snprintf(tr->res->message, sizeof(tr->res->message), "%s", msg);
    if (tr->res->status == CLNRM_STATUS_PASS)
        tr->res->status = st;
    if (tr->res->code == CLNRM_OK)
        tr->res->code = code;
    return code;
}
