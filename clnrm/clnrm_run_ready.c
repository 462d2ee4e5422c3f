/* clnrm_run_ready: readiness probes. See clnrm_test_run.h. */
#include "clnrm_test_run.h"
#include "clnrm_run_ready.h"

#include "cr_clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool clnrm_port_listening(const char *text, int port)
{
    char want[8];
    const char *line = text;

    snprintf(want, sizeof(want), ":%04X", (unsigned)port);
    while (line != NULL && *line != '\0') {
        unsigned sl;
        char local[64], remote[64], st[8];

        if (sscanf(line, " %u: %63s %63s %7s", &sl, local, remote, st) == 4) {
            const char *colon = strrchr(local, ':');
            if (colon != NULL && strcmp(colon, want) == 0 &&
                strcmp(st, "0A") == 0)
                return true;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return false;
}

/* How many lines of a dead service's log its readiness failure quotes. */
#define LOG_TAIL_LINES 3

/* The last LOG_TAIL_LINES lines of text on one line, joined by " | ",
 * control characters as spaces; when they do not fit, their end is kept. */
static void log_tail(const char *text, char *out, size_t size)
{
    const char *end = text + strlen(text), *start;
    size_t n = 0;
    int lines = 0;

    while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    for (start = end; start > text; start--)
        if (start[-1] == '\n' && ++lines == LOG_TAIL_LINES)
            break;
    /* Room for every byte, each newline growing to three. */
    while ((size_t)(end - start) * 3 >= size) {
        start++;
        while (start < end && ((unsigned char)*start & 0xC0) == 0x80)
            start++;
    }
    for (const char *p = start; p < end; p++) {
        if (*p == '\n') {
            memcpy(out + n, " | ", 3);
            n += 3;
        } else {
            out[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
        }
    }
    out[n] = '\0';
}

/* Fails the test because ss's PID 1 ended before it was ready, saying how
 * it ended (its exit code, else why) and how its log ends. */
static int not_ready_exit(struct clnrm_test_run *tr,
                          const struct clnrm_svc_state *ss, const char *why)
{
    struct engine_container_state st;
    struct cr_buf out = { 0 }, err = { 0 };
    struct cr_error e = { 0 };
    char how[200], tail[300] = "", msg[700];
    bool ok;

    if (engine_container_inspect(tr->eng, ss->id, &st, &e) == ENGINE_OK &&
        !st.running)
        snprintf(how, sizeof(how), "its command exited with code %d%s",
                 st.exit_code, st.oom_killed ? " (OOM-killed)" : "");
    else
        snprintf(how, sizeof(how), "%s", why);
    /* Its own words are the likeliest reason: stderr last, as it usually
     * ends a failing program's output. */
    ok = engine_container_logs(tr->eng, ss->id, &out, &err, &e) == ENGINE_OK;
    if (ok && out.len > 0 && err.len > 0)
        ok = cr_buf_putc(&out, '\n') == 0;
    if (ok && err.len > 0)
        ok = cr_buf_append(&out, err.data, err.len) == 0;
    if (ok)
        log_tail(cr_buf_str(&out), tail, sizeof(tail));
    cr_buf_release(&out);
    cr_buf_release(&err);
    snprintf(msg, sizeof(msg),
             "service \"%s\" exited before it was ready: %s%s%s", ss->svc->name,
             how, tail[0] ? "; its log ends: " : "", tail);
    clnrm__test_fail(tr, CLNRM_STATUS_FAIL, CLNRM_OK, msg);
    return -2;
}

/* wait_for_log: the text in stdout or stderr. Logs stay readable after
 * the container exits, so a dead service is detected by inspecting it
 * rather than waiting out the whole readiness budget. */
static int probe_log(struct clnrm_test_run *tr, struct clnrm_svc_state *ss)
{
    const char *line = ss->svc->ready.log_line;
    struct cr_buf out = { 0 }, err = { 0 };
    struct engine_container_state st;
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int ready;

    rc = clnrm_from_engine(
        engine_container_logs(tr->eng, ss->id, &out, &err, &e), &e);
    ready = rc == CLNRM_OK && (strstr(cr_buf_str(&out), line) != NULL ||
                               strstr(cr_buf_str(&err), line) != NULL);
    cr_buf_release(&out);
    cr_buf_release(&err);
    if (rc == CLNRM_E_CANCELLED)
        return -1;
    if (ready ||
        engine_container_inspect(tr->eng, ss->id, &st, &e) != ENGINE_OK)
        return ready;
    if (!st.running)
        return not_ready_exit(tr, ss, "its command exited");
    return 0;
}

/* One readiness probe. Returns 1 ready, 0 not yet, or a negative value
 * with the test failed when the service cannot become ready. */
static int probe(struct clnrm_test_run *tr, struct clnrm_svc_state *ss)
{
    static const char *const tcp[] = { "cat", "/proc/net/tcp", "/proc/net/tcp6",
                                       NULL };
    const struct clnrm_ready *r = &ss->svc->ready;
    struct engine_exec_spec xs = { .output_cap = 256 * 1024 };
    struct engine_exec_result xr = { 0 };
    struct cr_error e = { 0 };
    uint64_t try_deadline =
        cr_clock_ms() + (uint64_t)(r->try_timeout_ms > 0
                                       ? r->try_timeout_ms
                                       : CLNRM_DEFAULT_PROBE_TIMEOUT_MS);
    enum clnrm_code rc;
    int ready = 0;

    if (r->kind == CLNRM_READY_LOG)
        return probe_log(tr, ss);
    xs.argv = r->kind == CLNRM_READY_CMD ? (const char *const *)r->cmd.v : tcp;
    if (try_deadline > tr->deadline_ms)
        try_deadline = tr->deadline_ms;
    rc = clnrm_from_engine(
        engine_exec(tr->eng, ss->id, &xs, try_deadline, &xr, &e), &e);
    if (rc == CLNRM_OK)
        ready = r->kind == CLNRM_READY_CMD
                    ? xr.exit_code == 0
                    : clnrm_port_listening(cr_buf_str(&xr.out), r->port);
    engine_exec_result_release(&xr);
    if (rc == CLNRM_E_CANCELLED)
        return -1;
    if (rc == CLNRM_E_CONFLICT || rc == CLNRM_E_NOTFOUND)
        return not_ready_exit(tr, ss, e.msg);
    return ready;
}

static const char *ready_what(const struct clnrm_ready *r, char *buf,
                              size_t size)
{
    if (r->kind == CLNRM_READY_LOG)
        snprintf(buf, size, "log line \"%s\"", r->log_line);
    else if (r->kind == CLNRM_READY_PORT)
        snprintf(buf, size, "TCP port %d", r->port);
    else
        snprintf(buf, size, "health_check \"%s\"", r->cmd.v[0]);
    return buf;
}

/* Fails the test because ss is still not ready, saying what it waits
 * for. */
static enum clnrm_code not_ready(struct clnrm_test_run *tr,
                                 const struct clnrm_svc_state *ss)
{
    char what[200], msg[512];

    snprintf(msg, sizeof(msg),
             "service \"%s\" not ready after %.1f s (%" PRId64
             " tries): waiting for %s",
             ss->svc->name, (cr_clock_ms() - ss->ready_since_ms) / 1000.0,
             ss->tries, ready_what(&ss->svc->ready, what, sizeof(what)));
    clnrm__test_fail(tr, CLNRM_STATUS_TIMEOUT, CLNRM_OK, msg);
    return CLNRM_E_TIMEOUT;
}

enum clnrm_code clnrm__ready_poll(struct clnrm_test_run *tr, size_t *pending,
                                  size_t *failed)
{
    *pending = 0;
    for (size_t i = 0; i < tr->t->n_services; i++) {
        struct clnrm_svc_state *ss = &tr->svcs[i];
        const struct clnrm_ready *r = &ss->svc->ready;
        uint64_t now = cr_clock_ms();
        int p;

        if (r->kind == CLNRM_READY_NONE || ss->ready || ss->ready_since_ms == 0)
            continue;
        ++*pending;
        if (now < ss->next_try_ms)
            continue;
        ss->tries++;
        ss->next_try_ms = now + (uint64_t)r->interval_ms;
        *failed = i;
        if ((p = probe(tr, ss)) < 0)
            return clnrm__cancelled(tr) ? CLNRM_E_CANCELLED : CLNRM_E_FAILED;
        if (p > 0) {
            ss->ready = true;
            --*pending;
            continue;
        }
        if ((r->retries > 0 && ss->tries >= r->retries) ||
            cr_clock_ms() - ss->ready_since_ms > (uint64_t)r->timeout_ms ||
            cr_clock_ms() >= tr->deadline_ms)
            return not_ready(tr, ss);
    }
    return clnrm__cancelled(tr) ? CLNRM_E_CANCELLED : CLNRM_OK;
}

/* Polls every started service that declares readiness until all are
 * ready; the clock of each starts now unless it started already. */
enum clnrm_code clnrm__wait_ready(struct clnrm_test_run *tr)
{
    uint64_t start = cr_clock_ms();
    size_t pending, failed;
    enum clnrm_code rc;

    for (size_t i = 0; i < tr->t->n_services; i++)
        if (tr->svcs[i].id != NULL && tr->svcs[i].ready_since_ms == 0)
            tr->svcs[i].ready_since_ms = start;
    while ((rc = clnrm__ready_poll(tr, &pending, &failed)) == CLNRM_OK &&
           pending > 0)
        cr_clock_sleep_ms(50, tr->rc->cancel);
    return rc;
}
