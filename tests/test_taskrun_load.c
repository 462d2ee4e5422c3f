/* Unit tests for taskrun_load: keys, merging, forms, positioned errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "taskrun_jobs.h"
#include "taskrun_env.h"
#include "taskrun_graph.h"
#include "taskrun_load.h"

#include "cr_buf.h"
#include "cr_fs.h"
#include "test_alloc_fail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum taskrun_code load(struct taskrun_file *f, const char *text,
                              bool strict, struct cr_strv *warn,
                              struct cr_error *err)
{
    struct taskrun_load_opts o = { strict, "development", "linux" };
    return taskrun_load_string(f, text, "tasks.toml", &o, warn, err);
}

static void test_unknown_key_warning_and_strict(void **state)
{
    const char *text = "[tasks.build]\n"
                       "description = \"x\"\n"
                       "comand = \"true\"\n";
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, false, &warn, &err), TASKRUN_OK);
    assert_int_equal(warn.n, 1);
    assert_string_equal(warn.v[0], "tasks.toml:3:1: unknown key \"comand\" in "
                                   "[tasks.build] (did you mean \"command\"?)");
    taskrun_file_release(&f);
    cr_strv_release(&warn);
    assert_int_equal(load(&f, text, true, &warn, &err), TASKRUN_E_LOAD);
    assert_string_equal(err.msg, "tasks.toml:3:1: unknown key \"comand\" in "
                                 "[tasks.build] (did you mean \"command\"?)");
    assert_int_equal(warn.n, 0);
    taskrun_file_release(&f);
}

static void test_type_error_is_positioned(void **state)
{
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(
        load(&f, "[tasks.x]\nargs = \"oops\"\n", false, &warn, &err),
        TASKRUN_E_LOAD);
    assert_non_null(strstr(err.msg, "tasks.toml:2:"));
    assert_non_null(strstr(err.msg, "\"args\" must be an array"));
    taskrun_file_release(&f);
}

static void test_task_forms(void **state)
{
    const char *text =
        "[tasks.s1]\nscript = \"echo one\"\n"
        "[tasks.s2]\nscript = [\"a\", \"b\"]\n"
        "[tasks.s3]\nscript = { file = \"run.sh\" }\n"
        "[tasks.s4]\nscript = { pre = \"p\", main = [\"m\"], post = \"q\" }\n"
        "[tasks.r1]\nrun_task = \"s1\"\n"
        "[tasks.r2]\nrun_task = { name = [\"s1\", \"s2\"], parallel = true }\n"
        "[tasks.r3]\nrun_task = [{ name = \"s1\", condition = { env_set = "
        "[\"X\"] } }, { name = \"s2\" }]\n"
        "[tasks.d]\ndependencies = [\"s1\", { name = \"s2\" }]\n"
        "deprecated = \"use s1\"\nwatch = { postpone = true }\n";
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, true, &warn, &err), TASKRUN_OK);
    assert_string_equal(taskrun_file_find(&f, "s1")->script, "echo one");
    assert_string_equal(taskrun_file_find(&f, "s2")->script, "a\nb");
    assert_string_equal(taskrun_file_find(&f, "s3")->script_file, "run.sh");
    assert_string_equal(taskrun_file_find(&f, "s4")->script, "p\nm\nq");
    assert_int_equal(taskrun_file_find(&f, "r1")->n_routes, 1);
    const struct taskrun_task *r2 = taskrun_file_find(&f, "r2");
    assert_true(r2->routes[0].parallel);
    assert_int_equal(r2->routes[0].names.n, 2);
    const struct taskrun_task *r3 = taskrun_file_find(&f, "r3");
    assert_int_equal(r3->n_routes, 2);
    assert_non_null(r3->routes[0].cond);
    const struct taskrun_task *d = taskrun_file_find(&f, "d");
    assert_int_equal(d->deps.n, 2);
    assert_string_equal(d->deps.v[1], "s2");
    assert_string_equal(d->deprecated, "use s1");
    assert_true(d->watch);
    assert_true(d->watch_postpone);
    assert_false(d->watch_no_git_ignore);
    taskrun_file_release(&f);
}

static void test_extend_clear_and_platform(void **state)
{
    const char *text = "[tasks.base]\ncommand = \"echo\"\nargs = [\"base\"]\n"
                       "description = \"from base\"\nenv = { A = \"1\" }\n"
                       "[tasks.child]\nextend = \"base\"\nargs = [\"child\"]\n"
                       "env = { B = \"2\" }\n"
                       "[tasks.cleared]\nextend = \"base\"\nclear = true\n"
                       "script = \"true\"\n"
                       "[tasks.plat]\ncommand = \"generic\"\nalias = \"x\"\n"
                       "linux_alias = \"base\"\n"
                       "[tasks.plat.linux]\ncommand = \"on-linux\"\n"
                       "[tasks.plat.windows]\ncommand = \"on-windows\"\n"
                       "[tasks.loop1]\nextend = \"loop2\"\n"
                       "[tasks.loop2]\nextend = \"loop1\"\n";
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, true, &warn, &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg, "tasks.toml:25:10: extend cycle: loop1 -> "
                                 "loop2 -> loop1");
    taskrun_file_release(&f);
    const char *cut = strstr(text, "[tasks.loop1]");
    char *ok = strndup(text, (size_t)(cut - text));
    assert_int_equal(load(&f, ok, true, &warn, &err), TASKRUN_OK);
    free(ok);
    const struct taskrun_task *c = taskrun_file_find(&f, "child");
    assert_string_equal(c->command, "echo");
    assert_string_equal(c->args.v[0], "child");
    assert_string_equal(c->description, "from base");
    assert_int_equal(c->n_env, 2);
    const struct taskrun_task *cl = taskrun_file_find(&f, "cleared");
    assert_null(cl->command);
    assert_null(cl->description);
    const struct taskrun_task *p = taskrun_file_find(&f, "plat");
    assert_string_equal(p->command, "on-linux");
    assert_string_equal(p->alias, "base");
    taskrun_file_release(&f);
}

static void test_env_profiles_and_config(void **state)
{
    const char *text = "[config]\ninit_task = \"init\"\ntime_summary = true\n"
                       "skip_core_tasks = true\n"
                       "[env]\nA = \"1\"\nL = [\"x\", \"y\"]\n"
                       "C = { value = \"v\", condition = { env_set = "
                       "[\"Z\"] } }\n"
                       "[env.production]\nA = \"2\"\n"
                       "[tasks.t]\nenv = { T = \"t\", development = { D = "
                       "\"dev\" }, production = { P = \"prod\" } }\n";
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, true, &warn, &err), TASKRUN_OK);
    assert_true(f.config.time_summary);
    assert_string_equal(f.config.init_task, "init");
    assert_int_equal(f.n_env, 3);
    assert_string_equal(f.env[1].value, "x;y");
    assert_non_null(f.env[2].cond);
    long pi = cr_strv_find(&f.profile_names, "production");
    assert_true(pi >= 0);
    assert_int_equal(f.n_profile_env[pi], 1);
    assert_string_equal(f.profiles[pi][0].value, "2");
    const struct taskrun_task *t = taskrun_file_find(&f, "t");
    assert_int_equal(t->n_env, 2);
    assert_string_equal(t->env[1].name, "D");
    /* init is referenced but undefined: no task is made up for it. */
    assert_null(taskrun_file_find(&f, "init"));
    taskrun_file_release(&f);
}

