/* tmpl_func: the functions the Rust clnrm registers (env, now_rfc3339,
 * sha256, uuid_v4, uuid_v7, traceparent) and Tera's range and get_env.
 * Random ones come from the run's seeded generators (tmpl_fake.c); clock
 * ones read rt->now_ms, which freeze_clock fixes. See tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <inttypes.h>
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A copy of the argument called name (or, failing that, alt, or the
 * first positional one) into out; absent ones are null. */
static int farg(struct tmpl_rt *rt, const struct tmpl_call *e, const char *name,
                const char *alt, struct tmpl_value *out)
{
    const struct tmpl_value *x = tmpl__argv(e, name, 0, NULL);

    if (x == NULL && alt != NULL)
        x = tmpl__argv(e, alt, -1, NULL);
    memset(out, 0, sizeof(*out));
    if (x == NULL)
        return 0;
    return tmpl_value_copy(out, x) != 0 ? tmpl__nomem(rt) : 0;
}

static int str_out(struct tmpl_rt *rt, struct tmpl_value *out, const char *s)
{
    return tmpl_str(out, s, strlen(s)) != 0 ? tmpl__nomem(rt) : 0;
}

static int fn_env(struct tmpl_rt *rt, const struct tmpl_call *e,
                  struct tmpl_value *out)
{
    struct tmpl_value name, def;
    const char *v;
    int rc;

    if (farg(rt, e, "name", NULL, &name) != 0)
        return -1;
    if (name.type != TMPL_STR) {
        tmpl_value_release(&name);
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "%s() needs name=\"VARIABLE\"", e->name);
    }
    v = rt->opts->getenv ? rt->opts->getenv(rt->opts->getenv_ud, name.s)
                         : getenv(name.s);
    if (v != NULL) {
        rc = str_out(rt, out, v);
    } else if ((rc = farg(rt, e, "default", NULL, &def)) == 0) {
        if (def.type == TMPL_NULL)
            rc = tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                               "environment variable %s is not set and %s() "
                               "has no default=",
                               name.s, e->name);
        else
            *out = def;
    }
    tmpl_value_release(&name);
    return rc;
}

/* YYYY-MM-DDTHH:MM:SS[.mmm]Z of ms since the epoch. */
static int rfc3339(struct tmpl_rt *rt, int64_t ms, struct tmpl_value *out)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;
    char buf[64];

    if (gmtime_r(&t, &tm) == NULL)
        return tmpl__fail_at(rt, TMPL_E_EVAL, (struct cr_pos){ 1, 1 },
                             "time out of range");
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    if (frac != 0)
        snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03d", frac);
    strcat(buf, "Z");
    return str_out(rt, out, buf);
}

static int fn_now(struct tmpl_rt *rt, const struct tmpl_call *e,
                  struct tmpl_value *out)
{
    struct tmpl_value secs;

    if (strcmp(e->name, "now_unix") == 0)
        *out = tmpl_int(rt->now_ms / 1000);
    else if (strcmp(e->name, "now_ms") == 0)
        *out = tmpl_int(rt->now_ms);
    else if (strcmp(e->name, "now_rfc3339") == 0)
        return rfc3339(rt, rt->now_ms, out);
    else {
        if (farg(rt, e, "seconds", NULL, &secs) != 0)
            return -1;
        if (secs.type != TMPL_INT || secs.i > INT64_MAX / 2000 ||
            secs.i < -INT64_MAX / 2000) {
            tmpl_value_release(&secs);
            return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                                 "now_plus() needs seconds=INTEGER");
        }
        return rfc3339(rt, rt->now_ms + secs.i * 1000, out);
    }
    return 0;
}

static int fn_sha256(struct tmpl_rt *rt, const struct tmpl_call *e,
                     struct tmpl_value *out)
{
    struct tmpl_value s;
    char hex[SHA256_DIGEST_STRING_LENGTH];

    if (farg(rt, e, "s", "input", &s) != 0)
        return -1;
    if (s.type != TMPL_STR) {
        tmpl_value_release(&s);
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "sha256() needs s=\"text\"");
    }
    /* libmd writes the lower-case hex digest into hex; it allocates
     * nothing when given the buffer. */
    SHA256Data((const uint8_t *)s.s, s.len, hex);
    tmpl_value_release(&s);
    return str_out(rt, out, hex);
}

static int int_arg(struct tmpl_rt *rt, const struct tmpl_call *e,
                   const char *name, int pos, int64_t def, int64_t *out)
{
    struct cr_pos where;
    const struct tmpl_value *v = tmpl__argv(e, name, pos, &where);

    *out = def;
    if (v == NULL)
        return 0;
    if (v->type != TMPL_INT)
        return tmpl__fail_at(rt, TMPL_E_EVAL, where, "%s must be an integer",
                             name);
    *out = v->i;
    return 0;
}

/* Tera's range(end=N, start=0, step_by=1). */
static int fn_range(struct tmpl_rt *rt, const struct tmpl_call *e,
                    struct tmpl_value *out)
{
    int64_t start, end, step;

    if (int_arg(rt, e, "end", 0, 0, &end) ||
        int_arg(rt, e, "start", -1, 0, &start) ||
        int_arg(rt, e, "step_by", -1, 1, &step))
        return -1;
    if (step <= 0)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "step_by must be > 0");
    if (end > start && (end - start) / step > TMPL_MAX_ITEMS)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, e->pos,
                             "range of more than %d items", TMPL_MAX_ITEMS);
    out->type = TMPL_ARRAY;
    for (int64_t i = start; i < end; i += step) {
        struct tmpl_value v = tmpl_int(i);
        if (tmpl_array_push_take(out, &v) != 0) {
            tmpl_value_release(out);
            return tmpl__nomem(rt);
        }
    }
    return 0;
}

int tmpl__call(struct tmpl_rt *rt, const struct tmpl_call *e,
               struct tmpl_value *out)
{
    const char *n = e->name;
    int rc;

    memset(out, 0, sizeof(*out));
    if (strcmp(n, "env") == 0 || strcmp(n, "get_env") == 0)
        return fn_env(rt, e, out);
    if (strncmp(n, "now_", 4) == 0 &&
        (strcmp(n + 4, "rfc3339") == 0 || strcmp(n + 4, "unix") == 0 ||
         strcmp(n + 4, "ms") == 0 || strcmp(n + 4, "plus") == 0))
        return fn_now(rt, e, out);
    if (strcmp(n, "sha256") == 0)
        return fn_sha256(rt, e, out);
    if (strcmp(n, "uuid_v4") == 0 || strcmp(n, "uuid_v7") == 0)
        return tmpl__uuid(rt, n[6] == '7', out);
    if (strcmp(n, "traceparent") == 0)
        return tmpl__traceparent(rt, out);
    if (strcmp(n, "range") == 0)
        return fn_range(rt, e, out);
    if ((rc = tmpl__fake(rt, e, out)) <= 0)
        return rc;
    return tmpl__fail_at(rt, TMPL_E_UNSUPPORTED, e->pos,
                         "unknown function \"%s\" (macros are called as "
                         "namespace::%s(...))",
                         n, n);
}
