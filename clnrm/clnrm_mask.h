/*
 * clnrm_mask: hides secret values wherever clnrm renders a test's values.
 *
 * An environment variable whose name looks secret (matches, ignoring case,
 * one of CLNRM_MASK_DEFAULTS or a glob the user added with `--mask GLOB`)
 * has its value replaced by "****" in every rendered text: the terminal
 * report, captured step output, JUnit, JSON, TAP, `--json` events and
 * `validate --explain`. The values come from the tests' [env] tables (each
 * service's and step's) and from clnrm's own environment, since a test can
 * pull a host variable in with ${NAME}. Values shorter than
 * CLNRM_MASK_MIN_LEN are left alone: masking every "1" would ruin the
 * report and hide nothing. A value is also masked in its JSON- and
 * XML-escaped spellings, so escaping cannot let it through.
 *
 * Ownership: a struct clnrm_mask owns copies of the values (zero it first;
 * clnrm_mask_release frees them). Globs are borrowed only during the call.
 */
#ifndef CLNRM_MASK_H
#define CLNRM_MASK_H

#include "cr_buf.h"
#include "cr_strv.h"

#include <stdbool.h>
#include <stddef.h>

struct clnrm_test;

#define CLNRM_MASK_DEFAULTS "*TOKEN*", "*SECRET*", "*PASSWORD*", "*KEY*"
#define CLNRM_MASK_MIN_LEN  4
#define CLNRM_MASK_TEXT     "****"

struct clnrm_mask {
    struct cr_strv values;    /* longest first once sorted by add */
    const char *const *globs; /* the user's extra globs, borrowed */
    size_t n_globs;
};

/* True when name looks secret: a default pattern or one of the globs. */
bool clnrm_mask_is_secret(const char *name, const char *const *globs,
                          size_t n_globs);

/* Adds one value (and its escaped spellings). Returns 0 or -1 (memory). */
int clnrm_mask_add_value(struct clnrm_mask *m, const char *value);

/* Adds the secret-named env values of t (services and steps). 0 or -1. */
int clnrm_mask_add_test(struct clnrm_mask *m, const struct clnrm_test *t);

/* clnrm_mask_add_test for each of the n tests. 0 or -1. */
int clnrm_mask_add_tests(struct clnrm_mask *m, struct clnrm_test *const *t,
                         size_t n);

/* Adds the secret-named variables of environ. 0 or -1. */
int clnrm_mask_add_environ(struct clnrm_mask *m);

/* Replaces every secret value in buf by CLNRM_MASK_TEXT, in place.
 * Returns the number of replacements, or -1 when out of memory (buf may
 * then be partly masked: print none of it). */
int clnrm_mask_apply(const struct clnrm_mask *m, struct cr_buf *buf);

void clnrm_mask_release(struct clnrm_mask *m);

#endif