/* The plan of a task whose dependency, alias or run_task names no task. */
static void plan_fails(const char *text, const char *task, const char *msg)
{
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, false, &warn, &err), TASKRUN_OK);
    struct taskrun_plan_opts o = { .task = task, .init_end = true };
    struct taskrun_plan p;
    assert_int_equal(taskrun_plan_build(&p, &f, &o, &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg, msg);
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
    cr_strv_release(&warn);
}

/* Issue 11: a reference to no task is an error at the reference, also
 * for cargo-make's core task names (taskrun provides none of them): no
 * empty placeholder that "succeeds" without running anything. */
static void test_missing_references_are_errors(void **state)
{
    (void)state;
    plan_fails("[config]\nskip_core_tasks = true\n"
               "[tasks.ci-flow2]\ndependencies = [\"build\", \"test\"]\n",
               "ci-flow2",
               "tasks.toml:4:17: task \"build\" not found, needed by "
               "\"ci-flow2\" (a cargo-make core task, left out by [config] "
               "skip_core_tasks = true)");
    plan_fails("[tasks.x]\ndependencies = [\"mine\", { name = \"pre-b\" }]\n"
               "[tasks.mine]\n",
               "x",
               "tasks.toml:2:25: task \"pre-b\" not found, needed by \"x\" (a "
               "cargo-make core task, which taskrun does not provide)");
    plan_fails("[tasks.build]\n[tasks.a]\nalias = \"biuld\"\n", "a",
               "tasks.toml:3:9: task \"biuld\" not found, needed by \"a\" "
               "(did you mean \"build\"?)");
    plan_fails("[tasks.a]\nrun_task = { name = [\"c\", \"nope\"], parallel = "
               "true }\n[tasks.c]\n",
               "a",
               "tasks.toml:2:27: task \"nope\" not found, needed by \"a\"");
    plan_fails("[config]\nskip_core_tasks = true\n[tasks.a]\n", "default",
               "task \"default\" not found (a cargo-make core task, left out "
               "by [config] skip_core_tasks = true)");
}

