/* taskrun: version string. */
#include "taskrun.h"

const char *taskrun_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
