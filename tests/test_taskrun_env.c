/* Unit tests for taskrun_env (expansion, [env] evaluation) and
 * taskrun_cond (conditions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "taskrun_cond.h"
#include "taskrun_env_eval.h"
#include "taskrun_glob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_expand(void **state)
{
    struct taskrun_env e;
    assert_int_equal(taskrun_env_init(&e, NULL), 0);
    assert_int_equal(taskrun_env_set(&e, "A", "1"), 0);
    assert_int_equal(taskrun_env_set(&e, "B", "two"), 0);
    char *s = taskrun_env_expand(&e, "${A}-${B}-${MISSING}-$A-${");
    assert_string_equal(s, "1-two--$A-${");
    free(s);
    assert_int_equal(taskrun_env_set(&e, "A", "replaced"), 0);
    assert_string_equal(taskrun_env_get(&e, "A"), "replaced");
    taskrun_env_unset(&e, "A");
    assert_null(taskrun_env_get(&e, "A"));
    assert_string_equal(taskrun_env_get(&e, "B"), "two");
    taskrun_env_release(&e);
}

static void test_expand_argv_splices_cli_args(void **state)
{
    struct taskrun_env e;
    assert_int_equal(taskrun_env_init(&e, NULL), 0);
    assert_int_equal(taskrun_env_set(&e, "X", "x"), 0);
    struct cr_strv in = { 0 }, cli = { 0 }, out = { 0 };
    cr_strv_push(&in, "--flag=${X}");
    cr_strv_push(&in, "${@}");
    cr_strv_push(&in, "last");
    cr_strv_push(&cli, "one");
    cr_strv_push(&cli, "two words");
    assert_int_equal(taskrun_env_expand_argv(&e, &in, &cli, &out), 0);
    assert_int_equal(out.n, 4);
    assert_string_equal(out.v[0], "--flag=x");
    assert_string_equal(out.v[1], "one");
    assert_string_equal(out.v[2], "two words");
    assert_string_equal(out.v[3], "last");
    cr_strv_release(&out);
    /* No CLI args: ${@} disappears. */
    assert_int_equal(taskrun_env_expand_argv(&e, &in, NULL, &out), 0);
    assert_int_equal(out.n, 2);
    cr_strv_release(&out);
    cr_strv_release(&in);
    cr_strv_release(&cli);
    taskrun_env_release(&e);
}