/* Issue 11: cargo-make's core tasks lie beneath the makefile's: a task of
 * the same name extends the core one key by key (args over the core
 * command), a script replaces its command, an own default is no alias. */
static void test_core_tasks(void **state)
{
    (void)state;
    const char *text = "[tasks.test]\nargs = [\"test\", \"--locked\"]\n"
                       "[tasks.build]\nscript = \"make\"\n"
                       "[tasks.default]\ndependencies = [\"build\"]\n";
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, false, &warn, &err), TASKRUN_OK);
    const struct taskrun_task *t = taskrun_file_find(&f, "test");
    assert_string_equal(t->command, "cargo");
    assert_int_equal(t->args.n, 2);
    assert_string_equal(t->args.v[1], "--locked");
    assert_false(t->is_core);
    t = taskrun_file_find(&f, "build");
    assert_null(t->command);
    assert_string_equal(t->script, "make");
    t = taskrun_file_find(&f, "default");
    assert_null(t->alias);
    assert_int_equal(t->deps.n, 1);
    t = taskrun_file_find(&f, "docs");
    assert_true(t->is_core);
    assert_string_equal(t->command, "cargo");
    assert_string_equal(t->args.v[0], "doc");
    assert_string_equal(taskrun_file_find(&f, "dev-test-flow")->deps.v[4],
                        "test-flow");
    /* The core [env] comes first, so the file's own entries win. */
    assert_string_equal(f.env[0].name, "CARGO_MAKE_CARGO_ALL_FEATURES");
    taskrun_file_release(&f);
    assert_int_equal(
        load(&f, "[config]\nskip_core_tasks = true\n", false, &warn, &err),
        TASKRUN_OK);
    assert_int_equal(f.n_tasks, 0);
    assert_int_equal(f.n_env, 0);
    taskrun_file_release(&f);
    cr_strv_release(&warn);
}

/* Loading text fails with msg (a positioned type error). */
static void load_fails(const char *text, const char *msg)
{
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(load(&f, text, false, &warn, &err), TASKRUN_E_LOAD);
    assert_string_equal(err.msg, msg);
    taskrun_file_release(&f);
    cr_strv_release(&warn);
}

/* Issue 11: a condition value of the wrong type is a load error at its
 * position (cargo-make refuses it too), not a task skipped quietly. */
