/* Unit tests of slo's verdict rules and sample metrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cr_clock.h"
#include "cr_proc.h"
#include "slo.h"
#include "slo_error.h"
#include "slo_judge.h"
#include "slo_measure.h"

static struct slo_objective obj(enum slo_stat st, double target,
                                double critical)
{
    static char *argv[] = { "true", NULL };
    struct slo_objective o = { .name = "t",
                               .argv = argv,
                               .stat = st,
                               .target = target,
                               .critical = critical,
                               .runs = 10 };
    return o;
}

/* Judges walls[] (ms) against o. */
static enum slo_verdict judge(const struct slo_objective *o,
                              const double *walls, size_t n)
{
    struct slo_sample s[32];
    struct slo_result r = { .obj = o, .samples = s, .n = n };

    memset(s, 0, sizeof(s));
    for (size_t i = 0; i < n; i++)
        s[i].wall_ms = walls[i];
    slo_judge(&r);
    return r.verdict;
}

static void test_verdicts(void **state)
{
    const double tight[] = { 10, 10, 11, 10, 9, 10, 10, 11, 10, 9 };
    const double noisy[] = { 5, 5, 5, 5, 5, 5, 5, 30, 30, 30 };
    struct slo_objective o = obj(SLO_MEDIAN, 20, 40);

    (void)state;
    assert_int_equal(judge(&o, tight, 10), SLO_PASS);
    /* Median 5 meets 20, but the interval's upper end (30) does not. */
    assert_int_equal(judge(&o, noisy, 10), SLO_INCONCLUSIVE);
    o.target = 5;
    o.critical = 9.5;
    assert_int_equal(judge(&o, tight, 10), SLO_FAIL);
    o.critical = 10.5;
    assert_int_equal(judge(&o, tight, 10), SLO_WARN);
    /* Fewer than 6 runs: [min, max] stands in, so 3 runs can pass only
     * when every run is under the target. */
    o = obj(SLO_MEDIAN, 12, 40);
    assert_int_equal(judge(&o, tight, 3), SLO_PASS);
    o.target = 10.5;
    assert_int_equal(judge(&o, tight, 3), SLO_INCONCLUSIVE);
}

static void test_other_statistics(void **state)
{
    const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 100 };
    struct slo_objective o = obj(SLO_MAX, 50, 200);

    (void)state;
    assert_int_equal(judge(&o, x, 10), SLO_WARN);
    o.stat = SLO_P95;
    o.target = 60; /* p95 = 9 + 0.55 * 91 = 59.05 */
    assert_int_equal(judge(&o, x, 10), SLO_PASS);
    o.stat = SLO_MEAN;
    o.target = 14;
    o.critical = 14.4; /* mean 14.5 */
    assert_int_equal(judge(&o, x, 10), SLO_FAIL);
}

static void test_no_runs_is_an_error(void **state)
{
    struct slo_objective o = obj(SLO_MEDIAN, 1, 2);

    (void)state;
    assert_int_equal(judge(&o, NULL, 0), SLO_ERROR);
}

static void test_metrics(void **state)
{
    struct slo_sample s = {
        .wall_ms = 5, .user_ms = 2, .sys_ms = 1, .rss_mb = 3.5
    };

    (void)state;
    assert_true(slo_sample_metric(&s, SLO_WALL_MS) == 5);
    assert_true(slo_sample_metric(&s, SLO_CPU_MS) == 3);
    assert_true(slo_sample_metric(&s, SLO_RSS_MB) == 3.5);
    assert_string_equal(slo_verdict_name(SLO_INCONCLUSIVE), "INCONCLUSIVE");
    assert_int_equal(slo_exit_status(SLO_E_CONFIG), 2);
}

/* Stands in for pidfd_open on a kernel or sandbox that refuses it. */
static int no_pidfd(pid_t pid)
{
    (void)pid;
    errno = ENOSYS;
    return -1;
}

/* Spawns argv in its own process group with output discarded. */
static void spawn(struct cr_proc *p, const char *const *argv)
{
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_NULL,
                              .err = CR_PROC_NULL };

    assert_int_equal(cr_proc_spawn(p, &o), 0);
}

