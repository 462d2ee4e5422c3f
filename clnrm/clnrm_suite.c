/* clnrm_suite: discovery, loading and selection. See clnrm_suite.h. */
#include "clnrm_suite.h"

#include "clnrm_discover.h"
#include "clnrm_load.h"
#include "clnrm_regex.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cr_alloc.h"

void clnrm_suite_release(struct clnrm_suite *suite)
{
    for (size_t i = 0; i < suite->n; i++)
        clnrm_test_free(suite->tests[i]);
    cr_free(suite->tests);
    suite->tests = NULL;
    suite->n = 0;
}

static void add_error(struct clnrm_diags *d, const char *msg)
{
    struct clnrm_diag *grown;

    if (d == NULL)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        if ((grown = cr_realloc(d->items, cap * sizeof(*grown))) == NULL)
            return;
        d->items = grown;
        d->cap = cap;
    }
    d->items[d->n].level = CLNRM_DIAG_ERROR;
    snprintf(d->items[d->n].msg, sizeof(d->items[d->n].msg), "%s", msg);
    d->n++;
}

/* Loads one file and keeps it when the filter matches. Returns 1 when
 * the file had an error, 0 otherwise, -1 when out of memory. */
static int load_one(const char *path, const struct clnrm_suite_opts *opts,
                    const struct clnrm_regex *filter, struct clnrm_suite *s,
                    struct clnrm_diags *diags)
{
    struct clnrm_load_opts lo = { .strict = opts->strict,
                                  .allow = opts->allow,
                                  .vars = opts->vars,
                                  .n_vars = opts->n_vars };
    struct clnrm_test *t;
    struct cr_error e = { 0 };
    enum clnrm_code rc = clnrm_test_load(path, &lo, &t, diags, &e);

    if (rc == CLNRM_E_NOMEM)
        return -1;
    if (rc != CLNRM_OK) {
        add_error(diags, e.msg);
        return 1;
    }
    if (filter != NULL &&
        clnrm_regex_search(filter, t->name, strlen(t->name)) != 1) {
        clnrm_test_free(t);
        return 0;
    }
    s->tests[s->n++] = t;
    return 0;
}

enum clnrm_code clnrm_suite_load(const struct clnrm_suite_opts *opts,
                                 struct clnrm_suite *suite,
                                 struct clnrm_diags *diags,
                                 struct cr_error *err)
{
    static const char *const dot[] = { "." };
    struct cr_strv files = { 0 };
    struct clnrm_regex *filter = NULL;
    size_t bad = 0;
    enum clnrm_code rc;

    if (opts->filter != NULL &&
        (rc = clnrm_regex_compile(opts->filter, &filter, err)) != CLNRM_OK)
        return rc;
    rc = opts->npaths > 0
             ? clnrm_discover(opts->paths, opts->npaths, &files, err)
             : clnrm_discover(dot, 1, &files, err);
    if (rc == CLNRM_OK &&
        (suite->tests = cr_calloc(files.n + 1, sizeof(*suite->tests))) == NULL)
        rc = clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    suite->discovered = files.n;
    for (size_t i = 0; rc == CLNRM_OK && i < files.n; i++) {
        int r;
        if (!clnrm_shard_take(i, opts->shard_index, opts->shard_count))
            continue;
        r = load_one(files.v[i], opts, filter, suite, diags);
        if (r < 0)
            rc = clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
        bad += r > 0;
    }
    if (rc == CLNRM_OK && bad > 0)
        rc = clnrm_error_set(err, CLNRM_E_INPUT, "%zu test file%s invalid", bad,
                             bad == 1 ? " is" : "s are");
    cr_strv_release(&files);
    clnrm_regex_free(filter);
    return rc;
}

enum clnrm_code clnrm_service_check_volumes(const struct clnrm_test *t,
                                            const struct clnrm_service *s,
                                            struct cr_error *err)
{
    for (size_t v = 0; v < s->n_volumes; v++) {
        const struct clnrm_volume *vol = &s->volumes[v];
        struct stat st;
        if (stat(vol->host_path, &st) == 0)
            continue;
        return clnrm_error_set(
            err, CLNRM_E_NOSOURCE,
            "%s:%u:%u: volume source %s (service \"%s\", test "
            "\"%s\") does not exist: %s",
            t->path,
            vol->line ? vol->line
            : s->line ? s->line
                      : 1,
            vol->line ? vol->col : 1, vol->host_path, s->name, t->name,
            strerror(errno));
    }
    return CLNRM_OK;
}

enum clnrm_code clnrm_suite_check_volumes(const struct clnrm_suite *suite,
                                          struct cr_error *err)
{
    for (size_t i = 0; i < suite->n; i++) {
        const struct clnrm_test *t = suite->tests[i];
        for (size_t k = 0; k < t->n_services; k++) {
            enum clnrm_code rc =
                clnrm_service_check_volumes(t, &t->services[k], err);
            if (rc != CLNRM_OK)
                return rc;
        }
    }
    return CLNRM_OK;
}