static void test_condition_type_errors(void **state)
{
    (void)state;
    load_fails("[tasks.t]\ncondition = { env_set = \"X\" }\n",
               "tasks.toml:2:25: \"env_set\" must be an array, not a string");
    load_fails("[tasks.t]\ncondition = { channels = \"nightly\" }\n",
               "tasks.toml:2:26: \"channels\" must be an array, not a string");
    load_fails("[tasks.t]\ncondition = { profiles = \"ci\" }\n",
               "tasks.toml:2:26: \"profiles\" must be an array, not a string");
    load_fails("[tasks.t]\ncondition = { files_modified = { input = \"a\" } }"
               "\n",
               "tasks.toml:2:42: \"input\" must be an array, not a string");
    load_fails("[tasks.t]\ncondition = { condition_type = \"or\" }\n",
               "tasks.toml:2:32: \"condition_type\" must be \"And\", \"Or\" or "
               "\"GroupOr\", not \"or\"");
    load_fails("[tasks.t]\ncondition = { rust_version = { min = 1 } }\n",
               "tasks.toml:2:38: \"min\" must be a version string, not an "
               "integer");
    load_fails("[tasks.t]\ncondition = { rust_version = { max = \"1.x\" } }\n",
               "tasks.toml:2:38: \"max\" must be a version such as \"1.70.0\", "
               "not \"1.x\"");
    load_fails("[tasks.t]\nrun_task = [{ name = \"a\", condition = { env = "
               "[\"X\"] } }]\n",
               "tasks.toml:2:47: \"env\" must be a table, not an array");
}

static void test_job_kinds(void **state)
{
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(
        load(&f,
             "[tasks.p]\njob = { kind = \"profile\", command = [\"ls\"] }\n"
             "[tasks.s]\njob = { kind = \"slo\", bin = \"build/bin/slo\", "
             "args = [\"slo.toml\"] }\n",
             true, &warn, &err),
        TASKRUN_OK);
    const struct taskrun_task *p = taskrun_file_find(&f, "p");
    assert_string_equal(p->job.kind->name, "profile");
    assert_string_equal(p->job.output, ".cleanroom/profile");
    assert_false(p->job.system_wide);
    assert_null(p->job.call_graph);
    const struct taskrun_task *s = taskrun_file_find(&f, "s");
    struct taskrun_env env;
    taskrun_env_init(&env, NULL);
    struct taskrun_job_ctx jc = { &env, NULL, NULL, 0 };
    struct taskrun_exec x;
    assert_int_equal(taskrun_job_build(s, &jc, &x, &err), TASKRUN_OK);
    assert_int_equal(x.argv.n, 3);
    assert_string_equal(x.argv.v[0], "build/bin/slo");
    assert_string_equal(x.argv.v[1], "check");
    assert_string_equal(x.argv.v[2], "slo.toml");
    taskrun_exec_release(&x);
    taskrun_env_release(&env);
    taskrun_file_release(&f);
    assert_int_equal(load(&f, "[tasks.b]\njob = { kind = \"benchmrk\" }\n",
                          true, &warn, &err),
                     TASKRUN_E_LOAD);
    assert_string_equal(err.msg, "tasks.toml:2:16: unknown job kind "
                                 "\"benchmrk\" (did you mean \"benchmark\"?)");
    taskrun_file_release(&f);
    assert_int_equal(load(&f, "[tasks.h]\njob = { kind = \"heaptrack\" }\n",
                          true, &warn, &err),
                     TASKRUN_E_LOAD);
    assert_string_equal(err.msg, "tasks.toml:2:7: heaptrack job of "
                                 "[tasks.h] needs \"bin\" (the program to "
                                 "run: a path, or a name looked up in PATH)");
    taskrun_file_release(&f);
}

/*
 * Every allocation the loader makes may fail: each failure is a clean
 * TASKRUN_E_NOMEM (no crash, nothing leaked under ASan), until the load
 * needs no failing allocation at all and succeeds.
 */
