/*
 * taskrun_duck_sys: duckscript commands for files, the environment,
 * processes and cm_run_task (see taskrun_duck_sys.h).
 */
#include "taskrun_duck_sys.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_proc.h"
#include "taskrun_glob.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CMD(name)                                                              \
    enum duck_rc taskrun_duck__cmd_##name(struct taskrun_duck *d, int argc,    \
                                          char **argv, struct cr_buf *out,     \
                                          bool *has_out)

CMD(cd)
{
    const char *home = taskrun_duck__getenv(d, "HOME");
    const char *to = argc > 1 ? argv[1] : home ? home : "/";
    char *p = taskrun_duck__path(d, to);
    if (!p)
        return DUCK_NOMEM;
    char *real = realpath(p, NULL);
    cr_free(p);
    struct stat st;
    if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        free(real);
        return taskrun_duck__fail(d, DUCK_FATAL, "cd: %s: %s", to,
                                  strerror(errno ? errno : ENOTDIR));
    }
    cr_free(d->cwd);
    d->cwd = real; /* from libc; cr_free is free(3) underneath */
    return taskrun_duck__put(out, has_out, real);
}

CMD(pwd)
{
    (void)argc, (void)argv;
    if (d->cwd)
        return taskrun_duck__put(out, has_out, d->cwd);
    char buf[4096];
    return taskrun_duck__put(out, has_out,
                             getcwd(buf, sizeof(buf)) ? buf : ".");
}

CMD(get_env)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "get_env NAME");
    const char *v = rc ? NULL : taskrun_duck__getenv(d, argv[1]);
    return rc ? rc : v ? taskrun_duck__put(out, has_out, v) : DUCK_OK;
}

CMD(set_env)
{
    struct duck_handle *h = argc == 3 && strcmp(argv[1], "--handle") == 0
                                ? taskrun_duck__handle(d, argv[2])
                                : NULL;
    for (size_t i = 0; h && h->kind == DUCK_MAP && i + 1 < h->items.n; i += 2)
        if (taskrun_duck__setenv(d, h->items.v[i], h->items.v[i + 1]) != 0)
            return DUCK_NOMEM;
    if (h && h->kind == DUCK_MAP)
        return taskrun_duck__put_bool(out, has_out, true);
    enum duck_rc rc = taskrun_duck__need(d, argc, 2, "set_env NAME VALUE");
    if (rc)
        return rc;
    if (taskrun_duck__setenv(d, argv[1], argv[2]) != 0)
        return DUCK_NOMEM;
    return taskrun_duck__put_bool(out, has_out, true);
}

CMD(unset_env)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "unset_env NAME");
    if (rc)
        return rc;
    return taskrun_duck__setenv(d, argv[1], NULL) ? DUCK_NOMEM : DUCK_OK;
}

/* stat of argv[1] resolved; -1 when it does not exist. */
static int stat_arg(struct taskrun_duck *d, const char *path, struct stat *st)
{
    char *p = taskrun_duck__path(d, path);
    if (!p)
        return -2;
    int rc = stat(p, st);
    cr_free(p);
    return rc;
}

static enum duck_rc stat_cmd(struct taskrun_duck *d, int argc, char **argv,
                             struct cr_buf *out, bool *has_out, int mode)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "PATH");
    if (rc)
        return rc;
    struct stat st;
    int s = stat_arg(d, argv[1], &st);
    if (s == -2)
        return DUCK_NOMEM;
    bool ok = s == 0 && (mode == 0 || (mode == 1 && S_ISREG(st.st_mode)) ||
                         (mode == 2 && S_ISDIR(st.st_mode)));
    return taskrun_duck__put_bool(out, has_out, ok);
}

CMD(is_path_exists)
{
    return stat_cmd(d, argc, argv, out, has_out, 0);
}

CMD(is_file)
{
    return stat_cmd(d, argc, argv, out, has_out, 1);
}

CMD(is_directory)
{
    return stat_cmd(d, argc, argv, out, has_out, 2);
}

/* mkdir -p of p (modified in place and restored). */
static int mkdirs(char *p)
{
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        int rc = mkdir(p, 0777);
        *s = '/';
        if (rc != 0 && errno != EEXIST)
            return -errno;
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

CMD(mkdir)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "mkdir PATH");
    if (rc)
        return rc;
    char *p = taskrun_duck__path(d, argv[1]);
    if (!p)
        return DUCK_NOMEM;
    int e = mkdirs(p);
    cr_free(p);
    if (e)
        return taskrun_duck__fail(d, DUCK_SOFT, "mkdir: %s: %s", argv[1],
                                  strerror(-e));
    return taskrun_duck__put_bool(out, has_out, true);
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

