/* Unit tests of the duckscript interpreter (taskrun_duck.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_duck.h"
#include "taskrun_jobs.h"
#include "taskrun_load.h"
#include "test_alloc_fail.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

/* What one script did. */
struct res {
    enum taskrun_code rc;
    int code;
    struct cr_error err;
    char out[8192]; /* what echo wrote */
};

struct fx {
    char dir[64];         /* a fresh directory, the scripts' cwd */
    struct cr_strv tasks; /* cm_run_task calls */
    int task_code;        /* what cm_run_task returns */
    bool soft;            /* continue_on_error */
};

static int fake_run_task(void *ctx, const char *task, struct cr_error *err)
{
    struct fx *x = ctx;
    (void)err;
    if (cr_strv_push(&x->tasks, task) != 0)
        return -1;
    return x->task_code;
}

static void run_args(struct fx *x, const char *text, const struct cr_strv *args,
                     struct res *r)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/.out", x->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    struct taskrun_duck_io io = { .out_fd = fd,
                                  .envp = (const char *const *)environ,
                                  .cwd = x->dir,
                                  .run_task = fake_run_task,
                                  .ctx = x,
                                  .continue_on_error = x->soft };
    struct taskrun_duck *d;
    memset(r, 0, sizeof(*r));
    r->rc = taskrun_duck_new(&d, &io);
    if (r->rc == TASKRUN_OK)
        r->rc = taskrun_duck_load(d, "s.ds", text, &r->err);
    if (r->rc == TASKRUN_OK)
        r->rc = taskrun_duck_run(d, args, &r->code, &r->err);
    taskrun_duck_free(d);
    ssize_t n = pread(fd, r->out, sizeof(r->out) - 1, 0);
    r->out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

static void run(struct fx *x, const char *text, struct res *r)
{
    run_args(x, text, NULL, r);
}

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));
    strcpy(x->dir, "/tmp/test_duck.XXXXXX");
    if (!mkdtemp(x->dir))
        return -1;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
    int rc = system(cmd);
    cr_strv_release(&x->tasks);
    free(x);
    return rc == 0 ? 0 : -1;
}

/* Runs text and requires success with exactly the output want. */
static void expect(struct fx *x, const char *text, const char *want)
{
    struct res r;
    run(x, text, &r);
    if (r.rc != TASKRUN_OK)
        fail_msg("script failed: %s", r.err.msg);
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, want);
}

