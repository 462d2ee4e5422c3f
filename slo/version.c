/* slo: version string. See slo.h. */
#include "slo.h"

const char *slo_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
