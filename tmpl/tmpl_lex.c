/* tmpl_lex: the tokenizer of tag contents, and the parser's errors. See
 * tmpl_parse.h. */
#include "tmpl_parse.h"

#include "cr_alloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tmpl__fail(struct tmpl_parser *p, enum tmpl_code code, size_t off,
               const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    struct cr_pos pos = tmpl__pos(p->f, off);

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* Quoted input may span lines; the message is one line. */
    for (char *c = msg; *c != '\0'; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    tmpl_error_set(p->err, code, "%s:%u:%u: %s", p->f->path, pos.line, pos.col,
                   msg);
    if (p->err != NULL)
        p->err->pos = pos;
    return -1;
}

bool tmpl__is_word(const struct tmpl_parser *p, const char *word)
{
    return p->tok.kind == TMPL_T_IDENT && p->tok.len == strlen(word) &&
           memcmp(p->f->src + p->tok.off, word, p->tok.len) == 0;
}

bool tmpl__is_op(const struct tmpl_parser *p, int op)
{
    return p->tok.kind == TMPL_T_OP && p->tok.op == op;
}

char *tmpl__tok_text(struct tmpl_parser *p)
{
    char *s = cr_strndup(p->f->src + p->tok.off, p->tok.len);

    if (s == NULL)
        tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory");
    return s;
}

static int lex_number(struct tmpl_parser *p, const char *s, size_t end)
{
    size_t i = p->at;
    char tmp[64];

    while (i < end && isdigit((unsigned char)s[i]))
        i++;
    p->tok.kind = TMPL_T_INT;
    if (i + 1 < end && s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
        p->tok.kind = TMPL_T_FLOAT;
        for (i++; i < end && isdigit((unsigned char)s[i]); i++)
            ;
    }
    p->tok.len = i - p->at;
    if (p->tok.len >= sizeof(tmp))
        return tmpl__fail(p, TMPL_E_SYNTAX, p->at, "number too long");
    memcpy(tmp, s + p->at, p->tok.len);
    tmp[p->tok.len] = '\0';
    errno = 0;
    if (p->tok.kind == TMPL_T_INT)
        p->tok.i = strtoll(tmp, NULL, 10);
    else
        p->tok.f = strtod(tmp, NULL);
    if (errno == ERANGE)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->at, "number out of range");
    p->at = i;
    return 0;
}

static int lex_string(struct tmpl_parser *p, const char *s, size_t end)
{
    char q = s[p->at];
    const char *close = memchr(s + p->at + 1, q, end - p->at - 1);

    if (close == NULL)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->at, "unterminated string");
    p->tok.kind = TMPL_T_STR;
    p->tok.off = p->at + 1;
    p->tok.len = (size_t)(close - (s + p->at + 1));
    p->at = (size_t)(close - s) + 1;
    return 0;
}

/* Two-character operators and the tag ends. */
static int lex_op(struct tmpl_parser *p, const char *s, size_t end)
{
    static const struct {
        char a, b;
        int op;
    } two[] = { { '=', '=', TMPL_OP_EQ },
                { '!', '=', TMPL_OP_NE },
                { '<', '=', TMPL_OP_LE },
                { '>', '=', TMPL_OP_GE },
                { ':', ':', 'C' } };
    char c = s[p->at], d = p->at + 1 < end ? s[p->at + 1] : '\0';
    char e = p->at + 2 < end ? s[p->at + 2] : '\0';

    if ((c == '}' || c == '%') && d == '}') {
        p->tok.kind = TMPL_T_END, p->tok.len = 2, p->at += 2;
        return 0;
    }
    if (c == '-' && (d == '}' || d == '%') && e == '}') {
        p->tok.kind = TMPL_T_END, p->tok.trim = true, p->tok.len = 3;
        p->at += 3;
        return 0;
    }
    p->tok.kind = TMPL_T_OP;
    for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++) {
        if (c == two[i].a && d == two[i].b) {
            p->tok.op = two[i].op, p->tok.len = 2, p->at += 2;
            return 0;
        }
    }
    if (strchr("+-*/%~()[],.|=<>:", c) == NULL || c == '\0')
        return tmpl__fail(p, TMPL_E_SYNTAX, p->at, "unexpected '%c'", c);
    p->tok.op = c, p->tok.len = 1, p->at++;
    return 0;
}

int tmpl__next(struct tmpl_parser *p)
{
    const char *s = p->f->src;
    size_t end = p->f->len;

    while (p->at < end && isspace((unsigned char)s[p->at]))
        p->at++;
    memset(&p->tok, 0, sizeof(p->tok));
    p->tok.off = p->at;
    if (p->at >= end) {
        p->tok.kind = TMPL_T_EOF;
        return 0;
    }
    if (isalpha((unsigned char)s[p->at]) || s[p->at] == '_') {
        size_t i = p->at;
        while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_'))
            i++;
        p->tok.kind = TMPL_T_IDENT, p->tok.len = i - p->at, p->at = i;
        return 0;
    }
    if (isdigit((unsigned char)s[p->at]))
        return lex_number(p, s, end);
    if (s[p->at] == '"' || s[p->at] == '\'' || s[p->at] == '`')
        return lex_string(p, s, end);
    return lex_op(p, s, end);
}
