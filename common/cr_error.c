/* cr_error: the shared error detail. See cr_error.h. */
#include "cr_error.h"

#include <stdarg.h>
#include <stdio.h>

int cr_error_vset(struct cr_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int cr_error_set(struct cr_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cr_error_vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

const char *cr_code_text(const struct cr_code_info *table, size_t n, int code)
{
    if (code < 0 || (size_t)code >= n)
        return "unknown error";
    return table[code].text;
}

int cr_code_status(const struct cr_code_info *table, size_t n, int code)
{
    if (code < 0 || (size_t)code >= n)
        return 1;
    return table[code].status;
}
