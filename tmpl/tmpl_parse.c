/* tmpl_parse: splits a template into text and tags and parses the tags'
 * statements into blocks. See tmpl_ast.h and tmpl_parse.h. */
#include "tmpl_parse.h"

#include "cr_alloc.h"

#include <ctype.h>
#include <string.h>

static struct tmpl_node *add_node(struct tmpl_parser *p, struct tmpl_block *b,
                                  enum tmpl_node_kind kind, size_t off)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        struct tmpl_node *nodes = cr_realloc(b->nodes, cap * sizeof(*nodes));
        if (nodes == NULL) {
            tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory");
            return NULL;
        }
        b->nodes = nodes, b->cap = cap;
    }
    memset(&b->nodes[b->n], 0, sizeof(b->nodes[0]));
    b->nodes[b->n].kind = kind;
    b->nodes[b->n].pos = tmpl__pos(p->f, off);
    b->nodes[b->n].off = off;
    return &b->nodes[b->n++];
}

/* Appends src[off..end) as text, trimmed as the tags around it ask. */
static int add_text(struct tmpl_parser *p, struct tmpl_block *b, size_t off,
                    size_t end, bool rstrip)
{
    const char *s = p->f->src;
    struct tmpl_node *n;

    if (p->lstrip_next)
        while (off < end && isspace((unsigned char)s[off]))
            off++;
    p->lstrip_next = false;
    if (rstrip)
        while (end > off && isspace((unsigned char)s[end - 1]))
            end--;
    if (end == off)
        return 0;
    if ((n = add_node(p, b, TMPL_N_TEXT, off)) == NULL)
        return -1;
    n->len = end - off;
    return 0;
}

/* Expects the end of the tag and remembers its `-`. */
static int expect_end(struct tmpl_parser *p)
{
    if (p->tok.kind != TMPL_T_END)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                          p->tok.kind == TMPL_T_EOF
                              ? "unclosed tag: expected %%} or }}"
                              : "unexpected \"%.*s\": expected the end of the "
                                "tag",
                          (int)(p->tok.len < 40 ? p->tok.len : 40),
                          p->f->src + p->tok.off);
    p->lstrip_next = p->tok.trim;
    return 0;
}

static int expect_ident(struct tmpl_parser *p, char **out, const char *what)
{
    if (p->tok.kind != TMPL_T_IDENT)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected %s", what);
    if ((*out = tmpl__tok_text(p)) == NULL)
        return -1;
    return tmpl__next(p);
}

static int parse_block(struct tmpl_parser *p, struct tmpl_block *b,
                       const char *const *ends, size_t *which, size_t open);

/* A statement's expression followed by the end of its tag. */
static int expr_then_end(struct tmpl_parser *p, struct tmpl_expr **out)
{
    return (*out = tmpl__parse_expr(p)) == NULL ? -1 : expect_end(p);
}

static int parse_if(struct tmpl_parser *p, struct tmpl_block *b, size_t off)
{
    static const char *const ends[] = { "endif", "elif", "else", NULL };
    static const char *const endif[] = { "endif", NULL };
    struct tmpl_node *n = add_node(p, b, TMPL_N_IF, off);
    size_t which;

    if (n == NULL || expr_then_end(p, &n->expr) != 0)
        return -1;
    n = NULL; /* the block may move while its body is parsed */
    if (parse_block(p, &b->nodes[b->n - 1].body, ends, &which, off) != 0)
        return -1;
    if (which == 1) /* elif: a nested if in the else branch */
        return tmpl__next(p) != 0
                   ? -1
                   : parse_if(p, &b->nodes[b->n - 1].else_body, p->tok.off);
    if (which == 2) {
        if (tmpl__next(p) != 0 || expect_end(p) != 0 ||
            parse_block(p, &b->nodes[b->n - 1].else_body, endif, &which, off) !=
                0)
            return -1;
    }
    return tmpl__next(p) != 0 ? -1 : expect_end(p);
}