CMD(rm)
{
    bool rec = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
        rec |= strchr(argv[i], 'r') != NULL;
    if (i >= argc)
        return taskrun_duck__fail(d, DUCK_SOFT, "usage: rm [-r] PATH...");
    for (; i < argc; i++) {
        char *p = taskrun_duck__path(d, argv[i]);
        if (!p)
            return DUCK_NOMEM;
        struct stat st;
        int rc = 0;
        if (lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode) && rec)
                rc = nftw(p, rm_one, 16, FTW_DEPTH | FTW_PHYS);
            else
                rc = remove(p);
        }
        int e = errno;
        cr_free(p);
        if (rc != 0)
            return taskrun_duck__fail(d, DUCK_SOFT, "rm: %s: %s", argv[i],
                                      strerror(e));
    }
    return taskrun_duck__put_bool(out, has_out, true);
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -errno;
    struct stat st;
    if (fstat(in, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(in);
        return -EISDIR;
    }
    int o =
        open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 0777);
    if (o < 0) {
        int e = -errno;
        close(in);
        return e;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof(buf))) > 0)
        if (write(o, buf, (size_t)n) != n) {
            rc = -EIO;
            break;
        }
    if (n < 0)
        rc = -errno;
    close(in);
    if (close(o) != 0 && !rc)
        rc = -errno;
    return rc;
}

/* The parent directory of path is created (as cp and mv do). */
static int make_parent(const char *path)
{
    char *dup = cr_strdup(path);
    if (!dup)
        return -ENOMEM;
    char *slash = strrchr(dup, '/');
    int rc = 0;
    if (slash && slash != dup) {
        *slash = '\0';
        rc = mkdirs(dup);
    }
    cr_free(dup);
    return rc;
}

static enum duck_rc two_paths(struct taskrun_duck *d, int argc, char **argv,
                              struct cr_buf *out, bool *has_out, bool move)
{
    enum duck_rc rc =
        taskrun_duck__need(d, argc, 2, move ? "mv FROM TO" : "cp FROM TO");
    if (rc)
        return rc;
    char *from = taskrun_duck__path(d, argv[1]);
    char *to = taskrun_duck__path(d, argv[2]);
    int e = from && to ? make_parent(to) : -ENOMEM;
    if (!e) {
        struct stat st;
        /* Into an existing directory: keep the file's name. */
        if (stat(to, &st) == 0 && S_ISDIR(st.st_mode)) {
            const char *base = strrchr(from, '/');
            struct cr_buf b = { 0 };
            if (cr_buf_printf(&b, "%s/%s", to, base ? base + 1 : from) != 0)
                e = -ENOMEM;
            cr_free(to);
            to = e ? NULL : cr_buf_detach(&b);
            if (!to)
                e = -ENOMEM;
        }
    }
    if (!e)
        e = move ? (rename(from, to) == 0 ? 0 : -errno) : copy_file(from, to);
    cr_free(from);
    cr_free(to);
    if (e == -ENOMEM)
        return DUCK_NOMEM;
    if (e)
        return taskrun_duck__fail(d, DUCK_SOFT, "%s: %s -> %s: %s", argv[0],
                                  argv[1], argv[2], strerror(-e));
    return taskrun_duck__put_bool(out, has_out, true);
}

CMD(cp)
{
    return two_paths(d, argc, argv, out, has_out, false);
}

CMD(mv)
{
    return two_paths(d, argc, argv, out, has_out, true);
}

static enum duck_rc write_cmd(struct taskrun_duck *d, int argc, char **argv,
                              struct cr_buf *out, bool *has_out, int flags)
{
    char *p = taskrun_duck__path(d, argv[1]);
    int e = p ? make_parent(p) : -ENOMEM;
    int fd = e ? -1 : open(p, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0666);
    if (!e && fd < 0)
        e = -errno;
    const char *text = argc > 2 ? argv[2] : "";
    size_t len = strlen(text);
    if (fd >= 0) {
        if (len && write(fd, text, len) != (ssize_t)len)
            e = -EIO;
        if (close(fd) != 0 && !e)
            e = -errno;
    }
    cr_free(p);
    if (e == -ENOMEM)
        return DUCK_NOMEM;
    if (e)
        return taskrun_duck__fail(d, DUCK_SOFT, "%s: %s: %s", argv[0], argv[1],
                                  strerror(-e));
    return taskrun_duck__put_bool(out, has_out, true);
}

CMD(touch)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "touch PATH");
    return rc ? rc : write_cmd(d, 2, argv, out, has_out, O_APPEND);
}

CMD(writefile)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "writefile PATH TEXT");
    return rc ? rc : write_cmd(d, argc, argv, out, has_out, O_TRUNC);
}

CMD(appendfile)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "appendfile PATH TEXT");
    return rc ? rc : write_cmd(d, argc, argv, out, has_out, O_APPEND);
}

