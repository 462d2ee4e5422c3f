/* taskrun_cond: condition evaluation (see taskrun_cond.h). */
#include "taskrun_cond.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_proc.h"
#include "taskrun_glob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *taskrun_platform(void)
{
#if defined(__APPLE__)
    return "mac";
#elif defined(_WIN32)
    return "windows";
#else
    return "linux";
#endif
}

/* The running tally: with "And" every check must pass, with "Or" one. */
struct tally {
    bool any;
    int checked, passed;
    char *why;
    size_t whylen;
};

static void check(struct tally *t, bool ok, const char *what, const char *arg)
{
    t->checked++;
    if (ok) {
        t->passed++;
        return;
    }
    /* Keep the first failure: it is the one a user fixes first. */
    if (t->why && t->whylen && t->checked - t->passed == 1)
        snprintf(t->why, t->whylen, "%s %s", what, arg);
}

static bool is_true(const char *v)
{
    return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
           strcasecmp(v, "no") != 0;
}

static void check_env_lists(struct tally *t, const struct taskrun_cond *c,
                            const struct taskrun_env *env)
{
    for (size_t i = 0; i < c->env_set.n; i++)
        check(t, taskrun_env_get(env, c->env_set.v[i]) != NULL,
              "env not set:", c->env_set.v[i]);
    for (size_t i = 0; i < c->env_not_set.n; i++)
        check(t, taskrun_env_get(env, c->env_not_set.v[i]) == NULL,
              "env is set:", c->env_not_set.v[i]);
    for (size_t i = 0; i < c->env_true.n; i++)
        check(t, is_true(taskrun_env_get(env, c->env_true.v[i])),
              "env not true:", c->env_true.v[i]);
    for (size_t i = 0; i < c->env_false.n; i++)
        check(t, !is_true(taskrun_env_get(env, c->env_false.v[i])),
              "env not false:", c->env_false.v[i]);
}

static void check_env_values(struct tally *t, const struct taskrun_cond *c,
                             const struct taskrun_env *env)
{
    for (size_t i = 0; i < c->n_env; i++) {
        const char *v = taskrun_env_get(env, c->env[i].key);
        check(t, v && strcmp(v, c->env[i].value) == 0,
              "env value differs:", c->env[i].key);
    }
    for (size_t i = 0; i < c->n_env_not; i++) {
        const char *v = taskrun_env_get(env, c->env_not[i].key);
        check(t, !v || strcmp(v, c->env_not[i].value) != 0,
              "env value matches:", c->env_not[i].key);
    }
    for (size_t i = 0; i < c->n_env_contains; i++) {
        const char *v = taskrun_env_get(env, c->env_contains[i].key);
        check(t, v && strstr(v, c->env_contains[i].value),
              "env does not contain:", c->env_contains[i].key);
    }
}

/* path relative to dir, after ${} expansion; caller frees. */
static char *resolve(const struct taskrun_cond_ctx *ctx, const char *p)
{
    char *x = taskrun_env_expand(ctx->env, p);
    if (!x || x[0] == '/' || !ctx->dir)
        return x;
    struct cr_buf b = { 0 };
    char *r = NULL;
    if (cr_buf_printf(&b, "%s/%s", ctx->dir, x) == 0)
        r = cr_buf_detach(&b);
    cr_buf_release(&b);
    cr_free(x);
    return r;
}

static bool file_mtime(const struct taskrun_cond_ctx *ctx, const char *p,
                       struct timespec *ts)
{
    char *path = resolve(ctx, p);
    struct stat st;
    bool ok = path && stat(path, &st) == 0;
    if (ok)
        *ts = st.st_mtim;
    cr_free(path);
    return ok;
}

static int ts_cmp(struct timespec a, struct timespec b)
{
    if (a.tv_sec != b.tv_sec)
        return a.tv_sec < b.tv_sec ? -1 : 1;
    if (a.tv_nsec != b.tv_nsec)
        return a.tv_nsec < b.tv_nsec ? -1 : 1;
    return 0;
}