static void test_argument_functions(void **state)
{
    struct taskrun_env e;
    char *init[] = { "FLAGS=--a --b",      "EMPTY=",    "PAD=  x y  ",
                     "LIST=one;two;three", "MODE=prod", NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct cr_strv in = { 0 }, out = { 0 };
    const char *args[] = {
        "@@split(FLAGS, )",
        "@@remove-empty(EMPTY)",
        "@@remove-empty(MODE)",
        "@@trim(PAD)",
        "@@trim(PAD,end)",
        "@@getat(LIST,;,1)",
        "@@decode(MODE,dev,debug,prod,release)",
        "@@decode(MODE,dev,debug,other)",
        "@@split(UNSET, )",
        "@@nosuch(X)",
        "@@split(MODE,)", /* no separator: the whole value */
    };
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
        cr_strv_push(&in, args[i]);
    assert_int_equal(taskrun_env_expand_argv(&e, &in, NULL, &out), 0);
    const char *want[] = { "--a", "--b",     "prod",  "x y",         "  x y",
                           "two", "release", "other", "@@nosuch(X)", "prod" };
    assert_int_equal(out.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < out.n; i++)
        assert_string_equal(out.v[i], want[i]);
    cr_strv_release(&in);
    cr_strv_release(&out);
    taskrun_env_release(&e);
}

static void test_apply_in_order_with_mapping_and_unset(void **state)
{
    struct taskrun_env e;
    char *init[] = { "CI=true", "DROP=me", NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct taskrun_kv map[] = { { "true", "--verbose" } };
    struct taskrun_envvar vars[] = {
        { .name = "BASE", .value = "/opt" },
        { .name = "BIN", .value = "${BASE}/bin" },
        { .name = "FLAGS",
          .kind = TASKRUN_ENV_MAPPING,
          .value = "${CI}",
          .map = map,
          .n_map = 1 },
        { .name = "OTHER",
          .kind = TASKRUN_ENV_MAPPING,
          .value = "${NOPE}",
          .dflt = "fallback",
          .map = map,
          .n_map = 1 },
        { .name = "DROP", .kind = TASKRUN_ENV_UNSET },
        { .name = "OUT", .kind = TASKRUN_ENV_SCRIPT, .value = "echo hi  " },
    };
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_env_apply(&e, vars, 6, "development", NULL, &err),
                     TASKRUN_OK);
    assert_string_equal(taskrun_env_get(&e, "BIN"), "/opt/bin");
    assert_string_equal(taskrun_env_get(&e, "FLAGS"), "--verbose");
    assert_string_equal(taskrun_env_get(&e, "OTHER"), "fallback");
    assert_null(taskrun_env_get(&e, "DROP"));
    assert_string_equal(taskrun_env_get(&e, "OUT"), "hi");
    taskrun_env_release(&e);
}

/* { glob } values: matches relative to the makefile's directory, joined
 * with ';', files and directories filtered as asked. */
static void test_glob_value(void **state)
{
    char dir[] = "/tmp/taskrun-glob-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    const char *files[] = { "a.c", "b.c", "c.h" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
    snprintf(path, sizeof(path), "%s/d.c", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    struct taskrun_env e;
    char *init[] = { "EXT=c", NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct taskrun_envvar vars[] = {
        { .name = "ALL",
          .kind = TASKRUN_ENV_GLOB,
          .value = "*.${EXT}",
          .glob_files = true,
          .glob_dirs = true },
        { .name = "FILES",
          .kind = TASKRUN_ENV_GLOB,
          .value = "*.c",
          .glob_files = true },
        { .name = "NONE",
          .kind = TASKRUN_ENV_GLOB,
          .value = "*.rs",
          .glob_files = true },
    };
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_env_apply(&e, vars, 3, "development", dir, &err),
                     TASKRUN_OK);
    assert_string_equal(taskrun_env_get(&e, "ALL"), "a.c;b.c;d.c");
    assert_string_equal(taskrun_env_get(&e, "FILES"), "a.c;b.c");
    assert_string_equal(taskrun_env_get(&e, "NONE"), "");
    taskrun_env_release(&e);
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof(path), "%s/d.c", dir);
    rmdir(path);
    rmdir(dir);
}

/* Two stars as a component match zero or more directories; hidden
 * entries and symlinked directories are not entered. */
static void test_glob_recursive(void **state)
{
    char dir[] = "/tmp/taskrun-rglob-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cmd[512];
    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p src/sub/deep src/.hidden && touch src/a.c "
             "src/a.h src/sub/x.c src/sub/deep/y.c src/.hidden/z.c && "
             "ln -s .. src/sub/up",
             dir);
    assert_int_equal(system(cmd), 0);
    struct cr_strv m = { 0 };
    char pat[256];
    snprintf(pat, sizeof(pat), "%s/src/**/*.c", dir);
    assert_int_equal(taskrun_glob(pat, &m), 0);
    assert_int_equal(m.n, 3);
    const char *want[] = { "src/a.c", "src/sub/deep/y.c", "src/sub/x.c" };
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(m.v[i] + strlen(dir) + 1, want[i]);
    cr_strv_release(&m);
    /* Without stars: plain glob(3), directories marked with '/'. */
    snprintf(pat, sizeof(pat), "%s/src/s*", dir);
    assert_int_equal(taskrun_glob(pat, &m), 0);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.v[0] + strlen(dir) + 1, "src/sub/");
    cr_strv_release(&m);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* A failing { script } is an error naming the variable, not a value. */
