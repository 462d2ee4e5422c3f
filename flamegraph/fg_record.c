/* fg_record: perf record and perf script, driven (see fg_record.h). */
#include "fg_record.h"

#include "fg_collapse.h"
#include "fg_input.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_proc.h"
#include "cr_strv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* perf's stderr kept to recognise its errors: they come first, before
 * the command's own output, so the head is what matters. */
#define KEEP_STDERR 65536

#define PARANOID_PATH "/proc/sys/kernel/perf_event_paranoid"

/* Whether prog (a path, or a name looked up in PATH) can be executed. */
static bool runnable(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    char buf[4096];
    while (path && *path) {
        size_t n = strcspn(path, ":");
        if (n > 0 && n + strlen(prog) + 2 <= sizeof(buf)) {
            snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
            struct stat sb;
            if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode) &&
                access(buf, X_OK) == 0)
                return true;
        }
        path += n + (path[n] == ':');
    }
    return false;
}

static const char *perf_prog(const char *perf)
{
    return perf ? perf : "perf";
}

static enum fg_code no_perf(const char *perf, struct cr_error *err)
{
    return fg_error_set(err, FG_E_NOPERF,
                        "%s: not found; install the Debian package "
                        "linux-perf (apt-get install linux-perf)",
                        perf_prog(perf));
}

/* Builds: perf record -e cpu-clock --call-graph CG -F HZ [-a] -o DATA --
 * ARGV... */
static int record_argv(const struct fg_record_opts *o, struct cr_strv *v)
{
    char hz[32];
    snprintf(hz, sizeof(hz), "%u", o->frequency ? o->frequency : 999);
    int rc = cr_strv_push(v, perf_prog(o->perf)) | cr_strv_push(v, "record") |
             cr_strv_push(v, "-e") | cr_strv_push(v, "cpu-clock") |
             cr_strv_push(v, "--call-graph") |
             cr_strv_push(v, o->call_graph ? o->call_graph : "fp") |
             cr_strv_push(v, "-F") | cr_strv_push(v, hz);
    if (o->system_wide)
        rc |= cr_strv_push(v, "-a");
    /* A DWARF sample carries its stack copy (32 KiB by default), so perf's
     * default buffer of 516 KiB per CPU holds a dozen and perf dropped
     * "chunks" of samples under load (103 chunks in one self-test at
     * 64 KiB); 8 MiB per CPU lost none. Above perf_event_mlock_kb only
     * root may lock that much, so others keep perf's default. */
    if (geteuid() == 0 &&
        strncmp(o->call_graph ? o->call_graph : "fp", "dwarf", 5) == 0)
        rc |= cr_strv_push(v, "-m") | cr_strv_push(v, "8M");
    rc |= cr_strv_push(v, "-o") | cr_strv_push(v, o->data_path) |
          cr_strv_push(v, "--");
    if (o->system_wide && o->own_frequency && o->own_data_path) {
        /* perf record -a -- perf record -- CMD: the second follows the
         * command's processes alone (see fg_record.h). */
        char own[32];
        snprintf(own, sizeof(own), "%u", o->own_frequency);
        rc |= cr_strv_push(v, perf_prog(o->perf)) | cr_strv_push(v, "record") |
              cr_strv_push(v, "-q") | cr_strv_push(v, "-e") |
              cr_strv_push(v, "cpu-clock") | cr_strv_push(v, "--call-graph") |
              cr_strv_push(v, o->call_graph ? o->call_graph : "fp") |
              cr_strv_push(v, "-F") | cr_strv_push(v, own);
        if (geteuid() == 0 &&
            strncmp(o->call_graph ? o->call_graph : "fp", "dwarf", 5) == 0)
            rc |= cr_strv_push(v, "-m") | cr_strv_push(v, "8M");
        rc |= cr_strv_push(v, "-o") | cr_strv_push(v, o->own_data_path) |
              cr_strv_push(v, "--");
    }
    for (size_t i = 0; o->argv[i]; i++)
        rc |= cr_strv_push(v, o->argv[i]);
    return rc ? -ENOMEM : 0;
}

/* Reads what is there on fd; 0 at end of file, 1 when more may come. */
static int drain(int fd, const struct fg_record_opts *o, struct cr_buf *kept)
{
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n == 0)
            return 0;
        if (n < 0)
            return errno == EINTR ? 1 : errno == EAGAIN ? 1 : 0;
        if (o->on_output)
            o->on_output(o->ctx, chunk, (size_t)n);
        size_t room = kept->len < KEEP_STDERR ? KEEP_STDERR - kept->len : 0;
        if (room && cr_buf_append(kept, chunk,
                                  (size_t)n < room ? (size_t)n : room) != 0)
            return -ENOMEM;
    }
}

/* Forwards the child's stderr until it ends or the child exits. A stop
 * request becomes one SIGINT to perf's group (perf and the command, which
 * the terminal's Ctrl-C does not reach: cr_proc gives them their own
 * group); perf then writes its data and exits. */
