/* heap: running heaptrack and heaptrack_print. See heap_run.h. */
#include "heap_run.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_clock.h"
#include "cr_fs.h"
#include "cr_proc.h"
#include "cr_strv.h"
#include "heap_parse.h"

#define INSTALL_HINT "install the Debian package: apt-get install heaptrack"

void heap_run_info_release(struct heap_run_info *info)
{
    cr_free(info->data_file);
    cr_free(info->log);
    cr_free(info->text);
    memset(info, 0, sizeof(*info));
}

static enum heap_code nomem(struct cr_error *err)
{
    return heap_error_set(err, HEAP_E_NOMEM, "out of memory");
}

/* Lines heaptrack itself prints around the command's own output. */
static bool heaptrack_line(const char *l, size_t n)
{
    static const char *const own[] = {
        "heaptrack output will be written",
        "/usr/lib/heaptrack/",
        "starting application",
        "Heaptrack finished!",
        "  heaptrack --analyze",
        "heaptrack stats:",
        "\tallocations:",
        "\tleaked allocations:",
        "\ttemporary allocations:",
    };
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        if (n >= strlen(own[i]) && memcmp(l, own[i], strlen(own[i])) == 0)
            return true;
    return n == 0;
}

/* The last line of log that heaptrack did not print itself, into buf. */
static void last_line(const char *log, char *buf, size_t size)
{
    const char *end = log + strlen(log);

    buf[0] = '\0';
    while (end > log) {
        const char *start = end;
        while (start > log && start[-1] != '\n')
            start--;
        size_t n = (size_t)(end - start);
        if (n && start[n - 1] == '\n')
            n--;
        if (!heaptrack_line(start, n)) {
            snprintf(buf, size, ": %.*s", (int)n, start);
            return;
        }
        end = start > log ? start - 1 : start;
    }
}

/*
 * cr_proc_run with a deadline: heaptrack can hang for good when the
 * profiled program dies before its interpreter connects (a program built
 * with AddressSanitizer does), so the whole group is stopped after
 * timeout_ms (0: no limit), or once *stop is set. Returns the exit code,
 * a negative errno, -ETIMEDOUT or -ECANCELED.
 */
static int run_captured(const struct cr_proc_opts *po, unsigned timeout_ms,
                        const atomic_int *stop, char **out)
{
    uint64_t deadline = cr_clock_ms() + timeout_ms;
    struct cr_buf b = { 0 };
    struct cr_proc p;
    char tmp[4096];
    int rc = cr_proc_spawn(&p, po);

    if (rc)
        return rc;
    while (rc == 0) {
        struct pollfd pf = { .fd = p.out_fd, .events = POLLIN };
        ssize_t n;

        if (timeout_ms && cr_clock_ms() > deadline) {
            rc = -ETIMEDOUT;
            break;
        }
        if (stop && atomic_load(stop)) {
            rc = -ECANCELED;
            break;
        }
        if (poll(&pf, 1, 200) < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        n = read(p.out_fd, tmp, sizeof(tmp));
        if (n == 0)
            break;
        if (n > 0 && cr_buf_append(&b, tmp, (size_t)n))
            rc = -ENOMEM;
        else if (n < 0 && errno != EAGAIN && errno != EINTR)
            rc = -errno;
    }
    cr_proc_release(&p);
    if (rc) {
        cr_proc_terminate(&p, 1000);
        cr_buf_release(&b);
        return rc;
    }
    if ((rc = cr_proc_wait(&p, true)) < 0) {
        cr_buf_release(&b);
        return rc;
    }
    *out = b.data ? cr_buf_detach(&b) : cr_strdup("");
    return *out ? cr_proc_exit_code(&p) : -ENOMEM;
}

static enum heap_code spawn_error(int rc, const char *prog,
                                  struct cr_error *err)
{
    if (rc == -ENOMEM)
        return nomem(err);
    if (rc == -ENOENT)
        return heap_error_set(err, HEAP_E_MISSING, "%s not found in PATH (%s)",
                              prog, INSTALL_HINT);
    return heap_error_set(err, HEAP_E_MISSING, "cannot run %s: %s (%s)", prog,
                          strerror(-rc), INSTALL_HINT);
}

/* Removes what an earlier run left under the same name. */
static void remove_old(const char *data)
{
    static const char *const ext[] = { "", ".zst", ".gz" };
    char path[4096];

    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", data, ext[i]);
        unlink(path);
    }
}

