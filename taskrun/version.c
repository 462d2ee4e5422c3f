/* taskrun: version string and result codes. */
#include "taskrun.h"

#include <stdio.h>

const char *taskrun_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}

static const struct cr_code_info codes[] = {
#define TASKRUN_X(name, status, msg) { msg, status },
    TASKRUN_CODES(TASKRUN_X)
#undef TASKRUN_X
};

#define NCODES (sizeof(codes) / sizeof(codes[0]))

const char *taskrun_strerror(enum taskrun_code code)
{
    return cr_code_text(codes, NCODES, (int)code);
}

int taskrun_exit_status(enum taskrun_code code)
{
    return cr_code_status(codes, NCODES, (int)code);
}

CR_DEFINE_ERROR_SET(taskrun_errorf, enum taskrun_code)
