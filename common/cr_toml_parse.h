/*
 * cr_toml_parse: the document grammar (expressions, keys, values, arrays,
 * inline tables). Internal to the cr_toml files; cr_toml_parse in
 * cr_toml.c sets up the parser state and calls it.
 *
 * Every value it creates lives in the document's arena and is freed with
 * the document (cr_toml_free).
 */
#ifndef CR_TOML_PARSE_H
#define CR_TOML_PARSE_H

#include "cr_toml_cursor.h"

/* Parses the whole input of ps into ps->doc. On failure ps->err is
 * filled and its code returned. */
enum cr_toml_code crt_parse_doc(struct crt_parser *ps);

#endif
