/* tmpl_func: the functions the Rust clnrm registers (env, now_rfc3339,
 * sha256, uuid_v4, uuid_v7, traceparent) and Tera's range and get_env.
 * Random ones draw from the run's seeded generator (tmpl_fake.c); clock
 * ones read rt->now_ms, which freeze_clock fixes. See tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Evaluates the argument called name (or, failing that, alt, or the
 * positional one at pos) into out; absent ones are null. */
static int farg(struct tmpl_rt *rt, const struct tmpl_expr *e, const char *name,
                const char *alt, struct tmpl_value *out)
{
    const struct tmpl_expr *x = tmpl__arg(e, name, 0);

    if (x == NULL && alt != NULL)
        x = tmpl__arg(e, alt, -1);
    memset(out, 0, sizeof(*out));
    if (x == NULL)
        return 0;
    if (tmpl__eval(rt, x, out) != 0)
        return -1;
    if (out->type == TMPL_UNDEF) {
        int rc = tmpl__undefined(rt, out, x->pos);
        tmpl_value_release(out);
        return rc;
    }
    return 0;
}

static int str_out(struct tmpl_rt *rt, struct tmpl_value *out, const char *s)
{
    return tmpl_str(out, s, strlen(s)) != 0 ? tmpl__nomem(rt) : 0;
}

static int fn_env(struct tmpl_rt *rt, const struct tmpl_expr *e,
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

static int fn_now(struct tmpl_rt *rt, const struct tmpl_expr *e,
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

static int fn_sha256(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out)
{
    struct tmpl_value s;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    int ok;

    if (farg(rt, e, "s", "input", &s) != 0)
        return -1;
    if (s.type != TMPL_STR) {
        tmpl_value_release(&s);
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "sha256() needs s=\"text\"");
    }
    ok = EVP_Digest(s.s, s.len, md, &n, EVP_sha256(), NULL);
    tmpl_value_release(&s);
    if (!ok)
        return tmpl__nomem(rt);
    for (unsigned i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return str_out(rt, out, hex);
}

static void hex_bytes(char *dst, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(dst + 2 * i, 3, "%02x", b[i]);
}

static void rand_bytes(struct tmpl_rt *rt, unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t r = tmpl__rand(rt);
        for (size_t k = 0; k < 8 && i + k < n; k++)
            b[i + k] = (unsigned char)(r >> (8 * k));
    }
}

/* RFC 9562 layouts: v4 is random, v7 starts with the 48-bit ms clock. */
static int fn_uuid(struct tmpl_rt *rt, bool v7, struct tmpl_value *out)
{
    unsigned char b[16];
    char hex[33], s[37];

    rand_bytes(rt, b, sizeof(b));
    if (v7)
        for (int i = 0; i < 6; i++)
            b[i] = (unsigned char)((uint64_t)rt->now_ms >> (8 * (5 - i)));
    b[6] = (unsigned char)((b[6] & 0x0f) | (v7 ? 0x70 : 0x40));
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    hex_bytes(hex, b, 16);
    snprintf(s, sizeof(s), "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
             hex + 16, hex + 20);
    return str_out(rt, out, s);
}

/* W3C Trace Context: 00-<16-byte trace id>-<8-byte span id>-01. */
static int fn_traceparent(struct tmpl_rt *rt, struct tmpl_value *out)
{
    unsigned char b[24];
    char hex[49], s[64];

    rand_bytes(rt, b, sizeof(b));
    b[0] |= 1, b[16] |= 1; /* all-zero ids are invalid */
    hex_bytes(hex, b, sizeof(b));
    snprintf(s, sizeof(s), "00-%.32s-%.16s-01", hex, hex + 32);
    return str_out(rt, out, s);
}

static int int_arg(struct tmpl_rt *rt, const struct tmpl_expr *e,
                   const char *name, int pos, int64_t def, int64_t *out)
{
    const struct tmpl_expr *x = tmpl__arg(e, name, pos);
    struct tmpl_value v;

    *out = def;
    if (x == NULL)
        return 0;
    if (tmpl__eval(rt, x, &v) != 0)
        return -1;
    if (v.type != TMPL_INT) {
        tmpl_value_release(&v);
        return tmpl__fail_at(rt, TMPL_E_EVAL, x->pos, "%s must be an integer",
                             name);
    }
    *out = v.i;
    return 0;
}

/* Tera's range(end=N, start=0, step_by=1). */
static int fn_range(struct tmpl_rt *rt, const struct tmpl_expr *e,
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

int tmpl__call(struct tmpl_rt *rt, const struct tmpl_expr *e,
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
        return fn_uuid(rt, n[6] == '7', out);
    if (strcmp(n, "traceparent") == 0)
        return fn_traceparent(rt, out);
    if (strcmp(n, "range") == 0)
        return fn_range(rt, e, out);
    if ((rc = tmpl__fake(rt, e, out)) <= 0)
        return rc;
    return tmpl__fail_at(rt, TMPL_E_UNSUPPORTED, e->pos,
                         "unknown function \"%s\" (macros are called as "
                         "namespace::%s(...))",
                         n, n);
}
