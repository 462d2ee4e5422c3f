/*
 * tmpl_int: the renderer's run-time state, shared by the files of the tmpl
 * library (tmpl__ names). One struct tmpl_rt lives for one tmpl_render
 * call, on its stack; it owns the scopes, the loaded files and the output.
 */
#ifndef TMPL_INT_H
#define TMPL_INT_H

#include "tmpl.h"
#include "tmpl_ast.h"

/* How deep macros and includes may nest, how many items a loop may run and
 * how many bytes a render may produce: hostile templates end with an error
 * instead of exhausting the machine. */
#define TMPL_MAX_CALLS  32
#define TMPL_MAX_ITEMS  100000
#define TMPL_MAX_STEPS  1000000 /* loop iterations and macro calls */
#define TMPL_MAX_OUTPUT (16u << 20)

struct tmpl_import {
    char *alias;
    const struct tmpl_file *file;
};

struct tmpl_rt;

/* A filter's or a function's call with its arguments evaluated, as Tera
 * hands them over: filters and functions never evaluate expressions. */
struct tmpl_call {
    const char *name;
    struct cr_pos pos;
    size_t n_args;
    char *const *argnames;   /* NULL entries: positional; borrowed */
    struct tmpl_value *vals; /* n_args values, owned by the evaluator */
    const struct tmpl_expr *const *args; /* where each was written */
};

struct tmpl_rt {
    const struct tmpl_opts *opts;
    /* Calls a macro (tmpl_macro.c); a pointer, so that expressions and
     * statements, which call each other, stay in files that do not. */
    int (*call_macro)(struct tmpl_rt *rt, const struct tmpl_expr *e,
                      struct tmpl_value *out);
    struct cr_error *err;
    struct tmpl_value globals; /* vars, matrix, otel and top-level vars */
    struct tmpl_value *frames; /* scopes, innermost last; each an object */
    size_t n_frames, cap_frames;
    size_t frame_base;        /* a macro sees only frames from here */
    struct tmpl_file **files; /* [0] the template, then loaded ones */
    size_t n_files;
    struct tmpl_import *imports;
    size_t n_imports;
    const struct tmpl_file *cur; /* the file whose nodes run */
    unsigned cur_index;          /* its index in files */
    /* Output: the text goes to sink; the source map is kept only while
     * sink is &out (a macro renders into its own buffer). */
    struct cr_buf out, *sink;
    struct tmpl_line *lines;
    size_t n_lines, cap_lines;
    size_t next_src; /* the offset that would continue the verbatim run */
    bool verbatim_run;
    int depth;
    long steps;   /* loop iterations and macro calls so far */
    int loop_ctl; /* 1 break, 2 continue, pending */
    uint64_t rng; /* splitmix64 state */
    int64_t now_ms;
};

/* Sets err at pos in the current file and returns -1. (tmpl_rt.c) */
int tmpl__fail_at(struct tmpl_rt *rt, enum tmpl_code code, struct cr_pos pos,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Sets TMPL_E_NOMEM and returns -1. */
int tmpl__nomem(struct tmpl_rt *rt);
/* The error for using an undefined value v at pos; returns -1. */
int tmpl__undefined(struct tmpl_rt *rt, const struct tmpl_value *v,
                    struct cr_pos pos);
/* The argument called name of a call, or else the positional one at index
 * pos (-1: none), or NULL; *where (may be NULL) gets its position. */
const struct tmpl_value *tmpl__argv(const struct tmpl_call *c, const char *name,
                                    int pos, struct cr_pos *where);

/* Evaluates e into *out (a new value the caller releases); -1 on error.
 * (tmpl_eval.c) */
int tmpl__eval(struct tmpl_rt *rt, const struct tmpl_expr *e,
               struct tmpl_value *out);
/* The argument expression called name, or the positional one at index
 * pos (-1: none), or NULL. */
const struct tmpl_expr *tmpl__arg(const struct tmpl_expr *call,
                                  const char *name, int pos);

/* Applies filter c->name to *v in place. (tmpl_filter.c) */
int tmpl__filter(struct tmpl_rt *rt, const struct tmpl_call *c,
                 struct tmpl_value *v);
/* Calls function c->name. (tmpl_func.c) */
int tmpl__call(struct tmpl_rt *rt, const struct tmpl_call *c,
               struct tmpl_value *out);
/* Calls macro e->ns::e->name, rendering it into a string. (tmpl_macro.c) */
int tmpl__call_macro(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out);

/* The seeded generators (tmpl_fake.c): a fake_* function (1 when name is
 * none of them), uuids (RFC 9562 v4 or v7) and W3C traceparents. */
int tmpl__fake(struct tmpl_rt *rt, const struct tmpl_call *c,
               struct tmpl_value *out);
int tmpl__uuid(struct tmpl_rt *rt, bool v7, struct tmpl_value *out);
int tmpl__traceparent(struct tmpl_rt *rt, struct tmpl_value *out);

/* The next 64 random bits (splitmix64). */
uint64_t tmpl__rand(struct tmpl_rt *rt);

/* Fills rt->globals, the seed and the clock from the template's own
 * [vars] and [template.*] tables and opts. */
int tmpl__context(struct tmpl_rt *rt, const struct tmpl_file *f);

/* Reads [determinism] from a first rendering (text): seed sets rt->rng,
 * freeze_clock rt->now_ms. Returns 1 when either was set (render again),
 * 0 when none, -1 out of memory, -2 a bad freeze_clock (its position in
 * the rendered text in *at). */
int tmpl__determinism(struct tmpl_rt *rt, const char *text, size_t len,
                      struct cr_pos *at);

/* Renders a block into rt->sink. (tmpl_render.c) */
int tmpl__render_block(struct tmpl_rt *rt, const struct tmpl_block *b);
/* Runs block b of file f as the current file, nesting bounded. */
int tmpl__in_file(struct tmpl_rt *rt, const struct tmpl_file *f,
                  const struct tmpl_block *b, struct cr_pos at);
/* Pushes an empty scope; pops and frees the innermost one. */
int tmpl__push_frame(struct tmpl_rt *rt);
void tmpl__pop_frame(struct tmpl_rt *rt);

/* Evaluates a small template string (a [vars] value) with the context
 * built so far; the result replaces *v. */
int tmpl__render_string(struct tmpl_rt *rt, const char *path, struct cr_pos at,
                        struct tmpl_value *v);

#endif
