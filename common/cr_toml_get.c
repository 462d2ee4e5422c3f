/* cr_toml: typed getters with positioned errors, and "did you mean". */
#include "cr_toml.h"

#include <stdlib.h>
#include <string.h>

#include "cr_toml_tree.h"

static const char *an(enum cr_toml_type t)
{
    return t == CR_TOML_ARRAY || t == CR_TOML_INTEGER || t == CR_TOML_DATETIME
               ? "an"
               : "a";
}

/*
 * Looks key up and checks its type (a second accepted type may be given, or
 * 0). Returns CR_TOML_OK with *out set, CR_TOML_E_MISSING, or CR_TOML_E_TYPE
 * with err filled.
 */
static enum cr_toml_code typed(const struct cr_toml_doc *doc,
                               const struct cr_toml_value *table,
                               const char *key, enum cr_toml_type want,
                               int also, const struct cr_toml_value **out,
                               struct cr_error *err)
{
    const struct cr_toml_value *v = cr_toml_get(table, key);
    if (v == NULL) {
        return CR_TOML_E_MISSING;
    }
    enum cr_toml_type t = (enum cr_toml_type)v->type;
    if (t != want && (int)t != also) {
        return cr_toml_errorf(err, CR_TOML_E_TYPE, doc, v->pos,
                              "\"%s\" must be %s %s, not %s %s", key, an(want),
                              cr_toml_type_name(want), an(t),
                              cr_toml_type_name(t));
    }
    *out = v;
    return CR_TOML_OK;
}

enum cr_toml_code cr_toml_get_string(const struct cr_toml_doc *doc,
                                     const struct cr_toml_value *table,
                                     const char *key, const char **out,
                                     struct cr_error *err)
{
    const struct cr_toml_value *v = NULL;
    enum cr_toml_code rc = typed(doc, table, key, CR_TOML_STRING, 0, &v, err);
    if (rc == CR_TOML_OK) {
        *out = v->u.str.s;
    }
    return rc;
}

enum cr_toml_code cr_toml_get_int(const struct cr_toml_doc *doc,
                                  const struct cr_toml_value *table,
                                  const char *key, int64_t *out,
                                  struct cr_error *err)
{
    const struct cr_toml_value *v = NULL;
    enum cr_toml_code rc = typed(doc, table, key, CR_TOML_INTEGER, 0, &v, err);
    if (rc == CR_TOML_OK) {
        *out = v->u.i;
    }
    return rc;
}

enum cr_toml_code cr_toml_get_float(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key, double *out,
                                    struct cr_error *err)
{
    const struct cr_toml_value *v = NULL;
    enum cr_toml_code rc =
        typed(doc, table, key, CR_TOML_FLOAT, CR_TOML_INTEGER, &v, err);
    if (rc == CR_TOML_OK) {
        *out = cr_toml_float(v);
    }
    return rc;
}

enum cr_toml_code cr_toml_get_bool(const struct cr_toml_doc *doc,
                                   const struct cr_toml_value *table,
                                   const char *key, bool *out,
                                   struct cr_error *err)
{
    const struct cr_toml_value *v = NULL;
    enum cr_toml_code rc = typed(doc, table, key, CR_TOML_BOOL, 0, &v, err);
    if (rc == CR_TOML_OK) {
        *out = v->u.b;
    }
    return rc;
}

enum cr_toml_code cr_toml_get_table(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key,
                                    const struct cr_toml_value **out,
                                    struct cr_error *err)
{
    return typed(doc, table, key, CR_TOML_TABLE, 0, out, err);
}

enum cr_toml_code cr_toml_get_array(const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *table,
                                    const char *key,
                                    const struct cr_toml_value **out,
                                    struct cr_error *err)
{
    return typed(doc, table, key, CR_TOML_ARRAY, 0, out, err);
}

/* Levenshtein distance with two rows; gives up above limit. */
static size_t distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) {
        return limit + 1;
    }
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t m = sub < del ? sub : del;
            cur[j] = m < ins ? m : ins;
        }
        memcpy(prev, cur, (lb + 1) * sizeof(prev[0]));
    }
    return prev[lb];
}

const char *cr_toml_suggest(const char *word, const char *const *candidates,
                            size_t n)
{
    size_t len = strlen(word);
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, candidates[i], limit);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}
