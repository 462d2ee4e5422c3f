/* cr_toml: comments, UTF-8 validation and the four kinds of string. */
#include "cr_toml_lex.h"

#include <string.h>

#include "cr_text.h"

/* Length of the UTF-8 sequence at p (2 to 4), or 0 when it is not valid.
 * ASCII is handled by the callers before they get here. */
static int utf8_len(const unsigned char *p, const unsigned char *end)
{
    uint32_t cp;

    return (int)cr_utf8_decode(p, (size_t)(end - p), &cp);
}

static bool is_ctrl(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7F;
}

static int bad_byte(struct crt_parser *ps, const char *p, const char *what)
{
    unsigned char c = (unsigned char)*p;
    if (c >= 0x80) {
        return crt_fail(ps, p, "invalid UTF-8 byte 0x%02X in %s", c, what);
    }
    if (c == '\r') {
        return crt_fail(ps, p, "carriage return not followed by a newline");
    }
    return crt_fail(ps, p, "control character U+%04X is not allowed in %s", c,
                    what);
}

int crt_skip_comment(struct crt_parser *ps)
{
    const unsigned char *p = (const unsigned char *)ps->p + 1;
    const unsigned char *end = (const unsigned char *)ps->end;
    while (p < end && *p != '\n') {
        unsigned char c = *p;
        if (c >= 0x20 && c < 0x7F) {
            p++;
        } else if (c == '\t') {
            p++;
        } else if (c == '\r' && p + 1 < end && p[1] == '\n') {
            break;
        } else if (c >= 0x80) {
            int n = utf8_len(p, end);
            if (n == 0) {
                return bad_byte(ps, (const char *)p, "a comment");
            }
            p += n;
        } else {
            return bad_byte(ps, (const char *)p, "a comment");
        }
    }
    ps->p = (const char *)p;
    return 0;
}

/* Appends [from, to) to the scratch buffer at *olen. */
static int put(struct crt_parser *ps, size_t *olen, const char *from, size_t n)
{
    if (crt_scratch(ps, *olen + n + 1) != 0) {
        return -1;
    }
    memcpy(ps->scratch + *olen, from, n);
    *olen += n;
    return 0;
}

