/* taskrun_jobs: the default kind (command/script) and the kind table. */
#include "taskrun_jobs.h"
#include "taskrun_watch.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void taskrun_exec_release(struct taskrun_exec *x)
{
    cr_strv_release(&x->argv);
    if (x->tmpfile) {
        unlink(x->tmpfile);
        cr_free(x->tmpfile);
    }
    x->tmpfile = NULL;
}

static bool is_shell(const char *r)
{
    static const char *const shells[] = { "sh",  "bash", "dash",
                                          "zsh", "ksh",  "@shell" };
    const char *base = strrchr(r, '/');
    base = base ? base + 1 : r;
    for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
        if (strcmp(base, shells[i]) == 0)
            return true;
    return false;
}

/* The runner a script asks for: its shebang wins over script_runner. */
static const char *script_runner(const struct taskrun_task *t, char *shebang,
                                 size_t n)
{
    shebang[0] = '\0';
    if (t->script && strncmp(t->script, "#!", 2) == 0) {
        size_t len = strcspn(t->script + 2, "\n");
        if (len >= n)
            len = n - 1;
        memcpy(shebang, t->script + 2, len);
        shebang[len] = '\0';
        while (len > 0 && shebang[len - 1] == ' ')
            shebang[--len] = '\0';
        return shebang;
    }
    return t->script_runner ? t->script_runner : "sh";
}

/* Writes body to a private temporary file; returns its path or NULL. */
static char *write_temp(const char *body, const char *ext, bool exec)
{
    const char *dir = getenv("TMPDIR");
    struct cr_buf b = { 0 };
    const char *e = ext ? ext : "";
    if (cr_buf_printf(&b, "%s/taskrun-XXXXXX%s%s", dir ? dir : "/tmp",
                      *e && *e != '.' ? "." : "", e) != 0)
        return NULL;
    char *path = cr_buf_detach(&b);
    size_t suffix = strlen(e) + (*e && *e != '.' ? 1 : 0);
    int fd = path ? mkostemps(path, (int)suffix, O_CLOEXEC) : -1;
    if (fd < 0) {
        cr_free(path);
        return NULL;
    }
    size_t len = strlen(body);
    bool ok = write(fd, body, len) == (ssize_t)len;
    if (exec)
        fchmod(fd, 0700);
    close(fd);
    if (!ok) {
        unlink(path);
        cr_free(path);
        return NULL;
    }
    return path;
}

/* taskrun runs duckscript itself: the child is `taskrun --duckscript`. */
static enum taskrun_code build_duckscript(const struct taskrun_task *t,
                                          const struct taskrun_job_ctx *c,
                                          struct taskrun_exec *x,
                                          struct cr_error *err)
{
    int rc = cr_strv_push(&x->argv, c->self_exe);
    /* One argument may hold 128 KiB (MAX_ARG_STRLEN): a longer script
     * goes through a file. */
    if (!t->script_file && strlen(t->script) > 64 * 1024) {
        x->tmpfile = write_temp(t->script, ".ds", false);
        if (!x->tmpfile)
            return taskrun_error_set(err, TASKRUN_E_RUN,
                                     "task \"%s\": cannot write script: %s",
                                     t->name, strerror(errno));
        rc |= cr_strv_push(&x->argv, "--duckscript");
        rc |= cr_strv_push(&x->argv, x->tmpfile);
    } else if (t->script_file) {
        rc |= cr_strv_push(&x->argv, "--duckscript");
        rc |= cr_strv_push_take(&x->argv,
                                taskrun_env_expand(c->env, t->script_file));
    } else {
        rc |= cr_strv_push(&x->argv, "--duckscript-eval");
        rc |= cr_strv_push(&x->argv, t->name);
        rc |= cr_strv_push(&x->argv, t->script);
    }
    if (c->cli)
        rc |= cr_strv_copy(&x->argv, c->cli);
    return rc ? taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory")
              : TASKRUN_OK;
}

