/* clnrm_engine images: inspect, import, pull, ensure, remove. See
 * engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum clnrm_code clnrm_engine_image_exists(struct clnrm_engine *eng,
                                          const char *name, bool *exists,
                                          struct clnrm_error *err)
{
    struct clnrm__req r = { .method = "GET" };
    struct clnrm__xfer x;
    char path[600];
    enum clnrm_code rc;

    *exists = false;
    snprintf(path, sizeof(path), "/images/%s/json", name);
    r.path = path;
    rc = clnrm__call(eng, &x, &r, 0, err);
    if (rc == CLNRM_OK && x.status == 200)
        *exists = true;
    else if (rc == CLNRM_OK && x.status != 404)
        rc = clnrm__http_error(&x, err);
    clnrm__xfer_cleanup(&x);
    return rc;
}

/* Reads the NDJSON progress of POST /images/create. */
struct progress {
    clnrm_progress_fn fn;
    void *ctx;
    char error[400]; /* first in-stream error, "" if none */
};

static int progress_line(void *ctx, char *line, size_t len)
{
    struct progress *p = ctx;
    cJSON *doc = cJSON_ParseWithLength(line, len);
    const char *e;

    (void)len;
    if (!doc)
        return 0; /* not ours to judge: keep reading */
    e = clnrm__json_str(doc, "error");
    if (*e && !p->error[0])
        snprintf(p->error, sizeof(p->error), "%s", e);
    else if (!*e && p->fn)
        p->fn(p->ctx, clnrm__json_str(doc, "status"),
              clnrm__json_str(doc, "id"), clnrm__json_str(doc, "progress"));
    cJSON_Delete(doc);
    return 0;
}

/* Runs an images/create request and folds HTTP and in-stream errors into
 * one result. */
static enum clnrm_code images_create(struct clnrm_engine *eng,
                                     struct clnrm__req *r, clnrm_progress_fn fn,
                                     void *ctx, struct clnrm_error *err)
{
    struct progress p = { fn, ctx, "" };
    struct clnrm__lines lines = { { 0 }, progress_line, &p };
    struct clnrm__xfer x;
    enum clnrm_code rc;

    r->blocking = true;
    r->sink = clnrm__lines_sink;
    /* r lives only for this call; the sink is cleared before returning. */
    /* cppcheck-suppress autoVariables */
    r->sink_ctx = &lines;
    rc = clnrm__call(eng, &x, r, 0, err);
    r->sink_ctx = NULL;
    clnrm__lines_finish(&lines);
    if (rc == CLNRM_OK && x.status != 200)
        rc = clnrm__http_error(&x, err);
    else if (rc == CLNRM_OK && x.sink_failed)
        rc = clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    else if (rc == CLNRM_OK && p.error[0])
        rc = clnrm_error_set(err, CLNRM_E_API, "Error response from daemon: %s",
                             p.error);
    clnrm__xfer_cleanup(&x);
    return rc;
}

static int add_param(struct cr_buf *q, const char *key, const char *value)
{
    char *esc = clnrm__escape(value);
    int rc = esc ? cr_buf_printf(q, "&%s=%s", key, esc) : -1;

    curl_free(esc);
    return rc;
}

static int import_query(struct cr_buf *q, const struct clnrm_image_import *im)
{
    if (cr_buf_puts(q, "/images/create?fromSrc=-") < 0 ||
        add_param(q, "repo", im->repo) < 0 ||
        add_param(q, "tag", im->tag ? im->tag : "latest") < 0)
        return -1;
    if (im->message && add_param(q, "message", im->message) < 0)
        return -1;
    for (const char *const *c = im->changes; c && *c; c++)
        if (add_param(q, "changes", *c) < 0)
            return -1;
    return 0;
}

static enum clnrm_code import(struct clnrm_engine *eng,
                              const struct clnrm_image_import *im,
                              struct clnrm__req *r, struct clnrm_error *err)
{
    struct cr_buf q = { 0 };
    enum clnrm_code rc;

    if (!im->repo)
        return clnrm_error_set(err, CLNRM_E_USAGE, "image import needs a repo");
    if (import_query(&q, im) < 0) {
        cr_buf_release(&q);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    r->method = "POST";
    r->path = q.data;
    r->content_type = "application/x-tar";
    rc = images_create(eng, r, im->on_progress, im->ctx, err);
    cr_buf_release(&q);
    return rc;
}

enum clnrm_code clnrm_engine_image_import(struct clnrm_engine *eng,
                                          const struct clnrm_image_import *im,
                                          const void *tar, size_t len,
                                          struct clnrm_error *err)
{
    struct clnrm__req r = { .data = tar, .len = len };

