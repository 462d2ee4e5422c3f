/* taskrun_list: listings and plans (see taskrun_list.h). */
#include "taskrun_list.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_text.h"
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

int taskrun_list_format_parse(const char *s)
{
    static const char *const names[] = {
        "default",
        "short-description",
        "markdown",
        "markdown-single-page",
        "markdown-sub-section",
        "autocomplete",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

bool taskrun_list_uninteresting(const char *name)
{
    static const char *const exact[] = { "init", "end", "empty" };
    if (strncmp(name, "pre-", 4) == 0 || strncmp(name, "post-", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strcmp(name, exact[i]) == 0)
            return true;
    return false;
}

/* The description as listed: up to its first '.' or line end for
 * short-description. Sets *len. */
static const char *desc_text(const struct taskrun_task *t,
                             enum taskrun_list_format fmt, int *len)
{
    const char *d = t->description ? t->description : "";
    size_t n = strlen(d);
    if (fmt == TASKRUN_LIST_SHORT)
        n = strcspn(d, ".\n");
    *len = n > 4096 ? 4096 : (int)n;
    return d;
}

static int list_task(struct cr_buf *b, const struct taskrun_task *t,
                     enum taskrun_list_format fmt)
{
    bool md = fmt >= TASKRUN_LIST_MARKDOWN;
    int dl;
    const char *d = desc_text(t, fmt, &dl);
    int rc =
        md ? cr_buf_printf(b, "* **%s**%s%.*s", t->name, dl ? " - " : "", dl, d)
           : cr_buf_printf(b, "%s - %.*s", t->name, dl, d);
    if (t->alias)
        rc |= cr_buf_printf(b, "%s(alias of %s)",
                            dl   ? " "
                            : md ? " - "
                                 : "",
                            t->alias);
    if (t->deprecated)
        rc |= cr_buf_puts(b, " [deprecated]");
    if (t->disabled)
        rc |= cr_buf_puts(b, " [disabled]");
    if (t->is_private)
        rc |= cr_buf_puts(b, " [private]");
    if (t->is_core)
        rc |= cr_buf_puts(b, " [core]");
    return rc | cr_buf_putc(b, '\n');
}

/* The heading of a category in fmt; first: no blank line before it. */
static int heading(struct cr_buf *b, const char *cat,
                   enum taskrun_list_format fmt, bool first)
{
    switch (fmt) {
    case TASKRUN_LIST_MARKDOWN:
    case TASKRUN_LIST_MARKDOWN_PAGE:
        return cr_buf_printf(b, "%s## %s\n\n", first ? "" : "\n", cat);
    case TASKRUN_LIST_MARKDOWN_SUB:
        return cr_buf_printf(b, "%s### %s\n\n", first ? "" : "\n", cat);
    default:
        return cr_buf_printf(b, "%s%s\n----------\n", first ? "" : "\n", cat);
    }
}

static bool listed(const struct taskrun_task *t,
                   const struct taskrun_list_opts *o)
{
    return (o->show_private || !t->is_private) &&
           (!o->category || strcmp(category(t), o->category) == 0) &&
           !(o->hide_uninteresting && taskrun_list_uninteresting(t->name));
}

void taskrun_list_all(const struct taskrun_file *f,
                      const struct taskrun_list_opts *o, int fd)
{
    size_t *idx = cr_malloc((f->n_tasks + 1) * sizeof(*idx));
    if (!idx)
        return;
    size_t n = 0;
    for (size_t i = 0; i < f->n_tasks; i++)
        if (listed(&f->tasks[i], o))
            idx[n++] = i;
    qsort_r(idx, n, sizeof(*idx), by_category, f->tasks);
    struct cr_buf b = { 0 };
    int rc = 0;
    if (o->format == TASKRUN_LIST_AUTOCOMPLETE) {
        for (size_t k = 0; k < n; k++)
            rc |=
                cr_buf_printf(&b, "%s%s", k ? " " : "", f->tasks[idx[k]].name);
        rc |= cr_buf_putc(&b, '\n');
        n = 0;
    }
    if (o->format == TASKRUN_LIST_MARKDOWN_PAGE)
        rc |= cr_buf_puts(&b, "# Task List\n\n");
    const char *cur = NULL;
    for (size_t k = 0; k < n; k++) {
        const struct taskrun_task *t = &f->tasks[idx[k]];
        if (!cur || strcmp(cur, category(t)) != 0) {
            cur = category(t);
            rc |= heading(&b, cur, o->format, k == 0);
        }
        rc |= list_task(&b, t, o->format);
    }
    size_t hidden = 0;
    for (size_t i = 0; i < f->n_tasks && !o->show_private; i++)
        hidden += f->tasks[i].is_private;
    if (hidden && o->format <= TASKRUN_LIST_SHORT)
        rc |= cr_buf_printf(&b,
                            "\n(%zu private task%s hidden; "
                            "--allow-private shows them)\n",
                            hidden, hidden == 1 ? "" : "s");
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
    cr_free(idx);
}

/* Adds key: v when v is set. Returns 0 or -ENOMEM. */
static int json_field(cJSON *obj, const char *key, const char *v)
{
    return v ? cr_json_add_text(obj, key, v) : 0;
}

static cJSON *task_json(const struct taskrun_task *t)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || cr_json_add_text(j, "name", t->name) != 0 ||
        json_field(j, "category", category(t)) != 0 ||
        json_field(j, "description", t->description) != 0 ||
        json_field(j, "alias", t->alias) != 0 ||
        !cJSON_AddBoolToObject(j, "private", t->is_private) ||
        !cJSON_AddBoolToObject(j, "core", t->is_core)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

void taskrun_list_all_json(const struct taskrun_file *f,
                           const struct taskrun_out *o)
{
    cJSON *ev = taskrun_json_event("tasks", NULL);
    cJSON *tasks = ev ? cJSON_AddArrayToObject(ev, "tasks") : NULL;
    bool ok = tasks != NULL;
    for (size_t i = 0; i < f->n_tasks && ok; i++) {
        cJSON *t = task_json(&f->tasks[i]);
        ok = t && cJSON_AddItemToArray(tasks, t);
        if (!ok)
            cJSON_Delete(t);
    }
    if (!ok) {
        cJSON_Delete(ev);
        ev = NULL;
    }
    (void)taskrun_json_emit(o, ev);
}

static int deps_text(const struct taskrun_plan *p, size_t i, struct cr_buf *b)
{
    const struct taskrun_node *n = &p->nodes[i];
    int rc = 0;
    for (size_t d = 0; d < n->n_deps; d++)
        rc |= cr_buf_printf(b, "%s%s", d ? ", " : "",
                            taskrun_plan_task(p, n->deps[d])->name);
    return rc;
}

/* The names node i waits for, as a JSON array; NULL when out of memory. */
static cJSON *deps_json(const struct taskrun_plan *p, size_t i)
{
    const struct taskrun_node *n = &p->nodes[i];
    cJSON *a = cJSON_CreateArray();
    for (size_t d = 0; a && d < n->n_deps; d++) {
        cJSON *name =
            cr_json_text(taskrun_plan_task(p, n->deps[d])->name,
                         strlen(taskrun_plan_task(p, n->deps[d])->name));
        if (!name || !cJSON_AddItemToArray(a, name)) {
            cJSON_Delete(name);
            cJSON_Delete(a);
            a = NULL;
        }
    }
    return a;
}

static const char *step_flags(const struct taskrun_plan *p, size_t i)
{
    const struct taskrun_task *t = taskrun_plan_task(p, i);
    if (p->nodes[i].skip_regex)
        return " (skipped: --skip-tasks)";
    if (t->disabled)
        return " (disabled)";
    if (p->nodes[i].cleanup)
        return " (cleanup_task: runs even after a failure)";
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
            rc |= deps_text(p, i, &b);
            rc |= cr_buf_putc(&b, ']');
        }
        rc |= cr_buf_putc(&b, '\n');
    }
    if (rc == 0)
        taskrun_out_write(fd, b.data, b.len);
    cr_buf_release(&b);
}

/* One step of the plan event: {task, action, after}. */
static cJSON *step_json(const struct taskrun_plan *p, size_t i)
{
    const struct taskrun_task *t = taskrun_plan_task(p, i);
    char *what = taskrun_job_describe(t);
    cJSON *j = cJSON_CreateObject();
    cJSON *after = j ? deps_json(p, i) : NULL;
    if (!after || cr_json_add_text(j, "task", t->name) != 0 ||
        cr_json_add_text(j, "action", what ? what : "") != 0 ||
        !cJSON_AddItemToObject(j, "after", after)) {
        cJSON_Delete(after);
        cJSON_Delete(j);
        j = NULL;
    }
    cr_free(what);
    return j;
}

void taskrun_list_plan_json(const struct taskrun_plan *p, const char *task,
                            const char *profile, unsigned jobs,
                            const struct taskrun_out *o)
{
    cJSON *ev = taskrun_json_event("plan", NULL);
    cJSON *steps = NULL;
    if (ev && cr_json_add_text(ev, "task", task) == 0 &&
        cr_json_add_text(ev, "profile", profile) == 0 &&
        cJSON_AddNumberToObject(ev, "jobs", jobs))
        steps = cJSON_AddArrayToObject(ev, "steps");
    bool ok = steps != NULL;
    for (size_t i = 0; i < p->n && ok; i++) {
        cJSON *step = step_json(p, i);
        ok = step && cJSON_AddItemToArray(steps, step);
        if (!ok)
            cJSON_Delete(step);
    }
    if (!ok) {
        cJSON_Delete(ev);
        ev = NULL;
    }
    (void)taskrun_json_emit(o, ev);
}
