/* engine images: inspect, import, pull, ensure, remove. See
 * engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

enum engine_code engine_image_exists(struct engine *eng, const char *name,
                                     bool *exists, struct cr_error *err)
{
    struct engine__xfer x;
    char path[600];
    struct engine__req r = { .method = "GET", .path = path };
    enum engine_code rc;

    snprintf(path, sizeof(path), "/images/%s/json", name);
    rc = engine__request(eng, &x, &r, ENGINE__OK(200, 404), 0, err);
    *exists = rc == ENGINE_OK && x.status == 200;
    engine__xfer_cleanup(&x);
    return rc;
}

/* Reads the NDJSON progress of POST /images/create. */
struct progress {
    engine_progress_fn fn;
    void *ctx;
    char error[400]; /* first in-stream error, "" if none */
    bool nomem;      /* a line could not be parsed for lack of memory */
};

static int progress_line(void *ctx, char *line, size_t len)
{
    struct progress *p = ctx;
    cJSON *doc;
    const char *e;

    /* An unparsed line for lack of memory could hide the stream's error. */
    if (engine__json_parse(line, len, &doc, NULL) == ENGINE_E_NOMEM) {
        p->nomem = true;
        return -1;
    }
    if (!doc)
        return 0; /* not ours to judge: keep reading */
    e = engine__json_str(doc, "error");
    if (*e && !p->error[0])
        snprintf(p->error, sizeof(p->error), "%s", e);
    else if (!*e && p->fn)
        p->fn(p->ctx, engine__json_str(doc, "status"),
              engine__json_str(doc, "id"), engine__json_str(doc, "progress"));
    cJSON_Delete(doc);
    return 0;
}

/* Runs an images/create request and folds HTTP and in-stream errors into
 * one result. */
static enum engine_code images_create(struct engine *eng, struct engine__req *r,
                                      engine_progress_fn fn, void *ctx,
                                      struct cr_error *err)
{
    struct progress p = { fn, ctx, "", false };
    struct engine__lines lines = { { 0 }, progress_line, &p };
    struct engine__xfer x;
    enum engine_code rc;

    r->blocking = true;
    r->sink = engine__lines_sink;
    /* r lives only for this call; the sink is cleared before returning. */
    /* cppcheck-suppress autoVariables */
    r->sink_ctx = &lines;
    rc = engine__request(eng, &x, r, ENGINE__OK(200), 0, err);
    r->sink_ctx = NULL;
    engine__lines_finish(&lines);
    if (rc == ENGINE_OK && (x.sink_failed || p.nomem))
        rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    else if (rc == ENGINE_OK && p.error[0])
        rc = engine_error_set(err, ENGINE_E_API,
                              "Error response from daemon: %s", p.error);
    engine__xfer_cleanup(&x);
    return rc;
}

static int add_param(struct cr_buf *q, const char *key, const char *value)
{
    char *esc = engine__escape(value);
    int rc = esc ? cr_buf_printf(q, "&%s=%s", key, esc) : -1;

    engine__curl.free(esc);
    return rc;
}

static int import_query(struct cr_buf *q, const struct engine_image_import *im)
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

static enum engine_code import(struct engine *eng,
                               const struct engine_image_import *im,
                               struct engine__req *r, struct cr_error *err)
{
    struct cr_buf q = { 0 };
    enum engine_code rc;

    if (!im->repo)
        return engine_error_set(err, ENGINE_E_INVALID,
                                "image import needs a repo");
    if (import_query(&q, im) < 0)
        return engine__nomem(&q, err);
    r->method = "POST";
    r->path = q.data;
    r->content_type = "application/x-tar";
    rc = images_create(eng, r, im->on_progress, im->ctx, err);
    cr_buf_release(&q);
    return rc;
}

enum engine_code engine_image_import(struct engine *eng,
                                     const struct engine_image_import *im,
                                     const void *tar, size_t len,
                                     struct cr_error *err)
{
    struct engine__req r = { .data = tar, .len = len };

    return import(eng, im, &r, err);
}

enum engine_code engine_image_import_fd(struct engine *eng,
                                        const struct engine_image_import *im,
                                        int fd, struct cr_error *err)
{
    struct engine__req r = { .use_fd = true, .fd = fd };

    return import(eng, im, &r, err);
}

/* Splits "repo[:tag]" (a ':' after the last '/') into the query. */
static int pull_query(struct cr_buf *q, const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *colon = strrchr(slash ? slash : name, ':');
    char *repo =
        cr_strndup(name, colon ? (size_t)(colon - name) : strlen(name));
    int rc = -1;

    if (!repo)
        return -1;
    if (cr_buf_puts(q, "/images/create?") == 0 &&
        add_param(q, "fromImage", repo) == 0 &&
        (strchr(name, '@') ||
         add_param(q, "tag", colon ? colon + 1 : "latest") == 0))
        rc = 0;
    cr_free(repo);
    return rc;
}

/* The pull itself; e gets the engine's own error text. */
static enum engine_code pull_raw(struct engine *eng, const char *name,
                                 engine_progress_fn on_progress, void *ctx,
                                 struct cr_error *e)
{
    struct engine__req r = { .method = "POST" };
    struct cr_buf q = { 0 };
    enum engine_code rc;

    if (pull_query(&q, name) < 0)
        return engine__nomem(&q, e);
    r.path = q.data;
    rc = images_create(eng, &r, on_progress, ctx, e);
    cr_buf_release(&q);
    return rc;
}

/* A refused pull becomes ENGINE_E_NOIMAGE: "<lead>: <engine text><hint>". */
static enum engine_code pull_failed(enum engine_code rc, const char *lead,
                                    const char *name, const struct cr_error *e,
                                    struct cr_error *err)
{
    if (rc != ENGINE_E_API && rc != ENGINE_E_NOTFOUND) {
        if (err)
            *err = *e;
        return rc;
    }
    engine_error_set(err, ENGINE_E_NOIMAGE, "image \"%s\" %s (%s)%s", name,
                     lead, e->msg, engine__noimage_hint(name));
    if (err)
        err->http_status = e->http_status;
    return ENGINE_E_NOIMAGE;
}

enum engine_code engine_image_pull(struct engine *eng, const char *name,
                                   engine_progress_fn on_progress, void *ctx,
                                   struct cr_error *err)
{
    struct cr_error e = { 0 };
    enum engine_code rc = pull_raw(eng, name, on_progress, ctx, &e);

    if (rc == ENGINE_OK)
        return rc;
    return pull_failed(rc, "could not be pulled", name, &e, err);
}

enum engine_code engine_image_ensure(struct engine *eng, const char *name,
                                     engine_progress_fn on_progress, void *ctx,
                                     struct cr_error *err)
{
    struct cr_error e = { 0 };
    bool exists;
    enum engine_code rc = engine_image_exists(eng, name, &exists, err);

    if (rc != ENGINE_OK || exists)
        return rc;
    rc = pull_raw(eng, name, on_progress, ctx, &e);
    if (rc == ENGINE_OK)
        return rc;
    return pull_failed(rc, "not found locally and the pull failed", name, &e,
                       err);
}

enum engine_code engine_image_remove(struct engine *eng, const char *name,
                                     bool force, struct cr_error *err)
{
    struct engine__xfer x;
    char path[600];
    struct engine__req r = { .method = "DELETE", .path = path };
    enum engine_code rc;

    snprintf(path, sizeof(path), "/images/%s%s", name, force ? "?force=1" : "");
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_E_NOTFOUND) {
        rc = ENGINE_E_NOIMAGE;
        if (err)
            err->code = rc;
    }
    engine__xfer_cleanup(&x);
    return rc;
}
