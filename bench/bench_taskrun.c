/* bench: taskrun load/plan/env cost on generated large makefiles. */
#include "bench_taskrun.h"

#include "cr_buf.h"
#include "cr_error.h"
#include "cr_strv.h"
#include "taskrun_env.h"
#include "taskrun_env_eval.h"
#include "taskrun_graph.h"
#include "taskrun_list.h"
#include "taskrun_load.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/*
 * The shape of tests/taskrun/gen_big.sh: chain tasks c0.. each depending
 * on the one before; fan tasks f0.. that "fan" depends on; [env] entries
 * E0.. where every odd one maps ${} of the odd one after it (a reference
 * chain env/2 long) and every tenth-plus-four one appends to the one
 * before.
 */
static int generate(struct cr_buf *out, int chain, int fan, int env)
{
    int rc = env > 0 ? cr_buf_puts(out, "[env]\n") : 0;
    for (int i = 0; i < env && !rc; i++) {
        if (i % 2 == 1 && i + 2 < env)
            rc = cr_buf_printf(out,
                               "E%d = { source = \"${E%d}\", "
                               "default_value = \"m%d\" }\n",
                               i, i + 2, i);
        else if (i % 10 == 4)
            rc = cr_buf_printf(out, "E%d = \"${E%d}-b\"\n", i, i - 1);
        else
            rc = cr_buf_printf(out, "E%d = \"v%d\"\n", i, i);
    }
    for (int i = 0; i < chain && !rc; i++) {
        rc = cr_buf_printf(out, "\n[tasks.c%d]\ncommand = \"true\"\n", i);
        if (!rc && i > 0)
            rc = cr_buf_printf(out, "dependencies = [\"c%d\"]\n", i - 1);
    }
    for (int i = 0; i < fan && !rc; i++)
        rc = cr_buf_printf(out, "\n[tasks.f%d]\ncommand = \"true\"\n", i);
    if (fan > 0 && !rc)
        rc = cr_buf_puts(out, "\n[tasks.fan]\ndependencies = [");
    for (int i = 0; i < fan && !rc; i++)
        rc = cr_buf_printf(out, "%s\"f%d\"", i ? ", " : "", i);
    if (fan > 0 && !rc)
        rc = cr_buf_puts(out, "]\n");
    return rc;
}

/*
 * A 1,000-task graph of the shape people write: task d<i> depends on the
 * one before and on d<(i-1)/2>, so dependencies are shared (a DAG, not a
 * tree) and planning d999 walks all of them.
 */
static int generate_dag(struct cr_buf *out, int n)
{
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        rc = cr_buf_printf(out, "\n[tasks.d%d]\ncommand = \"true\"\n", i);
        if (!rc && i > 0)
            rc = cr_buf_printf(out, "dependencies = [\"d%d\", \"d%d\"]\n",
                               i - 1, (i - 1) / 2);
    }
    return rc;
}

/* A run_task chain: r<i> routes to r<i+1>; planning r0 plans them all. */
static int generate_routes(struct cr_buf *out, int n)
{
    int rc = 0;
    for (int i = 0; i < n - 1 && !rc; i++)
        rc =
            cr_buf_printf(out, "\n[tasks.r%d]\nrun_task = \"r%d\"\n", i, i + 1);
    if (!rc)
        rc = cr_buf_printf(out, "\n[tasks.r%d]\ncommand = \"true\"\n", n - 1);
    return rc;
}

/* One generated makefile, its loaded form and the task to plan. */
struct input {
    struct cr_buf text;
    struct taskrun_file f;
    const char *task;
    int null_fd; /* --print-steps output goes here */
};

static int load(struct input *in, struct taskrun_file *f)
{
    struct cr_strv warnings = { 0 };
    struct cr_error err;
    struct taskrun_load_opts o = { 0 };
    enum taskrun_code rc =
        taskrun_load_string(f, in->text.data, "big.toml", &o, &warnings, &err);
    cr_strv_release(&warnings);
    if (rc != TASKRUN_OK)
        fprintf(stderr, "bench: %s\n", err.msg);
    return rc == TASKRUN_OK ? 0 : -1;
}