static enum taskrun_code build_script(const struct taskrun_task *t,
                                      const struct taskrun_job_ctx *c,
                                      struct taskrun_exec *x,
                                      struct cr_error *err)
{
    char shebang[256];
    const char *runner = script_runner(t, shebang, sizeof(shebang));
    if (strcmp(runner, "@duckscript") == 0 && c->self_exe)
        return build_duckscript(t, c, x, err);
    if (runner[0] == '@' && strcmp(runner, "@shell") != 0)
        return taskrun_error_set(
            err, TASKRUN_E_RUN, "task \"%s\": unsupported script runner \"%s\"",
            t->name, runner);
    bool shell = shebang[0] ? strcmp(runner, "@shell") == 0 : is_shell(runner);
    int rc = 0;
    if (t->script_file) {
        rc |= cr_strv_push(&x->argv, shell ? "sh" : runner);
        rc |= cr_strv_copy(&x->argv, &t->script_runner_args);
        rc |= cr_strv_push_take(&x->argv,
                                taskrun_env_expand(c->env, t->script_file));
    } else if (shell) {
        /* cargo-make runs scripts with exit-on-error. */
        rc |= cr_strv_push(&x->argv, runner[0] == '@' ? "sh" : runner);
        rc |= cr_strv_copy(&x->argv, &t->script_runner_args);
        rc |= cr_strv_push(&x->argv, "-e");
        rc |= cr_strv_push(&x->argv, "-c");
        rc |= cr_strv_push(&x->argv, t->script);
        rc |= cr_strv_push(&x->argv, t->name);
    } else {
        x->tmpfile = write_temp(t->script, t->script_extension, shebang[0]);
        if (!x->tmpfile)
            return taskrun_error_set(err, TASKRUN_E_RUN,
                                     "task \"%s\": cannot write script: %s",
                                     t->name, strerror(errno));
        if (!shebang[0]) {
            rc |= cr_strv_push(&x->argv, runner);
            rc |= cr_strv_copy(&x->argv, &t->script_runner_args);
        }
        rc |= cr_strv_push(&x->argv, x->tmpfile);
    }
    if (c->cli)
        rc |= cr_strv_copy(&x->argv, c->cli);
    return rc ? taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory")
              : TASKRUN_OK;
}

static enum taskrun_code build_plain(const struct taskrun_task *t,
                                     const struct taskrun_job_ctx *c,
                                     struct taskrun_exec *x,
                                     struct cr_error *err);

static enum taskrun_code build_default(const struct taskrun_task *t,
                                       const struct taskrun_job_ctx *c,
                                       struct taskrun_exec *x,
                                       struct cr_error *err)
{
    int actions = (t->command != NULL) +
                  (t->script != NULL || t->script_file != NULL) +
                  (t->n_routes > 0);
    if (actions > 1)
        return taskrun_error_set(err, TASKRUN_E_RUN,
                                 "task \"%s\" contains multiple actions "
                                 "(command, script, run_task)",
                                 t->name);
    if (t->watch) {
        enum taskrun_code rc = build_plain(t, c, x, err);
        return rc ? rc : taskrun_watch_wrap(t, c->self_exe, x, err);
    }
    return build_plain(t, c, x, err);
}

/* The command or script of t, without watching. */
static enum taskrun_code build_plain(const struct taskrun_task *t,
                                     const struct taskrun_job_ctx *c,
                                     struct taskrun_exec *x,
                                     struct cr_error *err)
{
    if (t->script || t->script_file)
        return build_script(t, c, x, err);
    if (!t->command)
        return TASKRUN_OK;
    char *cmd = taskrun_env_expand(c->env, t->command);
    if (cr_strv_push_take(&x->argv, cmd) != 0 ||
        taskrun_env_expand_argv(c->env, &t->args, c->cli, &x->argv) != 0)
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    return TASKRUN_OK;
}

