/*
 * cr_toml: the document grammar (expressions, keys, values, arrays, inline
 * tables). Storing keys and tables, with the redefinition rules, is in
 * cr_toml_rules.c.
 */
#include "cr_toml_parse.h"

#include "cr_toml_lex.h"
#include "cr_toml_rules.h"
#include "cr_toml_scalar.h"
#include "cr_toml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_value(struct crt_parser *ps, struct cr_toml_value **out);

static void skip_ws(struct crt_parser *ps)
{
    const char *p = ps->p;
    while (p < ps->end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    ps->p = p;
}

static bool at_newline(const struct crt_parser *ps)
{
    const char *p = ps->p;
    return p < ps->end &&
           (*p == '\n' || (*p == '\r' && p + 1 < ps->end && p[1] == '\n'));
}

static void eat_newline(struct crt_parser *ps)
{
    ps->p += *ps->p == '\r' ? 2 : 1;
    ps->line++;
    ps->line_start = ps->p;
}

/* Whitespace, newlines and comments, as allowed between array elements. */
static int skip_ws_nl(struct crt_parser *ps)
{
    for (;;) {
        skip_ws(ps);
        if (at_newline(ps)) {
            eat_newline(ps);
        } else if (ps->p < ps->end && *ps->p == '#') {
            if (crt_skip_comment(ps) != 0) {
                return -1;
            }
        } else {
            return 0;
        }
    }
}

static char peek(const struct crt_parser *ps)
{
    return ps->p < ps->end ? *ps->p : '\0';
}
/* --- Keys ------------------------------------------------------------------
 */

static bool is_bare(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int key_part(struct crt_parser *ps, struct crt_key_part *kp, bool first)
{
    const char *p = ps->p;
    kp->pos = crt_here(ps, p);
    if (p < ps->end && is_bare(*p)) {
        /* Same hash as crt_hash, computed during the scan. */
        uint32_t h = 2166136261u;
        while (p < ps->end && is_bare(*p)) {
            h = (h ^ (unsigned char)*p) * 16777619u;
            p++;
        }
        kp->s = ps->p;
        kp->n = (size_t)(p - ps->p);
        kp->hash = h;
        ps->p = p;
        return 0;
    } else if (p < ps->end && (*p == '"' || *p == '\'')) {
        if (crt_lex_string(ps, false, &kp->s, &kp->n) != 0) {
            return -1;
        }
        if (kp->s == ps->scratch) {
            /* Escaped keys are decoded in scratch, which the next key part
             * reuses, so keep a copy. */
            kp->s = crt_strdup(ps->doc, kp->s, kp->n);
            if (kp->s == NULL) {
                return crt_nomem(ps);
            }
        }
    } else {
        char buf[16];
        return crt_fail(ps, p,
                        first ? "expected a key, found %s"
                              : "expected a key after '.', found %s",
                        crt_describe(ps, p, buf));
    }
    kp->hash = crt_hash(kp->s, kp->n);
    return 0;
}

static int parse_key(struct crt_parser *ps, struct crt_key_path *kp)
{
    kp->n = 0;
    for (;;) {
        skip_ws(ps);
        if (kp->n == CR_TOML_MAX_DEPTH) {
            return crt_fail(ps, ps->p, "dotted key has more than %d parts",
                            CR_TOML_MAX_DEPTH);
        }
        if (key_part(ps, &kp->parts[kp->n], kp->n == 0) != 0) {
            return -1;
        }
        kp->n++;
        skip_ws(ps);
        if (peek(ps) != '.') {
            return 0;
        }
        ps->p++;
    }
}
/* --- Values ----------------------------------------------------------------
 */

/* Starts an array or inline table at ps->depth; its items go one deeper. */
static int enter(struct crt_parser *ps, struct cr_toml_value *v)
{
    if (crt_too_deep(ps, ps->depth, v->pos)) {
        return -1;
    }
    v->depth = (uint16_t)ps->depth;
    ps->depth++;
    return 0;
}

static int parse_array(struct crt_parser *ps, struct cr_toml_value *arr)
{
    char buf[16];
    arr->flags = CRT_F_SEALED;
    ps->p++;
    for (;;) {
        if (skip_ws_nl(ps) != 0) {
            return -1;
        }
        if (peek(ps) == ']') {
            break;
        }
        struct cr_toml_value *v;
        if (parse_value(ps, &v) != 0) {
            return -1;
        }
        if (crt_array_push(ps->doc, &arr->u.arr, v) != 0) {
            return crt_nomem(ps);
        }
        if (skip_ws_nl(ps) != 0) {
            return -1;
        }
        if (peek(ps) == ',') {
            ps->p++;
            continue;
        }
        if (peek(ps) == ']') {
            break;
        }
        if (ps->p >= ps->end) {
            return crt_fail(ps, ps->p,
                            "unterminated array (opened at line %u, column "
                            "%u): expected ']'",
                            arr->pos.line, arr->pos.col);
        }
        return crt_fail(ps, ps->p, "expected ',' or ']' in array, found %s",
                        crt_describe(ps, ps->p, buf));
    }
    ps->p++;
    return 0;
}

static int keyval(struct crt_parser *ps, struct cr_toml_value *t);

static int parse_inline(struct crt_parser *ps, struct cr_toml_value *t)
{
    char buf[16];
    ps->p++;
    skip_ws(ps);
    if (peek(ps) == '}') {
        ps->p++;
        t->flags = CRT_F_SEALED;
        return 0;
    }
    for (;;) {
        if (keyval(ps, t) != 0) {
            return -1;
        }
        skip_ws(ps);
        char c = peek(ps);
        if (c == '}') {
            break;
        }
        if (c == ',') {
            ps->p++;
            skip_ws(ps);
            if (peek(ps) == '}') {
                return crt_fail(ps, ps->p,
                                "trailing comma is not allowed "
                                "in an inline table");
            }
            continue;
        }
        if (ps->p >= ps->end) {
            return crt_fail(ps, ps->p,
                            "unterminated inline table (opened at line %u, "
                            "column %u): expected '}'",
                            t->pos.line, t->pos.col);
        }
        if (at_newline(ps)) {
            return crt_fail(ps, ps->p,
                            "newline is not allowed in an inline "
                            "table: expected ',' or '}'");
        }
        return crt_fail(ps, ps->p,
                        "expected ',' or '}' in inline table, found %s",
                        crt_describe(ps, ps->p, buf));
    }
    ps->p++;
    /* Sealing last lets the table's own dotted keys share prefixes. */
    t->flags = CRT_F_SEALED;
    return 0;
}

static int parse_string_value(struct crt_parser *ps, struct cr_toml_value *v)
{
    const char *s;
    size_t n;
    if (crt_lex_string(ps, true, &s, &n) != 0) {
        return -1;
    }
    char *d = crt_strdup(ps->doc, s, n);
    if (d == NULL) {
        return crt_nomem(ps);
    }
    v->type = CR_TOML_STRING;
    v->u.str.s = d;
    v->u.str.len = n;
    return 0;
}

/* Parses the value at ps->p into v, a fresh node made by crt_new. */
static int parse_value_into(struct crt_parser *ps, struct cr_toml_value *v)
{
    int rc;
    switch (peek(ps)) {
    case '"':
    case '\'':
        return parse_string_value(ps, v);
    case '[':
    case '{':
        if (enter(ps, v) != 0) {
            return -1;
        }
        if (*ps->p == '[') {
            v->type = CR_TOML_ARRAY;
            rc = parse_array(ps, v);
        } else {
            v->type = CR_TOML_TABLE;
            rc = parse_inline(ps, v);
        }
        ps->depth--;
        return rc;
    default:
        return crt_lex_scalar(ps, v);
    }
}

static int parse_value(struct crt_parser *ps, struct cr_toml_value **out)
{
    *out = crt_new(ps, CR_TOML_STRING, crt_here(ps, ps->p));
    return *out == NULL ? -1 : parse_value_into(ps, *out);
}

/*
 * The "key =" half of a key/value pair: stores a fresh node under the key
 * in t (so duplicates are reported before the value is read) and returns it
 * with its depth. Kept out of line: the key path is large, and only the
 * value's parse recurses, so the path must not sit in every nested frame.
 */
__attribute__((noinline)) static int key_eq_sign(struct crt_parser *ps,
                                                 struct cr_toml_value *t,
                                                 struct cr_toml_value **out,
                                                 unsigned *depth)
{
    struct crt_key_path kp;
    char buf[16], name[256];
    if (parse_key(ps, &kp) != 0) {
        return -1;
    }
    if (peek(ps) != '=') {
        return crt_fail(ps, ps->p, "expected '=' after key \"%s\", found %s",
                        crt_key_name(&kp, kp.n, name, sizeof(name)),
                        crt_describe(ps, ps->p, buf));
    }
    ps->p++;
    skip_ws(ps);
    if (ps->p >= ps->end || at_newline(ps) || peek(ps) == '#') {
        return crt_fail(ps, ps->p, "expected a value after \"%s =\", found %s",
                        crt_key_name(&kp, kp.n, name, sizeof(name)),
                        crt_describe(ps, ps->p, buf));
    }
    *out = crt_new(ps, CR_TOML_STRING, crt_here(ps, ps->p));
    if (*out == NULL) {
        return -1;
    }
    *depth = t->depth + kp.n;
    return crt_insert_dotted(ps, t, &kp, *out);
}

/* key = value, leaving ps->p after the value. */
static int keyval(struct crt_parser *ps, struct cr_toml_value *t)
{
    struct cr_toml_value *v;
    unsigned depth, saved = ps->depth;
    if (key_eq_sign(ps, t, &v, &depth) != 0) {
        return -1;
    }
    ps->depth = depth;
    if (parse_value_into(ps, v) != 0) {
        return -1;
    }
    ps->depth = saved;
    return 0;
}

/* --- Document --------------------------------------------------------------
 */

/* [a.b] or [[a.b]]; returns the table that following keys go into. */
static struct cr_toml_value *header(struct crt_parser *ps)
{
    char buf[16];
    struct cr_pos open = crt_here(ps, ps->p);
    bool aot = ps->p + 1 < ps->end && ps->p[1] == '[';
    struct crt_key_path kp;
    ps->p += aot ? 2 : 1;
    if (parse_key(ps, &kp) != 0) {
        return NULL;
    }
    if (peek(ps) != ']' || (aot && (ps->p + 1 >= ps->end || ps->p[1] != ']'))) {
        char name[256];
        crt_fail(ps, ps->p, "expected '%s' after table name \"%s\", found %s",
                 aot ? "]]" : "]", crt_key_name(&kp, kp.n, name, sizeof(name)),
                 crt_describe(ps, ps->p, buf));
        return NULL;
    }
    ps->p += aot ? 2 : 1;
    return aot ? crt_append_table(ps, &kp, open)
               : crt_define_table(ps, &kp, open);
}

/* After an expression: optional comment, then a newline or the end. */
static int end_of_line(struct crt_parser *ps, const char *what)
{
    char buf[16];
    skip_ws(ps);
    if (peek(ps) == '#' && crt_skip_comment(ps) != 0) {
        return -1;
    }
    if (ps->p >= ps->end) {
        return 0;
    }
    if (at_newline(ps)) {
        eat_newline(ps);
        return 0;
    }
    return crt_fail(ps, ps->p, "expected a newline after %s, found %s", what,
                    crt_describe(ps, ps->p, buf));
}

static int document(struct crt_parser *ps)
{
    struct cr_toml_value *cur = &ps->doc->root;
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end) {
            return 0;
        }
        char c = *ps->p;
        const char *what = "a value";
        if (c == '[') {
            cur = header(ps);
            if (cur == NULL) {
                return -1;
            }
            what = "the table header";
        } else if (c != '#' && !at_newline(ps) && keyval(ps, cur) != 0) {
            return -1;
        } else if (c == '#' || at_newline(ps)) {
            what = "a comment";
        }
        if (end_of_line(ps, what) != 0) {
            return -1;
        }
    }
}

enum cr_toml_code crt_parse_doc(struct crt_parser *ps)
{
    /* A UTF-8 byte order mark may start the document. */
    if (ps->end - ps->p >= 3 && memcmp(ps->p, "\xEF\xBB\xBF", 3) == 0) {
        ps->p += 3;
        ps->line_start = ps->p;
    }
    if (document(ps) != 0) {
        return ps->err->code;
    }
    return CR_TOML_OK;
}
