/*
 * cr_toml_scalar: booleans, integers, floats, dates and times. Internal to
 * the cr_toml files. Returns 0, or -1 after failing through the cursor.
 *
 * Scalars are stored in the document's arena and freed with the document.
 */
#ifndef CR_TOML_SCALAR_H
#define CR_TOML_SCALAR_H

#include "cr_toml_cursor.h"
#include "cr_toml_tree.h"

/* Parses a number or date/time at ps->p into v (type set here). */
int crt_lex_scalar(struct crt_parser *ps, struct cr_toml_value *v);

#endif
