/*
 * taskrun_watch_main: `taskrun --watch-loop`, the loop a watch task runs
 * in. A command layer: it prints and installs signal handlers. See
 * taskrun_watch.h.
 *
 * The command runs through cr_proc, in a process group of its own: the
 * loop passes a stop signal on to that group (and with the terminal, hands
 * the terminal to it for the run), a guard process kills the group if the
 * loop is SIGKILLed, and a stop leaves nothing of the group behind.
 */
#include "taskrun_watch.h"

#include "cr_alloc.h"
#include "cr_clock.h"
#include "cr_fs.h"
#include "cr_proc.h"
#include "cr_signal.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct loop {
    struct cr_strv paths, ignore;
    bool postpone, no_git_ignore;
    char **cmd; /* borrowed from argv */
    char cwd[4096];
    struct cr_proc_guard guard; /* kills the command's group if we die */
    int wake[2]; /* the signal handler's wake-up pipe, -1 when none */
};

/* Reads .gitignore's plain patterns (no negation) into ignore. */
static void read_gitignore(struct loop *lp)
{
    char *text = NULL, *save = NULL;
    size_t len = 0;

    if (cr_fs_read(".gitignore", &text, &len) != 0)
        return;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
                         line[n - 1] == '/'))
            line[--n] = '\0';
        if (n > 0 && line[0] != '#' && line[0] != '!')
            (void)cr_strv_push(&lp->ignore, line[0] == '/' ? line + 1 : line);
    }
    cr_free(text);
}

/* A path relative to the task directory when it is inside it. */
static const char *relative(const struct loop *lp, const char *path)
{
    size_t n = strlen(lp->cwd);

    if (strncmp(path, lp->cwd, n) == 0 && path[n] == '/')
        return path + n + 1;
    return strncmp(path, "./", 2) == 0 ? path + 2 : path;
}

static bool keep(void *ctx, const char *path, bool is_dir)
{
    const struct loop *lp = ctx;
    const char *base = strrchr(path, '/'), *rel = relative(lp, path);

    base = base != NULL ? base + 1 : path;
    if (is_dir && strcmp(base, ".git") == 0)
        return false;
    for (size_t i = 0; i < lp->ignore.n; i++)
        if (fnmatch(lp->ignore.v[i], base, 0) == 0 ||
            fnmatch(lp->ignore.v[i], rel, FNM_PATHNAME) == 0)
            return false;
    return true;
}

static int parse(struct loop *lp, int argc, char **argv)
{
    int i = 2;

    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--postpone") == 0)
            lp->postpone = true;
        else if (strcmp(argv[i], "--no-git-ignore") == 0)
            lp->no_git_ignore = true;
        else if (i + 1 < argc && strcmp(argv[i], "--ignore") == 0)
            (void)cr_strv_push(&lp->ignore, argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--path") == 0)
            (void)cr_strv_push(&lp->paths, argv[++i]);
        else
            return -1;
    }
    if (i + 1 >= argc)
        return -1;
    lp->cmd = argv + i + 1;
    return 0;
}

/*
 * How long the command gets after the first stop signal before its group
 * is SIGKILLed: less than taskrun's own grace (5 s), so the loop is done
 * before the taskrun that started it gives up on it.
 */
#define WATCH_GRACE_MS 4000

/*
 * Ctrl-Z stopped the command, which has the terminal: take the terminal
 * back and stop ourselves, so that whoever started us (taskrun, the shell)
 * sees the job stopped; once continued (`fg`), hand the terminal back to
 * the command and continue it.
 */
/* Whether our group has the terminal now. Asked before every run and
 * after every stop: a loop stopped and continued with `bg` no longer has
 * it, and must neither hand it on nor take it from the shell. */
static bool have_terminal(void)
{
    return isatty(0) && tcgetpgrp(0) == getpgrp();
}

static void forward_stop(const struct cr_proc *p)
{
    cr_proc_foreground_restore();
    raise(SIGTSTP);
    if (have_terminal())
        tcsetpgrp(0, p->pid);
    cr_proc_signal(p, SIGCONT);
}

/* Empties the signal handler's wake-up pipe. */
static void drain_wake(int fd)
{
    char buf[64];

    while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
        ;
}

/*
 * Waits for the command's exit, woken by SIGCHLD or a stop signal through
 * the wake-up pipe (polled in short steps without one). The first stop
 * signal is passed on to the command's group, as the terminal would have
 * sent it there; a second one or the end of the grace ends the wait with
 * the command still running, for run() to kill.
 */
static void wait_command(struct cr_proc *p, const struct loop *lp, bool fg,
                         const atomic_int *stop)
{
    int passed_on = 0;
    uint64_t deadline = 0;

    while (cr_proc_wait(p, false) == 0) {
        if (*stop && !passed_on) {
            passed_on = cr_signal_count();
            cr_proc_signal(p, *stop);
            cr_proc_signal(p, SIGCONT);
            deadline = cr_clock_ms() + WATCH_GRACE_MS;
        } else if (passed_on &&
                   (cr_signal_count() > passed_on || cr_clock_ms() > deadline))
            break;
        if (fg && cr_proc_stopped(p))
            forward_stop(p);
        struct pollfd pf = { .fd = lp->wake[0], .events = POLLIN };
        poll(&pf, lp->wake[0] >= 0 ? 1 : 0, lp->wake[0] >= 0 ? 1000 : 20);
        drain_wake(lp->wake[0]);
    }
}