/*
 * argv[0] as heaptrack needs it: heaptrack looks a bare name up with the
 * shell's `command -v`, which finds builtins such as `true` but not their
 * executables, so bare names are resolved in PATH here. NULL when not
 * found; *out is then untouched.
 */
static enum heap_code resolve(const char *name, char **out,
                              struct cr_error *err)
{
    const char *p = getenv("PATH");
    struct cr_buf b = { 0 };

    if (strchr(name, '/'))
        return (*out = cr_strdup(name)) ? HEAP_OK : nomem(err);
    for (p = p ? p : "";; p++) {
        size_t n = strcspn(p, ":"); /* an empty entry is "." */
        cr_buf_reset(&b);
        if (cr_buf_printf(&b, "%.*s/%s", (int)(n ? n : 1), n ? p : ".", name)) {
            cr_buf_release(&b);
            return nomem(err);
        }
        if (access(cr_buf_str(&b), X_OK) == 0) {
            *out = cr_buf_detach(&b);
            return *out ? HEAP_OK : nomem(err);
        }
        p += n;
        if (*p == '\0')
            break;
    }
    cr_buf_release(&b);
    return heap_error_set(err, HEAP_E_COMMAND, "%s: command not found in PATH",
                          name);
}

static enum heap_code record(const struct heap_run_opts *o,
                             struct heap_run_info *info, struct cr_error *err)
{
    const char *prog = o->heaptrack ? o->heaptrack : "heaptrack";
    struct cr_strv argv = { 0 };
    struct cr_proc_opts po = { 0 };
    char tail[512], *exe = NULL, *tool = NULL;
    enum heap_code hc;
    int rc;

    /* heaptrack first: when it is missing, that is the error to report. */
    if ((hc = resolve(prog, &tool, err)))
        return hc == HEAP_E_COMMAND ? spawn_error(-ENOENT, prog, err) : hc;
    cr_free(tool);
    if ((hc = resolve(o->argv[0], &exe, err)))
        return hc;
    if (cr_strv_push(&argv, prog) || cr_strv_push(&argv, "-o") ||
        cr_strv_push(&argv, o->data) || cr_strv_push(&argv, "--") ||
        cr_strv_push_take(&argv, exe))
        goto oom;
    for (size_t i = 1; o->argv[i]; i++)
        if (cr_strv_push(&argv, o->argv[i]))
            goto oom;
    po.argv = (const char *const *)argv.v;
    po.cwd = o->cwd;
    po.in = CR_PROC_NULL;
    po.out = CR_PROC_PIPE;
    po.err = CR_PROC_TO_STDOUT;
    remove_old(o->data);
    rc = run_captured(&po, o->timeout_ms, o->stop, &info->log);
    cr_strv_release(&argv);
    if (rc == -ETIMEDOUT)
        return heap_error_set(err, HEAP_E_COMMAND,
                              "%s under heaptrack did not finish within %u s "
                              "(stopped)",
                              o->argv[0], o->timeout_ms / 1000);
    if (rc == -ECANCELED)
        return heap_error_set(err, HEAP_E_COMMAND,
                              "%s under heaptrack: interrupted (stopped)",
                              o->argv[0]);
    if (rc < 0)
        return spawn_error(rc, prog, err);
    info->exit_code = rc;
    if (rc != 0) {
        last_line(info->log ? info->log : "", tail, sizeof(tail));
        return heap_error_set(err, HEAP_E_COMMAND,
                              "%s exited with status %d under heaptrack%s",
                              o->argv[0], rc, tail);
    }
    return HEAP_OK;
oom:
    cr_strv_release(&argv);
    return nomem(err);
}

/* The data file heaptrack wrote: DATA.zst, DATA.gz or DATA. */
static enum heap_code find_data(const struct heap_run_opts *o,
                                struct heap_run_info *info,
                                struct cr_error *err)
{
    static const char *const ext[] = { ".zst", ".gz", "" };
    struct cr_buf b = { 0 };