static int parse_for(struct tmpl_parser *p, struct tmpl_block *b, size_t off)
{
    static const char *const ends[] = { "endfor", "else", NULL };
    struct tmpl_node *n = add_node(p, b, TMPL_N_FOR, off);
    size_t which;

    if (n == NULL || expect_ident(p, &n->name, "a loop variable") != 0)
        return -1;
    if (tmpl__is_op(p, ',') &&
        (tmpl__next(p) != 0 || expect_ident(p, &n->name2, "a value name")))
        return -1;
    if (!tmpl__is_word(p, "in"))
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected \"in\"");
    if (tmpl__next(p) != 0 || expr_then_end(p, &n->expr) != 0)
        return -1;
    if (parse_block(p, &b->nodes[b->n - 1].body, ends, &which, off) != 0)
        return -1;
    if (which == 1) { /* {% else %}: what an empty loop renders */
        static const char *const endfor[] = { "endfor", NULL };
        if (tmpl__next(p) != 0 || expect_end(p) != 0 ||
            parse_block(p, &b->nodes[b->n - 1].else_body, endfor, &which,
                        off) != 0)
            return -1;
    }
    return tmpl__next(p) != 0 ? -1 : expect_end(p);
}

static int parse_set(struct tmpl_parser *p, struct tmpl_block *b, size_t off,
                     bool global)
{
    struct tmpl_node *n = add_node(p, b, TMPL_N_SET, off);

    if (n == NULL)
        return -1;
    n->global = global;
    if (expect_ident(p, &n->name, "a variable name") != 0)
        return -1;
    if (!tmpl__is_op(p, '='))
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected '='");
    return tmpl__next(p) != 0 ? -1 : expr_then_end(p, &n->expr);
}

static int parse_file_ref(struct tmpl_parser *p, struct tmpl_block *b,
                          size_t off, bool import)
{
    struct tmpl_node *n =
        add_node(p, b, import ? TMPL_N_IMPORT : TMPL_N_INCLUDE, off);

    if (n == NULL)
        return -1;
    if (p->tok.kind != TMPL_T_STR)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                          "expected a quoted file name");
    if ((n->name = tmpl__tok_text(p)) == NULL || tmpl__next(p) != 0)
        return -1;
    if (import) {
        if (!tmpl__is_word(p, "as"))
            return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                              "expected \"as NAME\"");
        if (tmpl__next(p) != 0 ||
            expect_ident(p, &n->name2, "a namespace name") != 0)
            return -1;
    }
    return expect_end(p);
}

static int add_param(struct tmpl_parser *p, struct tmpl_node *n)
{
    char **params = cr_realloc(n->params, (n->n_params + 1) * sizeof(char *));
    struct tmpl_expr **defs;

    if (params != NULL)
        n->params = params;
    defs =
        params ? cr_realloc(n->defs, (n->n_params + 1) * sizeof(*defs)) : NULL;
    if (defs == NULL)
        return tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory"), -1;
    n->defs = defs;
    n->defs[n->n_params] = NULL;
    n->params[n->n_params] = NULL;
    if (expect_ident(p, &n->params[n->n_params++], "a parameter name") != 0)
        return -1;
    if (tmpl__is_op(p, '=')) /* defaults are literals in Tera */
        return tmpl__next(p) != 0 ||
                       (n->defs[n->n_params - 1] = tmpl__parse_expr(p)) == NULL
                   ? -1
                   : 0;
    return 0;
}

static int parse_macro(struct tmpl_parser *p, struct tmpl_block *b, size_t off)
{
    static const char *const ends[] = { "endmacro", NULL };
    struct tmpl_node *n = add_node(p, b, TMPL_N_MACRO, off);
    size_t which;

    if (n == NULL || expect_ident(p, &n->name, "a macro name") != 0)
        return -1;
    if (!tmpl__is_op(p, '('))
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected '('");
    if (tmpl__next(p) != 0)
        return -1;
    while (!tmpl__is_op(p, ')')) {
        if (add_param(p, n) != 0)
            return -1;
        if (tmpl__is_op(p, ',') && tmpl__next(p) != 0)
            return -1;
        else if (!tmpl__is_op(p, ')') && p->tok.kind != TMPL_T_IDENT)
            return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                              "expected ',' or ')'");
    }
    if (tmpl__next(p) != 0 || expect_end(p) != 0)
        return -1;
    if (parse_block(p, &b->nodes[b->n - 1].body, ends, &which, off) != 0)
        return -1;
    if (tmpl__next(p) != 0) /* Tera allows the name after endmacro */
        return -1;
    if (p->tok.kind == TMPL_T_IDENT && tmpl__next(p) != 0)
        return -1;
    return expect_end(p);
}

