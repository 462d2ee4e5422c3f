/*
 * taskrun_duck_int: the interpreter's state, shared by the core
 * (taskrun_duck.c), the commands (taskrun_duck_cmds*.c) and the state
 * helpers (taskrun_duck_state.c). Internal to taskrun_lib.
 *
 * Every string in these structs is owned by the struct holding it. Values
 * returned by the getters are borrowed until the next change of the same
 * variable or handle.
 */
#ifndef TASKRUN_DUCK_INT_H
#define TASKRUN_DUCK_INT_H

#include "cr_buf.h"
#include "taskrun_duck.h"

#include <stdbool.h>
#include <stddef.h>

/* What a command reports besides its output. */
enum duck_rc {
    DUCK_OK = 0,
    DUCK_SOFT,  /* failed: output becomes "false", last_error is set */
    DUCK_FATAL, /* the script stops with d->msg */
    DUCK_EXIT,  /* `exit`: the script stops with d->exit_code */
    DUCK_NOMEM,
};

struct duck_var {
    char *name;
    char *value;
};

/* A table of variables: one for the script, one per scoped call. */
struct duck_vars {
    struct duck_var *v;
    size_t n, cap;
};

/* A map keeps its entries as key, value, key, value... in items. */
enum duck_handle_kind { DUCK_ARRAY, DUCK_SET, DUCK_MAP };

struct duck_handle {
    char *id; /* "handle:array:N"; NULL: a free slot */
    enum duck_handle_kind kind;
    struct cr_strv items;
};

/* What a parsed line is. */
enum duck_kind {
    K_NOP,
    K_CMD,
    K_IF,
    K_ELSEIF,
    K_ELSE,
    K_END,
    K_FOR,
    K_WHILE,
    K_FN,
};

/* One line of the program (taskrun_duck_parse.c makes them). */
struct duck_line {
    unsigned no;         /* 1-based line in the text */
    char *label;         /* ":name" on this line, or NULL */
    char *out;           /* the assigned variable, or NULL */
    struct cr_strv argv; /* command then arguments, unexpanded */
    enum duck_kind kind;
    size_t next;   /* if/elseif/else: the next branch (or end) */
    size_t end;    /* openers and branches: their end line */
    size_t opener; /* end: the line it closes */
    bool scoped;   /* fn <scope> */
};

/* Escaped '$' and '%' are kept as these bytes until after expansion. */
#define DUCK_ESC_DOLLAR  '\x01'
#define DUCK_ESC_PERCENT '\x02'

struct taskrun_duck {
    struct taskrun_duck_io io;
    struct cr_strv env; /* "K=V" */
    char *cwd;
    char *name; /* for messages */
    struct duck_line *lines;
    size_t nlines;
    struct duck_vars globals;
    struct duck_vars *vars; /* the current table: globals or a scope */
    struct duck_handle *handles;
    size_t nhandles;
    unsigned long next_handle;
    int exit_code;
    int depth;            /* nested function calls */
    const char *outvar;   /* the variable the running line assigns, or NULL */
    bool located;         /* msg already starts with "name:LINE: " */
    char msg[900];        /* the failing command's message */
    char last_error[900]; /* get_last_error: the last DUCK_SOFT message */
};

/* Frees d's program (taskrun_duck_parse.c). */
void taskrun_duck__lines_release(struct taskrun_duck *d);

/* Variables of the current scope. NULL when unset. */
const char *taskrun_duck__get(const struct taskrun_duck *d, const char *name);
/* Sets (copies) or, for value NULL, unsets. Returns 0 or -ENOMEM. */
int taskrun_duck__set(struct taskrun_duck *d, const char *name,
                      const char *value);
void taskrun_duck__vars_release(struct duck_vars *vs);

/* The environment. NULL when unset. */
const char *taskrun_duck__getenv(const struct taskrun_duck *d,
                                 const char *name);
/* value NULL unsets. Returns 0 or -ENOMEM. */
int taskrun_duck__setenv(struct taskrun_duck *d, const char *name,
                         const char *value);

/* A new empty handle; its id is written to out. NULL when out of memory. */
struct duck_handle *taskrun_duck__handle_new(struct taskrun_duck *d,
                                             enum duck_handle_kind kind,
                                             struct cr_buf *out);
/* The handle named id, or NULL. */
struct duck_handle *taskrun_duck__handle(struct taskrun_duck *d,
                                         const char *id);
/* Frees the handle named id; false when there is none. */
bool taskrun_duck__handle_release(struct taskrun_duck *d, const char *id);
void taskrun_duck__handles_release(struct taskrun_duck *d);

/* path resolved against d->cwd; caller frees. NULL when out of memory. */
char *taskrun_duck__path(const struct taskrun_duck *d, const char *path);

/* Sets d->msg (printf-style) and returns rc, for commands. */
enum duck_rc taskrun_duck__fail(struct taskrun_duck *d, enum duck_rc rc,
                                const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Command output helpers: set *has_out and append s, "true"/"false" or
 * the number. DUCK_NOMEM when out of memory. */
enum duck_rc taskrun_duck__put(struct cr_buf *out, bool *has_out,
                               const char *s);
enum duck_rc taskrun_duck__put_bool(struct cr_buf *out, bool *has_out, bool v);
enum duck_rc taskrun_duck__put_num(struct cr_buf *out, bool *has_out,
                                   long long v);
/* DUCK_SOFT "usage: ..." unless argv has at least n arguments. */
enum duck_rc taskrun_duck__need(struct taskrun_duck *d, int argc, int n,
                                const char *usage);
/* A whole decimal integer. */
bool taskrun_duck__to_num(const char *s, long long *v);

/* duckscript's truth: false for "", "0", "false", "no" (any case). */
bool taskrun_duck__truthy(const char *s);

/*
 * A builtin command. argv[0] is the command name; args are expanded.
 * Output goes to out with *has_out set; a command without output leaves
 * the assigned variable unset.
 */
typedef enum duck_rc (*duck_cmd_fn)(struct taskrun_duck *d, int argc,
                                    char **argv, struct cr_buf *out,
                                    bool *has_out);

/* Declares the command function of name, for the X-macro lists of the
 * command files (taskrun_duck_sys.h, _str.h, _coll.h). */
#define DUCK_DECLARE_COMMAND(name)                                             \
    enum duck_rc taskrun_duck__cmd_##name(struct taskrun_duck *d, int argc,    \
                                          char **argv, struct cr_buf *out,     \
                                          bool *has_out);

/* The builtin called name (taskrun_duck_cmds.c), or NULL. */
duck_cmd_fn taskrun_duck__command(const char *name);

#endif
