/*
 * cr_strv: a growable, NULL-terminated vector of owned strings (argv-style).
 *
 * A struct cr_strv is caller-allocated; zero-initialise it before use. The
 * vector owns every string in it and the array; cr_strv_release frees them
 * all and leaves an empty vector. v is NULL while the vector is empty, else
 * v[n] is NULL, so v can be passed as an argv.
 */
#ifndef CR_STRV_H
#define CR_STRV_H

#include <stddef.h>

struct cr_strv {
    char **v; /* v[n] is NULL when n > 0 */
    size_t n;
};

/* Appends a copy of s (NULL is taken as ""). Returns 0 or -ENOMEM. */
int cr_strv_push(struct cr_strv *sv, const char *s);

/* Appends s itself, which the vector then owns (also on failure, when it is
 * freed). s NULL, from a failed allocation, gives -ENOMEM. */
int cr_strv_push_take(struct cr_strv *sv, char *s);

/* Appends copies of every string of src. Returns 0 or -ENOMEM. */
int cr_strv_copy(struct cr_strv *dst, const struct cr_strv *src);

/* Frees the strings and the array. Accepts an empty vector. */
void cr_strv_release(struct cr_strv *sv);

/* The index of the first string equal to s, or -1. */
long cr_strv_find(const struct cr_strv *sv, const char *s);

#endif