/* Runs text and requires a failure whose message contains want. */
static void expect_fail(struct fx *x, const char *text, enum taskrun_code rc,
                        const char *want)
{
    struct res r;
    run(x, text, &r);
    assert_int_equal(r.rc, rc);
    if (!strstr(r.err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", r.err.msg, want);
}

/* ---- the language ---------------------------------------------------- */

static void test_parse_errors(void **state)
{
    struct fx *x = *state;
    expect_fail(x, "echo a\n!include_files other.ds\n", TASKRUN_E_LOAD,
                "s.ds:2: preprocessor line \"!include_files\" is not "
                "supported");
    expect_fail(x, "echo\nif true\necho x\n", TASKRUN_E_LOAD,
                "s.ds:2: \"if\" without \"end\"");
    expect_fail(x, "end\n", TASKRUN_E_LOAD, "s.ds:1: \"end\" without");
    expect_fail(x, "else\n", TASKRUN_E_LOAD, "s.ds:1: \"else\" without \"if\"");
    expect_fail(x, "echo \"open\n", TASKRUN_E_LOAD,
                "s.ds:1: unterminated string");
    expect_fail(x, "for x of y\necho\nend\n", TASKRUN_E_LOAD,
                "s.ds:1: expected \"for NAME in VALUES\"");
}

static void test_unknown_command_is_an_error(void **state)
{
    struct fx *x = *state;
    struct res r;
    run(x, "echo before\n# comment\nfoo bar\necho after\n", &r);
    assert_int_equal(r.rc, TASKRUN_E_TASK);
    assert_int_equal(r.code, 1);
    assert_string_equal(r.err.msg, "s.ds:3: unknown command \"foo\"");
    assert_string_equal(r.out, "before\n");
}

static void test_variables_quotes_escapes(void **state)
{
    struct fx *x = *state;
    expect(x,
           "#!@duckscript\n"
           "a = set \"hello  world\"\n"
           "echo ${a} \"${a}\" \\${a} x\\ty\n"
           "b = set ${a}!\n"
           "echo [${b}] [${nothing}] \"q\\\"q\" \\\\\n",
           "hello  world hello  world ${a} x\ty\n"
           "[hello  world!] [] q\"q \\\n");
    setenv("DUCK_TEST_ENV", "from-env", 1);
    expect(x,
           "echo ${DUCK_TEST_ENV} %{DUCK_TEST_ENV}\n"
           "DUCK_TEST_ENV = set var\n"
           "echo ${DUCK_TEST_ENV} %{DUCK_TEST_ENV}\n",
           "from-env from-env\nvar from-env\n");
    unsetenv("DUCK_TEST_ENV");
}

static void test_script_args(void **state)
{
    struct fx *x = *state;
    struct cr_strv args = { 0 };
    assert_int_equal(cr_strv_push(&args, "one"), 0);
    assert_int_equal(cr_strv_push(&args, "two"), 0);
    struct res r;
    run_args(x, "echo ${1}-${2}\n", &args, &r);
    assert_int_equal(r.rc, TASKRUN_OK);
    assert_string_equal(r.out, "one-two\n");
    cr_strv_release(&args);
}

static void test_if_elseif_else(void **state)
{
    struct fx *x = *state;
    const char *script = "if eq ${v} 1\n"
                         "  echo one\n"
                         "elseif eq ${v} 2\n"
                         "  echo two\n"
                         "  if true\n"
                         "    echo nested\n"
                         "  end\n"
                         "else\n"
                         "  echo other\n"
                         "end\n"
                         "echo done\n";
    char buf[512];
    snprintf(buf, sizeof(buf), "v = set 1\n%s", script);
    expect(x, buf, "one\ndone\n");
    snprintf(buf, sizeof(buf), "v = set 2\n%s", script);
    expect(x, buf, "two\nnested\ndone\n");
    snprintf(buf, sizeof(buf), "v = set 3\n%s", script);
    expect(x, buf, "other\ndone\n");
    expect(x,
           "if true and false or ( true and true )\necho yes\nend\n"
           "if true and ( false or false )\necho no\nend\n"
           "if not false\necho not\nend\n"
           "e = set \"\"\nif not is_empty ${e}\necho no\nelse\necho empty\n"
           "end\n"
           "if ${e}\necho no\nend\nif 0\necho no\nend\nif no\necho no\nend\n",
           "yes\nnot\nempty\n");
    /* A misspelt command in a condition is not a true value. */
    expect_fail(x, "echo\nif is_path_exist x\necho y\nend\n", TASKRUN_E_TASK,
                "s.ds:2: unknown command \"is_path_exist\"");
    expect_fail(x, "while not frob x\nend\n", TASKRUN_E_TASK,
                "s.ds:1: unknown command \"frob\"");
    expect_fail(x, "if ( true\nend\n", TASKRUN_E_TASK, "s.ds:1: bad condition");
    expect_fail(x, "if true false\nend\n", TASKRUN_E_TASK,
                "s.ds:1: bad condition");
}

static void test_for_while_break_continue(void **state)
{
    struct fx *x = *state;
    expect(x,
           "list = array a b c\n"
           "for v in ${list}\n"
           "  if eq ${v} b\n"
           "    continue\n"
           "  end\n"
           "  echo item ${v}\n"
           "end\n"
           "for i in 1 2 3\n"
           "  for j in ${list}\n"
           "    echo ${i}${j}\n"
           "    break\n"
           "  end\n"
           "end\n"
           "empty = array\n"
           "for v in ${empty}\n"
           "  echo never\n"
           "end\n"
           "n = set 0\n"
           "while less_than ${n} 3\n"
           "  n = calc ${n} + 1\n"
           "end\n"
           "echo n=${n}\n",
           "item a\nitem c\n1a\n2a\n3a\nn=3\n");
}

static void test_functions(void **state)
{
    struct fx *x = *state;
    expect(x,
           "fn add\n"
           "  r = calc ${1} + ${2}\n"
           "  return ${r}\n"
           "end\n"
           "fn noret\n"
           "  g = set global\n"
           "end\n"
           "fn <scope> scoped\n"
           "  local = set here\n"
           "  d = is_defined g\n"
           "  return ${d}\n"
           "end\n"
           "s = add 2 40\n"
           "echo ${s}\n"
           "v = noret\n"
           "d = is_defined v\n"
           "echo ${d} ${g}\n"
           "d = scoped\n"
           "l = is_defined local\n"
           "echo ${d} ${l}\n"
           "if add 0 0\necho no\nend\n"
           "if add 1 0\necho yes\nend\n",
           "42\nfalse global\nfalse false\nyes\n");
    expect_fail(x, "fn loop\nloop\nend\nloop\n", TASKRUN_E_TASK,
                "function calls nested deeper than 200");
}

static void test_goto_and_exit(void **state)
{
    struct fx *x = *state;
    expect(x, "goto :later\necho skipped\n:later echo here\n", "here\n");
    expect_fail(x, "goto :nowhere\n", TASKRUN_E_TASK,
                "s.ds:1: goto: no label \":nowhere\"");
    struct res r;
    run(x, "echo a\nexit 7\necho b\n", &r);
    assert_int_equal(r.rc, TASKRUN_OK);
    assert_int_equal(r.code, 7);
    assert_string_equal(r.out, "a\n");
    run(x, "fn f\nexit 3\nend\nf\necho b\n", &r);
    assert_int_equal(r.code, 3);
    assert_string_equal(r.out, "");
}

/* ---- commands ----------------------------------------------------------- */

static void test_exec(void **state)
{
    struct fx *x = *state;
    expect(x,
           "out = exec sh -c \"echo out; echo err >&2; exit 3\"\n"
           "o = trim ${out.stdout}\n"
           "e = trim ${out.stderr}\n"
           "echo [${o}] [${e}] ${out.code}\n"
           "c = exec --get-exit-code sh -c \"exit 5\"\n"
           "echo c=${c}\n"
           "ok = exec --fail-on-error true\n"
           "echo ok=${ok.code}\n"
           "nf = exec no-such-program-duck\n"
           "echo nf=${nf.code}\n",
           "[out] [err] 3\nc=5\nok=0\nnf=127\n");
    expect_fail(x, "echo a\nexec --fail-on-error sh -c \"exit 4\"\n",
                TASKRUN_E_TASK, "s.ds:2: exec: \"sh\" failed with exit code 4");
    expect_fail(x, "exec no-such-program-duck\n", TASKRUN_E_TASK,
                "s.ds:1: exec: cannot run \"no-such-program-duck\"");
    expect_fail(x, "exec --input\n", TASKRUN_E_TASK,
                "exec: --input needs a value");
}

/* --input: the text is the command's stdin, which is then closed. */
static void test_exec_input(void **state)
{
    struct fx *x = *state;
    expect(x,
           "out = exec --input \"hello\" cat\n"
           "echo [${out.stdout}] [${out.stderr}] ${out.code}\n",
           "[hello] [] 0\n");
    /* Empty input: EOF at once. Output not captured: still written. */
    expect(x,
           "e = exec --input \"\" wc -c\n"
           "n = trim ${e.stdout}\n"
           "echo n=${n}\n"
           "exec --input \"direct\" sh -c \"cat > in.txt\"\n"
           "f = readfile in.txt\n"
           "echo f=${f}\n",
           "n=0\nf=direct\n");
    /* More than a pipe holds each way: written and read together. */
    expect(x,
           "big = exec sh -c \"yes a | head -c 300000\"\n"
           "out = exec --input ${big.stdout} wc -c\n"
           "n = trim ${out.stdout}\n"
           "echo n=${n}\n"
           "cp = exec --input ${big.stdout} cat\n"
           "same = equals ${cp.stdout} ${big.stdout}\n"
           "echo same=${same}\n"
           /* A command that reads nothing: the rest is dropped. */
           "r = exec --input ${big.stdout} true\n"
           "echo code=${r.code}\n",
           "n=300000\nsame=true\ncode=0\n");
}

static void test_env_and_cd(void **state)
{
    struct fx *x = *state;
    char want[256];
    snprintf(want, sizeof(want), "v=[x y]\nchild x y\ngone=[]\n%s/sub\n%s\n",
             x->dir, x->dir);
    expect(x,
           "set_env DUCK_V \"x y\"\n"
           "v = get_env DUCK_V\n"
           "echo v=[${v}]\n"
           "out = exec sh -c \"echo child $DUCK_V\"\n"
           "o = trim ${out.stdout}\n"
           "echo ${o}\n"
           "unset_env DUCK_V\n"
           "v = get_env DUCK_V\n"
           "echo gone=[${v}]\n"
           "mkdir sub\n"
           "cd sub\n"
           "out = exec pwd\n"
           "o = trim ${out.stdout}\n"
           "echo ${o}\n"
           "cd ..\n"
           "p = pwd\n"
           "echo ${p}\n",
           want);
    assert_null(getenv("DUCK_V")); /* the process's own is untouched */
    expect_fail(x, "cd /no/such/dir\n", TASKRUN_E_TASK, "s.ds:1: cd:");
}

static void test_files(void **state)
{
    struct fx *x = *state;
    expect(x,
           "mkdir a/b/c\n"
           "e = is_path_exists a/b/c\n"
           "touch a/b/t.txt\n"
           "writefile a/f.txt \"line one\"\n"
           "t = readfile a/f.txt\n"
           "echo ${e} [${t}]\n"
           "cp a/f.txt a/g.txt\n"
           "mv a/g.txt a/b/h.txt\n"
           "g = is_path_exists a/g.txt\n"
           "h = readfile a/b/h.txt\n"
           "echo ${g} [${h}]\n"
           "list = glob_array a/**/*.txt\n"
           "j = array_join ${list} ,\n"
           "echo ${j}\n"
           "list = glob_array ./a/*\n"
           "j = array_join ${list} ,\n"
           "echo ${j}\n"
           "rm -r a/b\n"
           "b = is_path_exists a/b\n"
           "f = is_file a/f.txt\n"
           "echo ${b} ${f}\n"
           "r = readfile missing.txt\n"
           "echo r=${r}\n",
           "true [line one]\n"
           "false [line one]\n"
           "a/b/h.txt,a/b/t.txt,a/f.txt\n"
           "a/b,a/f.txt\n"
           "false true\n"
           "r=false\n");
    expect_fail(x, "readfile missing.txt\n", TASKRUN_E_TASK,
                "s.ds:1: readfile: missing.txt: No such file or directory");
}

static void test_strings(void **state)
{
    struct fx *x = *state;
    expect(x,
           "t = trim \"  a b  \"\n"
           "echo [${t}]\n"
           "i = indexof \"hello world\" world\n"
           "n = indexof abc z\n"
           "echo ${i} [${n}]\n"
           "s = substring hello 1 3\n"
           "s2 = substring hello 2\n"
           "s3 = substring hello -2\n"
           "s4 = substring hello 9\n"
           "echo ${s} ${s2} ${s3} ${s4}\n"
           "c = contains hello ell\n"
           "sw = starts_with hello he\n"
           "ew = ends_with hello lo\n"
           "ne = ends_with hello he\n"
           "q = eq a a\n"
           "nq = eq a b\n"
           "echo ${c} ${sw} ${ew} ${ne} ${q} ${nq}\n"
           "cc = concat a b c\n"
           "rp = replace a-b-c - +\n"
           "jp = join_path /a/ b //c\n"
           "echo ${cc} ${rp} ${jp}\n",
           "[a b]\n6 []\nel llo hel false\n"
           "true true true false true false\nabc a+b+c /a/b/c\n");
}

static void test_calc(void **state)
{
    struct fx *x = *state;
    expect(x,
           "a = calc 1 + 5 * 7\n"
           "b = calc (1 + 5) * 7\n"
           "c = calc 17 % 5 - -3\n"
           "d = calc 7 / 2\n"
           "e = calc 1 / 0\n"
           "echo ${a} ${b} ${c} ${d} ${e}\n",
           "36 42 5 3 false\n");
    expect_fail(x, "calc 1 / 0\n", TASKRUN_E_TASK,
                "s.ds:1: calc: division by zero");
    expect_fail(x, "calc 1 +\n", TASKRUN_E_TASK, "calc: expected a number");
}

static void test_split_and_arrays(void **state)
{
    struct fx *x = *state;
    expect(x,
           "parts = split a;b;;c ;\n"
           "n = array_length ${parts}\n"
           "g = array_get ${parts} 1\n"
           "m = array_get ${parts} 9\n"
           "d = is_defined m\n"
           "echo ${n} ${g} ${d}\n"
           "array_push ${parts} e f\n"
           "n = array_length ${parts}\n"
           "l = array_get ${parts} 5\n"
           "i = array_contains ${parts} c\n"
           "echo ${n} ${l} ${i}\n"
           "r = release ${parts}\n"
           "r2 = release ${parts}\n"
           "echo ${r} ${r2}\n"
           "s = set_new x y x\n"
           "in = set_contains ${s} y\n"
           "sz = set_size ${s}\n"
           "echo ${in} ${sz}\n"
           "m = map\n"
           "map_put ${m} k v\n"
           "v = map_get ${m} k\n"
           "echo ${v}\n",
           "4 b false\n6 f 3\ntrue false\ntrue 2\nv\n");
    expect_fail(x, "array_length nothing\n", TASKRUN_E_TASK,
                "s.ds:1: array_length: \"nothing\" is not a handle");
}

static void test_assertions(void **state)
{
    struct fx *x = *state;
    expect(x, "assert true\nassert_eq a a\nassert_false false\n", "");
    expect_fail(x, "echo\nassert false\n", TASKRUN_E_TASK,
                "s.ds:2: assertion failed: \"false\" is not true");
    expect_fail(x, "assert_eq a b \"custom message\"\n", TASKRUN_E_TASK,
                "s.ds:1: custom message");
    expect_fail(x, "assert_false yes\n", TASKRUN_E_TASK,
                "assertion failed: \"yes\" is not false");
    expect_fail(x, "fn f\n  assert_fail\nend\nf\n", TASKRUN_E_TASK,
                "s.ds:2: assertion failed: assert_fail");
}

static void test_errors_stop_unless_looked_at(void **state)
{
    struct fx *x = *state;
    expect_fail(x, "trigger_error \"it broke\"\necho after\n", TASKRUN_E_TASK,
                "s.ds:1: it broke");
    expect(x, "r = trigger_error boom\ne = get_last_error\necho ${r} ${e}\n",
           "false boom\n");
    /* duckscript's own default, for embedders that ask for it. */
    x->soft = true;
    expect(x, "trigger_error boom\ne = get_last_error\necho ${e}\n", "boom\n");
    expect_fail(x, "nope\n", TASKRUN_E_TASK, "unknown command \"nope\"");
    x->soft = false;
}

static void test_cm_run_task(void **state)
{
    struct fx *x = *state;
    expect(x, "cm_run_task build\necho after\n", "after\n");
    assert_int_equal(x->tasks.n, 1);
    assert_string_equal(x->tasks.v[0], "build");
    x->task_code = 2;
    expect_fail(x, "cm_run_task test\necho after\n", TASKRUN_E_TASK,
                "s.ds:1: cm_run_task: task \"test\" failed with exit code 2");
    x->task_code = 0;
}

static void test_has_command(void **state)
{
    (void)state;
    /* Every command the duckscript tasks of ../shared/makefiles use. */
    static const char *const used[] = {
        "array",
        "array_contains",
        "array_get",
        "array_join",
        "assert_eq",
        "calc",
        "cd",
        "cm_run_task",
        "concat",
        "echo",
        "eq",
        "equals",
        "exec",
        "exit",
        "get_env",
        "indexof",
        "is_empty",
        "is_path_exists",
        "is_windows",
        "join_path",
        "mkdir",
        "readfile",
        "release",
        "replace",
        "rm",
        "set",
        "set_contains",
        "set_env",
        "set_new",
        "split",
        "starts_with",
        "substring",
        "trigger_error",
        "trim",
        "which",
        "writefile",
        "if",
        "elseif",
        "else",
        "end",
        "not",
        "for",
        "while",
        "fn",
        "goto",
        "return",
        "unset_env",
        "is_empty",
        "mv",
        "cp",
        "touch",
        "glob_array",
        "contains",
        "ends_with",
        "array_length",
        "array_push",
        "assert",
        "assert_false",
    };
    for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++)
        if (!taskrun_duck_has_command(used[i]))
            fail_msg("command %s is missing", used[i]);
    assert_false(taskrun_duck_has_command("frobnicate"));
}

/* The hook: a duckscript task's child is taskrun --duckscript-eval (or
 * --duckscript FILE); without taskrun's own path it cannot run. */
static void test_duck_task_runs_in_taskrun(void **state)
{
    (void)state;
    struct taskrun_file f;
    struct cr_strv warn = { 0 };
    struct cr_error err = { 0 };
    struct taskrun_load_opts o = { false, "development", "linux" };
    assert_int_equal(
        taskrun_load_string(&f,
                            "[tasks.d]\nscript = \"#!@duckscript\\necho hi\"\n"
                            "[tasks.r]\nscript_runner = \"@duckscript\"\n"
                            "script = { file = \"x.ds\" }\n",
                            "tasks.toml", &o, &warn, &err),
        TASKRUN_OK);
    struct taskrun_env env;
    taskrun_env_init(&env, NULL);
    struct cr_strv cli = { 0 };
    assert_int_equal(cr_strv_push(&cli, "a1"), 0);
    struct taskrun_job_ctx jc = { &env, &cli, "/x/taskrun", 0 };
    struct taskrun_exec x = { 0 };
    assert_int_equal(
        taskrun_job_build(taskrun_file_find(&f, "d"), &jc, &x, &err),
        TASKRUN_OK);
    assert_int_equal(x.argv.n, 5);
    assert_string_equal(x.argv.v[0], "/x/taskrun");
    assert_string_equal(x.argv.v[1], "--duckscript-eval");
    assert_string_equal(x.argv.v[2], "d");
    assert_string_equal(x.argv.v[3], "#!@duckscript\necho hi");
    assert_string_equal(x.argv.v[4], "a1");
    taskrun_exec_release(&x);
    memset(&x, 0, sizeof(x));
    assert_int_equal(
        taskrun_job_build(taskrun_file_find(&f, "r"), &jc, &x, &err),
        TASKRUN_OK);
    assert_int_equal(x.argv.n, 4);
    assert_string_equal(x.argv.v[1], "--duckscript");
    assert_string_equal(x.argv.v[2], "x.ds");
    taskrun_exec_release(&x);
    memset(&x, 0, sizeof(x));
    jc.self_exe = NULL;
    assert_int_equal(
        taskrun_job_build(taskrun_file_find(&f, "d"), &jc, &x, &err),
        TASKRUN_E_RUN);
    taskrun_exec_release(&x);
    /* Longer than one argument may be: through a temporary file. */
    struct taskrun_task *d = (struct taskrun_task *)taskrun_file_find(&f, "d");
    char *big = malloc(70000);
    memset(big, ' ', 69999);
    big[69999] = '\0';
    memcpy(big, "#!@duckscript\n", 14);
    char *saved = d->script;
    d->script = big;
    jc.self_exe = "/x/taskrun";
    memset(&x, 0, sizeof(x));
    assert_int_equal(taskrun_job_build(d, &jc, &x, &err), TASKRUN_OK);
    assert_string_equal(x.argv.v[1], "--duckscript");
    assert_non_null(x.tmpfile);
    assert_string_equal(x.argv.v[2], x.tmpfile);
    struct stat st;
    assert_int_equal(stat(x.tmpfile, &st), 0);
    assert_int_equal(st.st_size, 69999);
    char *tmp = strdup(x.tmpfile);
    taskrun_exec_release(&x);
    assert_int_not_equal(stat(tmp, &st), 0);
    free(tmp);
    d->script = saved;
    free(big);
    cr_strv_release(&cli);
    cr_strv_release(&warn);
    taskrun_env_release(&env);
    taskrun_file_release(&f);
}

/* Every allocation failure is a clean TASKRUN_E_NOMEM, with no leak (the
 * ASan build checks that) and no crash. */
static void test_alloc_failures(void **state)
{
    struct fx *x = *state;
    const char *script = "a = set \"x y\"\n"
                         "fn f\n  r = concat ${1} !\n  return ${r}\nend\n"
                         "list = split a,b,c ,\n"
                         "for v in ${list}\n  w = f ${v}\n  echo ${w}\nend\n"
                         "m = map\nmap_put ${m} k v\n"
                         "set_env DUCK_ALLOC 1\n"
                         "writefile f.txt ${a}\nt = readfile f.txt\n"
                         "n = calc (1 + 2) * 3\n"
                         "if eq ${n} 9\n  echo ${t}\nend\n"
                         "release ${list}\n";
    struct fail_nth f;
    bool done = false;
    for (long n = 0; !done && n < 5000; n++) {
        struct res r;
        fail_nth_set(&f, n, false);
        run(x, script, &r);
        fail_nth_clear();
        if (!f.failed) {
            assert_int_equal(r.rc, TASKRUN_OK);
            assert_string_equal(r.out, "a!\nb!\nc!\nx y\n");
            done = true;
        } else if (r.rc != TASKRUN_E_NOMEM && r.rc != TASKRUN_OK) {
            fail_msg("allocation %ld: %d %s", n, r.rc, r.err.msg);
        }
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parse_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_command_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_variables_quotes_escapes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_script_args, setup, teardown),
        cmocka_unit_test_setup_teardown(test_if_elseif_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_for_while_break_continue, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_goto_and_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exec_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_and_cd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_and_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assertions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_stop_unless_looked_at,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cm_run_task, setup, teardown),
        cmocka_unit_test(test_has_command),
        cmocka_unit_test(test_duck_task_runs_in_taskrun),
        cmocka_unit_test_setup_teardown(test_alloc_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