static void test_load_out_of_memory(void **state)
{
    const char *text =
        "[config]\ninit_task = \"a\"\nend_task = \"b\"\n"
        "[env]\nX = \"1\"\nY = [\"a\", \"b\"]\n"
        "[env.ci]\nX = \"2\"\n"
        "[tasks.a]\ncommand = \"echo\"\nargs = [\"${X}\"]\n"
        "dependencies = [\"b\", \"build\"]\n"
        "condition = { env = { X = \"1\" }, env_set = [\"X\"] }\n"
        "env = { Z = { value = \"3\", condition = { env_set = [\"X\"] } } }\n"
        "[tasks.b]\nscript = [\"echo b\"]\ndeprecated = true\n"
        "install_crate = \"x\"\nrun_task = { name = \"c\" }\n"
        "[tasks.c]\nextend = \"a\"\nalias = \"b\"\n"
        "[tasks.c.linux]\ncommand = \"true\"\n"
        "[tasks.s]\njob = { kind = \"slo\", bin = \"slo\", args = [\"x\"] }\n";
    struct fail_nth fn;
    bool done = false;
    for (long n = 0; n < 5000 && !done; n++) {
        struct taskrun_file f;
        struct cr_strv warn = { 0 };
        struct cr_error err = { 0 };
        fail_nth_set(&fn, n, false);
        enum taskrun_code rc = load(&f, text, false, &warn, &err);
        fail_nth_clear();
        if (!fn.failed) {
            assert_int_equal(rc, TASKRUN_OK);
            done = true;
        } else if (rc != TASKRUN_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        }
        taskrun_file_release(&f);
        cr_strv_release(&warn);
    }
    assert_true(done);
}

/*
 * A job names the program it runs: taskrun is a general runner and knows
 * no project's build tree. A missing bin is a positioned load error.
 */
static void test_job_needs_bin(void **state)
{
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    assert_int_equal(
        load(&f, "[tasks.s]\njob = { kind = \"slo\" }\n", true, &warn, &err),
        TASKRUN_E_LOAD);
    assert_string_equal(err.msg, "tasks.toml:2:7: slo job of [tasks.s] needs "
                                 "\"bin\" (the program to run: a path, or a "
                                 "name looked up in PATH)");
    taskrun_file_release(&f);
    assert_int_equal(
        load(&f, "[tasks.b]\njob = { kind = \"benchmark\", args = [\"x\"] }\n",
             true, &warn, &err),
        TASKRUN_E_LOAD);
    assert_string_equal(err.msg, "tasks.toml:2:7: benchmark job of [tasks.b] "
                                 "needs \"bin\" (the program to run: a path, "
                                 "or a name looked up in PATH)");
    taskrun_file_release(&f);
    /* A bare name is run from PATH, as the shell would. */
    assert_int_equal(
        load(&f, "[tasks.s]\njob = { kind = \"slo\", bin = \"slo\" }\n", true,
             &warn, &err),
        TASKRUN_OK);
    struct taskrun_env env;
    taskrun_env_init(&env, NULL);
    struct taskrun_job_ctx jc = { &env, NULL, NULL, 0 };
    struct taskrun_exec x;
    assert_int_equal(
        taskrun_job_build(taskrun_file_find(&f, "s"), &jc, &x, &err),
        TASKRUN_OK);
    assert_string_equal(x.argv.v[0], "slo");
    taskrun_exec_release(&x);
    taskrun_env_release(&env);
    taskrun_file_release(&f);
    cr_strv_release(&warn);
}

/* What a loaded file says, so an absorbed failure that lost a task, an
 * extended file or an env file shows as a difference. Runs without the
 * hook, so it cannot fail. */
static void dump_file(struct cr_buf *b, const struct taskrun_file *f,
                      const struct cr_strv *warn)
{
    assert_int_equal(cr_buf_printf(b, "%s\n", f->dir), 0);
    for (size_t i = 0; i < f->n_tasks; i++)
        assert_int_equal(
            cr_buf_printf(b, "task %s %s %s\n", f->tasks[i].name,
                          f->tasks[i].command ? f->tasks[i].command : "-",
                          f->tasks[i].script ? f->tasks[i].script : "-"),
            0);
    for (size_t i = 0; i < f->n_env; i++)
        assert_int_equal(cr_buf_printf(b, "env %s\n", f->env[i].name), 0);
    for (size_t i = 0; i < f->env_files.n; i++)
        assert_int_equal(cr_buf_printf(b, "file %s\n", f->env_files.v[i]), 0);
    for (size_t i = 0; i < f->env_files_defaults.n; i++)
        assert_int_equal(
            cr_buf_printf(b, "default %s\n", f->env_files_defaults.v[i]), 0);
    for (size_t i = 0; i < warn->n; i++)
        assert_int_equal(cr_buf_printf(b, "warn %s\n", warn->v[i]), 0);
}

