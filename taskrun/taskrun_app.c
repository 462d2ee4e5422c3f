/*
 * taskrun_app: the tool behind main (see taskrun_cli.h): find and load the
 * makefile, build the environment and the plan, run it, report.
 */
#include "taskrun_cli.h"

#include "cr_alloc.h"
#include "cr_strmap.h"
#include "cr_buf.h"
#include "cr_proc.h"
#include "cr_signal.h"
#include "taskrun_core_tasks.h"
#include "taskrun_env_eval.h"
#include "taskrun_graph.h"
#include "taskrun_list.h"
#include "taskrun_load.h"
#include "taskrun_sched.h"
#include "taskrun_summary.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Grace period between SIGTERM and SIGKILL when stopping tasks. */
#define TASKRUN_GRACE_MS 5000

/* wake: the self-pipe the signal handler writes to, so the scheduler's
 * poll wakes at once (both ends -1 when it cannot be made). */
static void install_signals(int wake[2])
{
    /* Stops too: a foreground task's Ctrl-Z is forwarded (job control).
     * A closed stdout (taskrun | head) stops the run like Ctrl-C, so the
     * tasks are stopped rather than left behind by a sudden death, and
     * nobody waits for output no one reads. Children get the default. */
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE };
    struct cr_signal_opts o = { sigs, 5, -1, NULL, SA_RESTART };

    if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
        wake[0] = wake[1] = -1;
    o.wake_fd = wake[1];
    cr_signal_install(&o);
}

static void put(int fd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(int fd, const char *fmt, ...)
{
    struct cr_buf b = { 0 };
    va_list ap;
    va_start(ap, fmt);
    int rc = cr_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
}

/* tasks.toml (then Makefile.toml) in the current directory or a parent. */
static char *find_makefile(void)
{
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof(dir)))
        return NULL;
    for (;;) {
        static const char *const names[] = { "tasks.toml", "Makefile.toml" };
        for (size_t i = 0; i < 2; i++) {
            char path[PATH_MAX + 16];
            snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "",
                     names[i]);
            if (access(path, R_OK) == 0)
                return cr_strdup(path);
        }
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return NULL;
        *slash = '\0';
    }
}

struct app {
    const struct taskrun_cli *c;
    int fd_out, fd_err;
    struct taskrun_file f;
    struct taskrun_env env;
    struct taskrun_out out;
    struct cr_error err;
    const char *profile, *task;
    char *profile_lc;    /* -p NAME in lower case (owned) */
    struct cr_strv more; /* more tasks named on the command line */
    struct cr_strv args; /* the tasks' arguments (`--`, or loose) */
    unsigned jobs;
    char *makefile;
    char self[PATH_MAX];
    struct cr_proc_guard guard; /* kills our tasks' groups if we die */
    int wake[2];                /* the signal handler's self-pipe */
};

static int fail(struct app *a, enum taskrun_code code)
{
    if (a->c->json)
        taskrun_json_note(&a->out, "error", a->err.msg);
    if (a->out.log >= TASKRUN_LOG_ERROR)
        put(a->fd_err, "taskrun: %s\n", a->err.msg);
    return taskrun_exit_status(code);
}

static void warn(struct app *a, const char *msg)
{
    if (a->c->json)
        taskrun_json_note(&a->out, "warning", msg);
    else if (a->out.log >= TASKRUN_LOG_INFO)
        put(a->fd_err, "taskrun: warning: %s\n", msg);
}

static void note(struct app *a, const char *msg)
{
    if (a->c->json)
        taskrun_json_note(&a->out, "note", msg);
    else if (a->out.log >= TASKRUN_LOG_INFO)
        put(a->fd_err, "taskrun: note: %s\n", msg);
}