/*
 * Runs the command to its end in its own process group (cr_proc). When the
 * loop has the terminal, the command gets it for the run: Ctrl-C then
 * reaches the command's group, not ours, and a command killed by it stops
 * the loop as if we had been.
 */
static int run(const struct loop *lp, atomic_int *stop)
{
    const bool fg = have_terminal();
    const struct cr_proc_opts o = {
        .argv = (const char *const *)lp->cmd,
        .foreground = fg,
        .guard = &lp->guard,
    };
    struct cr_proc p;
    int rc = cr_proc_spawn(&p, &o), code;

    if (rc != 0) {
        fprintf(stderr, "taskrun: watch: cannot run \"%s\": %s\n", lp->cmd[0],
                strerror(-rc));
        return 127;
    }
    wait_command(&p, lp, fg, stop);
    if (fg)
        cr_proc_foreground_restore();
    code = cr_proc_exit_code(&p);
    if (fg && code == 128 + SIGINT && !*stop)
        atomic_store(stop, SIGINT);
    /* Stopping: nothing of the command's group outlives the loop, not even
     * what ignores the signal (a shell's background jobs ignore SIGINT). */
    if (*stop) {
        cr_proc_terminate(&p, 0);
        code = cr_proc_exit_code(&p);
    }
    cr_proc_release(&p);
    return code;
}

static int start(struct loop *lp, struct watch *w)
{
    static const char *const dot[] = { "." };
    const char *const *paths =
        lp->paths.n > 0 ? (const char *const *)lp->paths.v : dot;
    size_t n = lp->paths.n > 0 ? lp->paths.n : 1;
    struct cr_error e = { 0 };

    if (getcwd(lp->cwd, sizeof(lp->cwd)) == NULL)
        lp->cwd[0] = '\0';
    if (!lp->no_git_ignore)
        read_gitignore(lp);
    if (watch_init(w, WATCH_DEBOUNCE_MS, keep, lp, &e) != WATCH_OK)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (watch_add(w, paths[i], &e) != WATCH_OK)
            goto fail;
    return 0;
fail:
    fprintf(stderr, "taskrun: watch: %s\n", e.msg);
    return -1;
}

/*
 * The stop signals, and SIGCHLD to wake the wait for the command; a byte
 * in the wake-up pipe for each, so no signal is lost between a check of
 * the flag and the poll.
 */
static void install_signals(struct loop *lp)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
    struct cr_signal_opts so = { sigs, 4, -1, NULL, SA_RESTART };

    if (pipe2(lp->wake, O_CLOEXEC | O_NONBLOCK) != 0)
        lp->wake[0] = lp->wake[1] = -1;
    so.wake_fd = lp->wake[1];
    cr_signal_install(&so);
}

int taskrun_watch_main(int argc, char **argv)
{
    struct loop lp = { .guard = CR_PROC_GUARD_INIT, .wake = { -1, -1 } };
    struct watch w = { .fd = -1 };
    struct watch_batch b = { 0 };
    atomic_int *stop;
    int status = taskrun_exit_status(TASKRUN_E_RUN);

    if (parse(&lp, argc, argv) != 0) {
        fprintf(stderr, "taskrun: --watch-loop [--postpone] "
                        "[--no-git-ignore] [--ignore GLOB]... [--path P]... "
                        "-- COMMAND...\n");
        goto out;
    }
    install_signals(&lp);
    stop = cr_signal_flag();
    /* Without the guard, only PDEATHSIG protects: the command itself, not
     * what it started. */
    (void)cr_proc_guard_start(&lp.guard);
    if (start(&lp, &w) != 0)
        goto out;
    if (!lp.postpone)
        run(&lp, stop);
    while (!*stop) {
        struct cr_error e = { 0 };
        enum watch_code rc = watch_poll(&w, -1, stop, &b, &e);
        if (rc == WATCH_E_CANCELLED)
            break;
        if (rc != WATCH_OK) {
            fprintf(stderr, "taskrun: watch: %s\n", e.msg);
            goto out;
        }
        fprintf(stderr, "taskrun: watch: %s changed, running again\n",
                b.changed.n > 0 ? b.changed.v[0] : b.removed.v[0]);
        run(&lp, stop);
    }
    status = taskrun_exit_status(TASKRUN_E_INTERRUPTED);
out:
    /* The wake-up pipe stays open until exit: the handler may still write
     * to it (the guard's SIGCHLD), and a closed number could be reused. */
    cr_proc_guard_stop(&lp.guard);
    watch_batch_release(&b);
    watch_release(&w);
    cr_strv_release(&lp.paths);
    cr_strv_release(&lp.ignore);
    return status;
}
