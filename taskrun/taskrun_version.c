/* taskrun_version: the version string and the result codes. */
#include "taskrun.h"

#include <stdio.h>

const char *taskrun_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}

CR_DEFINE_CODES(taskrun, enum taskrun_code, TASKRUN_CODES)