static enum taskrun_code load(struct app *a)
{
    a->makefile = a->c->makefile ? cr_strdup(a->c->makefile) : find_makefile();
    if (!a->makefile)
        return taskrun_error_set(&a->err, TASKRUN_E_USAGE,
                                 "no tasks.toml or Makefile.toml in this "
                                 "directory or its parents (use -f FILE)");
    struct taskrun_load_opts lo = { a->c->strict, a->profile, NULL };
    struct cr_strv warnings = { 0 };
    enum taskrun_code rc =
        taskrun_load(&a->f, a->makefile, &lo, &warnings, &a->err);
    for (size_t i = 0; i < warnings.n; i++)
        warn(a, warnings.v[i]);
    cr_strv_release(&warnings);
    return rc;
}

/* Cross-file dependencies run a taskrun per level; past this many levels
 * a loop of makefiles is assumed. */
#define TASKRUN_EXT_MAX_DEPTH 16

/* The level this taskrun runs at: 0 unless a taskrun running a task of
 * another makefile started it (--ext-depth). Given on the command line,
 * not in the environment, so that a taskrun that a task happens to start
 * (a test suite of taskrun itself) starts at 0 again. */
static int ext_depth(const struct app *a)
{
    return a->c->ext_depth;
}

static int set_cargo_make_vars(struct app *a)
{
    struct taskrun_env *e = &a->env;
    char cwd[PATH_MAX], real[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, ".");
    if (!realpath(a->makefile, real))
        snprintf(real, sizeof(real), "%s", a->makefile);
    struct cr_buf args = { 0 };
    int rc = 0;
    for (size_t i = 0; i < a->args.n; i++)
        rc |= cr_buf_printf(&args, "%s%s", i ? ";" : "", a->args.v[i]);
    const char *ci = getenv("CI");
    rc |= taskrun_env_set(e, "CARGO_MAKE", "true");
    rc |= taskrun_env_set(e, "CARGO_MAKE_VERSION", CLEANROOM_VERSION);
    rc |= taskrun_env_set(e, "CARGO_MAKE_PROFILE", a->profile);
    rc |= taskrun_env_set(e, "CARGO_MAKE_TASK", a->task);
    const char *ns = a->f.config.core_namespace;
    rc |= taskrun_env_set(e, "CARGO_MAKE_CORE_TASK_NAMESPACE", ns ? ns : "");
    char *prefix = ns ? cr_strprintf("%s::", ns) : NULL;
    rc |= (ns && !prefix) ? -1 : 0;
    rc |= taskrun_env_set(e, "CARGO_MAKE_CORE_TASK_NAMESPACE_PREFIX",
                          prefix ? prefix : "");
    cr_free(prefix);
    rc |= taskrun_env_set(e, "CARGO_MAKE_TASK_ARGS", cr_buf_str(&args));
    rc |= taskrun_env_set(e, "CARGO_MAKE_WORKING_DIRECTORY", a->f.dir);
    rc |=
        taskrun_env_set(e, "CARGO_MAKE_WORKSPACE_WORKING_DIRECTORY", a->f.dir);
    rc |= taskrun_env_set(e, "CARGO_MAKE_MAKEFILE_PATH", real);
    rc |= taskrun_env_set(e, "CARGO_MAKE_CURRENT_TASK_INITIAL_MAKEFILE", real);
    rc |= taskrun_env_set(e,
                          "CARGO_MAKE_CURRENT_TASK_INITIAL_MAKEFILE_"
                          "DIRECTORY",
                          a->f.dir);
    rc |= taskrun_env_set(e, "CARGO_MAKE_CI",
                          ci && strcmp(ci, "true") == 0 ? "true" : "false");
    rc |= taskrun_env_set(e, "TASKRUN_INVOCATION_DIRECTORY", cwd);
    cr_buf_release(&args);
    return rc;
}

/*
 * Entries of over replace the entries of all[0..*n) of the same name in
 * place (so values referring to them see the new value, as in cargo-make);
 * the others come after. all has room for *n + n_over entries. Returns 0
 * or -ENOMEM.
 */