/* {% raw %}: everything up to {% endraw %} is text. */
static int parse_raw(struct tmpl_parser *p, struct tmpl_block *b, size_t off)
{
    const char *s = p->f->src;

    if (tmpl__next(p) != 0 || expect_end(p) != 0)
        return -1;
    for (size_t i = p->at; i + 1 < p->f->len; i++) {
        size_t j = i + 2, k;
        bool trim = false;
        if (s[i] != '{' || s[i + 1] != '%')
            continue;
        if (j < p->f->len && s[j] == '-')
            j++, trim = true;
        while (j < p->f->len && isspace((unsigned char)s[j]))
            j++;
        if (p->f->len - j < 6 || memcmp(s + j, "endraw", 6) != 0)
            continue;
        for (k = j + 6; k < p->f->len && isspace((unsigned char)s[k]); k++)
            ;
        if (add_text(p, b, p->at, i, trim) != 0)
            return -1;
        p->at = k;
        return tmpl__next(p) != 0 ? -1 : expect_end(p);
    }
    return tmpl__fail(p, TMPL_E_SYNTAX, off,
                      "{%% raw %%} without {%% endraw %%}");
}

static bool is_closer(const struct tmpl_parser *p)
{
    static const char *const words[] = { "elif",   "else",   "endif",
                                         "endfor", "endraw", "endmacro" };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (tmpl__is_word(p, words[i]))
            return true;
    return false;
}

static int unsupported(struct tmpl_parser *p, size_t off)
{
    return tmpl__fail(p, TMPL_E_UNSUPPORTED, off,
                      "{%% %.*s %%} is not supported in test files (see "
                      "\"Templates\" in clnrm/README.md)",
                      (int)p->tok.len, p->f->src + p->tok.off);
}

static int parse_statement(struct tmpl_parser *p, struct tmpl_block *b,
                           size_t off)
{
    static const char *const refused[] = { "extends", "block", "endblock",
                                           "filter", "endfilter" };
    int rc;

    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (tmpl__is_word(p, refused[i]))
            return unsupported(p, off);
    if (tmpl__is_word(p, "break") || tmpl__is_word(p, "continue")) {
        bool brk = tmpl__is_word(p, "break");
        if (add_node(p, b, brk ? TMPL_N_BREAK : TMPL_N_CONTINUE, off) == NULL)
            return -1;
        return tmpl__next(p) != 0 ? -1 : expect_end(p);
    }
    if (tmpl__is_word(p, "raw"))
        return parse_raw(p, b, off);
    if (p->tok.kind != TMPL_T_IDENT)
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected a statement");
    if (++p->depth > TMPL_MAX_DEPTH)
        return tmpl__fail(p, TMPL_E_LIMIT, off, "blocks nested too deeply");
    if (tmpl__is_word(p, "if"))
        rc = tmpl__next(p) || parse_if(p, b, off);
    else if (tmpl__is_word(p, "for"))
        rc = tmpl__next(p) || parse_for(p, b, off);
    else if (tmpl__is_word(p, "set") || tmpl__is_word(p, "set_global")) {
        bool global = tmpl__is_word(p, "set_global");
        rc = tmpl__next(p) || parse_set(p, b, off, global);
    } else if (tmpl__is_word(p, "include") || tmpl__is_word(p, "import")) {
        bool import = tmpl__is_word(p, "import");
        rc = tmpl__next(p) || parse_file_ref(p, b, off, import);
    } else if (tmpl__is_word(p, "macro"))
        rc = tmpl__next(p) || parse_macro(p, b, off);
    else if (is_closer(p))
        rc = tmpl__fail(p, TMPL_E_SYNTAX, off,
                        "{%% %.*s %%} without a matching opening tag",
                        (int)p->tok.len, p->f->src + p->tok.off);
    else
        rc = tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                        "unknown statement \"%.*s\"", (int)p->tok.len,
                        p->f->src + p->tok.off);
    p->depth--;
    return rc != 0 ? -1 : 0;
}

/* Where the next tag starts at or after from, or len; *kind is its second
 * character ('{', '%' or '#'). */
