/* slo: result codes, their messages and exit statuses. See slo_error.h. */
#include "slo_error.h"

#include <stdarg.h>
#include <stdio.h>

CR_DEFINE_CODES(slo, enum slo_code, SLO_CODES)

enum slo_code slo_from_heap(enum heap_code code)
{
    switch (code) {
    case HEAP_OK:
        return SLO_OK;
    case HEAP_E_MISSING:
        return SLO_E_MISSING;
    case HEAP_E_IO:
        return SLO_E_IO;
    case HEAP_E_NOMEM:
        return SLO_E_NOMEM;
    case HEAP_E_COMMAND:
    case HEAP_E_NODATA:
    case HEAP_E_PARSE:
        break;
    }
    return SLO_E_RUN;
}

const char *slo_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