static int overlay(struct taskrun_envvar *all, size_t *n,
                   const struct taskrun_envvar *over, size_t n_over)
{
    /* Name -> the last entry of that name in over, and the names in all:
     * hash lookups, so a big [env] and a big overlay stay linear. */
    struct cr_strmap omap = { 0 }, amap = { 0 };
    int rc = 0;
    size_t j, n0 = *n;
    for (j = 0; j < n_over && !rc; j++)
        rc = cr_strmap_put(&omap, over[j].name, strlen(over[j].name), j);
    for (size_t i = 0; n_over && i < n0 && !rc; i++)
        rc = cr_strmap_add(&amap, all[i].name, strlen(all[i].name), i);
    for (size_t i = 0; i < n0 && !rc; i++)
        if (cr_strmap_get(&omap, all[i].name, strlen(all[i].name), &j))
            all[i] = over[j];
    for (j = 0; j < n_over && !rc; j++)
        if (!cr_strmap_get(&amap, over[j].name, strlen(over[j].name), NULL))
            all[(*n)++] = over[j];
    cr_strmap_release(&omap);
    cr_strmap_release(&amap);
    return rc ? -ENOMEM : 0;
}

/* -e K=V as plain [env] values; names and values are borrowed from kv,
 * whose '=' is replaced by NUL until restore_cli_env. */
static struct taskrun_envvar *cli_env(const struct taskrun_cli *c)
{
    struct taskrun_envvar *v = cr_calloc(c->env_kv.n + 1, sizeof(*v));
    for (size_t i = 0; v && i < c->env_kv.n; i++) {
        char *eq = strchr(c->env_kv.v[i], '=');
        *eq = '\0';
        v[i].name = c->env_kv.v[i];
        v[i].value = eq + 1;
    }
    return v;
}

static void restore_cli_env(const struct taskrun_cli *c)
{
    for (size_t i = 0; i < c->env_kv.n; i++)
        c->env_kv.v[i][strlen(c->env_kv.v[i])] = '=';
}

/*
 * [env], then [env.PROFILE], then -e: each replaces the entries of the
 * same name before it in place, so `B = "${A}-b"` sees the profile's or
 * the command line's A, as in cargo-make.
 */
static enum taskrun_code apply_file_env(struct app *a)
{
    const struct taskrun_file *f = &a->f;
    long pi = cr_strv_find(&f->profile_names, a->profile);
    size_t np = pi >= 0 ? f->n_profile_env[pi] : 0, nc = a->c->env_kv.n;
    const struct taskrun_envvar *pv = pi >= 0 ? f->profiles[pi] : NULL;
    struct taskrun_envvar *all =
        cr_calloc(f->n_env + np + nc + 1, sizeof(*all));
    struct taskrun_envvar *cv = cli_env(a->c);
    size_t n = f->n_env;
    if (all && n)
        memcpy(all, f->env, n * sizeof(*all));
    if (!all || !cv || overlay(all, &n, pv, np) || overlay(all, &n, cv, nc)) {
        cr_free(all);
        if (cv)
            restore_cli_env(a->c);
        cr_free(cv);
        return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
    }
    /* all borrows every string: nothing to release but the arrays. */
    enum taskrun_code rc =
        taskrun_env_apply(&a->env, all, n, a->profile, f->dir, &a->err);
    restore_cli_env(a->c);
    cr_free(cv);
    cr_free(all);
    return rc;
}

/* Order: process env, CARGO_MAKE_*, env_files, [env], [env.PROFILE],
 * --env-file, -e. Later sources win. */
