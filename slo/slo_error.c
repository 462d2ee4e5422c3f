/* slo: result codes, their messages and exit statuses. See slo_error.h. */
#include "slo_error.h"

#include <stdarg.h>
#include <stdio.h>

static const struct cr_code_info codes[] = {
#define SLO_X_ROW(name, status, text) { text, status },
    SLO_CODES(SLO_X_ROW)
#undef SLO_X_ROW
};

#define NCODES (sizeof(codes) / sizeof(codes[0]))

const char *slo_strerror(enum slo_code code)
{
    return cr_code_text(codes, NCODES, (int)code);
}

int slo_exit_status(enum slo_code code)
{
    return cr_code_status(codes, NCODES, (int)code);
}

CR_DEFINE_ERROR_SET(slo_error_set, enum slo_code)

const char *slo_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