static int pump(struct cr_proc *p, const struct fg_record_opts *o,
                struct cr_buf *kept, bool *stopped)
{
    for (;;) {
        if (o->stop && atomic_load(o->stop) && !*stopped) {
            *stopped = true;
            cr_proc_signal(p, SIGINT);
        }
        struct pollfd pfd = { .fd = p->err_fd, .events = POLLIN };
        /* The timeout only lets a command that left a daemon holding the
         * pipe end the loop once the command itself is gone. */
        if (poll(&pfd, 1, 250) < 0 && errno != EINTR)
            return -errno;
        int d = drain(p->err_fd, o, kept);
        if (d <= 0)
            return d;
        int w = cr_proc_wait(p, false);
        if (w < 0)
            return w;
        if (w == 1)
            return drain(p->err_fd, o, kept) < 0 ? -ENOMEM : 0;
    }
}

/* The paranoid level perf printed, else the kernel's, else -2. */
static int paranoid_level(const char *text)
{
    const char *s = strstr(text, "perf_event_paranoid setting is ");
    if (s)
        return atoi(s + strlen("perf_event_paranoid setting is "));
    char *v = NULL;
    int level = -2;
    if (cr_fs_read(PARANOID_PATH, &v, NULL) == 0)
        level = atoi(v);
    cr_free(v);
    return level;
}

/* The line of perf's output that says what went wrong: the one after a
 * bare "Error:", else the first that says "error" or "failed", else the
 * first one. */
static void first_error_line(const char *text, char *line, size_t size)
{
    const char *pick = NULL;
    size_t pn = 0;
    bool after_error = false;
    for (const char *s = text; *s;) {
        size_t n = strcspn(s, "\n");
        bool bare = n == 6 && strncmp(s, "Error:", 6) == 0;
        bool says = memmem(s, n, "rror", 4) || memmem(s, n, "failed", 6);
        if (n > 0 && !bare && (!pick || says || after_error)) {
            pick = s;
            pn = n;
            if (says || after_error)
                break;
        }
        after_error = bare;
        s += n + (s[n] == '\n');
    }
    snprintf(line, size, "%.*s", (int)(pn < 300 ? pn : 300), pick ? pick : "");
}

/* Classifies a non-zero exit of perf record from what it printed. */
static enum fg_code judge(const struct fg_record_opts *o, const char *text,
                          int code, struct cr_error *err)
{
    /* perf says this once it has written its data: after that, a non-zero
     * status is the command's own. */
    if (strstr(text, "[ perf record: Captured and wrote"))
        return fg_error_set(err, FG_E_COMMAND,
                            "the profiled command %s exited with status %d "
                            "(its output is above; nothing drawn)",
                            o->argv[0], code);
    if (strstr(text, "perf_event_paranoid")) {
        int level = paranoid_level(text);
        return fg_error_set(
            err, FG_E_PERM,
            "perf may not record: kernel.perf_event_paranoid is %d; %s "
            "needs %s (run as root, or: sudo sysctl -w "
            "kernel.perf_event_paranoid=%d, kept across boots in "
            "/etc/sysctl.d/)",
            level, o->system_wide ? "a system-wide profile" : "a profile",
            o->system_wide ? "0 or less" : "2 or less",
            o->system_wide ? -1 : 1);
    }
    char line[320];
    first_error_line(text, line, sizeof(line));
    return fg_error_set(err, FG_E_PERF, "%s record failed (exit %d)%s%s",
                        perf_prog(o->perf), code, line[0] ? ": " : "", line);
}

enum fg_code fg_record_perf(const struct fg_record_opts *o, int *exit_code,
                            long *perf_pid, struct cr_error *err)
{
    if (!o->argv || !o->argv[0])
        return fg_error_set(err, FG_E_USAGE, "no command to profile");
    if (!runnable(perf_prog(o->perf)))
        return no_perf(o->perf, err);
    /* perf reports a command it cannot start only by its own status 255,
     * which a command may return too: check first. */
    if (!runnable(o->argv[0]))
        return fg_error_set(err, FG_E_COMMAND, "%s: command not found",
                            o->argv[0]);
    struct cr_strv argv = { 0 };
    if (record_argv(o, &argv) != 0) {
        cr_strv_release(&argv);
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    }
    struct cr_proc_opts po = { .argv = (const char *const *)argv.v,
                               .in = CR_PROC_INHERIT,
                               .out = CR_PROC_INHERIT,
                               .err = CR_PROC_PIPE };
    struct cr_proc p;
    struct cr_buf kept = { 0 };
    int rc = cr_proc_spawn(&p, &po);
    cr_strv_release(&argv);
    if (rc == -ENOENT)
        return no_perf(o->perf, err);
    if (rc != 0)
        return fg_error_set(err, FG_E_PERF, "%s: cannot start: %s",
                            perf_prog(o->perf), strerror(-rc));
    bool stopped = false;
    if (perf_pid)
        *perf_pid = (long)p.pid;
    rc = pump(&p, o, &kept, &stopped);
    if (rc == 0 && !p.reaped) {
        int w = cr_proc_wait(&p, true);
        rc = w < 0 ? w : 0;
    }
    int code = p.reaped ? cr_proc_exit_code(&p) : -1;
    if (rc != 0) {
        cr_proc_terminate(&p, 1000);
        cr_proc_release(&p);
        cr_buf_release(&kept);
        return rc == -ENOMEM ? fg_error_set(err, FG_E_NOMEM, "out of memory")
                             : fg_error_set(err, FG_E_PERF, "%s record: %s",
                                            perf_prog(o->perf), strerror(-rc));
    }
    cr_proc_release(&p);
    if (exit_code)
        *exit_code = code;
    enum fg_code res = FG_OK;
    if (stopped)
        res = fg_error_set(err, FG_E_INTERRUPTED,
                           "interrupted: %s stopped; perf wrote %s", o->argv[0],
                           o->data_path);
    else if (code != 0)
        res = judge(o, kept.data ? kept.data : "", code, err);
    cr_buf_release(&kept);
    return res;
}

