/*
 * clnrm_suite: discovery + loading + selection, the first half of `run`,
 * `list` and `validate`.
 *
 * Files are discovered (clnrm_discover), the shard is taken from the sorted
 * file list, every file is loaded, and the name filter (a regex, searched)
 * keeps the matching tests. Load errors do not stop the others: each one
 * becomes a CLNRM_DIAG_ERROR in diags so all can be shown at once.
 */
#ifndef CLNRM_SUITE_H
#define CLNRM_SUITE_H

#include "clnrm_error.h"
#include "clnrm_spec.h"

#include <stddef.h>

struct clnrm_suite_opts {
    const char *const *paths; /* NULL or empty: "." */
    size_t npaths;
    bool strict;
    unsigned allow;       /* CLNRM_ALLOW_* (clnrm_load.h) */
    const char *filter;   /* regex on the test name, or NULL */
    unsigned shard_index; /* 1-based; 0: no sharding */
    unsigned shard_count;
    const char *const *vars; /* --var KEY=VALUE for templates, borrowed */
    size_t n_vars;
};

struct clnrm_suite {
    struct clnrm_test **tests; /* owned */
    size_t n;
    size_t discovered; /* files found before sharding and filtering */
};

/*
 * Fills suite (zero it first; release with clnrm_suite_release). Returns
 * CLNRM_OK, CLNRM_E_INPUT when a file failed to load (the others are still
 * in suite) or a path or the filter is bad, CLNRM_E_NOMEM.
 */
enum clnrm_code clnrm_suite_load(const struct clnrm_suite_opts *opts,
                                 struct clnrm_suite *suite,
                                 struct clnrm_diags *diags,
                                 struct cr_error *err);

/*
 * Checks that every volume source of every test exists on this machine,
 * before anything is created: the engine would make a missing one an empty
 * root-owned directory. Returns CLNRM_OK or CLNRM_E_NOSOURCE with err set
 * to "FILE:LINE:COL: volume source PATH (...) does not exist: <why>".
 */
enum clnrm_code clnrm_suite_check_volumes(const struct clnrm_suite *suite,
                                          struct cr_error *err);

/* The same check for one service s of test t, as `clnrm run` repeats it
 * when it creates the service (a source removed since the start). */
enum clnrm_code clnrm_service_check_volumes(const struct clnrm_test *t,
                                            const struct clnrm_service *s,
                                            struct cr_error *err);

/* Frees the tests and leaves the suite empty. */
void clnrm_suite_release(struct clnrm_suite *suite);

#endif
