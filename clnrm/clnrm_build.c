/* clnrm_build: images of services with `build`. See clnrm_build.h. */
#include "clnrm_build.h"

#include "cr_alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* clnrm-build-<service>:<hash>; a repository name is lower case, with
 * '_', '.', '-' allowed inside. */
static char *image_tag(const char *service, const char *hash)
{
    char repo[80];
    size_t n = 0;

    for (const char *p = service; *p != '\0' && n < sizeof(repo) - 1; p++)
        repo[n++] =
            isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '-';
    repo[n] = '\0';
    return cr_strprintf("clnrm-build-%s:%s", repo, hash);
}

/* The hash covers what makes the image: the context's bytes and the
 * build's parameters. */
static void build_hash(const struct clnrm_build *b, const struct engine_tar *t,
                       char out[17])
{
    struct engine_bytes parts[3 + 2 * 32];
    size_t n = 0;

    parts[n++] = (struct engine_bytes){ t->buf.data, t->buf.len };
    parts[n++] = (struct engine_bytes){ b->dockerfile, strlen(b->dockerfile) };
    parts[n++] = (struct engine_bytes){ b->target ? b->target : "",
                                        b->target ? strlen(b->target) : 0 };
    for (size_t i = 0; i < b->args.n && i < 32; i++) {
        parts[n++] = (struct engine_bytes){ b->args.items[i].key,
                                            strlen(b->args.items[i].key) };
        parts[n++] = (struct engine_bytes){ b->args.items[i].value,
                                            strlen(b->args.items[i].value) };
    }
    engine_build_hash(parts, n, out);
}

static enum clnrm_code build_one(struct engine *eng, const struct clnrm_test *t,
                                 struct clnrm_service *s,
                                 engine_build_line_fn on_line, void *ctx,
                                 struct clnrm_build_stats *st,
                                 struct cr_error *err)
{
    const struct clnrm_build *b = s->build;
    struct engine_kv args[32];
    struct engine_tar tar = { 0 };
    struct cr_error e = { 0 };
    char hash[17], *tag = NULL;
    bool exists = false;
    enum engine_code ec;

    ec = engine_build_context(b->context, &tar, &e);
    if (ec == ENGINE_OK) {
        build_hash(b, &tar, hash);
        if ((tag = image_tag(s->name, hash)) == NULL)
            ec = engine_error_set(&e, ENGINE_E_NOMEM, "out of memory");
    }
    if (ec == ENGINE_OK)
        ec = engine_image_exists(eng, tag, &exists, &e);
    if (ec == ENGINE_OK && !exists) {
        struct engine_build eb = { .tag = tag,
                                   .dockerfile = b->dockerfile,
                                   .target = b->target,
                                   .args = args,
                                   .nargs = b->args.n < 32 ? b->args.n : 32,
                                   .on_line = on_line,
                                   .ctx = ctx };
        for (size_t i = 0; i < eb.nargs; i++)
            args[i] = (struct engine_kv){ b->args.items[i].key,
                                          b->args.items[i].value };
        ec = engine_image_build(eng, &eb, tar.buf.data, tar.buf.len, &e);
    }
    cr_buf_release(&tar.buf);
    if (ec != ENGINE_OK) {
        cr_free(tag);
        return clnrm_error_set(err, clnrm_from_engine(ec, &e),
                               "test \"%s\", service \"%s\": %s", t->name,
                               s->name, e.msg);
    }
    st->built += !exists;
    st->reused += exists;
    cr_free(s->image);
    s->image = tag;
    return CLNRM_OK;
}

enum clnrm_code clnrm_build_images(struct engine *eng,
                                   struct clnrm_test *const *tests, size_t n,
                                   engine_build_line_fn on_line, void *ctx,
                                   struct clnrm_build_stats *st,
                                   struct cr_error *err)
{
    struct clnrm_build_stats local = { 0 };
    enum clnrm_code rc = CLNRM_OK;

    if (st == NULL)
        st = &local;
    for (size_t i = 0; rc == CLNRM_OK && i < n; i++)
        for (size_t k = 0; rc == CLNRM_OK && k < tests[i]->n_services; k++)
            if (tests[i]->services[k].build != NULL)
                rc = build_one(eng, tests[i], &tests[i]->services[k], on_line,
                               ctx, st, err);
    return rc;
}
