/*
 * cr_error: the one error convention of every library in this project
 * (see STYLE.md, "Errors").
 *
 * A function that can fail returns its library's result code: an enum
 * generated from one X-macro list per library (enum cr_toml_code,
 * enum engine_code, enum clnrm_code, enum taskrun_code, enum slo_code),
 * whose first value, 0, is success. The detail goes to a caller-owned
 * struct cr_error, which may be NULL: the code again, a one-line message
 * naming the file:line:col or the resource, and where it applies the
 * position in the input or the HTTP status. Libraries never print, exit or
 * abort; a tool's main() maps the code to its exit status.
 *
 * The small helpers of common/ that can fail only for a system reason
 * (cr_buf, cr_fs, cr_proc) return 0 or a negative errno value instead, and
 * leave the message to the library that calls them.
 */
#ifndef CR_ERROR_H
#define CR_ERROR_H

#include <stdarg.h>
#include <stddef.h>

/* A position in an input file; 0 means unknown. */
struct cr_pos {
    unsigned line; /* 1-based */
    unsigned col;  /* 1-based byte column */
};

struct cr_error {
    int code;          /* the library's result code; 0 is success */
    int http_status;   /* the engine's HTTP status, 0 when none */
    struct cr_pos pos; /* where in the input, for parse errors */
    char msg[1024];    /* one line, no trailing newline */
};

/*
 * Sets err (which may be NULL) to code and a printf-formatted message and
 * returns code. Libraries do not call it directly: each defines its own
 * typed setter with CR_DEFINE_ERROR_SET, for example clnrm_error_set, so
 * that `return clnrm_error_set(err, CLNRM_E_IO, "cannot read %s", path);`
 * is one line and the compiler (-Wenum-conversion) checks that the code
 * belongs to the function's enum.
 */
int cr_error_set(struct cr_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cr_error_vset(struct cr_error *err, int code, const char *fmt, va_list ap);

/* Keeps a message to one line, in place: newlines and other control
 * characters (quoted from the input: keys, commands) become \n, \r, \xNN.
 * Both setters above and the TOML parser's errors apply it. */
void cr_error_one_line(char *msg, size_t size);

/* Declares and defines `type name(struct cr_error *, type, fmt, ...)`. */
#define CR_DECLARE_ERROR_SET(name, type)                                       \
    type name(struct cr_error *err, type code, const char *fmt, ...)           \
        __attribute__((format(printf, 3, 4)))
#define CR_DEFINE_ERROR_SET(name, type)                                        \
    type name(struct cr_error *err, type code, const char *fmt, ...)           \
    {                                                                          \
        va_list ap;                                                            \
        va_start(ap, fmt);                                                     \
        cr_error_vset(err, (int)code, fmt, ap);                                \
        va_end(ap);                                                            \
        return code;                                                           \
    }

/* One row of a library's code table, made from its X-macro list. */
struct cr_code_info {
    const char *text; /* "image not found" */
    int status;       /* the tool's exit status for it */
};

/* The text of code in table (n rows), or "unknown error". */
const char *cr_code_text(const struct cr_code_info *table, size_t n, int code);

/* The exit status of code in table (n rows), or 1 when out of range. */
int cr_code_status(const struct cr_code_info *table, size_t n, int code);

/*
 * A library whose codes come from an X-macro list of X(name, exit status,
 * text) declares its three code functions in its header with
 * CR_DECLARE_CODES(lib, type):
 *
 *   const char *lib_strerror(type code);   static text for code
 *   int lib_exit_status(type code);        the tool's exit status for it
 *   type lib_error_set(err, code, fmt, ...);   see cr_error_set
 *
 * and defines them in one .c file with CR_DEFINE_CODES(lib, type, LIST).
 */
#define CR_DECLARE_CODES(lib, type)                                            \
    const char *lib##_strerror(type code);                                     \
    int lib##_exit_status(type code);                                          \
    CR_DECLARE_ERROR_SET(lib##_error_set, type)

/*
 * X-macro rows. A list is X(NAME, exit status, text) for a library whose
 * tool maps codes to exit statuses by the table (clnrm, taskrun, slo), or
 * X(NAME, text) for a library whose callers decide (engine, TOML). Names
 * are written whole, LIB_OK first, so `enum lib_code {
 * LIB_CODES(CR_CODE_ENUM) };` (or CR_CODE_TEXT_ENUM) makes the enum.
 */
#define CR_CODE_ENUM(name, status, text) name,
#define CR_CODE_ROW(name, status, text)  { text, status },
#define CR_CODE_TEXT_ENUM(name, text)    name,
#define CR_CODE_TEXT_ROW(name, text)     { text, 1 },

/* Defines the code table of LIST (rows made by ROW) and
 * `const char *lib_strerror(type code)`. */
#define CR_DEFINE_STRERROR(lib, type, LIST, ROW)                               \
    static const struct cr_code_info lib##_codes[] = { LIST(ROW) };            \
    const char *lib##_strerror(type code)                                      \
    {                                                                          \
        return cr_code_text(lib##_codes,                                       \
                            sizeof(lib##_codes) / sizeof(lib##_codes[0]),      \
                            (int)code);                                        \
    }

/*
 * A library whose list has exit statuses declares its three code functions
 * in its header with CR_DECLARE_CODES(lib, type):
 *
 *   const char *lib_strerror(type code);   static text for code
 *   int lib_exit_status(type code);        the tool's exit status for it
 *   type lib_error_set(err, code, fmt, ...);   see cr_error_set
 *
 * and defines them in one .c file with CR_DEFINE_CODES(lib, type, LIST).
 */
#define CR_DECLARE_CODES(lib, type)                                            \
    const char *lib##_strerror(type code);                                     \
    int lib##_exit_status(type code);                                          \
    CR_DECLARE_ERROR_SET(lib##_error_set, type)

#define CR_DEFINE_CODES(lib, type, LIST)                                       \
    CR_DEFINE_STRERROR(lib, type, LIST, CR_CODE_ROW)                           \
    int lib##_exit_status(type code)                                           \
    {                                                                          \
        return cr_code_status(lib##_codes,                                     \
                              sizeof(lib##_codes) / sizeof(lib##_codes[0]),    \
                              (int)code);                                      \
    }                                                                          \
    CR_DEFINE_ERROR_SET(lib##_error_set, type)

#endif
