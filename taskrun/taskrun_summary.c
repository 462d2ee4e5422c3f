/* taskrun_summary: time summary and critical path (see taskrun_summary.h). */
#include "taskrun_summary.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static uint64_t cost(const struct taskrun_run *run, size_t i)
{
    const struct taskrun_result *r = &run->res[i];
    return r->state == TASKRUN_DONE_OK || r->state == TASKRUN_DONE_FAILED ||
                   r->state == TASKRUN_DONE_IGNORED
               ? r->usage.wall_us / 1000
               : 0;
}

uint64_t taskrun_critical_path(const struct taskrun_plan *p,
                               const struct taskrun_run *run, size_t **path,
                               size_t *n)
{
    *path = NULL;
    *n = 0;
    if (p->n == 0)
        return 0;
    /* Plan order is topological: one pass finds the longest chain. */
    uint64_t *best = cr_calloc(p->n, sizeof(*best));
    long *prev = cr_malloc(p->n * sizeof(*prev));
    if (!best || !prev) {
        cr_free(best);
        cr_free(prev);
        return 0;
    }
    size_t end = 0;
    for (size_t i = 0; i < p->n; i++) {
        prev[i] = -1;
        uint64_t in = 0;
        for (size_t d = 0; d < p->nodes[i].n_deps; d++) {
            size_t j = p->nodes[i].deps[d];
            if (prev[i] < 0 || best[j] > in) {
                in = best[j];
                prev[i] = (long)j;
            }
        }
        best[i] = in + cost(run, i);
        if (best[i] >= best[end])
            end = i;
    }
    uint64_t total = best[end];
    size_t len = 0;
    for (long k = (long)end; k >= 0; k = prev[k])
        len++;
    *path = cr_malloc(len * sizeof(**path));
    if (*path) {
        *n = len;
        for (long k = (long)end; k >= 0; k = prev[k])
            (*path)[--len] = (size_t)k;
    }
    cr_free(best);
    cr_free(prev);
    return total;
}

static int path_text(const struct taskrun_plan *p, const size_t *path, size_t n,
                     struct cr_buf *b)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= cr_buf_printf(b, "%s%s", i ? " -> " : "",
                            taskrun_plan_task(p, path[i])->name);
    return rc;
}

void taskrun_summary_print(const struct taskrun_plan *p,
                           const struct taskrun_run *run, int fd)
{
    struct cr_buf b = { 0 };
    uint64_t sum = 0;
    for (size_t i = 0; i < p->n; i++)
        sum += run->res[i].usage.wall_us / 1000;
    int rc = cr_buf_printf(&b, "\n%-28s %-8s %9s %5s %9s %9s %10s\n", "task",
                           "status", "wall ms", "%", "user ms", "sys ms",
                           "peak RSS");
    for (size_t i = 0; i < p->n; i++) {
        const struct taskrun_result *r = &run->res[i];
        /* Share of the summed task time, as cargo-make's summary shows. */
        double pct =
            sum ? 100.0 * (double)r->usage.wall_us / 1000 / (double)sum : 0;
        rc |= cr_buf_printf(
            &b,
            "%-28s %-8s %9" PRIu64 " %5.1f %9" PRIu64 " %9" PRIu64 " %7ld KB\n",
            taskrun_plan_task(p, i)->name, taskrun_state_name(r->state),
            r->usage.wall_us / 1000, pct, r->usage.user_us / 1000,
            r->usage.sys_us / 1000, r->usage.max_rss_kb);
    }
    size_t *path, n;
    uint64_t cp = taskrun_critical_path(p, run, &path, &n);
    rc |= cr_buf_printf(
        &b, "total wall %" PRIu64 " ms; critical path %" PRIu64 " ms: ",
        run->wall_ms, cp);
    rc |= path_text(p, path, n, &b);
    rc |= cr_buf_putc(&b, '\n');
    cr_free(path);
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
}

/* One row of the summary event: {task, status, exit, wall_ms, ...}. */
static cJSON *row_json(const struct taskrun_plan *p,
                       const struct taskrun_result *r, size_t i)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || cr_json_add_text(j, "task", taskrun_plan_task(p, i)->name) ||
        taskrun_json_add_usage(j, taskrun_state_name(r->state), r->exit_code,
                               &r->usage)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* Adds a row per step to a (NULL: out of memory); false when out of
 * memory. */
static bool add_rows(cJSON *a, const struct taskrun_plan *p,
                     const struct taskrun_run *run)
{
    for (size_t i = 0; a && i < p->n; i++) {
        cJSON *row = row_json(p, &run->res[i], i);
        if (!row || !cJSON_AddItemToArray(a, row)) {
            cJSON_Delete(row);
            return false;
        }
    }
    return a != NULL;
}

/* Adds the critical path's task names to a; false when out of memory. */
static bool add_path(cJSON *a, const struct taskrun_plan *p, const size_t *path,
                     size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        const char *name = taskrun_plan_task(p, path[i])->name;
        cJSON *s = cr_json_text(name, strlen(name));
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            return false;
        }
    }
    return a != NULL;
}

void taskrun_summary_json(const struct taskrun_plan *p,
                          const struct taskrun_run *run,
                          const struct taskrun_out *o)
{
    size_t *path, n;
    uint64_t cp = taskrun_critical_path(p, run, &path, &n);
    cJSON *ev = taskrun_json_event("summary", NULL);
    bool ok =
        ev && cJSON_AddNumberToObject(ev, "exit", run->exit_code) &&
        taskrun_json_add_ms(ev, "wall_ms", run->wall_ms) == 0 &&
        add_rows(cJSON_AddArrayToObject(ev, "tasks"), p, run) &&
        add_path(cJSON_AddArrayToObject(ev, "critical_path"), p, path, n) &&
        taskrun_json_add_ms(ev, "critical_path_ms", cp) == 0;
    cr_free(path);
    if (!ok) {
        cJSON_Delete(ev);
        ev = NULL;
    }
    (void)taskrun_json_emit(o, ev);
}

void taskrun_failures_print(const struct taskrun_plan *p,
                            const struct taskrun_run *run, int fd)
{
    struct cr_buf b = { 0 };
    int rc = cr_buf_puts(&b, "\ntaskrun: failure summary:\n");
    for (size_t i = 0; i < p->n; i++) {
        const struct taskrun_result *r = &run->res[i];
        if (r->state != TASKRUN_DONE_FAILED && r->state != TASKRUN_NOT_RUN)
            continue;
        rc |=
            cr_buf_printf(&b, "  %-8s %s (%s)\n", taskrun_state_name(r->state),
                          taskrun_plan_task(p, i)->name, r->reason);
    }
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
}
