/* taskrun_watch_main: `taskrun --watch-loop`, the loop a watch task runs
 * in. A command layer: it prints and installs signal handlers. See
 * taskrun_watch.h. */
#include "taskrun_watch.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_signal.h"
#include "watch.h"

#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct loop {
    struct cr_strv paths, ignore;
    bool postpone, no_git_ignore;
    char **cmd; /* borrowed from argv */
    char cwd[4096];
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

/* Runs the command to its end; a stop signal is passed on to it. */
static int run(const struct loop *lp, const atomic_int *stop)
{
    pid_t pid;
    int st = 0,
        e = posix_spawnp(&pid, lp->cmd[0], NULL, NULL, lp->cmd, environ);
    bool passed_on = false;

    if (e != 0) {
        fprintf(stderr, "taskrun: watch: cannot run \"%s\": %s\n", lp->cmd[0],
                strerror(e));
        return 127;
    }
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return 1;
        if (*stop && !passed_on) {
            kill(pid, SIGTERM);
            passed_on = true;
        }
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
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

int taskrun_watch_main(int argc, char **argv)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    const struct cr_signal_opts so = { sigs, 3, -1, NULL, 0 };
    struct loop lp = { 0 };
    struct watch w = { .fd = -1 };
    struct watch_batch b = { 0 };
    const atomic_int *stop;
    int status = taskrun_exit_status(TASKRUN_E_RUN);

    if (parse(&lp, argc, argv) != 0) {
        fprintf(stderr, "taskrun: --watch-loop [--postpone] "
                        "[--no-git-ignore] [--ignore GLOB]... [--path P]... "
                        "-- COMMAND...\n");
        goto out;
    }
    cr_signal_install(&so);
    stop = cr_signal_flag();
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
    watch_batch_release(&b);
    watch_release(&w);
    cr_strv_release(&lp.paths);
    cr_strv_release(&lp.ignore);
    return status;
}