/* A task of another makefile runs in a taskrun of its own, as cargo-make
 * runs one in a `cargo make` of its own: that file's [env] and directory,
 * no init/end or on_error tasks of its own, the same profile. */
static enum taskrun_code build_ext(const struct taskrun_task *t,
                                   const struct taskrun_job_ctx *c,
                                   struct taskrun_exec *x, struct cr_error *err)
{
    const char *profile = taskrun_env_get(c->env, "CARGO_MAKE_PROFILE");
    char depth[24];
    snprintf(depth, sizeof(depth), "%d", c->ext_depth + 1);
    const char *argv[] = { c->self_exe && *c->self_exe ? c->self_exe
                                                       : "taskrun",
                           "--ext-depth",
                           depth,
                           "--makefile",
                           t->ext_makefile,
                           "--profile",
                           profile ? profile : "development",
                           "--allow-private",
                           "--no-on-error",
                           "--skip-init-end-tasks",
                           "--task",
                           t->ext_task };
    for (size_t i = 0; i < sizeof(argv) / sizeof(argv[0]); i++)
        if (cr_strv_push(&x->argv, argv[i]) != 0)
            return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    return TASKRUN_OK;
}

enum taskrun_code taskrun_job_build(const struct taskrun_task *t,
                                    const struct taskrun_job_ctx *c,
                                    struct taskrun_exec *x,
                                    struct cr_error *err)
{
    memset(x, 0, sizeof(*x));
    if (t->ext_makefile)
        return build_ext(t, c, x, err);
    if (t->job.kind)
        return t->job.kind->build(t, c, x, err);
    return build_default(t, c, x, err);
}

static int describe_argv(struct cr_buf *b, const char *cmd,
                         const struct cr_strv *args)
{
    int rc = cr_buf_puts(b, cmd);
    for (size_t i = 0; i < args->n; i++)
        rc |= cr_buf_printf(b, " %s", args->v[i]);
    return rc;
}

/* "run_task: a, b" or, for routing lists, "run_task: a, b | c". */
static int describe_routes(struct cr_buf *b, const struct taskrun_task *t)
{
    int rc = cr_buf_puts(b, "run_task: ");
    for (size_t r = 0; r < t->n_routes; r++) {
        const struct taskrun_route *rt = &t->routes[r];
        rc |= cr_buf_puts(b, r ? " | " : "");
        for (size_t i = 0; i < rt->names.n; i++)
            rc |= cr_buf_printf(b, "%s%s", i ? ", " : "", rt->names.v[i]);
        if (rt->cond || rt->cond_script.n)
            rc |= cr_buf_puts(b, " (if)");
    }
    return rc;
}

char *taskrun_job_describe(const struct taskrun_task *t)
{
    struct cr_buf b = { 0 };
    int rc = 0;
    if (t->ext_makefile)
        rc = cr_buf_printf(&b, "task %s of %s", t->ext_task, t->ext_makefile);
    else if (t->job.kind)
        rc = cr_buf_printf(&b, "job %s", t->job.kind->name) |
             describe_argv(&b, "",
                           t->job.command.n ? &t->job.command : &t->job.args);
    else if (t->command)
        rc = cr_buf_puts(&b, "command: ") |
             describe_argv(&b, t->command, &t->args);
    else if (t->script_file)
        rc = cr_buf_printf(&b, "script file: %s", t->script_file);
    else if (t->script) {
        size_t n = strcspn(t->script, "\n");
        char shebang[64];
        rc = cr_buf_printf(&b, "script (%s): %.*s%s",
                           script_runner(t, shebang, sizeof(shebang)),
                           (int)(n > 60 ? 60 : n), t->script,
                           n > 60 || t->script[n] ? " ..." : "");
    } else if (t->n_routes)
        rc = describe_routes(&b, t);
    else
        rc = cr_buf_puts(&b, "(no action)");
    if (rc) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}
