/* Unit tests for cr_proc: spawning, exit codes, usage, group termination. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cr_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_exit_code_passes_through(void **state)
{
    const char *argv[] = { "sh", "-c", "exit 7", NULL };
    struct cr_proc_opts o = { .argv = argv };
    assert_int_equal(cr_proc_run(&o, NULL), 7);
}

static void test_signal_exit_code(void **state)
{
    const char *argv[] = { "sh", "-c", "kill -9 $$", NULL };
    struct cr_proc_opts o = { .argv = argv };
    assert_int_equal(cr_proc_run(&o, NULL), 128 + SIGKILL);
}

static void test_capture_env_and_cwd(void **state)
{
    const char *argv[] = { "sh", "-c", "echo \"$FOO\"; pwd", NULL };
    const char *envp[] = { "FOO=bar baz", "PATH=/usr/bin:/bin", NULL };
    struct cr_proc_opts o = {
        .argv = argv, .envp = envp, .cwd = "/tmp", .out = CR_PROC_PIPE
    };
    char *out = NULL;
    char before[4096];
    assert_non_null(getcwd(before, sizeof(before)));
    assert_int_equal(cr_proc_run(&o, &out), 0);
    assert_string_equal(out, "bar baz\n/tmp\n");
    free(out);
    /* The parent's directory never changes. */
    char after[4096];
    assert_non_null(getcwd(after, sizeof(after)));
    assert_string_equal(before, after);
}

static void test_missing_program(void **state)
{
    const char *argv[] = { "cr-proc-no-such-program-xyz", NULL };
    struct cr_proc_opts o = { .argv = argv };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), -ENOENT);
    assert_int_equal(p.pid, 0);
}

static void test_bad_cwd(void **state)
{
    const char *argv[] = { "true", NULL };
    struct cr_proc_opts o = { .argv = argv, .cwd = "/no/such/dir/xyz" };
    struct cr_proc p;
    assert_true(cr_proc_spawn(&p, &o) < 0);
}

static void test_new_process_group(void **state)
{
    const char *argv[] = { "sleep", "5", NULL };
    struct cr_proc_opts o = { .argv = argv };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    assert_int_equal(getpgid(p.pid), p.pid);
    assert_int_not_equal(getpgid(p.pid), getpgrp());
    assert_int_equal(cr_proc_terminate(&p, 2000), 0);
    assert_int_equal(cr_proc_exit_code(&p), 128 + SIGTERM);
}

/* True when pid no longer runs: absent, or a zombie awaiting its reaper. */
static bool is_gone(pid_t pid)
{
    char path[64], st[256] = { 0 };
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;
    size_t n = fread(st, 1, sizeof(st) - 1, f);
    fclose(f);
    return n > 0 && strstr(st, ") Z") != NULL;
}

/*
 * A shell that starts a sleeping grandchild and ignores SIGTERM itself:
 * after terminate, neither the shell nor the grandchild may survive.
 */
static void test_terminate_kills_grandchildren(void **state)
{
    const char *argv[] = { "sh", "-c",
                           "trap '' TERM; sleep 60 & echo $!; wait; sleep 60",
                           NULL };
    struct cr_proc_opts o = { .argv = argv, .out = CR_PROC_PIPE };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    char buf[64] = { 0 };
    size_t got = 0;
    while (got < sizeof(buf) - 1 && !strchr(buf, '\n')) {
        ssize_t n = read(p.out_fd, buf + got, sizeof(buf) - 1 - got);
        if (n > 0)
            got += (size_t)n;
        else
            usleep(1000);
    }
    pid_t grandchild = (pid_t)atoi(buf);
    assert_true(grandchild > 0);
    assert_int_equal(kill(grandchild, 0), 0);
    assert_int_equal(cr_proc_terminate(&p, 300), 0);
    assert_true(p.reaped);
    /* The grandchild may linger as a zombie until init reaps it. */
    bool gone = false;
    for (int i = 0; i < 300 && !gone; i++) {
        gone = is_gone(grandchild);
        if (!gone)
            usleep(10000);
    }
    assert_true(gone);
    cr_proc_release(&p);
}

