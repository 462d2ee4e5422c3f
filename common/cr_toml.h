/*
 * cr_toml: a TOML 1.0 parser (https://toml.io/en/v1.0.0).
 *
 * Parse a buffer or a file into a tree owned by a struct cr_toml_doc; every
 * value and every key remembers the line and column (both 1-based, column in
 * bytes) where it was written, so callers can point users at their mistakes.
 * Free the whole tree with one cr_toml_free. Values returned by the getters
 * are borrowed from the document and live until it is freed. The tree is
 * read-only after parsing and may be read from several threads.
 *
 * Strings are UTF-8 as written, except that a newline inside a multi-line
 * string is always stored as LF. Fractional seconds beyond nanoseconds are
 * truncated. Floats that overflow a double are rejected.
 *
 * Errors are one line, "FILE:LINE:COL: message", in struct cr_error.
 * Nesting of arrays and inline tables is bounded by CR_TOML_MAX_DEPTH so
 * hostile input cannot exhaust the stack.
 */
#ifndef CR_TOML_H
#define CR_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cr_error.h"
#include "cr_toml_types.h"

/*
 * Parses len bytes of buf. filename is used in messages only (it may be
 * NULL, meaning "<input>"), and is copied. On success returns CR_TOML_OK and
 * stores the document in *out (free with cr_toml_free). On failure returns
 * the code, fills *err (when not NULL) and stores NULL in *out.
 */
enum cr_toml_code cr_toml_parse(const char *buf, size_t len,
                                const char *filename, struct cr_toml_doc **out,
                                struct cr_error *err);

/* Like cr_toml_parse on the contents of path; I/O errors give CR_TOML_E_IO. */
enum cr_toml_code cr_toml_parse_file(const char *path, struct cr_toml_doc **out,
                                     struct cr_error *err);

/* Frees the document and all its values. NULL is allowed. */
void cr_toml_free(struct cr_toml_doc *doc);

/* The root table (never NULL) and the file name given to the parser. */
const struct cr_toml_value *cr_toml_root(const struct cr_toml_doc *doc);
const char *cr_toml_filename(const struct cr_toml_doc *doc);

/* --- Inspecting any value ------------------------------------------------ */

enum cr_toml_type cr_toml_type(const struct cr_toml_value *v);
struct cr_pos cr_toml_pos(const struct cr_toml_value *v);

/* Number of entries of a table or elements of an array; 0 for scalars. */
size_t cr_toml_len(const struct cr_toml_value *v);

/* --- Tables: keys in document order -------------------------------------- */

/* The i-th key of a table (document order) and, if pos is not NULL, where
 * that key was written. Returns NULL when i is out of range. */
const char *cr_toml_key_at(const struct cr_toml_value *table, size_t i,
                           struct cr_pos *pos);

/* Length in bytes of the i-th key, which counts embedded NULs written as
 * \u0000 in a quoted key; 0 when i is out of range. */
size_t cr_toml_key_len(const struct cr_toml_value *table, size_t i);

/* The i-th value of a table, matching cr_toml_key_at(table, i). */
const struct cr_toml_value *cr_toml_value_at(const struct cr_toml_value *table,
                                             size_t i);

/* The value under key in table, or NULL (also when table is not a table). */
const struct cr_toml_value *cr_toml_get(const struct cr_toml_value *table,
                                        const char *key);

/* --- Arrays --------------------------------------------------------------- */

/* The i-th element of an array, or NULL when out of range. */
const struct cr_toml_value *cr_toml_at(const struct cr_toml_value *array,
                                       size_t i);

/* --- Scalars (the caller checks the type first) --------------------------- */

/* The string's bytes, NUL-terminated; *len (may be NULL) gets the length,
 * which counts embedded NULs written as \u0000. */
const char *cr_toml_string(const struct cr_toml_value *v, size_t *len);
int64_t cr_toml_int(const struct cr_toml_value *v);
double cr_toml_float(const struct cr_toml_value *v);
bool cr_toml_bool(const struct cr_toml_value *v);
const struct cr_toml_datetime *cr_toml_datetime(const struct cr_toml_value *v);

/* --- Typed getters with positioned errors ---------------------------------
 *
 * Each looks up key in table. When the key is absent they return
 * CR_TOML_E_MISSING and leave *out as it was (so a default can be set
 * first) without touching *err. When the value has another type they return
 * CR_TOML_E_TYPE with a message naming the file, the value's line and
 * column, the key and both types, for example
 *   tasks.toml:4:11: "args" must be an array, not a string
 * doc supplies the file name for messages.
 */
enum cr_toml_code cr_toml_get_string(const struct cr_toml_doc *doc,
                                     const struct cr_toml_value *table,
                                     const char *key, const char **out,
                                     struct cr_error *err);
enum cr_toml_code cr_toml_get_int(const struct cr_toml_doc *doc,
                                  const struct cr_toml_value *table,
                                  const char *key, int64_t *out,
                                  struct cr_error *err);
/* Accepts an integer as well and converts it. */
enum cr_toml_code cr_toml_get_float(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key, double *out,
                                    struct cr_error *err);
enum cr_toml_code cr_toml_get_bool(const struct cr_toml_doc *doc,
                                   const struct cr_toml_value *table,
                                   const char *key, bool *out,
                                   struct cr_error *err);
enum cr_toml_code cr_toml_get_table(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key,
                                    const struct cr_toml_value **out,
                                    struct cr_error *err);
enum cr_toml_code cr_toml_get_array(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key,
                                    const struct cr_toml_value **out,
                                    struct cr_error *err);

/*
 * Formats "FILE:LINE:COL: message" into err (code set to code), for callers
 * that report their own semantic errors at a value's or key's position.
 * Returns code, so `return cr_toml_errorf(...)` is one line.
 */
enum cr_toml_code cr_toml_errorf(struct cr_error *err, enum cr_toml_code code,
                                 const struct cr_toml_doc *doc,
                                 struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Suggests the closest of n candidate names to word (Levenshtein distance at
 * most 2, or a third of the word's length), or NULL when none is close. Used
 * by loaders for "did you mean" hints. Returns one of the candidates.
 */
const char *cr_toml_suggest(const char *word, const char *const *candidates,
                            size_t n);

#endif
