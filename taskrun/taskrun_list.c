/* taskrun_list: listings and plans (see taskrun_list.h). */
#include "taskrun_list.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_jobs.h"

#include <stdlib.h>
#include <string.h>

static const char *category(const struct taskrun_task *t)
{
    return t->category && *t->category ? t->category : "No Category";
}

static int by_category(const void *a, const void *b, void *ctx)
{
    const struct taskrun_task *tasks = ctx;
    const struct taskrun_task *x = &tasks[*(const size_t *)a];
    const struct taskrun_task *y = &tasks[*(const size_t *)b];
    int c = strcmp(category(x), category(y));
    return c ? c : strcmp(x->name, y->name);
}

static int list_task(struct cr_buf *b, const struct taskrun_task *t)
{
    int rc = cr_buf_printf(b, "%s - %s", t->name,
                           t->description ? t->description : "");
    if (t->alias)
        rc |= cr_buf_printf(b, "%s(alias of %s)", t->description ? " " : "",
                            t->alias);
    if (t->deprecated)
        rc |= cr_buf_puts(b, " [deprecated]");
    if (t->disabled)
        rc |= cr_buf_puts(b, " [disabled]");
    if (t->is_private)
        rc |= cr_buf_puts(b, " [private]");
    return rc | cr_buf_putc(b, '\n');
}

void taskrun_list_all(const struct taskrun_file *f, const char *only,
                      bool show_private, int fd)
{
    size_t *idx = cr_malloc((f->n_tasks + 1) * sizeof(*idx));
    if (!idx)
        return;
    size_t n = 0;
    for (size_t i = 0; i < f->n_tasks; i++)
        if ((show_private || !f->tasks[i].is_private) &&
            (!only || strcmp(category(&f->tasks[i]), only) == 0))
            idx[n++] = i;
    qsort_r(idx, n, sizeof(*idx), by_category, f->tasks);
    struct cr_buf b = { 0 };
    int rc = 0;
    const char *cur = NULL;
    for (size_t k = 0; k < n; k++) {
        const struct taskrun_task *t = &f->tasks[idx[k]];
        if (!cur || strcmp(cur, category(t)) != 0) {
            cur = category(t);
            rc |= cr_buf_printf(&b, "%s%s\n----------\n", k ? "\n" : "", cur);
        }
        rc |= list_task(&b, t);
    }
    size_t hidden = 0;
    for (size_t i = 0; i < f->n_tasks && !show_private; i++)
        hidden += f->tasks[i].is_private;
    if (hidden)
        rc |= cr_buf_printf(&b,
                            "\n(%zu private task%s hidden; "
                            "--allow-private shows them)\n",
                            hidden, hidden == 1 ? "" : "s");
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
    cr_free(idx);
}

static int json_field(struct cr_buf *b, const char *key, const char *v)
{
    if (!v)
        return 0;
    return cr_buf_printf(b, ",\"%s\":", key) |
           taskrun_json_str(b, v, strlen(v));
}

void taskrun_list_all_json(const struct taskrun_file *f,
                           const struct taskrun_out *o)
{
    struct cr_buf b = { 0 };
    int rc = cr_buf_printf(&b, "{\"v\":%d,\"event\":\"tasks\",\"tasks\":[",
                           TASKRUN_JSON_VERSION);
    for (size_t i = 0; i < f->n_tasks; i++) {
        const struct taskrun_task *t = &f->tasks[i];
        rc |= cr_buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
        rc |= taskrun_json_str(&b, t->name, strlen(t->name));
        rc |= json_field(&b, "category", category(t));
        rc |= json_field(&b, "description", t->description);
        rc |= json_field(&b, "alias", t->alias);
        rc |= cr_buf_printf(&b, ",\"private\":%s,\"placeholder\":%s}",
                            t->is_private ? "true" : "false",
                            t->placeholder ? "true" : "false");
    }
    rc |= cr_buf_putc(&b, ']');
    if (rc == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}

static int deps_text(const struct taskrun_plan *p, size_t i, struct cr_buf *b,
                     bool json)
{
    const struct taskrun_node *n = &p->nodes[i];
    int rc = 0;
    for (size_t d = 0; d < n->n_deps; d++) {
        const char *name = taskrun_plan_task(p, n->deps[d])->name;
        if (json) {
            rc |= cr_buf_puts(b, d ? "," : "");
            rc |= taskrun_json_str(b, name, strlen(name));
        } else {
            rc |= cr_buf_printf(b, "%s%s", d ? ", " : "", name);
        }
    }
    return rc;
}

static const char *step_flags(const struct taskrun_plan *p, size_t i)
{
    const struct taskrun_task *t = taskrun_plan_task(p, i);
    if (p->nodes[i].skip_regex)
        return " (skipped: --skip-tasks)";
    if (t->disabled)
        return " (disabled)";
    if (t->cond || t->cond_script.n)
        return " (conditional)";
    return "";
}

void taskrun_list_plan(const struct taskrun_plan *p, const char *profile,
                       unsigned jobs, int fd)
{
    struct cr_buf b = { 0 };
    size_t w = 4;
    for (size_t i = 0; i < p->n; i++)
        if (strlen(taskrun_plan_task(p, i)->name) > w)
            w = strlen(taskrun_plan_task(p, i)->name);
    int rc = cr_buf_printf(&b, "plan: %zu step%s, profile %s, -j %u\n", p->n,
                           p->n == 1 ? "" : "s", profile, jobs);
    for (size_t i = 0; i < p->n; i++) {
        const struct taskrun_task *t = taskrun_plan_task(p, i);
        char *what = taskrun_job_describe(t);
        rc |= cr_buf_printf(&b, "%3zu. %-*s  %s%s", i + 1, (int)w, t->name,
                            what ? what : "", step_flags(p, i));
        cr_free(what);
        if (p->nodes[i].n_deps) {
            rc |= cr_buf_puts(&b, "  [after: ");
            rc |= deps_text(p, i, &b, false);
            rc |= cr_buf_putc(&b, ']');
        }
        rc |= cr_buf_putc(&b, '\n');
    }
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
}

void taskrun_list_plan_json(const struct taskrun_plan *p, const char *task,
                            const char *profile, unsigned jobs,
                            const struct taskrun_out *o)
{
    struct cr_buf b = { 0 };
    int rc = cr_buf_printf(
        &b, "{\"v\":%d,\"event\":\"plan\",\"task\":", TASKRUN_JSON_VERSION);
    rc |= taskrun_json_str(&b, task, strlen(task));
    rc |= cr_buf_puts(&b, ",\"profile\":");
    rc |= taskrun_json_str(&b, profile, strlen(profile));
    rc |= cr_buf_printf(&b, ",\"jobs\":%u,\"steps\":[", jobs);
    for (size_t i = 0; i < p->n; i++) {
        const struct taskrun_task *t = taskrun_plan_task(p, i);
        char *what = taskrun_job_describe(t);
        rc |= cr_buf_puts(&b, i ? ",{\"task\":" : "{\"task\":");
        rc |= taskrun_json_str(&b, t->name, strlen(t->name));
        rc |= cr_buf_puts(&b, ",\"action\":");
        rc |= taskrun_json_str(&b, what ? what : "", what ? strlen(what) : 0);
        rc |= cr_buf_puts(&b, ",\"after\":[");
        rc |= deps_text(p, i, &b, true);
        rc |= cr_buf_puts(&b, "]}");
        cr_free(what);
    }
    rc |= cr_buf_putc(&b, ']');
    if (rc == 0)
        taskrun_json_emit(o, &b);
    cr_buf_release(&b);
}
