/* taskrun: version string and result codes. */
#include "taskrun.h"

#include <stdio.h>

const char *taskrun_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}

const char *taskrun_strerror(enum taskrun_code code)
{
    switch (code) {
#define TASKRUN_X(name, status, msg)                                           \
    case name:                                                                 \
        return msg;
        TASKRUN_CODES(TASKRUN_X)
#undef TASKRUN_X
    }
    return "unknown error";
}

int taskrun_exit_status(enum taskrun_code code)
{
    switch (code) {
#define TASKRUN_X(name, status, msg)                                           \
    case name:                                                                 \
        return status;
        TASKRUN_CODES(TASKRUN_X)
#undef TASKRUN_X
    }
    return 1;
}

enum taskrun_code taskrun_errorf(struct taskrun_error *err,
                                 enum taskrun_code code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}
