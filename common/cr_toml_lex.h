/*
 * cr_toml_lex: comments, UTF-8 validation and the four kinds of string.
 * Internal to the cr_toml files. Functions return 0, or -1 after failing
 * through the cursor.
 *
 * Decoded strings are written into the parser's scratch buffer and belong
 * to the document's arena once stored; nothing here is freed by callers.
 */
#ifndef CR_TOML_LEX_H
#define CR_TOML_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "cr_toml_cursor.h"

/* Skips a comment at ps->p (which is '#'), validating it, up to the newline. */
int crt_skip_comment(struct crt_parser *ps);
/* Parses a basic or literal string (single or multi-line) at ps->p. Stores
 * the decoded bytes (in scratch or in the input) in *s, *n. */
int crt_lex_string(struct crt_parser *ps, bool allow_multi, const char **s,
                   size_t *n);

#endif
