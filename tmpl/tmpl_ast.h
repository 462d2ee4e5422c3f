/*
 * tmpl_ast: a parsed template. A struct tmpl_file owns its source text, the
 * table of its line starts (so any byte offset turns into line:col) and the
 * tree of nodes; tmpl_file_free frees all of it. Nodes and expressions are
 * owned by their parent; names and literals by their node.
 *
 * Internal to the tmpl library (tmpl__ names); see tmpl.h for the API.
 */
#ifndef TMPL_AST_H
#define TMPL_AST_H

#include "cr_error.h"
#include "tmpl_value.h"

enum tmpl_expr_kind {
    TMPL_EX_LIT,    /* lit */
    TMPL_EX_VAR,    /* name */
    TMPL_EX_ATTR,   /* a.name */
    TMPL_EX_INDEX,  /* a[b] */
    TMPL_EX_ARRAY,  /* [args...] */
    TMPL_EX_CALL,   /* name(args) or ns::name(args) */
    TMPL_EX_FILTER, /* a | name(args) */
    TMPL_EX_TEST,   /* a is [not] name(args) */
    TMPL_EX_UNARY,  /* op a: '-' or 'n' (not) */
    TMPL_EX_BINARY, /* a op b */
};

/* Binary operators; one character each so the evaluator can switch. */
#define TMPL_OP_EQ  'e' /* == */
#define TMPL_OP_NE  'n' /* != */
#define TMPL_OP_LE  'l' /* <= */
#define TMPL_OP_GE  'g' /* >= */
#define TMPL_OP_AND '&'
#define TMPL_OP_OR  '|'
#define TMPL_OP_IN  'i' /* in */
#define TMPL_OP_NIN 'I' /* not in */

struct tmpl_expr {
    enum tmpl_expr_kind kind;
    int op;
    bool negated;      /* TMPL_EX_TEST: `is not` */
    struct cr_pos pos; /* where the expression starts */
    struct tmpl_value lit;
    char *name; /* variable, attribute, function, filter, test */
    char *ns;   /* macro namespace of a call, or NULL */
    struct tmpl_expr *a, *b;
    struct tmpl_expr **args; /* call, filter and test arguments, arrays */
    char **argnames;         /* NULL entries for positional arguments */
    size_t n_args;
};

enum tmpl_node_kind {
    TMPL_N_TEXT,  /* src[off..off+len) verbatim */
    TMPL_N_PRINT, /* {{ expr }} */
    TMPL_N_IF,    /* if expr body, else_body (elif: one nested if) */
    TMPL_N_FOR,   /* for name[, name2] in expr body */
    TMPL_N_SET,   /* set[_global] name = expr */
    TMPL_N_INCLUDE,
    TMPL_N_IMPORT, /* import "name" as name2 */
    TMPL_N_MACRO,  /* macro name(params) body; defaults in args */
    TMPL_N_BREAK,
    TMPL_N_CONTINUE,
};

struct tmpl_node;

struct tmpl_block {
    struct tmpl_node *nodes;
    size_t n, cap;
};

struct tmpl_node {
    enum tmpl_node_kind kind;
    struct cr_pos pos;
    size_t off, len;
    bool global;
    char *name, *name2;
    struct tmpl_expr *expr;
    struct tmpl_block body, else_body;
    char **params;           /* macro parameter names */
    struct tmpl_expr **defs; /* their defaults (NULL: required) */
    size_t n_params;
};

struct tmpl_file {
    char *path; /* as given, for messages */
    char *src;
    size_t len;
    size_t *line_starts;
    size_t n_lines;
    struct tmpl_block root;
};

/* Parses len bytes of src as a template named path into a new file
 * (tmpl_file_free). Returns TMPL_OK, or a code with err at the position. */
enum tmpl_code tmpl__parse(const char *src, size_t len, const char *path,
                           struct tmpl_file **out, struct cr_error *err);

/* Frees a file and everything it owns; NULL is allowed. */
void tmpl__file_free(struct tmpl_file *f);

/* The line:col of byte offset off in f. */
struct cr_pos tmpl__pos(const struct tmpl_file *f, size_t off);

void tmpl__expr_free(struct tmpl_expr *e);
void tmpl__block_release(struct tmpl_block *b);

#endif