/* The oldest and newest mtime among the files pattern (relative to the
 * makefile; see taskrun_glob.h) matches; false when none. */
static bool glob_mtimes(const struct taskrun_cond_ctx *ctx, const char *p,
                        struct timespec *oldest, struct timespec *newest)
{
    char *pattern = resolve(ctx, p);
    struct cr_strv m = { 0 };
    bool any = false;
    if (pattern && taskrun_glob(pattern, &m) == 0) {
        for (size_t i = 0; i < m.n; i++) {
            struct stat st;
            if (stat(m.v[i], &st) != 0)
                continue;
            if (!any || ts_cmp(st.st_mtim, *oldest) < 0)
                *oldest = st.st_mtim;
            if (!any || ts_cmp(st.st_mtim, *newest) > 0)
                *newest = st.st_mtim;
            any = true;
        }
    }
    cr_strv_release(&m);
    cr_free(pattern);
    return any;
}

/*
 * files_modified: true when some input is newer than the oldest output, or
 * an output pattern matches nothing. Both sides are patterns, as in
 * cargo-make (taskrun_glob.h).
 */
static bool modified(const struct taskrun_cond *c,
                     const struct taskrun_cond_ctx *ctx)
{
    struct timespec oldest_out = { 0 }, newest_in = { 0 }, lo, hi;
    for (size_t i = 0; i < c->modified_output.n; i++) {
        if (!glob_mtimes(ctx, c->modified_output.v[i], &lo, &hi))
            return true;
        if (i == 0 || ts_cmp(lo, oldest_out) < 0)
            oldest_out = lo;
    }
    for (size_t i = 0; i < c->modified_input.n; i++)
        if (glob_mtimes(ctx, c->modified_input.v[i], &lo, &hi) &&
            ts_cmp(hi, newest_in) > 0)
            newest_in = hi;
    return ts_cmp(newest_in, oldest_out) > 0;
}

static void check_files(struct tally *t, const struct taskrun_cond *c,
                        const struct taskrun_cond_ctx *ctx)
{
    struct timespec ts;
    for (size_t i = 0; i < c->files_exist.n; i++)
        check(t, file_mtime(ctx, c->files_exist.v[i], &ts),
              "file missing:", c->files_exist.v[i]);
    for (size_t i = 0; i < c->files_not_exist.n; i++)
        check(t, !file_mtime(ctx, c->files_not_exist.v[i], &ts),
              "file exists:", c->files_not_exist.v[i]);
    if (c->modified_input.n || c->modified_output.n)
        check(t, modified(c, ctx), "up to date:", "files_modified");
}

static void check_lists(struct tally *t, const struct taskrun_cond *c,
                        const struct taskrun_cond_ctx *ctx)
{
    if (c->profiles.n)
        check(t, cr_strv_find(&c->profiles, ctx->profile) >= 0, "profile is",
              ctx->profile);
    if (c->platforms.n)
        check(t, cr_strv_find(&c->platforms, ctx->platform) >= 0, "platform is",
              ctx->platform);
}

/* The installed rustc, as cargo-make reads it from `rustc --version`
 * ("rustc 1.75.0-nightly (hash date)"). */
struct rustc_info {
    bool found;
    unsigned v[3];       /* major, minor, patch */
    char version[64];    /* "1.75.0-nightly" */
    const char *channel; /* "stable", "beta" or "nightly" */
};

/* "1.2.3" (missing parts 0) into v; false when it is no version. */
static bool parse_version(const char *s, unsigned v[3])
{
    v[0] = v[1] = v[2] = 0;
    for (int i = 0; i < 3; i++) {
        char *end;
        unsigned long n = strtoul(s, &end, 10);
        if (end == s || n > 0xffff)
            return false;
        v[i] = (unsigned)n;
        if (*end != '.')
            return true;
        s = end + 1;
    }
    return true;
}

