/* clnrm: version string. */
#include "clnrm.h"

const char *clnrm_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