static enum taskrun_code build_env(struct app *a)
{
    enum taskrun_code rc = TASKRUN_OK;
    if (taskrun_env_init(&a->env, environ) != 0 || set_cargo_make_vars(a))
        return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
    /* taskrun writes no colour; --no-color asks the tasks' tools for none
     * either, through the NO_COLOR convention (no-color.org). */
    if (a->c->no_color && taskrun_env_set(&a->env, "NO_COLOR", "1") != 0)
        return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
    size_t nf = a->f.env_files.n, nd = a->f.env_files_defaults.n;
    for (size_t i = 0; i < nf + nd && !rc; i++) {
        const char *path =
            i < nf ? a->f.env_files.v[i] : a->f.env_files_defaults.v[i - nf];
        /* Like a dotenv file, a makefile's env file may be absent. */
        if (access(path, F_OK) != 0) {
            char msg[PATH_MAX + 64];
            snprintf(msg, sizeof(msg), "env file %s not found, skipped", path);
            warn(a, msg);
            continue;
        }
        rc = taskrun_env_load_file(&a->env, path, i >= nf, &a->err);
    }
    if (!rc)
        rc = apply_file_env(a);
    for (size_t i = 0; i < a->c->env_files.n && !rc; i++)
        rc = taskrun_env_load_file(&a->env, a->c->env_files.v[i], false,
                                   &a->err);
    for (size_t i = 0; i < a->c->env_kv.n && !rc; i++) {
        char *kv = a->c->env_kv.v[i];
        char *eq = strchr(kv, '=');
        *eq = '\0';
        if (taskrun_env_set(&a->env, kv, eq + 1) != 0)
            rc = taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
        *eq = '=';
    }
    return rc;
}

/* One note per run when Rust-only keys would change what runs. */
static void note_rust(struct app *a, const struct taskrun_plan *p)
{
    struct cr_buf b = { 0 };
    int rc = 0, n = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct taskrun_task *t = taskrun_plan_task(p, i);
        if (t->rust_key && !p->nodes[i].skip_regex && n++ < 6)
            rc |= cr_buf_printf(&b, "%s%s (%s)", n > 1 ? ", " : "", t->name,
                                t->rust_key);
    }
    if (n && rc == 0) {
        struct cr_buf m = { 0 };
        if (cr_buf_printf(&m,
                          "Rust-only keys are ignored, so these "
                          "tasks run without them: %s%s",
                          cr_buf_str(&b), n > 6 ? ", ..." : "") == 0)
            note(a, cr_buf_str(&m));
        cr_buf_release(&m);
    }
    cr_buf_release(&b);
}

/* The plan of task in f: the makefile, or (--diff-steps) the core tasks
 * alone, which plan only the more tasks they have. */
static enum taskrun_code plan_in(struct app *a, const struct taskrun_file *f,
                                 const char *task, regex_t *skip,
                                 struct taskrun_plan *p)
{
    struct taskrun_cond_ctx ctx = { &a->env, a->profile, taskrun_platform(),
                                    a->f.dir };
    /* init_task/end_task wrap the main flow, not the on_error flow. */
    bool main_flow = strcmp(task, a->task) == 0;
    struct taskrun_plan_opts po = { .task = task,
                                    .init_end =
                                        main_flow && !a->c->skip_init_end,
                                    .skip = skip,
                                    .ctx = &ctx };
    const char **more = NULL;
    if (main_flow && a->more.n) {
        more = cr_calloc(a->more.n, sizeof(*more));
        if (!more) {
            memset(p, 0, sizeof(*p));
            return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < a->more.n; i++)
            if (f == &a->f || taskrun_file_index(f, a->more.v[i]) >= 0)
                more[po.n_more++] = a->more.v[i];
        po.more = more;
    }
    po.allow_private = a->c->allow_private || !main_flow;
    enum taskrun_code rc = taskrun_plan_build(p, f, &po, &a->err);
    cr_free(more);
    return rc;
}

static enum taskrun_code plan(struct app *a, const char *task, regex_t *skip,
                              struct taskrun_plan *p)
{
    return plan_in(a, &a->f, task, skip, p);
}

static int run_plan(struct app *a, struct taskrun_plan *p, bool *ran_ok);

/* The on_error flow is planned before anything runs, so that a missing
 * on_error_task is an error up front, not a warning after a failure. */
