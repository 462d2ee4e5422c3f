/* taskrun_output: raw/prefixed/group output (see taskrun_output.h). */
#include "taskrun_output.h"

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

/* Emits one line; 0, or -errno when it could not be shown as it should. */
static int emit_line(const struct taskrun_out *o, const char *task, int stream,
                     struct cr_buf *group, const char *line, size_t n)
{
    int fd = stream == 2 ? o->fd_err : o->fd_out;
    struct cr_buf b = { 0 };
    int rc = 0;
    if (o->json) {
        rc = cr_buf_printf(&b, "{\"v\":%d,\"event\":\"output\",\"task\":",
                           TASKRUN_JSON_VERSION);
        rc |= taskrun_json_str(&b, task, strlen(task));
        rc |= cr_buf_printf(&b, ",\"stream\":\"%s\",\"line\":",
                            stream == 2 ? "stderr" : "stdout");
        rc |= taskrun_json_str(&b, line, n);
        rc = rc ? -ENOMEM : taskrun_json_emit(o, &b);
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

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xf0 && s[0] <= 0xf4   ? 4
                 : s[0] >= 0xe0                 ? 3
                 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
                                                : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    /* Overlong 3-byte forms, UTF-16 surrogates, and beyond U+10FFFF. */
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

/*
 * Task output is arbitrary bytes; JSON strings must be UTF-8, so invalid
 * bytes become U+FFFD.
 */
int taskrun_json_str(struct cr_buf *b, const char *s, size_t n)
{
    int rc = cr_buf_putc(b, '"');
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t len = utf8_len((const unsigned char *)s + i, n - i);
            if (len == 0) {
                rc = cr_buf_puts(b, "\\ufffd");
            } else {
                rc = cr_buf_append(b, s + i, len);
                i += len - 1;
            }
        } else if (c == '"' || c == '\\')
            rc = cr_buf_putc(b, '\\') | cr_buf_putc(b, (char)c);
        else if (c == '\n')
            rc = cr_buf_puts(b, "\\n");
        else if (c == '\t')
            rc = cr_buf_puts(b, "\\t");
        else if (c == '\r')
            rc = cr_buf_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7f)
            rc = cr_buf_printf(b, "\\u%04x", c);
        else
            rc = cr_buf_putc(b, (char)c);
    }
    return rc | cr_buf_putc(b, '"');
}

int taskrun_json_emit(const struct taskrun_out *o, struct cr_buf *b)
{
    int rc = cr_buf_puts(b, "}\n") == 0
                 ? taskrun_out_write(o->fd_out, b->data, b->len)
                 : -ENOMEM;
    cr_buf_release(b);
    return rc;
}

static int head(struct cr_buf *b, const char *event, const char *task)
{
    int rc = cr_buf_printf(b, "{\"v\":%d,\"event\":\"%s\"",
                           TASKRUN_JSON_VERSION, event);
    if (task) {
        rc |= cr_buf_puts(b, ",\"task\":");
        rc |= taskrun_json_str(b, task, strlen(task));
    }
    return rc;
}

void taskrun_json_start(const struct taskrun_out *o, const char *task,
                        uint64_t ts_ms)
{
    struct cr_buf b = { 0 };
    if ((head(&b, "start", task) |
         cr_buf_printf(&b, ",\"ts_ms\":%" PRIu64, ts_ms)) == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}

void taskrun_json_skip(const struct taskrun_out *o, const char *task,
                       const char *reason)
{
    struct cr_buf b = { 0 };
    if ((head(&b, "skip", task) | cr_buf_puts(&b, ",\"reason\":") |
         taskrun_json_str(&b, reason, strlen(reason))) == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}

void taskrun_json_end(const struct taskrun_out *o, const char *task,
                      const char *status, int exit_code,
                      const struct cr_proc_usage *u)
{
    struct cr_buf b = { 0 };
    if ((head(&b, "end", task) |
         cr_buf_printf(&b,
                       ",\"status\":\"%s\",\"exit\":%d,\"wall_ms\":%" PRIu64
                       ",\"user_ms\":%" PRIu64 ",\"sys_ms\":%" PRIu64
                       ",\"max_rss_kb\":%ld",
                       status, exit_code, u->wall_us / 1000, u->user_us / 1000,
                       u->sys_us / 1000, u->max_rss_kb)) == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}

void taskrun_json_note(const struct taskrun_out *o, const char *kind,
                       const char *message)
{
    struct cr_buf b = { 0 };
    if ((head(&b, kind, NULL) | cr_buf_puts(&b, ",\"message\":") |
         taskrun_json_str(&b, message, strlen(message))) == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}
