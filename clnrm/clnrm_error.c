/* clnrm_error: result codes. See clnrm_error.h. */
#include "clnrm_error.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    const char *text;
    int status;
} codes[] = {
#define CLNRM_X_ROW(name, status, text) { text, status },
    CLNRM_CODES(CLNRM_X_ROW)
#undef CLNRM_X_ROW
};

const char *clnrm_strerror(enum clnrm_code code)
{
    if ((unsigned)code >= sizeof(codes) / sizeof(codes[0]))
        return "unknown error";
    return codes[code].text;
}

int clnrm_exit_status(enum clnrm_code code)
{
    if ((unsigned)code >= sizeof(codes) / sizeof(codes[0]))
        return 1;
    return codes[code].status;
}

enum clnrm_code clnrm_error_set(struct clnrm_error *err, enum clnrm_code code,
                                const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}
