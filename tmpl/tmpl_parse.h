/*
 * tmpl_parse: the parser's state, shared by the statement parser
 * (tmpl_parse.c), the expression parser (tmpl_parse_expr.c) and the
 * tokenizer (tmpl_lex.c). Internal to the tmpl library.
 *
 * The tokenizer reads tag contents straight from the source, so every token
 * knows its offset; a tag ends at the first `}}` or `%}` (optionally
 * preceded by `-`) outside a string.
 */
#ifndef TMPL_PARSE_H
#define TMPL_PARSE_H

#include "tmpl_ast.h"
#include "tmpl_error.h"

enum tmpl_tok_kind {
    TMPL_T_EOF,   /* end of input inside a tag */
    TMPL_T_END,   /* }} or %} (trim tells whether `-` came first) */
    TMPL_T_IDENT, /* names and keywords */
    TMPL_T_INT,
    TMPL_T_FLOAT,
    TMPL_T_STR, /* "..", '..' or `..`, without escapes, like Tera */
    TMPL_T_OP,  /* punctuation; op holds it, two-character ones coded */
};

struct tmpl_tok {
    enum tmpl_tok_kind kind;
    size_t off, len; /* the token's bytes in the source */
    int op;
    bool trim; /* TMPL_T_END: -}} or -%} */
    int64_t i;
    double f;
};

struct tmpl_parser {
    struct tmpl_file *f;
    size_t at; /* next byte to read */
    struct tmpl_tok tok;
    bool lstrip_next; /* the last tag ended with `-`: trim what follows */
    int depth;        /* nesting, bounded against hostile input */
    struct cr_error *err;
};

/* The most nested blocks and expressions a template may have. */
#define TMPL_MAX_DEPTH 64

/* Reads the next token into p->tok; -1 with err set on a bad token. */
int tmpl__next(struct tmpl_parser *p);

/* Sets err at offset off of the file and returns -1. */
int tmpl__fail(struct tmpl_parser *p, enum tmpl_code code, size_t off,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* True when the current token is the identifier word. */
bool tmpl__is_word(const struct tmpl_parser *p, const char *word);
/* True when the current token is the operator op. */
bool tmpl__is_op(const struct tmpl_parser *p, int op);

/* A copy of the current token's text, or NULL with err set. */
char *tmpl__tok_text(struct tmpl_parser *p);

/* Parses an expression at the current token; NULL with err set. */
struct tmpl_expr *tmpl__parse_expr(struct tmpl_parser *p);

#endif
