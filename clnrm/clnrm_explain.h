/*
 * clnrm_explain: prints a loaded test's effective settings (format,
 * timeout, network, security, each service and step, the keys accepted
 * but not used), for `validate --explain` and `dry-run`. Borrows the test;
 * writes only to the stream it is given.
 */
#ifndef CLNRM_EXPLAIN_H
#define CLNRM_EXPLAIN_H

#include "clnrm_spec.h"

#include <stdio.h>

void clnrm_explain(FILE *f, const struct clnrm_test *t);

/* An argv as ["a", "b"], quotes and backslashes escaped. */
void clnrm_explain_argv(FILE *f, const struct cr_strv *v);

#endif
