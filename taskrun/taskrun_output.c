/* taskrun_output: raw/prefixed/group output (see taskrun_output.h). */
#include "taskrun_output.h"

#include "cr_text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum taskrun_output_mode taskrun_output_auto(unsigned jobs, bool ci)
{
    if (jobs <= 1)
        return TASKRUN_OUT_RAW;
    return ci ? TASKRUN_OUT_GROUP : TASKRUN_OUT_PREFIXED;
}

int taskrun_log_parse(const char *s)
{
    static const char *const names[] = { "off", "error", "info", "verbose" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i + TASKRUN_LOG_OFF;
    return TASKRUN_LOG_OFF - 1;
}

int taskrun_output_parse(const char *s)
{
    if (strcmp(s, "auto") == 0)
        return TASKRUN_OUT_AUTO;
    if (strcmp(s, "raw") == 0)
        return TASKRUN_OUT_RAW;
    if (strcmp(s, "prefixed") == 0)
        return TASKRUN_OUT_PREFIXED;
    if (strcmp(s, "group") == 0)
        return TASKRUN_OUT_GROUP;
    return -1;
}

int taskrun_out_write(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        if (w == 0)
            return -EIO;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The first error of two (0 when both are 0). */
static int first_error(int rc, int more)
{
    return rc ? rc : more;
}

/* The longest line kept whole; longer ones are split into pieces. */
#define TASKRUN_MAX_LINE (64 * 1024)

/*
 * Writes one raw or prefixed line without allocating: the way out when a
 * buffer could not grow, so the line is still shown.
 */
static int write_plain(const struct taskrun_out *o, const char *task, int fd,
                       const char *line, size_t n)
{
    static const char spaces[] = "                                ";
    int rc = 0;
    if (o->mode == TASKRUN_OUT_PREFIXED) {
        size_t len = strlen(task);
        rc = taskrun_out_write(fd, "[", 1);
        rc = first_error(rc, taskrun_out_write(fd, task, len));
        for (size_t pad = o->width > len ? o->width - len : 0; pad > 0;) {
            size_t k = pad < sizeof(spaces) - 1 ? pad : sizeof(spaces) - 1;
            rc = first_error(rc, taskrun_out_write(fd, spaces, k));
            pad -= k;
        }
        rc = first_error(rc, taskrun_out_write(fd, "] ", 2));
    }
    rc = first_error(rc, taskrun_out_write(fd, line, n));
    return first_error(rc, taskrun_out_write(fd, "\n", 1));
}

/* {"v":1,"event":"output","task":T,"stream":S,"line":L} */
static int output_event(const struct taskrun_out *o, const char *task,
                        int stream, const char *line, size_t n)
{
    cJSON *ev = taskrun_json_event("output", task);
    cJSON *text = ev ? cr_json_text(line, n) : NULL;
    if (!text ||
        !cJSON_AddStringToObject(ev, "stream",
                                 stream == 2 ? "stderr" : "stdout") ||
        !cJSON_AddItemToObject(ev, "line", text)) {
        cJSON_Delete(text);
        cJSON_Delete(ev);
        return -ENOMEM;
    }
    return taskrun_json_emit(o, ev);
}

/* Emits one line; 0, or -errno when it could not be shown as it should. */
static int emit_line(const struct taskrun_out *o, const char *task, int stream,
                     struct cr_buf *group, const char *line, size_t n)
{
    int fd = stream == 2 ? o->fd_err : o->fd_out;
    struct cr_buf b = { 0 };
    int rc = 0;
    if (o->json) {
        rc = output_event(o, task, stream, line, n);
    } else if (o->mode == TASKRUN_OUT_GROUP && group) {
        if (cr_buf_append(group, line, n) != 0 || cr_buf_putc(group, '\n')) {
            /* Shown now rather than lost; the group is incomplete. */
            rc = first_error(-ENOMEM, write_plain(o, task, fd, line, n));
        }
    } else if (o->mode == TASKRUN_OUT_PREFIXED) {
        if (cr_buf_printf(&b, "[%-*s] %.*s\n", (int)o->width, task, (int)n,
                          line) == 0)
            rc = taskrun_out_write(fd, b.data, b.len);
        else
            rc = write_plain(o, task, fd, line, n);
    } else {
        rc = write_plain(o, task, fd, line, n);
    }
    cr_buf_release(&b);
    return rc;
}

/* Emits every complete line of data[0..n) and, with rest, the tail too. */
static int emit_lines(const struct taskrun_out *o, const char *task, int stream,
                      struct cr_buf *group, const char *data, size_t n,
                      size_t *used)
{
    int rc = 0;
    const char *start = data, *nl;
    size_t left = n;
    while (left && (nl = memchr(start, '\n', left)) != NULL) {
        size_t len = (size_t)(nl - start);
        rc = first_error(rc, emit_line(o, task, stream, group, start, len));
        left -= len + 1;
        start = nl + 1;
    }
    *used = n - left;
    return rc;
}

int taskrun_out_feed(const struct taskrun_out *o, const char *task, int stream,
                     struct taskrun_linebuf *lb, struct cr_buf *group,
                     const char *data, size_t n, bool eof)
{
    int rc = 0;
    size_t used = 0;
    if (n && cr_buf_append(&lb->pending, data, n) != 0) {
        /*
         * The partial line cannot grow: it goes out as it is, then data's
         * lines straight from data; a line split across reads comes out
         * in two pieces, and the caller hears of it.
         */
        rc = -ENOMEM;
        if (lb->pending.len)
            rc = first_error(rc, emit_line(o, task, stream, group,
                                           lb->pending.data, lb->pending.len));
        cr_buf_release(&lb->pending);
        rc =
            first_error(rc, emit_lines(o, task, stream, group, data, n, &used));
        if (used < n &&
            (eof || cr_buf_append(&lb->pending, data + used, n - used) != 0))
            rc = first_error(
                rc, emit_line(o, task, stream, group, data + used, n - used));
        if (eof)
            cr_buf_release(&lb->pending);
        return rc;
    }
    char *start = lb->pending.data;
    rc = emit_lines(o, task, stream, group, start, lb->pending.len, &used);
    start += used;
    size_t left = lb->pending.len - used;
    /* A task that never prints a newline (a progress bar, `yes | tr -d
     * '\n'`) must not grow the buffer without bound: cut long lines. */
    if ((eof && left) || left >= TASKRUN_MAX_LINE) {
        rc = first_error(rc, emit_line(o, task, stream, group, start, left));
        left = 0;
    }
    if (left && start != lb->pending.data)
        memmove(lb->pending.data, start, left);
    lb->pending.len = left;
    if (lb->pending.data)
        lb->pending.data[left] = '\0';
    if (eof)
        cr_buf_release(&lb->pending);
    return rc;
}

void taskrun_out_group(const struct taskrun_out *o, const char *task,
                       const struct cr_buf *group, int exit_code)
{
    struct cr_buf b = { 0 };
    int rc;
    if (o->gh_groups)
        rc = cr_buf_printf(&b, "::group::%s\n%s::endgroup::\n", task,
                           cr_buf_str(group));
    else
        rc = cr_buf_printf(&b, "===== %s =====\n%s===== %s: %s =====\n", task,
                           cr_buf_str(group), task,
                           exit_code == 0 ? "ok" : "failed");
    if (rc == 0)
        taskrun_out_write(o->fd_out, b.data, b.len);
    cr_buf_release(&b);
}

cJSON *taskrun_json_event(const char *event, const char *task)
{
    cJSON *ev = cJSON_CreateObject();
    if (!ev || !cJSON_AddNumberToObject(ev, "v", TASKRUN_JSON_VERSION) ||
        !cJSON_AddStringToObject(ev, "event", event) ||
        (task && cr_json_add_text(ev, "task", task) != 0)) {
        cJSON_Delete(ev);
        return NULL;
    }
    return ev;
}

int taskrun_json_add_ms(cJSON *ev, const char *key, uint64_t ms)
{
    return cJSON_AddNumberToObject(ev, key, (double)ms) ? 0 : -ENOMEM;
}

int taskrun_json_emit(const struct taskrun_out *o, cJSON *ev)
{
    char *text = ev ? cJSON_PrintUnformatted(ev) : NULL;
    cJSON_Delete(ev);
    if (!text)
        return -ENOMEM;
    size_t len = strlen(text);
    /* One event per line: the terminating NUL becomes the newline. */
    text[len] = '\n';
    int rc = taskrun_out_write(o->fd_out, text, len + 1);
    cJSON_free(text);
    return rc;
}

int taskrun_json_start(const struct taskrun_out *o, const char *task,
                       uint64_t ts_ms)
{
    cJSON *ev = taskrun_json_event("start", task);
    if (!ev || taskrun_json_add_ms(ev, "ts_ms", ts_ms) != 0) {
        cJSON_Delete(ev);
        return -ENOMEM;
    }
    return taskrun_json_emit(o, ev);
}

int taskrun_json_skip(const struct taskrun_out *o, const char *task,
                      const char *reason)
{
    cJSON *ev = taskrun_json_event("skip", task);
    if (!ev || cr_json_add_text(ev, "reason", reason) != 0) {
        cJSON_Delete(ev);
        return -ENOMEM;
    }
    return taskrun_json_emit(o, ev);
}

int taskrun_json_add_usage(cJSON *obj, const char *status, int exit_code,
                           const struct cr_proc_usage *u)
{
    bool ok = cJSON_AddStringToObject(obj, "status", status) &&
              cJSON_AddNumberToObject(obj, "exit", exit_code) &&
              taskrun_json_add_ms(obj, "wall_ms", u->wall_us / 1000) == 0 &&
              taskrun_json_add_ms(obj, "user_ms", u->user_us / 1000) == 0 &&
              taskrun_json_add_ms(obj, "sys_ms", u->sys_us / 1000) == 0 &&
              cJSON_AddNumberToObject(obj, "max_rss_kb", (double)u->max_rss_kb);
    return ok ? 0 : -ENOMEM;
}

int taskrun_json_end(const struct taskrun_out *o, const char *task,
                     const char *status, int exit_code,
                     const struct cr_proc_usage *u)
{
    cJSON *ev = taskrun_json_event("end", task);
    if (!ev || taskrun_json_add_usage(ev, status, exit_code, u) != 0) {
        cJSON_Delete(ev);
        return -ENOMEM;
    }
    return taskrun_json_emit(o, ev);
}

int taskrun_json_note(const struct taskrun_out *o, const char *kind,
                      const char *message)
{
    cJSON *ev = taskrun_json_event(kind, NULL);
    if (!ev || cr_json_add_text(ev, "message", message) != 0) {
        cJSON_Delete(ev);
        return -ENOMEM;
    }
    return taskrun_json_emit(o, ev);
}
