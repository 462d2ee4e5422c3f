/* slo: result codes, their messages and exit statuses. See slo_error.h. */
#include "slo_error.h"

#include <stdarg.h>
#include <stdio.h>

CR_DEFINE_CODES(slo, enum slo_code, SLO_CODES)

const char *slo_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