CMD(readfile)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "readfile PATH");
    if (rc)
        return rc;
    char *p = taskrun_duck__path(d, argv[1]);
    if (!p)
        return DUCK_NOMEM;
    struct cr_buf b = { 0 };
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    int e = fd < 0 ? errno : 0;
    cr_free(p);
    char buf[65536];
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            e = errno;
            break;
        }
        if (cr_buf_append(&b, buf, (size_t)n) != 0) {
            close(fd);
            cr_buf_release(&b);
            return DUCK_NOMEM;
        }
    }
    if (fd >= 0)
        close(fd);
    if (e) {
        cr_buf_release(&b);
        return taskrun_duck__fail(d, DUCK_SOFT, "readfile: %s: %s", argv[1],
                                  strerror(e));
    }
    rc = taskrun_duck__put(out, has_out, cr_buf_str(&b));
    cr_buf_release(&b);
    return rc;
}

/* Matches come back as the pattern was written (relative to the script's
 * directory for a relative pattern), without "./" and without the '/'
 * that taskrun_glob puts after directories. */
CMD(glob_array)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "glob_array PATTERN");
    if (rc)
        return rc;
    const char *pat = argv[1];
    while (pat[0] == '.' && pat[1] == '/')
        pat += 2;
    char *p = taskrun_duck__path(d, pat);
    if (!p)
        return DUCK_NOMEM;
    size_t strip = pat[0] == '/' || !d->cwd ? 0 : strlen(d->cwd) + 1;
    struct cr_strv m = { 0 };
    int gr = taskrun_glob(p, &m);
    cr_free(p);
    struct duck_handle *h =
        gr == 0 ? taskrun_duck__handle_new(d, DUCK_ARRAY, out) : NULL;
    for (size_t i = 0; h && i < m.n; i++) {
        char *s = m.v[i] + (strlen(m.v[i]) >= strip ? strip : 0);
        size_t len = strlen(s);
        if (len > 1 && s[len - 1] == '/')
            s[len - 1] = '\0';
        if (cr_strv_push(&h->items, s) != 0)
            h = NULL;
    }
    cr_strv_release(&m);
    *has_out = true;
    return h ? DUCK_OK : DUCK_NOMEM;
}

CMD(which)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "which NAME");
    if (rc)
        return rc;
    const char *path = taskrun_duck__getenv(d, "PATH");
    for (const char *s = path ? path : ""; *s;) {
        size_t n = strcspn(s, ":");
        struct cr_buf b = { 0 };
        if (cr_buf_printf(&b, "%.*s/%s", (int)n, s, argv[1]) != 0)
            return DUCK_NOMEM;
        bool ok = n && access(cr_buf_str(&b), X_OK) == 0;
        if (ok)
            rc = taskrun_duck__put(out, has_out, cr_buf_str(&b));
        cr_buf_release(&b);
        if (ok)
            return rc;
        s += n + (s[n] == ':');
    }
    return DUCK_OK;
}

/*
 * Writes in (NULL: nothing) to p's stdin pipe, closing it after the last
 * byte, while it reads p's stdout/stderr pipes to their end, all in one
 * poll loop, so neither side waits on a full pipe. A child that stops
 * reading early only ends the writing.
 */
static int pump(struct cr_proc *p, const char *in, struct cr_buf *o,
                struct cr_buf *e)
{
    size_t in_len = in ? strlen(in) : 0, done = 0;
    if (p->in_fd >= 0 && in_len == 0) {
        close(p->in_fd);
        p->in_fd = -1;
    }
    struct pollfd fds[3] = { { p->out_fd, POLLIN, 0 },
                             { p->err_fd, POLLIN, 0 },
                             { p->in_fd, POLLOUT, 0 } };
    int open_fds = (fds[0].fd >= 0) + (fds[1].fd >= 0) + (fds[2].fd >= 0);
    char buf[8192];
    while (open_fds > 0) {
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (fds[2].fd >= 0 && fds[2].revents) {
            ssize_t n = write(p->in_fd, in + done, in_len - done);
            if (n > 0)
                done += (size_t)n;
            if (done == in_len ||
                (n < 0 && errno != EAGAIN && errno != EINTR)) {
                close(p->in_fd);
                p->in_fd = fds[2].fd = -1;
                open_fds--;
            }
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof(buf));
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0) {
                fds[i].fd = -1;
                open_fds--;
            } else if (cr_buf_append(i ? e : o, buf, (size_t)n) != 0) {
                return -ENOMEM;
            }
        }
    }
    return 0;
}

/*
 * pump with SIGPIPE blocked in this thread: a child that exits without
 * reading its input must not raise it (taskrun takes SIGPIPE as "stdout
 * closed, stop the run"). One raised here is taken back before unblocking.
 */