    for (size_t i = 0; i < 3; i++) {
        cr_buf_reset(&b);
        if (cr_buf_printf(&b, "%s%s", o->data, ext[i])) {
            cr_buf_release(&b);
            return nomem(err);
        }
        if (access(cr_buf_str(&b), R_OK) == 0) {
            info->data_file = cr_buf_detach(&b);
            return info->data_file ? HEAP_OK : nomem(err);
        }
    }
    cr_buf_release(&b);
    return heap_error_set(err, HEAP_E_NODATA,
                          "heaptrack wrote no data file %s.zst (or .gz)",
                          o->data);
}

/*
 * heaptrack_print -f DATA [-l 1] [-F RAW --flamegraph-cost-type COST]:
 * its text into *text when text is not NULL.
 */
static enum heap_code print(const struct heap_run_opts *o, const char *data,
                            const char *raw, enum heap_cost cost, char **text,
                            struct cr_error *err)
{
    const char *prog =
        o->heaptrack_print ? o->heaptrack_print : "heaptrack_print";
    /* Without raw, the NULL after data ends argv: no -F. */
    const char *argv[] = { prog,
                           "--print-leaks=1",
                           "-f",
                           data,
                           raw ? "-F" : NULL,
                           raw,
                           "--flamegraph-cost-type",
                           heap_cost_name(cost),
                           NULL };
    struct cr_proc_opts po = { .argv = argv };
    int rc;

    po.in = CR_PROC_NULL;
    po.out = text ? CR_PROC_PIPE : CR_PROC_NULL;
    po.err = CR_PROC_NULL;
    rc = cr_proc_run(&po, text);
    if (rc < 0)
        return spawn_error(rc, prog, err);
    if (rc != 0)
        return heap_error_set(err, HEAP_E_NODATA,
                              "%s cannot read %s (exit status %d)", prog, data,
                              rc);
    return HEAP_OK;
}

/* Folded stacks of one cost into o->folded[cost], normalised. */
static enum heap_code fold(const struct heap_run_opts *o, const char *data,
                           enum heap_cost cost, char **text,
                           struct cr_error *err)
{
    const char *dst = o->folded[cost];
    struct cr_buf raw_path = { 0 }, out = { 0 };
    char *raw = NULL;
    size_t len = 0;
    enum heap_code rc;

    if (cr_buf_printf(&raw_path, "%s.raw", dst)) {
        cr_buf_release(&raw_path);
        return nomem(err);
    }
    rc = print(o, data, cr_buf_str(&raw_path), cost, text, err);
    if (rc == HEAP_OK && cr_fs_read(cr_buf_str(&raw_path), &raw, &len) != 0)
        rc = heap_error_set(err, HEAP_E_IO, "cannot read %s: %s",
                            cr_buf_str(&raw_path), strerror(errno));
    unlink(cr_buf_str(&raw_path));
    if (rc == HEAP_OK)
        rc = heap_fold_normalize(raw, len, &out, NULL, err);
    if (rc == HEAP_OK &&
        cr_fs_write_atomic(dst, out.data ? out.data : "", out.len, 0644) != 0)
        rc = heap_error_set(err, HEAP_E_IO, "cannot write %s: %s", dst,
                            strerror(errno));
    cr_free(raw);
    cr_buf_release(&out);
    cr_buf_release(&raw_path);
    return rc;
}

enum heap_code heap_run(const struct heap_run_opts *o, struct heap_result *r,
                        struct heap_run_info *info, struct cr_error *err)
{
    enum heap_code rc;

    if ((rc = record(o, info, err)) || (rc = find_data(o, info, err)))
        return rc;
    /* The text comes with the first folded file, or on its own. */
    if (o->folded[HEAP_COST_ALLOCATIONS])
        rc = fold(o, info->data_file, HEAP_COST_ALLOCATIONS, &info->text, err);
    else
        rc = print(o, info->data_file, NULL, HEAP_COST_ALLOCATIONS, &info->text,
                   err);
    if (rc)
        return rc;
    rc = heap_parse(info->text ? info->text : "",
                    info->text ? strlen(info->text) : 0, r, err);
    for (int c = HEAP_COST_PEAK; rc == HEAP_OK && c <= HEAP_COST_TEMPORARY; c++)
        if (o->folded[c])
            rc = fold(o, info->data_file, (enum heap_cost)c, NULL, err);
    return rc;
}