static enum taskrun_code check_on_error(struct app *a)
{
    if (!a->f.config.on_error_task || a->c->no_on_error)
        return TASKRUN_OK;
    struct taskrun_plan p;
    enum taskrun_code rc = plan(a, a->f.config.on_error_task, NULL, &p);
    taskrun_plan_release(&p);
    if (rc == TASKRUN_E_PLAN) {
        char msg[sizeof(a->err.msg)];
        snprintf(msg, sizeof(msg), "%s", a->err.msg);
        taskrun_error_set(&a->err, rc, "[config] on_error_task: %s", msg);
    }
    return rc;
}

/* A task of another makefile in the plan must exist there before anything
 * runs (its own dependencies are that taskrun's to check when it runs);
 * cross-file dependencies nested this deep are taken for a loop. */
static enum taskrun_code check_external(struct app *a,
                                        const struct taskrun_plan *p)
{
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < p->n && !rc; i++) {
        const struct taskrun_task *t = taskrun_plan_task(p, i);
        if (!t->ext_makefile)
            continue;
        if (ext_depth(a) >= TASKRUN_EXT_MAX_DEPTH)
            return taskrun_error_set(&a->err, TASKRUN_E_PLAN,
                                     "%sdependency \"%s\": cross-file "
                                     "dependencies nest deeper than %d (a "
                                     "loop of makefiles?)",
                                     t->where ? t->where : "", t->name,
                                     TASKRUN_EXT_MAX_DEPTH);
        struct taskrun_file other;
        struct cr_strv warnings = { 0 };
        struct cr_error e = { 0 };
        rc = taskrun_load(&other, t->ext_makefile, NULL, &warnings, &e);
        if (!rc && taskrun_resolve(&other, t->ext_task, &e) < 0)
            rc = e.code;
        if (rc == TASKRUN_E_NOMEM)
            taskrun_error_set(&a->err, rc, "out of memory");
        else if (rc)
            taskrun_error_set(&a->err, rc, "%sdependency \"%s\": %s: %s",
                              t->where ? t->where : "", t->name,
                              t->ext_makefile, e.msg);
        taskrun_file_release(&other);
        cr_strv_release(&warnings);
    }
    return rc;
}

/* [config] on_error_task runs after a failure, its own status ignored. */
static void run_on_error(struct app *a)
{
    if (!a->f.config.on_error_task || a->c->no_on_error)
        return;
    struct taskrun_plan p;
    if (plan(a, a->f.config.on_error_task, NULL, &p) == TASKRUN_OK) {
        bool ok;
        run_plan(a, &p, &ok);
    } else {
        warn(a, a->err.msg);
    }
    taskrun_plan_release(&p);
}

static int run_plan(struct app *a, struct taskrun_plan *p, bool *ran_ok)
{
    struct taskrun_sched_opts so = {
        .jobs = a->jobs,
        .keep_going = a->c->keep_going,
        .grace_ms = TASKRUN_GRACE_MS,
        .out = &a->out,
        .env = &a->env,
        .profile = a->profile,
        .cli = &a->args,
        .self_exe = a->self,
        .ext_depth = ext_depth(a),
        .guard = &a->guard,
        .stop = cr_signal_flag(),
        .wake_fd = a->wake[0],
        .foreground = isatty(0) && tcgetpgrp(0) == getpgrp(),
    };
    struct taskrun_run run;
    enum taskrun_code rc = taskrun_sched_run(p, &so, &run, &a->err);
    int status = run.exit_code;
    /* 128 + the signal, as a shell reports it: 130, 143, 129, 141. */
    if (rc == TASKRUN_E_INTERRUPTED) {
        int sig = atomic_load(cr_signal_flag());
        status = 128 + (sig ? sig : SIGINT);
    } else if (rc)
        status = fail(a, rc);
    if (a->c->json)
        taskrun_summary_json(p, &run, &a->out);
    else if (a->c->time_summary || a->f.config.time_summary)
        taskrun_summary_print(p, &run, a->fd_err);
    if (!a->c->json && run.failed && a->c->keep_going &&
        a->out.log >= TASKRUN_LOG_ERROR)
        taskrun_failures_print(p, &run, a->fd_err);
    *ran_ok = status == 0;
    taskrun_run_release(&run);
    return status;
}