static int pump_nosigpipe(struct cr_proc *p, const char *in, struct cr_buf *o,
                          struct cr_buf *e)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int rc = pump(p, in, o, e);
    sigpending(&pending);
    if (!was_pending && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static enum duck_rc set_sub(struct taskrun_duck *d, const char *sub,
                            const char *v)
{
    struct cr_buf n = { 0 };
    int rc = cr_buf_printf(&n, "%s.%s", d->outvar, sub);
    rc = rc ? rc : taskrun_duck__set(d, cr_buf_str(&n), v);
    cr_buf_release(&n);
    return rc ? DUCK_NOMEM : DUCK_OK;
}

CMD(exec)
{
    bool fail = false, code_only = false;
    const char *input = NULL;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--fail-on-error") == 0)
            fail = true;
        else if (strcmp(argv[i], "--get-exit-code") == 0)
            code_only = true;
        else if (strcmp(argv[i], "--input") == 0 && i + 1 < argc)
            input = argv[++i];
        else if (strcmp(argv[i], "--input") == 0)
            return taskrun_duck__fail(d, DUCK_FATAL,
                                      "exec: --input needs a value");
        else
            return taskrun_duck__fail(
                d, DUCK_FATAL, "exec: option \"%s\" is not supported", argv[i]);
    }
    if (i >= argc)
        return taskrun_duck__fail(d, DUCK_FATAL, "exec: no command given");
    bool capture = d->outvar && !code_only;
    struct cr_proc_opts o = { .argv = (const char *const *)argv + i,
                              .envp = (const char *const *)d->env.v,
                              .cwd = d->cwd,
                              .in = input ? CR_PROC_PIPE : CR_PROC_INHERIT,
                              .out = capture ? CR_PROC_PIPE : CR_PROC_INHERIT,
                              .err = capture ? CR_PROC_PIPE : CR_PROC_INHERIT };
    static const char *const empty_env[] = { NULL };
    if (!o.envp)
        o.envp = empty_env;
    struct cr_proc p;
    struct cr_buf so = { 0 }, se = { 0 };
    int code;
    int e = cr_proc_spawn(&p, &o);
    if (e == 0) {
        int de = capture || input ? pump_nosigpipe(&p, input, &so, &se) : 0;
        /* Closed before waiting: after a failed pump the child gets EOF or
         * EPIPE instead of blocking the wait forever. */
        cr_proc_release(&p);
        int we = cr_proc_wait(&p, true);
        code = cr_proc_exit_code(&p);
        if (de == -ENOMEM || we == -ENOMEM) {
            cr_buf_release(&so);
            cr_buf_release(&se);
            return DUCK_NOMEM;
        }
    } else {
        code = e == -ENOENT ? 127 : 126;
        if (cr_buf_printf(&se, "exec: cannot run \"%s\": %s\n", argv[i],
                          strerror(-e)) != 0)
            return DUCK_NOMEM;
    }
    enum duck_rc rc = DUCK_OK;
    char num[16];
    snprintf(num, sizeof(num), "%d", code);
    if (fail && code != 0)
        rc = taskrun_duck__fail(d, DUCK_FATAL,
                                e ? "exec: cannot run \"%s\": %s"
                                  : "exec: \"%s\" failed with exit code %s",
                                argv[i], e ? strerror(-e) : num);
    else if (e && !d->outvar)
        rc = taskrun_duck__fail(d, DUCK_FATAL, "exec: cannot run \"%s\": %s",
                                argv[i], strerror(-e));
    else if (code_only)
        rc = taskrun_duck__put(out, has_out, num);
    else if (capture) {
        rc = set_sub(d, "stdout", cr_buf_str(&so));
        rc = rc ? rc : set_sub(d, "stderr", cr_buf_str(&se));
        rc = rc ? rc : set_sub(d, "code", num);
    }
    cr_buf_release(&so);
    cr_buf_release(&se);
    return rc;
}

CMD(cm_run_task)
{
    (void)out, (void)has_out;
    int i = 1;
    while (i < argc && strncmp(argv[i], "--", 2) == 0)
        i++; /* --async and friends: taskrun runs the task to its end */
    if (i >= argc)
        return taskrun_duck__fail(d, DUCK_FATAL, "cm_run_task: no task named");
    if (!d->io.run_task)
        return taskrun_duck__fail(d, DUCK_FATAL,
                                  "cm_run_task: no task runner to call back");
    struct cr_error err = { 0 };
    int code = d->io.run_task(d->io.ctx, argv[i], &err);
    if (code < 0)
        return taskrun_duck__fail(d, DUCK_FATAL, "cm_run_task %s: %s", argv[i],
                                  err.msg);
    if (code != 0)
        return taskrun_duck__fail(d, DUCK_FATAL,
                                  "cm_run_task: task \"%s\" failed with exit "
                                  "code %d",
                                  argv[i], code);
    return DUCK_OK;
}