static int put_utf8(struct crt_parser *ps, size_t *olen, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return put(ps, olen, b, n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decodes \uXXXX or \UXXXXXXXX at p (pointing at the backslash). */
static int unicode_escape(struct crt_parser *ps, const char *p, int digits,
                          size_t *olen)
{
    unsigned long cp = 0;
    for (int i = 0; i < digits; i++) {
        const char *q = p + 2 + i;
        int h = q < ps->end ? hexval(*q) : -1;
        if (h < 0) {
            return crt_fail(ps, p,
                            "invalid \\%c escape: expected %d hex digits", p[1],
                            digits);
        }
        cp = cp * 16 + (unsigned long)h;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        return crt_fail(ps, p,
                        "invalid \\%c escape: U+%04lX is not a Unicode scalar "
                        "value",
                        p[1], cp);
    }
    return put_utf8(ps, olen, cp);
}

/* Consumes a newline (LF or CRLF) at ps->p, counting the line. */
static bool eat_newline(struct crt_parser *ps)
{
    const char *p = ps->p;
    if (p < ps->end && *p == '\r' && p + 1 < ps->end && p[1] == '\n') {
        p++;
    }
    if (p < ps->end && *p == '\n') {
        ps->p = p + 1;
        ps->line++;
        ps->line_start = ps->p;
        return true;
    }
    return false;
}

/* After a line-ending backslash: skips whitespace and newlines. */
static int skip_line_end(struct crt_parser *ps, const char *bs)
{
    const char *p = bs + 1;
    while (p < ps->end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    ps->p = p;
    if (!eat_newline(ps)) {
        return crt_fail(ps, bs, "invalid escape sequence '\\%c'",
                        bs + 1 < ps->end ? bs[1] : ' ');
    }
    for (;;) {
        while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t')) {
            ps->p++;
        }
        if (!eat_newline(ps)) {
            return 0;
        }
    }
}

/* One escape at ps->p (a backslash) of a basic string. */
static int escape(struct crt_parser *ps, bool multi, size_t *olen)
{
    const char *bs = ps->p;
    char c = bs + 1 < ps->end ? bs[1] : '\0';
    char out;
    switch (c) {
    case 'b':
        out = '\b';
        break;
    case 't':
        out = '\t';
        break;
    case 'n':
        out = '\n';
        break;
    case 'f':
        out = '\f';
        break;
    case 'r':
        out = '\r';
        break;
    case '"':
        out = '"';
        break;
    case '\\':
        out = '\\';
        break;
    case 'u':
    case 'U': {
        int digits = c == 'u' ? 4 : 8;
        if (unicode_escape(ps, bs, digits, olen) != 0) {
            return -1;
        }
        ps->p = bs + 2 + digits;
        return 0;
    }
    default:
        if (multi && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
            return skip_line_end(ps, bs);
        }
        if ((unsigned char)c >= 0x20 && c != 0x7F) {
            return crt_fail(ps, bs, "invalid escape sequence '\\%c'", c);
        }
        return crt_fail(ps, bs, "invalid escape sequence");
    }
    ps->p = bs + 2;
    return put(ps, olen, &out, 1);
}

/*
 * At a quote that may close a multi-line string: returns how many of the
 * quotes belong to the content (0 to 2) and sets *closed, or -1 when more
 * than five quotes follow.
 */
static int closing_quotes(struct crt_parser *ps, char q, bool *closed)
{
    const char *p = ps->p;
    int k = 0;
    while (p + k < ps->end && p[k] == q) {
        k++;
    }
    *closed = k >= 3;
    if (k < 3) {
        return k;
    }
    if (k > 5) {
        return crt_fail(ps, p + 5,
                        "too many quotes at the end of a "
                        "multi-line string");
    }
    return k - 3;
}

struct str_state {
    const char *run; /* start of raw bytes not yet copied to scratch */
    size_t olen;     /* bytes in scratch */
    bool copied;     /* whether the result lives in scratch */
};

static int flush(struct crt_parser *ps, struct str_state *st, const char *to)
{
    st->copied = true;
    return put(ps, &st->olen, st->run, (size_t)(to - st->run));
}

/* Handles a newline inside a multi-line string: CRLF becomes LF. */
static int ml_newline(struct crt_parser *ps, struct str_state *st)
{
    const char *p = ps->p;
    if (*p == '\r') {
        if (flush(ps, st, p) != 0) {
            return -1;
        }
        st->run = p + 1;
    }
    if (!eat_newline(ps)) {
        return bad_byte(ps, p, "a string");
    }
    return 0;
}

/* One plain character (not a quote or backslash). */
static int plain(struct crt_parser *ps, struct str_state *st, bool multi)
{
    unsigned char c = (unsigned char)*ps->p;
    if (c >= 0x80) {
        int n = utf8_len((const unsigned char *)ps->p,
                         (const unsigned char *)ps->end);
        if (n == 0) {
            return bad_byte(ps, ps->p, "a string");
        }
        ps->p += n;
        return 0;
    }
    if (is_ctrl(c)) {
        if (multi && (c == '\n' || c == '\r')) {
            return ml_newline(ps, st);
        }
        if (c == '\n' || c == '\r') {
            return crt_fail(ps, ps->p,
                            "newline before the closing quote of "
                            "a string");
        }
        return bad_byte(ps, ps->p, "a string");
    }
    ps->p++;
    return 0;
}

static const char *closer(char q, bool multi)
{
    if (q == '"') {
        return multi ? "'\"\"\"'" : "'\"'";
    }
    return multi ? "\"'''\"" : "\"'\"";
}

static int string_body(struct crt_parser *ps, char q, bool multi,
                       struct cr_pos open, const char **s, size_t *n)
{
    struct str_state st = { ps->p, 0, false };
    const char *end = ps->end;
    for (;;) {
        /* Fast path: the common bytes of a string. */
        const char *p = ps->p;
        while (p < end && (unsigned char)*p >= 0x20 && *p != q && *p != '\\' &&
               (unsigned char)*p < 0x7F) {
            p++;
        }
        ps->p = p;
        if (p >= end) {
            return crt_fail_pos(ps, open,
                                "unterminated string: expected closing %s",
                                closer(q, multi));
        }
        if (*p == q) {
            int extra = 0;
            bool closed = true;
            if (multi) {
                extra = closing_quotes(ps, q, &closed);
                if (extra < 0) {
                    return -1;
                }
            }
            if (closed) {
                const char *cend = p + extra;
                ps->p = cend + (multi ? 3 : 1);
                if (!st.copied) {
                    *s = st.run;
                    *n = (size_t)(cend - st.run);
                    return 0;
                }
                if (flush(ps, &st, cend) != 0) {
                    return -1;
                }
                *s = ps->scratch;
                *n = st.olen;
                return 0;
            }
            ps->p = p + extra;
        } else if (*p == '\\' && q == '"') {
            if (flush(ps, &st, p) != 0 || escape(ps, multi, &st.olen) != 0) {
                return -1;
            }
            st.run = ps->p;
        } else if (*p == '\\') {
            ps->p++;
        } else if (plain(ps, &st, multi) != 0) {
            return -1;
        }
    }
}

int crt_lex_string(struct crt_parser *ps, bool allow_multi, const char **s,
                   size_t *n)
{
    const char *p = ps->p;
    char q = *p;
    struct cr_pos open = crt_here(ps, p);
    bool multi = p + 2 < ps->end && p[1] == q && p[2] == q;
    if (multi && !allow_multi) {
        return crt_fail(ps, p, "a multi-line string cannot be a key");
    }
    ps->p = p + (multi ? 3 : 1);
    if (multi) {
        /* A newline right after the opening delimiter is trimmed. */
        eat_newline(ps);
    }
    return string_body(ps, q, multi, open, s, n);
}