static void test_failing_env_script(void **state)
{
    struct taskrun_env e;
    char *init[] = { NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct taskrun_envvar vars[] = {
        { .name = "V",
          .kind = TASKRUN_ENV_SCRIPT,
          .value = "echo part; false" },
    };
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_env_apply(&e, vars, 1, "development", NULL, &err),
                     TASKRUN_E_RUN);
    assert_non_null(strstr(err.msg, "\"V\""));
    assert_null(taskrun_env_get(&e, "V"));
    taskrun_env_release(&e);
}

static void test_apply_orders_by_reference(void **state)
{
    struct taskrun_env e;
    char *init[] = { "PATH=/bin", NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct taskrun_envvar vars[] = {
        { .name = "FULL", .value = "${DIR}/file" },
        { .name = "DIR", .value = "${ROOT}/dir" },
        { .name = "ROOT", .value = "/root" },
        { .name = "PATH", .value = "${PATH}:${ROOT}" },
    };
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_env_apply(&e, vars, 4, "dev", NULL, &err),
                     TASKRUN_OK);
    assert_string_equal(taskrun_env_get(&e, "FULL"), "/root/dir/file");
    assert_string_equal(taskrun_env_get(&e, "PATH"), "/bin:/root");
    struct taskrun_envvar loop[] = {
        { .name = "A", .value = "${B}" },
        { .name = "B", .value = "${A}" },
    };
    assert_int_equal(taskrun_env_apply(&e, loop, 2, "dev", NULL, &err),
                     TASKRUN_E_LOAD);
    assert_non_null(strstr(err.msg, "env cycle"));
    taskrun_env_release(&e);
}

static void test_dotenv_file(void **state)
{
    char path[] = "/tmp/taskrun-test-env-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# comment\nexport A=1\nB = \"quoted ${A}\"\nC='x'\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct taskrun_env e;
    char *init[] = { "C=keep", NULL };
    assert_int_equal(taskrun_env_init(&e, init), 0);
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_env_load_file(&e, path, true, &err), TASKRUN_OK);
    assert_string_equal(taskrun_env_get(&e, "A"), "1");
    assert_string_equal(taskrun_env_get(&e, "B"), "quoted 1");
    assert_string_equal(taskrun_env_get(&e, "C"), "keep");
    assert_int_equal(taskrun_env_load_file(&e, "/no/such/file", false, &err),
                     TASKRUN_E_LOAD);
    assert_non_null(strstr(err.msg, "/no/such/file"));
    unlink(path);
    taskrun_env_release(&e);
}

struct fixture {
    struct taskrun_env env;
    struct taskrun_cond_ctx ctx;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    char *init[] = { "ON=true", "OFF=0", "NAME=release-build", NULL };
    taskrun_env_init(&fx->env, init);
    fx->ctx =
        (struct taskrun_cond_ctx){ &fx->env, "development", "linux", "/" };
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    taskrun_env_release(&fx->env);
    free(fx);
    return 0;
}

static void test_cond_env_checks(void **state)
{
    struct fixture *fx = *state;
    struct taskrun_cond c = { 0 };
    char why[128];
    assert_true(taskrun_cond_eval(NULL, &fx->ctx, why, sizeof(why)));
    cr_strv_push(&c.env_set, "ON");
    cr_strv_push(&c.env_not_set, "ABSENT");
    cr_strv_push(&c.env_true, "ON");
    cr_strv_push(&c.env_false, "OFF");
    struct taskrun_kv contains = { "NAME", "release" };
    c.env_contains = &contains;
    c.n_env_contains = 1;
    assert_true(taskrun_cond_eval(&c, &fx->ctx, why, sizeof(why)));
    struct taskrun_kv eq = { "NAME", "debug" };
    c.env = &eq;
    c.n_env = 1;
    assert_false(taskrun_cond_eval(&c, &fx->ctx, why, sizeof(why)));
    assert_non_null(strstr(why, "NAME"));
    /* With condition_type = "Or" one passing check is enough. */
    c.any = true;
    assert_true(taskrun_cond_eval(&c, &fx->ctx, why, sizeof(why)));
    c.env = NULL;
    c.env_contains = NULL;
    c.n_env = c.n_env_contains = 0;
    cr_strv_release(&c.env_set);
    cr_strv_release(&c.env_not_set);
    cr_strv_release(&c.env_true);
    cr_strv_release(&c.env_false);
}