/* Without a pidfd, a command that runs too long is still killed at the
 * timeout instead of being waited for. */
static void test_wait_without_pidfd_times_out(void **state)
{
    static const char *const argv[] = { "sleep", "20", NULL };
    struct cr_proc p;
    uint64_t t0 = cr_clock_ms();

    (void)state;
    spawn(&p, argv);
    assert_int_equal(slo__wait_child(&p, NULL, 300, no_pidfd), 1);
    assert_true(cr_clock_ms() - t0 < 5000);
    assert_int_equal(cr_proc_exit_code(&p), 128 + SIGKILL);
    cr_proc_release(&p);
}

/* Without a pidfd, a set stop flag (Ctrl-C) still ends the wait. */
static void test_wait_without_pidfd_stops(void **state)
{
    static const char *const argv[] = { "sleep", "20", NULL };
    atomic_int stop = 1;
    struct cr_proc p;
    uint64_t t0 = cr_clock_ms();

    (void)state;
    spawn(&p, argv);
    assert_int_equal(slo__wait_child(&p, &stop, 60000, no_pidfd), 1);
    assert_true(cr_clock_ms() - t0 < 5000);
    cr_proc_release(&p);
}

/* Without a pidfd, a command that ends by itself is reaped with its usage
 * and exit code, not killed. */
static void test_wait_without_pidfd_exits(void **state)
{
    static const char *const argv[] = { "sh", "-c", "exit 3", NULL };
    atomic_int stop = 0;
    struct cr_proc p;

    (void)state;
    spawn(&p, argv);
    assert_int_equal(slo__wait_child(&p, &stop, 60000, no_pidfd), 0);
    assert_int_equal(cr_proc_exit_code(&p), 3);
    assert_true(p.usage.wall_us > 0);
    cr_proc_release(&p);
}

/* The pidfd path (the default) behaves the same. */
static void test_wait_with_pidfd_times_out(void **state)
{
    static const char *const argv[] = { "sleep", "20", NULL };
    struct cr_proc p;
    uint64_t t0 = cr_clock_ms();

    (void)state;
    spawn(&p, argv);
    assert_int_equal(slo__wait_child(&p, NULL, 300, NULL), 1);
    assert_true(cr_clock_ms() - t0 < 5000);
    cr_proc_release(&p);
}

/* A measured run's options (slo_measure.c's run_once): a new process
 * group, stdin and stderr on /dev/null, stdout on a pipe, ENOENT for a
 * missing program, and usage filled by cr_proc_wait. */
static void test_spawn(void **state)
{
    char *pgrp[] = { "sh", "-c",
                     "read pid comm state ppid pgrp rest < /proc/$$/stat; "
                     "test \"$pgrp\" = \"$$\" && printf 'own group'",
                     NULL };
    char *missing[] = { "/nonexistent/slo-test", NULL };
    struct cr_proc p;
    char buf[64] = "";
    ssize_t n;
    struct cr_proc_opts o = { .argv = (const char *const *)pgrp,
                              .cwd = "/",
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_PIPE,
                              .err = CR_PROC_NULL };

    (void)state;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    assert_int_equal(cr_proc_wait(&p, true), 1);
    assert_int_equal(cr_proc_exit_code(&p), 0);
    assert_true(p.usage.wall_us > 0);
    n = read(p.out_fd, buf, sizeof(buf) - 1);
    assert_true(n > 0);
    assert_string_equal(buf, "own group");
    cr_proc_release(&p);
    o.argv = (const char *const *)missing;
    o.out = CR_PROC_NULL;
    assert_int_equal(cr_proc_spawn(&p, &o), -ENOENT);
    assert_int_equal(p.pid, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_other_statistics),
        cmocka_unit_test(test_no_runs_is_an_error),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_wait_without_pidfd_times_out),
        cmocka_unit_test(test_wait_without_pidfd_stops),
        cmocka_unit_test(test_wait_without_pidfd_exits),
        cmocka_unit_test(test_wait_with_pidfd_times_out),
        cmocka_unit_test(test_spawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
