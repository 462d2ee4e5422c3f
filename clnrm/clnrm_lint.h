/*
 * clnrm_lint: findings about test files, for `clnrm lint`: the loader's
 * warnings and errors, plus style rules (a test without a description, a
 * step checked by its exit code only, an image without a tag).
 *
 * A struct clnrm_findings is zero-initialised by the caller, grows as
 * findings are added, and is freed with clnrm_findings_release. Findings
 * are rendered into a caller-owned struct cr_buf; nothing here prints.
 */
#ifndef CLNRM_LINT_H
#define CLNRM_LINT_H

#include "clnrm_error.h"
#include "clnrm_spec.h"
#include "cr_buf.h"

struct clnrm_finding {
    bool error;     /* else a warning */
    char file[256]; /* as the loader named it */
    unsigned line, col;
    const char *rule; /* static: "unknown-key", "missing-description", ... */
    char msg[400];
};

struct clnrm_findings {
    struct clnrm_finding *items;
    size_t n, cap;
};

void clnrm_findings_release(struct clnrm_findings *f);

/* Adds the loader's warnings and errors (notes are not findings). */
enum clnrm_code clnrm_lint_diags(const struct clnrm_diags *d,
                                 struct clnrm_findings *out);

/* Adds the style findings of one loaded test. */
enum clnrm_code clnrm_lint_test(const struct clnrm_test *t,
                                struct clnrm_findings *out);

enum clnrm_lint_format {
    CLNRM_LINT_HUMAN = 0, /* FILE:LINE:COL: warning: message [rule] */
    CLNRM_LINT_JSON,      /* [{file,line,col,level,rule,message}] */
    CLNRM_LINT_GITHUB,    /* ::warning file=F,line=L,col=C,title=R::msg */
};

/* Parses "human", "json" or "github"; -1 when unknown. */
int clnrm_lint_format_parse(const char *s, enum clnrm_lint_format *out);

/* Appends the findings to out; returns 0, or -1 when out of memory. */
int clnrm_lint_render(struct cr_buf *out, enum clnrm_lint_format fmt,
                      const struct clnrm_findings *fs);

#endif
