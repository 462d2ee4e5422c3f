/* cr_error: the shared error detail. See cr_error.h. */
#include "cr_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cr_error_one_line(char *msg, size_t size)
{
    char out[sizeof(((struct cr_error *)0)->msg)];
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)msg;

    if (size > sizeof(out))
        size = sizeof(out);
    if (strcspn(msg, "\n\r\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                     "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                     "\x1a\x1b\x1c\x1d\x1e\x1f\x7f") == strlen(msg))
        return; /* the usual case: nothing to change */
    for (; *p && o + 5 < size; p++) {
        if (*p == '\n' || *p == '\r') {
            out[o++] = '\\';
            out[o++] = *p == '\n' ? 'n' : 'r';
        } else if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            o += (size_t)snprintf(out + o, 5, "\\x%02x", *p);
        } else {
            out[o++] = (char)*p;
        }
    }
    /* What the expansion pushed past size is cut, as vsnprintf cuts. */
    out[o] = '\0';
    memcpy(msg, out, o + 1);
}

int cr_error_vset(struct cr_error *err, int code, const char *fmt, va_list ap)
{
    if (!err)
        return code;
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    cr_error_one_line(err->msg, sizeof(err->msg));
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
