/*
 * cr_toml_cursor: the parser's state (where it is in the input, the
 * document it fills, the caller's error) and the helpers every part of the
 * parser uses: positions, failure messages and the scratch buffer. Internal
 * to the cr_toml files.
 *
 * Failures: each fills ps->err with "FILE:LINE:COL: message" and returns
 * -1; the first failure stops the parse. The scratch buffer belongs to the
 * parser state and is freed by whoever set the state up (cr_toml_parse).
 */
#ifndef CR_TOML_CURSOR_H
#define CR_TOML_CURSOR_H

#include <stdarg.h>
#include <stddef.h>

#include "cr_error.h"
#include "cr_toml_tree.h"
#include "cr_toml_types.h"

/* Parser state. Errors are stored in err and the functions return -1. */
struct crt_parser {
    const char *p, *end;
    const char *line_start;
    unsigned line;
    unsigned depth; /* depth of the value being parsed */
    struct cr_toml_doc *doc;
    struct cr_error *err;
    const char *fname;
    /* Scratch for string decoding and number normalisation. */
    char *scratch;
    size_t scratch_cap;
};

/* Formats "FILE:LINE:COL: message" into err (may be NULL). */
void crt_verror(struct cr_error *err, enum cr_toml_code code, const char *fname,
                struct cr_pos pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* The position of at, which is on the cursor's current line. Inline: the
 * grammar asks for it for every key and value. */
static inline struct cr_pos crt_here(const struct crt_parser *ps,
                                     const char *at)
{
    struct cr_pos pos = { ps->line, (unsigned)(at - ps->line_start) + 1 };
    return pos;
}
/* Fail with a CR_TOML_E_SYNTAX message at a byte or a position; return -1
 * so that `return crt_fail(...)` is one line. */
int crt_fail(struct crt_parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int crt_fail_pos(struct crt_parser *ps, struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Fails with CR_TOML_E_NOMEM; returns -1. */
int crt_nomem(struct crt_parser *ps);
/* Describes the byte at p for messages: "'x'", "end of file", "newline". */
const char *crt_describe(const struct crt_parser *ps, const char *p,
                         char buf[16]);
/* Grows the scratch buffer to hold n bytes; 0, or -1 after crt_nomem. */
int crt_scratch(struct crt_parser *ps, size_t n);

/* crt_value_new in the parser's document, failing with crt_nomem when out
 * of memory. */
static inline struct cr_toml_value *
crt_new(struct crt_parser *ps, enum cr_toml_type t, struct cr_pos pos)
{
    struct cr_toml_value *v = crt_value_new(ps->doc, t, pos);
    if (v == NULL) {
        crt_nomem(ps);
    }
    return v;
}

#endif