static int tree_line(void *ctx, const char *s, size_t n)
{
    return fg_record_tree_line(ctx, s, n) != 0 ? -ENOMEM : 0;
}

/* Feeds the running perf script's stdout to the tree's collapsers; the
 * pipe is made blocking, as fg_input reads until end of file. */
static enum fg_code feed(struct cr_proc *p, const char *data_path,
                         struct fg_record_tree *t, struct cr_error *err)
{
    int fl = fcntl(p->out_fd, F_GETFL);
    if (fl < 0 || fcntl(p->out_fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
        return fg_error_set(err, FG_E_IO, "perf script: %s", strerror(errno));
    enum fg_code rc = fg_input_fd(p->out_fd, data_path, tree_line, t, err);
    if (rc == FG_OK &&
        (fg_collapse_finish(t->all) != 0 || fg_collapse_finish(t->own) != 0))
        rc = fg_error_set(err, FG_E_NOMEM, "out of memory");
    return rc;
}

enum fg_code fg_record_script(const char *perf, const char *data_path,
                              long perf_pid, bool skip_root, struct fg_map *m,
                              struct fg_map *own, uint64_t *samples,
                              size_t *own_pids, long *root_pid,
                              struct cr_error *err)
{
    /* One count per sample (no period field), the fields the collapser
     * reads and nothing else, and the forks that tell the command's
     * processes from others of the same name; --no-inline because
     * resolving inlined frames runs addr2line per address, minutes on a
     * system-wide profile. */
    const char *argv[] = { perf_prog(perf),
                           "script",
                           "--no-inline",
                           "--show-task-events",
                           "-F",
                           "comm,pid,tid,ip,sym,dso",
                           "-i",
                           data_path,
                           NULL };
    struct cr_proc_opts po = { .argv = argv,
                               .in = CR_PROC_NULL,
                               .out = CR_PROC_PIPE,
                               .err = CR_PROC_NULL };
    struct cr_proc p;
    struct fg_collapse_opts co = { .kernel = true };
    struct fg_collapse c, oc;
    struct fg_map scratch;
    struct fg_record_tree t;
    int rc = cr_proc_spawn(&p, &po);
    if (rc == -ENOENT)
        return no_perf(perf, err);
    if (rc != 0)
        return fg_error_set(err, FG_E_PERF, "%s script: cannot start: %s",
                            perf_prog(perf), strerror(-rc));
    fg_map_init(&scratch);
    fg_collapse_init(&c, &co, m);
    fg_collapse_init(&oc, &co, own ? own : &scratch);
    fg_record_tree_init(&t, perf_pid, skip_root, &c, &oc);
    enum fg_code res = feed(&p, data_path, &t, err);
    int w = res == FG_OK ? cr_proc_wait(&p, true) : 0;
    if (res != FG_OK)
        cr_proc_terminate(&p, 1000);
    else if (w < 0)
        res = fg_error_set(err, FG_E_PERF, "%s script: %s", perf_prog(perf),
                           strerror(-w));
    else if (cr_proc_exit_code(&p) != 0)
        res = fg_error_set(err, FG_E_PERF,
                           "%s script -i %s failed (exit %d): run it by hand "
                           "to see why",
                           perf_prog(perf), data_path, cr_proc_exit_code(&p));
    if (samples)
        *samples = c.st.samples;
    if (own_pids)
        *own_pids = t.rooted ? t.pids.n - (skip_root ? 1 : 0) : 0;
    if (root_pid)
        *root_pid = t.root[0] ? strtol(t.root, NULL, 10) : 0;
    fg_record_tree_release(&t);
    fg_collapse_release(&c);
    fg_collapse_release(&oc);
    fg_map_release(&scratch);
    cr_proc_release(&p);
    return res;
}
