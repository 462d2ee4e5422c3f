/*
 * clnrm_load_field: the loader's state and the typed field decoders every
 * section uses (clnrm_load_*.c). Internal to the loader; see clnrm_load.h
 * for its interface.
 *
 * Every function returning int returns 0 on success and -1 after filling
 * ld->err with a message naming file:line:col. Strings stored through out
 * parameters are new (cr_malloc) and owned by the test being built; values
 * borrowed from the TOML document live as long as ld->doc.
 */
#ifndef CLNRM_LOAD_FIELD_H
#define CLNRM_LOAD_FIELD_H

#include "clnrm_load.h"
#include "cr_toml.h"

#include <stdint.h>

#define CLNRM_N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* One file being loaded; lives on clnrm_test_parse's stack. */
struct clnrm_loader {
    const struct cr_toml_doc *doc; /* borrowed */
    const char *path;              /* borrowed */
    const struct clnrm_load_opts *opts;
    struct clnrm_diags *diags; /* may be NULL */
    struct cr_error *err;
    struct clnrm_test *t;            /* the test being built */
    struct clnrm_diag first_warning; /* for strict mode */
    size_t n_warnings;
    bool diag_lost; /* a diagnostic could not be stored: out of memory */
};

/* Failures: out of memory; a message at pos; a TOML accessor's error. */
int clnrm__fail_nomem(struct clnrm_loader *ld);
int clnrm__fail_at(struct clnrm_loader *ld, struct cr_pos pos, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));
int clnrm__fail_toml(struct clnrm_loader *ld, const struct cr_error *te);

/* Appends a warning or note at pos to ld->diags. Out of memory sets
 * ld->diag_lost, and the load then fails with CLNRM_E_NOMEM rather than
 * drop a warning the user should see. */
void clnrm__diag_at(struct clnrm_loader *ld, enum clnrm_diag_level level,
                    struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Warns about every key of tbl not among the n known, suggesting the
 * closest; where names the table in the message. */
void clnrm__check_keys(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                       const char *where, const char *const *known, size_t n);

/* As clnrm__check_keys, but the na keys in accepted (those the Rust clnrm
 * accepts and this tool does not use) are recorded in ld->t->unused_keys
 * for validate --explain instead of warned about. */
void clnrm__check_keys_compat(struct clnrm_loader *ld,
                              const struct cr_toml_value *tbl,
                              const char *where, const char *const *known,
                              size_t n, const char *const *accepted, size_t na);

/* Optional fields of tbl: each leaves *out alone when key is absent. */
int clnrm__opt_string(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      const char *key, char **out);
int clnrm__opt_bool(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, bool *out);
int clnrm__opt_int(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                   const char *key, int64_t min, int64_t max, int64_t *out);
/* An integer in unit_ms units, or a string such as "30s". */
int clnrm__opt_duration(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl, const char *key,
                        int64_t unit_ms, int64_t *out);
/* An argv: an array of strings, or one string split like a shell would;
 * what names it in messages. */
int clnrm__value_argv(struct clnrm_loader *ld, const struct cr_toml_value *v,
                      const char *what, struct cr_strv *out);
int clnrm__opt_argv(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, struct cr_strv *out);
/* A table of NAME = value; numbers and booleans are written out. */
int clnrm__opt_env(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                   const char *key, struct clnrm_env *out);
/* A sub-table; *out borrows from the document. */
int clnrm__opt_table(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                     const char *key, const struct cr_toml_value **out);
/* A CPU count: finite, from 0 (unlimited) to CLNRM_MAX_CPUS. */
int clnrm__opt_cpus(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, double *out);
/* Compiles the regex at key, if any, to report a bad one at its position. */
int clnrm__check_regex(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                       const char *key);

#endif
