/*
 * tmpl_value: the values templates compute with, Tera's data model (null,
 * booleans, 64-bit integers, doubles, strings, arrays, objects whose keys
 * keep their insertion order) plus "undefined", the result of looking up a
 * name that is not there, which only `default`, `is defined` and `if` may
 * consume.
 *
 * A struct tmpl_value owns everything it points to; copies are deep.
 * tmpl_value_release frees what a value owns and leaves it null. Functions
 * that take a value by pointer "take" it when their name says so (the
 * caller's copy is then null); all others borrow.
 */
#ifndef TMPL_VALUE_H
#define TMPL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cr_buf.h"

enum tmpl_type {
    TMPL_NULL = 0,
    TMPL_UNDEF, /* s holds the name that was looked up */
    TMPL_BOOL,
    TMPL_INT,
    TMPL_FLOAT,
    TMPL_STR,
    TMPL_ARRAY,
    TMPL_OBJECT,
};

struct tmpl_value {
    enum tmpl_type type;
    bool b;
    int64_t i;
    double f;
    char *s;    /* TMPL_STR, TMPL_UNDEF: NUL-terminated, owned */
    size_t len; /* string length; items of an array or object */
    size_t cap;
    struct tmpl_value *items; /* TMPL_ARRAY, TMPL_OBJECT */
    char **keys;              /* TMPL_OBJECT: len owned keys */
};

/* Frees what v owns; v becomes null. */
void tmpl_value_release(struct tmpl_value *v);

/* Scalar constructors; allocate nothing. */
struct tmpl_value tmpl_bool(bool b);
struct tmpl_value tmpl_int(int64_t i);
struct tmpl_value tmpl_float(double f);

/* A string value copied from s (n bytes); 0 or -ENOMEM. */
int tmpl_str(struct tmpl_value *out, const char *s, size_t n);
/* An undefined value that remembers name; 0 or -ENOMEM. */
int tmpl_undef(struct tmpl_value *out, const char *name);
/* A string value taking ownership of the cr_buf's bytes. */
struct tmpl_value tmpl_str_take(struct cr_buf *b);

/* Deep copy of src into *dst; 0 or -ENOMEM (dst is then null). */
int tmpl_value_copy(struct tmpl_value *dst, const struct tmpl_value *src);

/* Appends item to an array, taking it; 0 or -ENOMEM (item then freed). */
int tmpl_array_push_take(struct tmpl_value *arr, struct tmpl_value *item);

/* Sets key in an object (replacing an old value), taking val; 0 or
 * -ENOMEM (val then freed). */
int tmpl_object_set_take(struct tmpl_value *obj, const char *key,
                         struct tmpl_value *val);

/* The value under key in an object, or NULL (borrowed). */
const struct tmpl_value *tmpl_object_get(const struct tmpl_value *obj,
                                         const char *key);

/* Tera's truthiness: false, 0, 0.0, "", [], {}, null and undefined are
 * false. */
bool tmpl_truthy(const struct tmpl_value *v);

/* Tera's equality: numbers by value across int/float, else structural. */
bool tmpl_equal(const struct tmpl_value *a, const struct tmpl_value *b);

/* The name of v's type for messages: "string", "array", ... */
const char *tmpl_type_name(enum tmpl_type t);

/* Appends v as `{{ v }}` prints it; 0 or -ENOMEM. */
int tmpl_value_print(struct cr_buf *b, const struct tmpl_value *v);

/* Appends v as JSON (pretty: two-space indent); 0 or -ENOMEM. */
int tmpl_value_json(struct cr_buf *b, const struct tmpl_value *v, bool pretty);

/* Appends v as a TOML value (strings quoted, inline arrays and tables);
 * 0 or -ENOMEM. */
int tmpl_value_toml(struct cr_buf *b, const struct tmpl_value *v);

#endif