    return import(eng, im, &r, err);
}

enum clnrm_code
clnrm_engine_image_import_fd(struct clnrm_engine *eng,
                             const struct clnrm_image_import *im, int fd,
                             struct clnrm_error *err)
{
    struct clnrm__req r = { .use_fd = true, .fd = fd };

    return import(eng, im, &r, err);
}

/* Splits "repo[:tag]" (a ':' after the last '/') into the query. */
static int pull_query(struct cr_buf *q, const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *colon = strrchr(slash ? slash : name, ':');
    char *repo = strndup(name, colon ? (size_t)(colon - name) : strlen(name));
    int rc = -1;

    if (!repo)
        return -1;
    if (cr_buf_puts(q, "/images/create?") == 0 &&
        add_param(q, "fromImage", repo) == 0 &&
        (strchr(name, '@') ||
         add_param(q, "tag", colon ? colon + 1 : "latest") == 0))
        rc = 0;
    free(repo);
    return rc;
}

/* The pull itself; e gets the engine's own error text. */
static enum clnrm_code pull_raw(struct clnrm_engine *eng, const char *name,
                                clnrm_progress_fn on_progress, void *ctx,
                                struct clnrm_error *e)
{
    struct clnrm__req r = { .method = "POST" };
    struct cr_buf q = { 0 };
    enum clnrm_code rc;

    if (pull_query(&q, name) < 0) {
        cr_buf_release(&q);
        return clnrm_error_set(e, CLNRM_E_NOMEM, "out of memory");
    }
    r.path = q.data;
    rc = images_create(eng, &r, on_progress, ctx, e);
    cr_buf_release(&q);
    return rc;
}

/* A refused pull becomes CLNRM_E_NOIMAGE: "<lead>: <engine text><hint>". */
static enum clnrm_code pull_failed(enum clnrm_code rc, const char *lead,
                                   const char *name,
                                   const struct clnrm_error *e,
                                   struct clnrm_error *err)
{
    if (rc != CLNRM_E_API && rc != CLNRM_E_NOTFOUND) {
        if (err)
            *err = *e;
        return rc;
    }
    clnrm_error_set(err, CLNRM_E_NOIMAGE, "image \"%s\" %s (%s)%s", name, lead,
                    e->msg, clnrm__noimage_hint(name));
    if (err)
        err->http_status = e->http_status;
    return CLNRM_E_NOIMAGE;
}

enum clnrm_code clnrm_engine_image_pull(struct clnrm_engine *eng,
                                        const char *name,
                                        clnrm_progress_fn on_progress,
                                        void *ctx, struct clnrm_error *err)
{
    struct clnrm_error e = { 0 };
    enum clnrm_code rc = pull_raw(eng, name, on_progress, ctx, &e);

    if (rc == CLNRM_OK)
        return rc;
    return pull_failed(rc, "could not be pulled", name, &e, err);
}

enum clnrm_code clnrm_engine_image_ensure(struct clnrm_engine *eng,
                                          const char *name,
                                          clnrm_progress_fn on_progress,
                                          void *ctx, struct clnrm_error *err)
{
    struct clnrm_error e = { 0 };
    bool exists;
    enum clnrm_code rc = clnrm_engine_image_exists(eng, name, &exists, err);

    if (rc != CLNRM_OK || exists)
        return rc;
    rc = pull_raw(eng, name, on_progress, ctx, &e);
    if (rc == CLNRM_OK)
        return rc;
    return pull_failed(rc, "not found locally and the pull failed", name, &e,
                       err);
}

enum clnrm_code clnrm_engine_image_remove(struct clnrm_engine *eng,
                                          const char *name, bool force,
                                          struct clnrm_error *err)
{
    struct clnrm__req r = { .method = "DELETE" };
    struct clnrm__xfer x;
    char path[600];
    enum clnrm_code rc;

    snprintf(path, sizeof(path), "/images/%s%s", name, force ? "?force=1" : "");
    r.path = path;
    rc = clnrm__call(eng, &x, &r, 0, err);
    if (rc == CLNRM_OK && x.status != 200) {
        rc = clnrm__http_error(&x, err);
        if (rc == CLNRM_E_NOTFOUND)
            rc = CLNRM_E_NOIMAGE;
        if (err)
            err->code = rc;
    }
    clnrm__xfer_cleanup(&x);
    return rc;
}