/* A grandchild that left its group with setsid() is still found. */
static void test_subreaper_kills_escaped_orphans(void **state)
{
    assert_int_equal(cr_proc_become_subreaper(), 0);
    const char *argv[] = { "sh", "-c",
                           "setsid sleep 60 >/dev/null 2>&1 & echo $!", NULL };
    struct cr_proc_opts o = { .argv = argv, .out = CR_PROC_PIPE };
    char *out = NULL;
    assert_int_equal(cr_proc_run(&o, &out), 0);
    pid_t escaped = (pid_t)atoi(out);
    free(out);
    assert_true(escaped > 0);
    assert_int_equal(kill(escaped, 0), 0);
    assert_true(cr_proc_kill_orphans(NULL, 0) >= 1);
    /* Killed and reaped by us: the pid no longer exists. */
    assert_int_equal(kill(escaped, 0), -1);
}

static void test_usage_is_recorded(void **state)
{
    const char *argv[] = { "sh", "-c",
                           "i=0; while [ $i -lt 20000 ]; do "
                           "i=$((i+1)); done",
                           NULL };
    struct cr_proc_opts o = { .argv = argv };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    assert_int_equal(cr_proc_wait(&p, true), 1);
    assert_int_equal(cr_proc_exit_code(&p), 0);
    assert_true(p.usage.max_rss_kb > 0);
    assert_true(p.usage.user_us + p.usage.sys_us <= p.usage.wall_us + 50000);
    assert_true(p.usage.wall_us > 0);
    cr_proc_release(&p);
}

static void test_nonblocking_wait(void **state)
{
    const char *argv[] = { "sleep", "5", NULL };
    struct cr_proc_opts o = { .argv = argv, .out = CR_PROC_NULL };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    assert_int_equal(cr_proc_wait(&p, false), 0);
    assert_int_equal(cr_proc_exit_code(&p), -1);
    assert_int_equal(cr_proc_signal(&p, SIGKILL), 0);
    assert_int_equal(cr_proc_wait(&p, true), 1);
    assert_int_equal(cr_proc_exit_code(&p), 128 + SIGKILL);
}

/*
 * A parent killed with SIGKILL cannot stop its children; PDEATHSIG makes
 * the kernel do it. The middle process spawns `sleep`, reports its pid and
 * is killed; we are the subreaper, so the orphan comes back to us and
 * waitpid tells how it ended.
 */
static void test_child_dies_with_killed_parent(void **state)
{
    assert_int_equal(cr_proc_become_subreaper(), 0);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t mid = fork();
    assert_true(mid >= 0);
    if (mid == 0) {
        const char *argv[] = { "sleep", "60", NULL };
        struct cr_proc_opts o = { .argv = argv, .out = CR_PROC_NULL };
        struct cr_proc p;
        pid_t pid = cr_proc_spawn(&p, &o) == 0 ? p.pid : -1;
        if (write(fds[1], &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
            _exit(1);
        pause();
        _exit(0);
    }
    close(fds[1]);
    pid_t child = -1;
    assert_int_equal(read(fds[0], &child, sizeof(child)), sizeof(child));
    close(fds[0]);
    assert_true(child > 0);
    assert_int_equal(kill(mid, SIGKILL), 0);
    assert_int_equal(waitpid(mid, NULL, 0), mid);
    int st = 0;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGKILL);
}

/* Both streams piped: cr_proc_run would read only one, so it refuses. */
static void test_run_refuses_two_pipes(void **state)
{
    const char *argv[] = { "true", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .out = CR_PROC_PIPE,
                              .err = CR_PROC_PIPE };
    assert_int_equal(cr_proc_run(&o, NULL), -EINVAL);
}

/* Reads fd until end-of-file into buf (NUL-terminated), polling. */
static size_t read_all(int fd, char *buf, size_t size)
{
    size_t got = 0;
    struct pollfd pf = { .fd = fd, .events = POLLIN };
    for (;;) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n > 0) {
            got += (size_t)n;
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR))
            break;
        poll(&pf, 1, 5000);
    }
    buf[got] = '\0';
    return got;
}

