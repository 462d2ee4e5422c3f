/*
 * Allocation-failure injection for the unit tests, in SQLite's manner: the
 * hooks of cr_alloc.h make the Nth allocation from now on fail (and, with
 * fail_all, every one after it too), so a test can sweep N over a call
 * until it succeeds and check that every failure is a clean out-of-memory
 * error of the library under test. Header-only: each test program has its
 * own counter.
 */
#ifndef TEST_ALLOC_FAIL_H
#define TEST_ALLOC_FAIL_H

#include "cr_alloc.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fail_nth {
    long left;     /* allocations still allowed; the next one at 0 fails */
    bool fail_all; /* keep failing once the first failure happened */
    bool failed;   /* an allocation failed */
};

static bool fail_nth_now(struct fail_nth *f)
{
    if (f->left > 0) {
        f->left--;
        return false;
    }
    if (f->failed && !f->fail_all)
        return false;
    f->failed = true;
    return true;
}

static void *fail_nth_malloc(void *ctx, size_t size)
{
    return fail_nth_now(ctx) ? NULL : malloc(size);
}

static void *fail_nth_realloc(void *ctx, void *p, size_t size)
{
    return fail_nth_now(ctx) ? NULL : realloc(p, size);
}

static void fail_nth_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

/* Makes allocation number n (0 = the next one) fail. */
static void fail_nth_set(struct fail_nth *f, long n, bool fail_all)
{
    *f = (struct fail_nth){ n, fail_all, false };
    struct cr_alloc_hooks h = { fail_nth_malloc, fail_nth_realloc,
                                fail_nth_free, f };
    cr_alloc_set(&h);
}

/* Back to the C library's allocator. */
static void fail_nth_clear(void)
{
    cr_alloc_set(NULL);
}

/* The number of entries of dir other than ".", ".." and keep (which may be
 * NULL): a writer that failed must leave no temporary file behind. -1 when
 * dir cannot be read. Inline: not every test program uses it. */
static inline int fail_nth_strays(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            (!keep || strcmp(e->d_name, keep)))
            n++;
    closedir(d);
    return n;
}

/* Whether the file at path holds exactly want, or is absent when want is
 * NULL: after a writer failed it must hold the previous content (or not
 * exist), after it succeeded the new one. */
static inline bool fail_nth_file_is(const char *path, const char *want)
{
    FILE *f = fopen(path, "rb");
    size_t len = want ? strlen(want) : 0;
    char *got;
    bool same;

    if (!f || !want) {
        if (f)
            fclose(f);
        return !f && !want;
    }
    got = malloc(len + 2);
    same =
        got && fread(got, 1, len + 1, f) == len && memcmp(got, want, len) == 0;
    free(got);
    fclose(f);
    return same;
}

#endif