/* True when no two steps can ever run at once: each waits for the one
 * before it. Output then needs no prefixes. */
static bool plan_is_chain(const struct taskrun_plan *p)
{
    for (size_t i = 1; i < p->n; i++) {
        bool waits = false;
        for (size_t d = 0; d < p->nodes[i].n_deps && !waits; d++)
            waits = p->nodes[i].deps[d] == i - 1;
        if (!waits)
            return false;
    }
    return true;
}

/* Runs a plan for real: notes, signals, the run, on_error_task, cleanup. */
static int execute(struct app *a, struct taskrun_plan *p)
{
    if (a->c->json)
        taskrun_list_plan_json(p, a->task, a->profile, a->jobs, &a->out);
    note_rust(a, p);
    if (!a->c->output && plan_is_chain(p))
        a->out.mode = TASKRUN_OUT_RAW;
    install_signals(a->wake);
    /* Orphans of tasks (even setsid'd ones) come back to us. */
    cr_proc_become_subreaper();
    /* If we are SIGKILLed, the guard kills the groups still running. */
    cr_proc_guard_start(&a->guard);
    ssize_t n = readlink("/proc/self/exe", a->self, sizeof(a->self) - 1);
    a->self[n > 0 ? n : 0] = '\0';
    bool ok;
    int status = run_plan(a, p, &ok);
    if (!ok && !atomic_load(cr_signal_flag()))
        run_on_error(a);
    cr_proc_guard_stop(&a->guard);
    /*
     * An interrupted run takes everything its tasks started along, even
     * processes that left their group. A run that ends by itself lets such
     * processes go: a task that daemonizes (setsid) means it to outlive the
     * task, as scripts/bootstrap does when it starts dockerd.
     */
    if (atomic_load(cr_signal_flag()))
        cr_proc_kill_orphans(NULL, 0);
    return status;
}

/* Prints p (or nothing when p is NULL) as --print-steps does into a new
 * temporary file, whose name goes to path (left "" when none was made). */
static enum taskrun_code plan_to_temp(struct app *a,
                                      const struct taskrun_plan *p,
                                      const char *what, char *path, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if ((size_t)snprintf(path, size, "%s/taskrun-%s-XXXXXX", tmp, what) >=
        size) {
        path[0] = '\0';
        return taskrun_error_set(&a->err, TASKRUN_E_RUN,
                                 "--diff-steps: TMPDIR %s is too long", tmp);
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        int e = errno;
        path[0] = '\0';
        return taskrun_error_set(&a->err, TASKRUN_E_RUN,
                                 "--diff-steps: cannot create a temporary "
                                 "file in %s: %s",
                                 tmp, strerror(e));
    }
    if (p)
        taskrun_list_plan(p, a->profile, a->jobs, fd);
    close(fd);
    return TASKRUN_OK;
}

/* The plan of the requested task from the core tasks alone (an empty
 * makefile), into *p; *have is false when they lack the task. */
static enum taskrun_code core_plan(struct app *a, regex_t *skip,
                                   struct taskrun_file *core,
                                   struct taskrun_plan *p, bool *have)
{
    struct taskrun_load_opts lo = { a->c->strict, a->profile, NULL };
    struct cr_strv warnings = { 0 };
    enum taskrun_code rc = taskrun_load_string(
        core, "", TASKRUN_CORE_TASKS_NAME, &lo, &warnings, &a->err);
    cr_strv_release(&warnings);
    *have = !rc && taskrun_file_index(core, a->task) >= 0;
    if (rc || !*have)
        return rc;
    return plan_in(a, core, a->task, skip, p);
}

/* Runs git diff between the two printed plans; its output goes to
 * fd_out. */