/* A stdin pipe: cat copies what the parent writes, until it is closed. */
static void test_stdin_pipe(void **state)
{
    const char *argv[] = { "cat", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_PIPE,
                              .out = CR_PROC_PIPE };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    assert_true(p.in_fd >= 0);
    assert_int_equal(p.err_fd, -1);
    /* The parent's end is not inherited by what it spawns next. */
    assert_true(fcntl(p.in_fd, F_GETFD) & FD_CLOEXEC);
    static const char msg[] = "line one\nline two";
    assert_int_equal(write(p.in_fd, msg, sizeof(msg) - 1),
                     (ssize_t)(sizeof(msg) - 1));
    close(p.in_fd);
    p.in_fd = -1;
    char buf[256];
    read_all(p.out_fd, buf, sizeof(buf));
    assert_string_equal(buf, msg);
    assert_int_equal(cr_proc_wait(&p, true), 1);
    assert_int_equal(cr_proc_exit_code(&p), 0);
    cr_proc_release(&p);
    assert_int_equal(p.in_fd, -1);
}

/* cr_proc_release closes a stdin pipe still open; cat then sees EOF. */
static void test_release_closes_stdin_pipe(void **state)
{
    const char *argv[] = { "cat", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_PIPE,
                              .out = CR_PROC_NULL };
    struct cr_proc p;
    assert_int_equal(cr_proc_spawn(&p, &o), 0);
    int fd = p.in_fd;
    assert_true(fd >= 0);
    cr_proc_release(&p);
    assert_int_equal(p.in_fd, -1);
    assert_int_equal(fcntl(fd, F_GETFD), -1);
    assert_int_equal(cr_proc_wait(&p, true), 1);
    assert_int_equal(cr_proc_exit_code(&p), 0);
}

/* cr_proc_run with a stdin pipe: the child reads end-of-file at once. */
static void test_run_stdin_pipe_is_empty(void **state)
{
    const char *argv[] = { "wc", "-c", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_PIPE,
                              .out = CR_PROC_PIPE };
    char *out = NULL;
    assert_int_equal(cr_proc_run(&o, &out), 0);
    assert_int_equal(atoi(out), 0);
    free(out);
}

/* Spawns 20 children that exit with 1..20; returns how many did not. */
static void *spawn_many(void *arg)
{
    intptr_t wrong = 0;
    (void)arg;
    for (int i = 1; i <= 20; i++) {
        char code[8];
        snprintf(code, sizeof(code), "%d", i);
        const char *argv[] = { "sh", "-c", "exit \"$1\"", "sh", code, NULL };
        struct cr_proc_opts o = { .argv = argv, .out = CR_PROC_PIPE };
        char *out = NULL;
        if (cr_proc_run(&o, &out) != i)
            wrong++;
        free(out);
    }
    return (void *)wrong;
}

/*
 * Children start with vfork, which suspends only the spawning thread while
 * the child borrows its memory and stack: spawning from several threads at
 * once must still give each caller its own child and exit code.
 */
static void test_spawn_from_threads(void **state)
{
    pthread_t t[3];
    void *wrong[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, spawn_many, NULL), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pthread_join(t[i], &wrong[i]), 0);
        assert_ptr_equal(wrong[i], NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_code_passes_through),
        cmocka_unit_test(test_signal_exit_code),
        cmocka_unit_test(test_capture_env_and_cwd),
        cmocka_unit_test(test_missing_program),
        cmocka_unit_test(test_bad_cwd),
        cmocka_unit_test(test_new_process_group),
        cmocka_unit_test(test_terminate_kills_grandchildren),
        cmocka_unit_test(test_subreaper_kills_escaped_orphans),
        cmocka_unit_test(test_usage_is_recorded),
        cmocka_unit_test(test_nonblocking_wait),
        cmocka_unit_test(test_child_dies_with_killed_parent),
        cmocka_unit_test(test_run_refuses_two_pipes),
        cmocka_unit_test(test_stdin_pipe),
        cmocka_unit_test(test_release_closes_stdin_pipe),
        cmocka_unit_test(test_run_stdin_pipe_is_empty),
        cmocka_unit_test(test_spawn_from_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
