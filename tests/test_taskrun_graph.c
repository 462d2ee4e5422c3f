/* Unit tests for taskrun_graph: plan order, dedupe, cycles, missing tasks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "taskrun_graph.h"
#include "test_alloc_fail.h"

#include <stdlib.h>
#include <string.h>

/* Adds a task with dependencies given as a NULL-terminated list. */
static struct taskrun_task *add(struct taskrun_file *f, const char *name, ...)
{
    struct taskrun_task *t = taskrun_file_add_task(f, name);
    va_list ap;
    va_start(ap, name);
    for (const char *d; (d = va_arg(ap, const char *)) != NULL;)
        assert_int_equal(cr_strv_push(&t->deps, d), 0);
    va_end(ap);
    return t;
}

static void route(struct taskrun_task *t, const char *target, bool parallel)
{
    t->routes = calloc(1, sizeof(*t->routes));
    t->n_routes = 1;
    t->routes[0].parallel = parallel;
    assert_int_equal(cr_strv_push(&t->routes[0].names, target), 0);
}

/* The plan as "a b c" for easy comparison. */
static void order(const struct taskrun_plan *p, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < p->n; i++) {
        strncat(out, i ? " " : "", n - strlen(out) - 1);
        strncat(out, taskrun_plan_task(p, i)->name, n - strlen(out) - 1);
    }
}

static enum taskrun_code build(struct taskrun_plan *p,
                               const struct taskrun_file *f, const char *task,
                               struct cr_error *err)
{
    struct taskrun_plan_opts o = { .task = task, .init_end = true };
    return taskrun_plan_build(p, f, &o, err);
}

/* Several requested tasks form one graph: what they share runs once. */
static void test_more_roots_share_dependencies(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "lint", "gen", NULL);
    add(&f, "test", "gen", NULL);
    add(&f, "gen", NULL);
    const char *more[] = { "test" };
    struct taskrun_plan_opts o = { .task = "lint", .more = more, .n_more = 1 };
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_plan_build(&p, &f, &o, &err), TASKRUN_OK);
    char got[256];
    order(&p, got, sizeof(got));
    assert_string_equal(got, "gen lint test");
    assert_int_equal(p.root, 1);
    taskrun_plan_release(&p);
    const char *bad[] = { "tset" };
    o.more = bad;
    assert_int_equal(taskrun_plan_build(&p, &f, &o, &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg, "task \"tset\" not found (did you mean "
                                 "\"test\"?)");
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_depth_first_declaration_order(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "top", "x", "y", NULL);
    add(&f, "x", "z", NULL);
    add(&f, "y", "z", NULL);
    add(&f, "z", NULL);
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "top", &err), TASKRUN_OK);
    char got[256];
    order(&p, got, sizeof(got));
    /* z once, before both x and y (shared dependency deduplicated). */
    assert_string_equal(got, "z x y top");
    assert_int_equal(p.nodes[3].n_deps, 2);
    assert_int_equal(p.root, 3);
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_cycle_reports_whole_path(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "a", "b", NULL);
    add(&f, "b", "c", NULL);
    add(&f, "c", "a", NULL);
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "a", &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg, "dependency cycle: a -> b -> c -> a");
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_cycle_through_run_task_and_alias(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "start", "mid", NULL);
    route(add(&f, "mid", NULL), "alias-of-start", false);
    add(&f, "alias-of-start", NULL)->alias = strdup("start");
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "start", &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg,
                        "dependency cycle: start -> mid -> alias-of-start");
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_alias_cycle(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "a", NULL)->alias = strdup("b");
    add(&f, "b", NULL)->alias = strdup("a");
    struct cr_error err = { 0 };
    assert_int_equal(taskrun_resolve(&f, "a", &err), -1);
    assert_non_null(strstr(err.msg, "alias cycle: a -> b -> a"));
    taskrun_file_release(&f);
}

static void test_missing_task_did_you_mean(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "build", NULL);
    add(&f, "release", "buidl", NULL);
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "release", &err), TASKRUN_E_PLAN);
    assert_string_equal(err.msg, "task \"buidl\" not found, needed by "
                                 "\"release\" (did you mean \"build\"?)");
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_run_task_runs_after_and_gates(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "top", "caller", NULL);
    route(add(&f, "caller", NULL), "target", false);
    add(&f, "target", "dep", NULL);
    add(&f, "dep", NULL);
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "top", &err), TASKRUN_OK);
    char got[256];
    order(&p, got, sizeof(got));
    assert_string_equal(got, "caller dep target top");
    /* target waits for caller; top waits for target, and through it for
     * caller (done nodes are not copied down run_task chains). */
    assert_int_equal(p.nodes[2].gate, 0);
    assert_int_equal(p.nodes[3].n_deps, 1);
    assert_int_equal(p.nodes[3].deps[0], 2);
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_private_root_refused(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "hidden", NULL)->is_private = true;
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "hidden", &err), TASKRUN_E_PLAN);
    assert_non_null(strstr(err.msg, "private"));
    taskrun_plan_release(&p);
    struct taskrun_plan_opts o = { .task = "hidden", .allow_private = true };
    assert_int_equal(taskrun_plan_build(&p, &f, &o, &err), TASKRUN_OK);
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

static void test_init_and_end_tasks(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "init", NULL);
    add(&f, "end", NULL);
    add(&f, "work", "dep", NULL);
    add(&f, "dep", NULL);
    f.config.init_task = strdup("init");
    f.config.end_task = strdup("end");
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    assert_int_equal(build(&p, &f, "work", &err), TASKRUN_OK);
    char got[256];
    order(&p, got, sizeof(got));
    assert_string_equal(got, "init dep work end");
    /* dep waits for init even though it declares nothing. */
    assert_int_equal(p.nodes[1].n_deps, 1);
    assert_int_equal(p.nodes[3].n_deps, 3);
    taskrun_plan_release(&p);
    taskrun_file_release(&f);
}

/*
 * Every allocation of plan building may fail (the walk's own arrays
 * included): each failure is a clean TASKRUN_E_NOMEM, nothing leaks.
 */
static void test_plan_out_of_memory(void **state)
{
    struct taskrun_file f = { 0 };
    add(&f, "a", "b", "c", NULL);
    add(&f, "b", "c", NULL);
    add(&f, "c", NULL);
    route(add(&f, "d", "a", NULL), "c", true);
    add(&f, "init", NULL);
    add(&f, "end", NULL);
    f.config.init_task = strdup("init");
    f.config.end_task = strdup("end");
    struct fail_nth fn;
    bool done = false;
    for (long n = 0; n < 1000 && !done; n++) {
        struct taskrun_plan p;
        struct cr_error err = { 0 };
        fail_nth_set(&fn, n, false);
        enum taskrun_code rc = build(&p, &f, "d", &err);
        fail_nth_clear();
        if (!fn.failed) {
            assert_int_equal(rc, TASKRUN_OK);
            done = true;
        } else if (rc != TASKRUN_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        }
        taskrun_plan_release(&p);
    }
    assert_true(done);
    taskrun_file_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_first_declaration_order),
        cmocka_unit_test(test_more_roots_share_dependencies),
        cmocka_unit_test(test_cycle_reports_whole_path),
        cmocka_unit_test(test_cycle_through_run_task_and_alias),
        cmocka_unit_test(test_alias_cycle),
        cmocka_unit_test(test_missing_task_did_you_mean),
        cmocka_unit_test(test_run_task_runs_after_and_gates),
        cmocka_unit_test(test_private_root_refused),
        cmocka_unit_test(test_init_and_end_tasks),
        cmocka_unit_test(test_plan_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