static enum taskrun_code git_diff(struct app *a, const char *core,
                                  const char *file)
{
    /* --no-ext-diff: a configured external diff tool would print
     * something else than a diff of the two plans. */
    const char *const argv[] = {
        "git", "diff", "--no-index", "--no-color", "--no-ext-diff",
        "--",  core,   file,         NULL
    };
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_PIPE };
    char *out = NULL;
    int rc = cr_proc_run(&o, &out);
    if (rc == -ENOENT)
        return taskrun_error_set(&a->err, TASKRUN_E_RUN,
                                 "--diff-steps needs git (apt-get install "
                                 "git)");
    if (rc == -ENOMEM)
        return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
    if (rc < 0)
        return taskrun_error_set(&a->err, TASKRUN_E_RUN,
                                 "--diff-steps: cannot run git: %s",
                                 strerror(-rc));
    if (out)
        taskrun_out_write(a->fd_out, out, strlen(out));
    cr_free(out);
    /* git diff exits 1 when the files differ: that is the answer, not a
     * failure. */
    if (rc > 1)
        return taskrun_error_set(&a->err, TASKRUN_E_RUN,
                                 "--diff-steps: git diff failed (exit %d)", rc);
    return TASKRUN_OK;
}

/*
 * --diff-steps: the plan of the task as cargo-make's built-in flow (the
 * core tasks alone) would run it against file_plan, the makefile's, both
 * printed as --print-steps prints them, compared by git diff.
 */
static int diff_steps(struct app *a, const struct taskrun_plan *file_plan,
                      regex_t *skip)
{
    struct taskrun_file core = { 0 };
    struct taskrun_plan cp = { 0 };
    char core_path[PATH_MAX] = "", file_path[PATH_MAX] = "";
    bool have = false;
    enum taskrun_code rc = TASKRUN_OK;
    if (a->f.config.skip_core_tasks)
        note(a, "the built-in flow is empty: [config] skip_core_tasks = "
                "true");
    else
        rc = core_plan(a, skip, &core, &cp, &have);
    if (!rc && !have && !a->f.config.skip_core_tasks) {
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "the built-in flow has no task \"%s\": its plan is empty",
                 a->task);
        note(a, msg);
    }
    if (!rc)
        rc = plan_to_temp(a, have ? &cp : NULL, "core", core_path,
                          sizeof(core_path));
    if (!rc)
        rc = plan_to_temp(a, file_plan, "file", file_path, sizeof(file_path));
    if (!rc)
        rc = git_diff(a, core_path, file_path);
    if (core_path[0])
        unlink(core_path);
    if (file_path[0])
        unlink(file_path);
    taskrun_plan_release(&cp);
    taskrun_file_release(&core);
    return rc ? fail(a, rc) : 0;
}

static int run_task(struct app *a)
{
    regex_t re, *skip = NULL;
    if (a->c->skip_tasks) {
        if (regcomp(&re, a->c->skip_tasks, REG_EXTENDED | REG_NOSUB) != 0) {
            taskrun_error_set(&a->err, TASKRUN_E_USAGE,
                              "--skip-tasks: invalid regular expression \"%s\"",
                              a->c->skip_tasks);
            return fail(a, TASKRUN_E_USAGE);
        }
        skip = &re;
    }
    struct taskrun_plan p;
    enum taskrun_code rc = plan(a, a->task, skip, &p);
    if (!rc)
        rc = check_on_error(a);
    if (!rc)
        rc = check_external(a, &p);
    int status;
    if (rc) {
        status = fail(a, rc);
    } else if (a->c->diff_steps) {
        status = diff_steps(a, &p, skip);
    } else if (a->c->print_steps) {
        if (a->c->json)
            taskrun_list_plan_json(&p, a->task, a->profile, a->jobs, &a->out);
        else
            taskrun_list_plan(&p, a->profile, a->jobs, a->fd_out);
        status = 0;
    } else {
        status = execute(a, &p);
    }
    taskrun_plan_release(&p);
    if (skip)
        regfree(skip);
    return status;
}