/* taskrun_load of a file that extends others (a diamond) or names env
 * files: every allocation may fail, reading and extending included, and
 * each failure is TASKRUN_E_NOMEM, never a file loaded with a part
 * missing. */
static void sweep_load_file(const char *name)
{
    struct taskrun_load_opts o = { false, "production", "linux" };
    struct cr_buf want = { 0 };
    char path[4096];
    bool done = false;
    long n;

    snprintf(path, sizeof(path), "%s/tests/taskrun/%s", CR_SOURCE_DIR, name);
    for (n = -1; !done; n++) {
        struct taskrun_file f;
        struct cr_strv warn = { 0 };
        struct cr_error err = { 0 };
        struct cr_buf got = { 0 };
        struct fail_nth fn = { 0 };
        enum taskrun_code rc;

        if (n >= 0)
            fail_nth_set(&fn, n, false);
        rc = taskrun_load(&f, path, &o, &warn, &err);
        fail_nth_clear();
        done = n >= 0 && !fn.failed;
        if (rc == TASKRUN_OK) {
            dump_file(n < 0 ? &want : &got, &f, &warn);
            if (n >= 0 && strcmp(cr_buf_str(&got), cr_buf_str(&want)) != 0)
                fail_msg("%s: allocation %ld failed and was absorbed:\n%s\n"
                         "instead of\n%s",
                         name, n, cr_buf_str(&got), cr_buf_str(&want));
        } else if (n < 0 || rc != TASKRUN_E_NOMEM) {
            fail_msg("%s: allocation %ld failed: code %d, \"%s\"", name, n, rc,
                     err.msg);
        }
        cr_buf_release(&got);
        taskrun_file_release(&f);
        cr_strv_release(&warn);
    }
    cr_buf_release(&want);
    print_message("%s: %ld allocations swept\n", name, n);
}

static void test_load_file_out_of_memory(void **state)
{
    (void)state;
    sweep_load_file("extend/diamond.toml");
    sweep_load_file("envfiles/tasks.toml");
}

/* Reading a dotenv file: TASKRUN_E_NOMEM, never a variable dropped. */
static void test_env_file_out_of_memory(void **state)
{
    char path[4096];
    bool done = false;
    long n;

    (void)state;
    snprintf(path, sizeof(path), "%s/tests/taskrun/envfiles/a.env",
             CR_SOURCE_DIR);
    for (n = 0; !done; n++) {
        struct taskrun_env env;
        struct cr_error err = { 0 };
        struct fail_nth fn;
        enum taskrun_code rc;

        assert_int_equal(taskrun_env_init(&env, NULL), 0);
        fail_nth_set(&fn, n, false);
        rc = taskrun_env_load_file(&env, path, false, &err);
        fail_nth_clear();
        done = !fn.failed;
        if (rc == TASKRUN_OK) {
            assert_string_equal(taskrun_env_get(&env, "A"), "from-a");
            assert_string_equal(taskrun_env_get(&env, "B"), "from-a");
        } else if (rc != TASKRUN_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        }
        assert_true(rc == TASKRUN_OK || !done);
        taskrun_env_release(&env);
    }
    print_message("a.env: %ld allocations swept\n", n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_key_warning_and_strict),
        cmocka_unit_test(test_type_error_is_positioned),
        cmocka_unit_test(test_task_forms),
        cmocka_unit_test(test_extend_clear_and_platform),
        cmocka_unit_test(test_env_profiles_and_config),
        cmocka_unit_test(test_missing_references_are_errors),
        cmocka_unit_test(test_core_tasks),
        cmocka_unit_test(test_condition_type_errors),
        cmocka_unit_test(test_job_kinds),
        cmocka_unit_test(test_job_needs_bin),
        cmocka_unit_test(test_load_out_of_memory),
        cmocka_unit_test(test_load_file_out_of_memory),
        cmocka_unit_test(test_env_file_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
