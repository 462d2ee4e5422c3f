/*
 * cr_toml: the parser's position, failure messages and scratch buffer. See
 * cr_toml_cursor.h.
 */
#include "cr_toml_cursor.h"

#include <stdio.h>

#include "cr_alloc.h"

void crt_verror(struct cr_error *err, enum cr_toml_code code, const char *fname,
                struct cr_pos pos, const char *fmt, va_list ap)
{
    if (err == NULL) {
        return;
    }
    err->code = code;
    err->pos = pos;
    int n =
        snprintf(err->msg, sizeof(err->msg),
                 "%s:%u:%u: ", fname ? fname : "<input>", pos.line, pos.col);
    if (n < 0 || (size_t)n >= sizeof(err->msg)) {
        return;
    }
    vsnprintf(err->msg + n, sizeof(err->msg) - (size_t)n, fmt, ap);
    cr_error_one_line(err->msg, sizeof(err->msg));
}

int crt_fail_pos(struct crt_parser *ps, struct cr_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    crt_verror(ps->err, CR_TOML_E_SYNTAX, ps->fname, pos, fmt, ap);
    va_end(ap);
    return -1;
}

int crt_fail(struct crt_parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    crt_verror(ps->err, CR_TOML_E_SYNTAX, ps->fname, crt_here(ps, at), fmt, ap);
    va_end(ap);
    return -1;
}

int crt_nomem(struct crt_parser *ps)
{
    crt_fail(ps, ps->p, "out of memory");
    ps->err->code = CR_TOML_E_NOMEM;
    return -1;
}

const char *crt_describe(const struct crt_parser *ps, const char *p,
                         char buf[16])
{
    if (p >= ps->end) {
        return "end of file";
    }
    unsigned char c = (unsigned char)*p;
    if (c == '\n' || (c == '\r' && p + 1 < ps->end && p[1] == '\n')) {
        return "newline";
    }
    if (c == '\r') {
        return "carriage return";
    }
    if (c > 0x20 && c < 0x7F) {
        snprintf(buf, 16, "'%c'", c);
    } else if (c == ' ') {
        return "space";
    } else {
        snprintf(buf, 16, "byte 0x%02X", c);
    }
    return buf;
}

int crt_scratch(struct crt_parser *ps, size_t n)
{
    if (n <= ps->scratch_cap) {
        return 0;
    }
    size_t cap = ps->scratch_cap ? ps->scratch_cap : 256;
    while (cap < n) {
        cap *= 2;
    }
    char *s = cr_realloc(ps->scratch, cap);
    if (s == NULL) {
        return crt_nomem(ps);
    }
    ps->scratch = s;
    ps->scratch_cap = cap;
    return 0;
}