static void setup_output(struct app *a)
{
    const char *ci = getenv("CI");
    const char *gh = getenv("GITHUB_ACTIONS");
    a->out.json = a->c->json;
    a->out.log = (enum taskrun_log_level)a->c->loglevel;
    a->out.fd_out = a->fd_out;
    a->out.fd_err = a->fd_err;
    a->out.gh_groups = gh && strcmp(gh, "true") == 0;
    a->out.mode =
        a->c->output
            ? (enum taskrun_output_mode)a->c->output
            : taskrun_output_auto(a->jobs, ci && strcmp(ci, "true") == 0);
    for (size_t i = 0; i < a->f.n_tasks; i++)
        if (strlen(a->f.tasks[i].name) > a->out.width)
            a->out.width = strlen(a->f.tasks[i].name);
    if (a->out.width > 24)
        a->out.width = 24;
}

/*
 * Words after the task: more tasks when every loose one (before `--`)
 * names a task of the file, else arguments, as cargo-make reads them.
 */
static enum taskrun_code split_args(struct app *a)
{
    const struct cr_strv *in = &a->c->args;
    size_t loose = a->c->n_loose_args;
    bool tasks = loose > 0;
    for (size_t i = 0; i < loose && tasks; i++)
        tasks = taskrun_file_index(&a->f, in->v[i]) >= 0;
    for (size_t i = 0; i < in->n; i++) {
        struct cr_strv *dst = tasks && i < loose ? &a->more : &a->args;
        if (cr_strv_push(dst, in->v[i]) != 0)
            return taskrun_error_set(&a->err, TASKRUN_E_NOMEM, "out of memory");
    }
    return TASKRUN_OK;
}

static int run_app(struct app *a)
{
    enum taskrun_code rc = load(a);
    if (!rc)
        rc = split_args(a);
    if (rc)
        return fail(a, rc);
    setup_output(a);
    if (a->c->list_all) {
        struct taskrun_list_opts lo = {
            a->c->category, a->c->allow_private, a->c->hide_uninteresting,
            (enum taskrun_list_format)a->c->list_format
        };
        if (a->c->json)
            taskrun_list_all_json(&a->f, &a->out);
        else
            taskrun_list_all(&a->f, &lo, a->fd_out);
        return 0;
    }
    rc = build_env(a);
    if (rc)
        return fail(a, rc);
    return run_task(a);
}

int taskrun_cli_run(const struct taskrun_cli *c, int fd_out, int fd_err)
{
    if (c->help) {
        put(fd_out, "%s", taskrun_cli_usage());
        return 0;
    }
    if (c->version) {
        put(fd_out, "taskrun (%s)\n", taskrun_version());
        return 0;
    }
    if (c->cwd && chdir(c->cwd) != 0) {
        put(fd_err, "taskrun: --cwd %s: %s\n", c->cwd, strerror(errno));
        return taskrun_exit_status(TASKRUN_E_USAGE);
    }
    struct app a = { .c = c,
                     .fd_out = fd_out,
                     .fd_err = fd_err,
                     .guard = CR_PROC_GUARD_INIT,
                     .wake = { -1, -1 } };
    /* cargo-make lowercases the profile name, so -p PRODUCTION selects
     * [env.production] and condition.profiles = ["production"]. */
    if (c->profile) {
        a.profile_lc = cr_strdup(c->profile);
        if (!a.profile_lc) {
            put(fd_err, "taskrun: out of memory\n");
            return taskrun_exit_status(TASKRUN_E_NOMEM);
        }
        for (char *p = a.profile_lc; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    a.profile = a.profile_lc ? a.profile_lc : "development";
    a.task = c->task ? c->task : "default";
    a.jobs = c->jobs ? c->jobs : 1;
    a.out.fd_out = fd_out;
    a.out.fd_err = fd_err;
    a.out.json = c->json;
    a.out.log = (enum taskrun_log_level)c->loglevel;
    int status = run_app(&a);
    taskrun_env_release(&a.env);
    cr_strv_release(&a.more);
    cr_strv_release(&a.args);
    taskrun_file_release(&a.f);
    cr_free(a.makefile);
    cr_free(a.profile_lc);
    return status;
}