static int plan(struct input *in, bool print)
{
    struct taskrun_plan p;
    struct cr_error err;
    struct taskrun_plan_opts o = { .task = in->task };
    enum taskrun_code rc = taskrun_plan_build(&p, &in->f, &o, &err);
    if (rc == TASKRUN_OK && print)
        taskrun_list_plan(&p, "development", 1, in->null_fd);
    taskrun_plan_release(&p);
    if (rc != TASKRUN_OK)
        fprintf(stderr, "bench: %s\n", err.msg);
    return rc == TASKRUN_OK ? 0 : -1;
}

static void load_loop(struct bench_b *b, void *arg)
{
    struct input *in = arg;
    bench_set_bytes(b, (int64_t)in->text.len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct taskrun_file f;
        int rc = load(in, &f);
        taskrun_file_release(&f);
        if (rc)
            return;
    }
}

static void plan_loop(struct bench_b *b, void *arg)
{
    for (uint64_t i = 0; i < b->n; i++)
        if (plan(arg, false))
            return;
}

/* What `taskrun -f FILE --print-steps TASK` does after reading the file. */
static void load_plan_print_loop(struct bench_b *b, void *arg)
{
    struct input *in = arg;
    bench_set_bytes(b, (int64_t)in->text.len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct taskrun_file saved = in->f;
        int rc = load(in, &in->f);
        if (!rc)
            rc = plan(in, true);
        taskrun_file_release(&in->f);
        in->f = saved;
        if (rc)
            return;
    }
}

/* [env] evaluation: ordering by reference, expansion, mappings. */
static void env_loop(struct bench_b *b, void *arg)
{
    struct input *in = arg;
    for (uint64_t i = 0; i < b->n; i++) {
        struct taskrun_env e;
        struct cr_error err;
        enum taskrun_code rc = TASKRUN_E_NOMEM;
        if (taskrun_env_init(&e, NULL) == 0)
            rc = taskrun_env_apply(&e, in->f.env, in->f.n_env, NULL, "/", &err);
        taskrun_env_release(&e);
        if (rc != TASKRUN_OK)
            return;
    }
}

/* chain < 0 makes the DAG of -chain tasks instead; fan < 0 the run_task
 * chain of -fan tasks. */
static int input_init(struct input *in, int chain, int fan, int env,
                      const char *task, int null_fd)
{
    cr_buf_init(&in->text);
    in->task = task;
    in->null_fd = null_fd;
    int rc = chain < 0 ? generate_dag(&in->text, -chain)
             : fan < 0 ? generate_routes(&in->text, -fan)
                       : generate(&in->text, chain, fan, env);
    if (rc != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return -1;
    }
    /* Setup must succeed, or the numbers would measure errors. */
    return load(in, &in->f) || plan(in, false) ? -1 : 0;
}

static void input_release(struct input *in)
{
    taskrun_file_release(&in->f);
    cr_buf_release(&in->text);
}

int bench_suite_taskrun(struct bench_ctx *ctx)
{
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    struct input dag = { 0 }, chain = { 0 }, fan = { 0 }, env = { 0 },
                 big = { 0 }, routes = { 0 };
    int rc = null_fd < 0 || input_init(&dag, -1000, 0, 0, "d999", null_fd) ||
             input_init(&chain, 50000, 0, 0, "c49999", null_fd) ||
             input_init(&fan, 0, 20000, 0, "fan", null_fd) ||
             input_init(&env, 1, 0, 20000, "c0", null_fd) ||
             input_init(&big, 50000, 20000, 20000, "c49999", null_fd) ||
             input_init(&routes, 0, -50000, 0, "r0", null_fd);
    if (rc == 0) {
        bench_run(ctx, "LoadDag1k", load_loop, &dag);
        bench_run(ctx, "PlanDag1k", plan_loop, &dag);
        bench_run(ctx, "LoadChain50k", load_loop, &chain);
        bench_run(ctx, "PlanChain50k", plan_loop, &chain);
        bench_run(ctx, "LoadFan20k", load_loop, &fan);
        bench_run(ctx, "PlanFan20k", plan_loop, &fan);
        bench_run(ctx, "LoadEnv20k", load_loop, &env);
        bench_run(ctx, "EnvApply20k", env_loop, &env);
        bench_run(ctx, "LoadPlanPrintBig", load_plan_print_loop, &big);
        bench_run(ctx, "PlanRunTask50k", plan_loop, &routes);
    }
    input_release(&dag);
    input_release(&chain);
    input_release(&fan);
    input_release(&env);
    input_release(&big);
    input_release(&routes);
    if (null_fd >= 0)
        close(null_fd);
    return rc;
}
