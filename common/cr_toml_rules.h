/*
 * cr_toml_rules: keys and the rules against redefining keys and tables,
 * applied when a key/value pair, a [table] or an [[array of tables]] is
 * stored. Internal to the cr_toml files. Every function that fails has
 * already filled the parser's error.
 *
 * Tables and keys it creates live in the document's arena and are freed
 * with the document.
 */
#ifndef CR_TOML_RULES_H
#define CR_TOML_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cr_toml_cursor.h"

/* One part of a dotted key, decoded. s may point into the input. */
struct crt_key_part {
    const char *s;
    size_t n;
    uint32_t hash;
    struct cr_pos pos;
};

struct crt_key_path {
    struct crt_key_part parts[CR_TOML_MAX_DEPTH];
    unsigned n;
};

/* Writes parts [0, n) as "a.b.c" for messages, control bytes escaped. */
const char *crt_key_name(const struct crt_key_path *kp, unsigned n, char *buf,
                         size_t cap);
/* True (after failing at pos) when depth exceeds CR_TOML_MAX_DEPTH. */
bool crt_too_deep(struct crt_parser *ps, unsigned depth, struct cr_pos pos);
/* Stores v under the dotted key kp in table t, creating dotted tables. */
int crt_insert_dotted(struct crt_parser *ps, struct cr_toml_value *t,
                      const struct crt_key_path *kp, struct cr_toml_value *v);
/* [kp] and [[kp]]: return the table that the following keys go into, or
 * NULL after failing. open is the position of the opening bracket. */
struct cr_toml_value *crt_define_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open);
struct cr_toml_value *crt_append_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open);

#endif