static int version_cmp(const unsigned a[3], const unsigned b[3])
{
    for (int i = 0; i < 3; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static void rustc_info(const struct taskrun_cond_ctx *ctx, struct rustc_info *r)
{
    memset(r, 0, sizeof(*r));
    const char *argv[] = { "rustc", "--version", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .envp = (const char *const *)ctx->env->vars,
                              .cwd = ctx->dir,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_PIPE,
                              .err = CR_PROC_NULL };
    char *out = NULL;
    int code = cr_proc_run(&o, &out);
    if (code == 0 && out && strncmp(out, "rustc ", 6) == 0 &&
        sscanf(out + 6, "%63s", r->version) == 1 &&
        parse_version(r->version, r->v)) {
        r->found = true;
        r->channel = strstr(r->version, "-nightly") ? "nightly"
                     : strstr(r->version, "-beta")  ? "beta"
                                                    : "stable";
    }
    cr_free(out);
}

/* channels and rust_version, from the installed rustc; without one they
 * do not hold ("no rustc"). */
static void check_rust(struct tally *t, const struct taskrun_cond *c,
                       const struct taskrun_cond_ctx *ctx)
{
    if (!c->channels.n && !c->has_rust_version)
        return;
    struct rustc_info r;
    rustc_info(ctx, &r);
    if (!r.found) {
        check(t, false, "no rustc", "on PATH");
        return;
    }
    if (c->channels.n)
        check(t, cr_strv_find(&c->channels, r.channel) >= 0, "rust channel is",
              r.channel);
    const char *bound[] = { c->rust_min, c->rust_max, c->rust_equal };
    const char *name[] = { "min", "max", "equal" };
    for (int i = 0; i < 3; i++) {
        if (!bound[i])
            continue;
        unsigned b[3];
        bool ok = parse_version(bound[i], b);
        int cmp = ok ? version_cmp(r.v, b) : 0;
        ok = ok && (i == 0 ? cmp >= 0 : i == 1 ? cmp <= 0 : cmp == 0);
        char arg[160];
        snprintf(arg, sizeof(arg), "%s, not %s %s", r.version, name[i],
                 bound[i]);
        check(t, ok, "rustc is", arg);
    }
}

bool taskrun_cond_eval(const struct taskrun_cond *c,
                       const struct taskrun_cond_ctx *ctx, char *why,
                       size_t whylen)
{
    if (!c)
        return true;
    struct tally t = { c->any, 0, 0, why, whylen };
    check_lists(&t, c, ctx);
    check_env_lists(&t, c, ctx->env);
    check_env_values(&t, c, ctx->env);
    check_files(&t, c, ctx);
    check_rust(&t, c, ctx);
    if (t.checked == 0)
        return true;
    bool ok = t.any ? t.passed > 0 : t.passed == t.checked;
    if (ok && why && whylen)
        why[0] = '\0';
    return ok;
}

bool taskrun_cond_script(const struct cr_strv *script,
                         const struct taskrun_env *env, const char *cwd)
{
    if (!script || script->n == 0)
        return true;
    struct cr_buf b = { 0 };
    for (size_t i = 0; i < script->n; i++)
        if (cr_buf_printf(&b, "%s\n", script->v[i]) != 0) {
            cr_buf_release(&b);
            return false;
        }
    const char *argv[] = { "sh", "-e", "-c", cr_buf_str(&b), NULL };
    /* A duckscript condition runs in taskrun itself (the executable that
     * embeds this library, see taskrun_duck_main.h). */
    const char *duck[] = { "/proc/self/exe", "--duckscript-eval",
                           "condition_script", cr_buf_str(&b), NULL };
    bool is_duck = strncmp(script->v[0], "#!@duckscript", 13) == 0;
    struct cr_proc_opts o = { .argv = is_duck ? duck : argv,
                              .envp = (const char *const *)env->vars,
                              .cwd = cwd };
    int rc = cr_proc_run(&o, NULL);
    cr_buf_release(&b);
    return rc == 0;
}