static size_t find_tag(const char *s, size_t from, size_t len, char *kind)
{
    for (size_t i = from; i + 1 < len; i++) {
        if (s[i] == '{' &&
            (s[i + 1] == '{' || s[i + 1] == '%' || s[i + 1] == '#')) {
            *kind = s[i + 1];
            return i;
        }
    }
    return len;
}

static int skip_comment(struct tmpl_parser *p, size_t i)
{
    const char *s = p->f->src;

    for (size_t k = i + 2; k + 1 < p->f->len; k++) {
        if (s[k] == '#' && s[k + 1] == '}') {
            p->lstrip_next = k > i + 2 && s[k - 1] == '-';
            p->at = k + 2;
            return 0;
        }
    }
    return tmpl__fail(p, TMPL_E_SYNTAX, i, "unclosed comment: expected #}");
}

static int parse_print(struct tmpl_parser *p, struct tmpl_block *b, size_t off)
{
    struct tmpl_node *n = add_node(p, b, TMPL_N_PRINT, off);

    if (n == NULL || (n->expr = tmpl__parse_expr(p)) == NULL ||
        expect_end(p) != 0)
        return -1;
    if (p->f->src[p->tok.off + (p->tok.trim ? 1 : 0)] != '}')
        return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                          "expected }} to close {{");
    return 0;
}

/* Parses text and tags into b until one of ends (a statement keyword, left
 * as the current token, its index in *which) or, with no ends, the end of
 * the file. open is where the enclosing statement started. */
static int parse_block(struct tmpl_parser *p, struct tmpl_block *b,
                       const char *const *ends, size_t *which, size_t open)
{
    const char *s = p->f->src;

    for (;;) {
        char kind = 0;
        size_t i = find_tag(s, p->at, p->f->len, &kind);
        bool trim = i + 2 < p->f->len && s[i + 2] == '-';
        if (add_text(p, b, p->at, i, i < p->f->len && trim) != 0)
            return -1;
        if (i >= p->f->len) {
            if (ends == NULL)
                return 0;
            return tmpl__fail(p, TMPL_E_SYNTAX, open,
                              "this block is never closed: expected "
                              "{%% %s %%}",
                              ends[0]);
        }
        if (kind == '#') {
            if (skip_comment(p, i) != 0)
                return -1;
            continue;
        }
        p->at = i + 2 + (trim ? 1 : 0);
        if (tmpl__next(p) != 0)
            return -1;
        if (kind == '{') {
            if (parse_print(p, b, i) != 0)
                return -1;
            continue;
        }
        for (size_t k = 0; ends != NULL && ends[k] != NULL; k++) {
            if (tmpl__is_word(p, ends[k])) {
                *which = k;
                return 0;
            }
        }
        if (parse_statement(p, b, i) != 0)
            return -1;
    }
}

static int line_table(struct tmpl_file *f)
{
    size_t n = 1;

    for (size_t i = 0; i < f->len; i++)
        n += f->src[i] == '\n';
    f->line_starts = cr_malloc(n * sizeof(size_t));
    if (f->line_starts == NULL)
        return -1;
    f->line_starts[0] = 0;
    f->n_lines = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->src[i] == '\n')
            f->line_starts[f->n_lines++] = i + 1;
    return 0;
}

static int copy_src(struct tmpl_file *f, const char *src, size_t len)
{
    memcpy(f->src, src, len);
    f->src[len] = '\0';
    f->len = len;
    return line_table(f);
}

enum tmpl_code tmpl__parse(const char *src, size_t len, const char *path,
                           struct tmpl_file **out, struct cr_error *err)
{
    struct tmpl_parser p = { 0 };
    struct cr_error local = { 0 };
    struct tmpl_file *f = cr_calloc(1, sizeof(*f));

    *out = NULL;
    if (f == NULL || (f->path = cr_strdup(path)) == NULL ||
        (f->src = cr_malloc(len + 1)) == NULL || copy_src(f, src, len) != 0) {
        tmpl__file_free(f);
        return tmpl_error_set(err, TMPL_E_NOMEM, "out of memory");
    }
    p.f = f;
    p.err = err != NULL ? err : &local;
    if (parse_block(&p, &f->root, NULL, NULL, 0) != 0) {
        tmpl__file_free(f);
        return (enum tmpl_code)p.err->code;
    }
    *out = f;
    return TMPL_OK;
}