static void test_cond_platform_profile_files(void **state)
{
    struct fixture *fx = *state;
    struct taskrun_cond c = { 0 };
    cr_strv_push(&c.platforms, "windows");
    assert_false(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_push(&c.platforms, "linux");
    assert_true(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_push(&c.profiles, "production");
    assert_false(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_release(&c.profiles);
    cr_strv_push(&c.files_exist, "etc/passwd");
    cr_strv_push(&c.files_not_exist, "no/such/file");
    assert_true(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_push(&c.files_exist, "/no/such/file");
    assert_false(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_release(&c.platforms);
    cr_strv_release(&c.files_exist);
    cr_strv_release(&c.files_not_exist);
}

static void test_cond_files_modified(void **state)
{
    struct fixture *fx = *state;
    char dir[] = "/tmp/taskrun-mod-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char in[64], out[64], cmd[256];
    snprintf(in, sizeof(in), "%s/in", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    struct taskrun_cond c = { 0 };
    cr_strv_push(&c.modified_input, in);
    cr_strv_push(&c.modified_output, out);
    snprintf(cmd, sizeof(cmd), "touch -d '2020-01-01' %s && touch %s", in, out);
    assert_int_equal(system(cmd), 0);
    assert_false(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    snprintf(cmd, sizeof(cmd), "touch -d '2030-01-01' %s", in);
    assert_int_equal(system(cmd), 0);
    assert_true(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    /* Patterns: the newest input matched against the oldest output. */
    struct taskrun_cond g = { 0 };
    snprintf(cmd, sizeof(cmd), "%s/*.c", dir);
    cr_strv_push(&g.modified_input, cmd);
    snprintf(cmd, sizeof(cmd), "%s/*.o", dir);
    cr_strv_push(&g.modified_output, cmd);
    snprintf(cmd, sizeof(cmd),
             "cd %s && touch -d '2020-01-01' a.c && touch -d '2021-01-01' b.c"
             " && touch -d '2022-01-01' a.o && touch b.o",
             dir);
    assert_int_equal(system(cmd), 0);
    assert_false(taskrun_cond_eval(&g, &fx->ctx, NULL, 0));
    snprintf(cmd, sizeof(cmd), "touch -d '2023-01-01' %s/b.c", dir);
    assert_int_equal(system(cmd), 0);
    assert_true(taskrun_cond_eval(&g, &fx->ctx, NULL, 0));
    cr_strv_release(&g.modified_input);
    cr_strv_release(&g.modified_output);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    /* A missing output always counts as modified. */
    assert_true(taskrun_cond_eval(&c, &fx->ctx, NULL, 0));
    cr_strv_release(&c.modified_input);
    cr_strv_release(&c.modified_output);
}

static void test_cond_script(void **state)
{
    struct fixture *fx = *state;
    struct cr_strv s = { 0 };
    assert_true(taskrun_cond_script(&s, &fx->env, NULL));
    cr_strv_push(&s, "test \"$ON\" = true");
    assert_true(taskrun_cond_script(&s, &fx->env, NULL));
    cr_strv_push(&s, "exit 1");
    assert_false(taskrun_cond_script(&s, &fx->env, NULL));
    cr_strv_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_expand_argv_splices_cli_args),
        cmocka_unit_test(test_argument_functions),
        cmocka_unit_test(test_apply_in_order_with_mapping_and_unset),
        cmocka_unit_test(test_apply_orders_by_reference),
        cmocka_unit_test(test_glob_value),
        cmocka_unit_test(test_glob_recursive),
        cmocka_unit_test(test_failing_env_script),
        cmocka_unit_test(test_dotenv_file),
        cmocka_unit_test_setup_teardown(test_cond_env_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cond_platform_profile_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cond_files_modified, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cond_script, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
