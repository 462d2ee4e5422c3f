/* taskrun_graph: plan building and cycle detection (see taskrun_graph.h). */
#include "taskrun_graph.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_toml.h"
#include "taskrun_core_tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WHITE = 0, ACTIVE, DONE };

/* One step of the current walk, for printing a cycle's whole path. */
struct step {
    const char *name;
    long task;
};

struct walk {
    const struct taskrun_file *f;
    const struct taskrun_plan_opts *o;
    struct taskrun_plan *p;
    struct cr_error *err;
    unsigned char *state; /* per task */
    size_t **done;        /* per task: nodes a dependent must wait for */
    size_t *n_done;
    struct step *path;
    size_t depth, cap;
    size_t *base; /* init_task's nodes: everything else waits for them */
    size_t n_base;
};

static enum taskrun_code nomem(struct cr_error *err)
{
    return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
}

/* "FILE:LINE:COL: " of the task called name, or "" (unknown, CLI). */
static const char *where(const struct taskrun_file *f, const char *name)
{
    const struct taskrun_task *t = name ? taskrun_file_find(f, name) : NULL;
    return t && t->where ? t->where : "";
}

static enum taskrun_code missing(const struct taskrun_file *f, const char *name,
                                 const char *from, struct cr_error *err)
{
    const char **names = cr_malloc((f->n_tasks + 1) * sizeof(*names));
    if (!names)
        return nomem(err);
    for (size_t i = 0; i < f->n_tasks; i++)
        names[i] = f->tasks[i].name;
    const char *s = cr_toml_suggest(name, names, f->n_tasks);
    char hint[300] = "";
    if (s)
        snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", s);
    char by[300] = "";
    if (from)
        snprintf(by, sizeof(by), ", needed by \"%s\"", from);
    /* At the reference itself when the loader noted it. */
    const char *at =
        taskrun_task_ref_where(from ? taskrun_file_find(f, from) : NULL, name);
    const char *why = "";
    if (taskrun_is_core_task(name))
        why = " (a cargo-make core task, which taskrun does not provide)";
    taskrun_error_set(err, TASKRUN_E_PLAN, "%stask \"%s\" not found%s%s%s",
                      at ? at : where(f, from), name, by, why, hint);
    cr_free(names);
    return TASKRUN_E_PLAN;
}

/* Follows aliases; a task met twice on the chain is an alias cycle. */
static long resolve_from(const struct taskrun_file *f, const char *name,
                         const char *from, struct cr_error *err)
{
    struct cr_buf chain = { 0 };
    unsigned char *seen = NULL; /* allocated at the first alias only */
    long idx = taskrun_file_index(f, name);
    int rc = cr_buf_puts(&chain, name);
    while (rc == 0 && idx >= 0 && f->tasks[idx].alias) {
        if (!seen && !(seen = cr_calloc(f->n_tasks, 1)))
            rc = -1;
        if (rc == 0 && seen[idx]) {
            taskrun_error_set(err, TASKRUN_E_PLAN, "%salias cycle: %s",
                              where(f, from), cr_buf_str(&chain));
            idx = -2;
            break;
        }
        if (rc == 0) {
            seen[idx] = 1;
            from = f->tasks[idx].name;
            name = f->tasks[idx].alias;
            rc = cr_buf_printf(&chain, " -> %s", name);
            idx = taskrun_file_index(f, name);
        }
    }
    cr_free(seen);
    cr_buf_release(&chain);
    if (rc)
        nomem(err);
    else if (idx == -1)
        missing(f, name, from, err);
    return rc || idx < 0 ? -1 : idx;
}

long taskrun_resolve(const struct taskrun_file *f, const char *name,
                     struct cr_error *err)
{
    return resolve_from(f, name, NULL, err);
}

static enum taskrun_code cycle(struct walk *w, long task, const char *name)
{
    struct cr_buf b = { 0 };
    size_t from = 0;
    while (from < w->depth && w->path[from].task != task)
        from++;
    /* At the task whose dependency (or run_task) closes the loop. */
    int rc = cr_buf_puts(&b, w->depth ? where(w->f, w->path[w->depth - 1].name)
                                      : "");
    rc |= cr_buf_puts(&b, "dependency cycle: ");
    for (size_t i = from; i < w->depth; i++)
        rc |= cr_buf_printf(&b, "%s -> ", w->path[i].name);
    rc |= cr_buf_puts(&b, name);
    if (rc) {
        cr_buf_release(&b);
        return nomem(w->err);
    }
    taskrun_error_set(w->err, TASKRUN_E_PLAN, "%s", cr_buf_str(&b));
    cr_buf_release(&b);
    return TASKRUN_E_PLAN;
}

static int push_idx(size_t **v, size_t *n, size_t x)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == x)
            return 0;
    size_t *nv = cr_realloc(*v, (*n + 1) * sizeof(size_t));
    if (!nv)
        return -1;
    *v = nv;
    nv[(*n)++] = x;
    return 0;
}

static int push_all(size_t **v, size_t *n, const size_t *src, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (push_idx(v, n, src[i]) != 0)
            return -1;
    return 0;
}

static long add_node(struct walk *w, long task, size_t *deps, size_t n_deps)
{
    struct taskrun_node *nn =
        cr_realloc(w->p->nodes, (w->p->n + 1) * sizeof(*nn));
    if (!nn)
        return -1;
    w->p->nodes = nn;
    struct taskrun_node *node = &nn[w->p->n];
    memset(node, 0, sizeof(*node));
    node->task = (size_t)task;
    node->deps = deps;
    node->n_deps = n_deps;
    node->gate = -1;
    if (w->o->skip)
        node->skip_regex =
            regexec(w->o->skip, w->f->tasks[task].name, 0, NULL, 0) == 0;
    return (long)w->p->n++;
}

static enum taskrun_code visit(struct walk *w, const char *name,
                               const char *from, const size_t *after,
                               size_t n_after, long gate);

/* --skip-tasks matches a name as written, before it is looked up, as in
 * cargo-make: a skipped name need not exist, and what it would pull in
 * (dependencies, run_task) is not planned. */
static bool skipped(const struct walk *w, const char *name)
{
    return w->o->skip && regexec(w->o->skip, name, 0, NULL, 0) == 0;
}

/* A skipped name that is a task still gets a node (for its "skip"
 * event), with nothing under it. */
static enum taskrun_code visit_skipped(struct walk *w, const char *name,
                                       const size_t *after, size_t n_after)
{
    long task = taskrun_file_index(w->f, name);
    if (task < 0 || w->state[task] != WHITE)
        return TASKRUN_OK;
    size_t *deps = NULL, n_deps = 0;
    long node = -1;
    if (push_all(&deps, &n_deps, w->base, w->n_base) == 0 &&
        push_all(&deps, &n_deps, after, n_after) == 0)
        node = add_node(w, task, deps, n_deps);
    if (node < 0) {
        cr_free(deps);
        return nomem(w->err);
    }
    w->p->nodes[node].skip_regex = true;
    w->state[task] = DONE;
    if (push_idx(&w->done[task], &w->n_done[task], (size_t)node) != 0)
        return nomem(w->err);
    return TASKRUN_OK;
}

/* The task a visited name stands for: -1 with err set, or -2 for a
 * skipped name that is no task. */
static long visited(struct walk *w, const char *name, const char *from)
{
    if (skipped(w, name)) {
        long i = taskrun_file_index(w->f, name);
        return i < 0 ? -2 : i;
    }
    return resolve_from(w->f, name, from, w->err);
}

/* The run_task route that applies: the first whose condition holds. */
static const struct taskrun_route *pick_route(struct walk *w,
                                              const struct taskrun_task *t)
{
    for (size_t i = 0; i < t->n_routes; i++) {
        const struct taskrun_route *r = &t->routes[i];
        if (!w->o->ctx || (!r->cond && !r->cond_script.n))
            return r;
        if (taskrun_cond_eval(r->cond, w->o->ctx, NULL, 0) &&
            taskrun_cond_script(&r->cond_script, w->o->ctx->env, w->f->dir))
            return r;
    }
    return NULL;
}

/* Visits run_task targets; they wait for the task's own node. */
static enum taskrun_code visit_routes(struct walk *w, long task, long node)
{
    const struct taskrun_task *t = &w->f->tasks[task];
    const struct taskrun_route *r = pick_route(w, t);
    if (!r)
        return TASKRUN_OK;
    size_t *prev = NULL, n_prev = 0;
    if (push_idx(&prev, &n_prev, (size_t)node) != 0)
        return nomem(w->err);
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < r->names.n && rc == TASKRUN_OK; i++) {
        rc = visit(w, r->names.v[i], t->name, prev, n_prev, node);
        /* Resolved once already: only out of memory can fail here. */
        long ti = rc ? -1 : visited(w, r->names.v[i], t->name);
        if (!rc && ti == -1)
            rc = w->err->code;
        if (ti < 0)
            continue;
        if (push_all(&w->done[task], &w->n_done[task], w->done[ti],
                     w->n_done[ti]) != 0)
            rc = nomem(w->err);
        /* Serial run_task lists run one after the other. */
        if (!r->parallel && rc == TASKRUN_OK) {
            n_prev = 0;
            if (push_all(&prev, &n_prev, w->done[ti], w->n_done[ti]) != 0)
                rc = nomem(w->err);
        }
    }
    cr_free(prev);
    return rc;
}

static enum taskrun_code visit_task(struct walk *w, long task,
                                    const size_t *after, size_t n_after,
                                    long gate)
{
    const struct taskrun_task *t = &w->f->tasks[task];
    size_t *deps = NULL, n_deps = 0;
    enum taskrun_code rc = TASKRUN_OK;
    if (push_all(&deps, &n_deps, w->base, w->n_base) != 0 ||
        push_all(&deps, &n_deps, after, n_after) != 0)
        rc = nomem(w->err);
    for (size_t i = 0; i < t->deps.n && rc == TASKRUN_OK; i++) {
        rc = visit(w, t->deps.v[i], t->name, NULL, 0, -1);
        long di = rc ? -1 : visited(w, t->deps.v[i], t->name);
        if (!rc && di == -1)
            rc = w->err->code;
        if (di >= 0 &&
            push_all(&deps, &n_deps, w->done[di], w->n_done[di]) != 0)
            rc = nomem(w->err);
    }
    long node = rc ? -1 : add_node(w, task, deps, n_deps);
    if (node < 0) {
        cr_free(deps);
        return rc ? rc : nomem(w->err);
    }
    w->p->nodes[node].gate = gate;
    if (push_idx(&w->done[task], &w->n_done[task], (size_t)node) != 0)
        return nomem(w->err);
    return visit_routes(w, task, node);
}

static enum taskrun_code visit(struct walk *w, const char *name,
                               const char *from, const size_t *after,
                               size_t n_after, long gate)
{
    if (skipped(w, name))
        return visit_skipped(w, name, after, n_after);
    long task = resolve_from(w->f, name, from, w->err);
    if (task < 0)
        return w->err->code;
    if (w->state[task] == DONE) {
        /* Reached again as a plain dependency: no longer gated. */
        if (gate < 0)
            for (size_t i = 0; i < w->p->n; i++)
                if (w->p->nodes[i].task == (size_t)task)
                    w->p->nodes[i].gate = -1;
        return TASKRUN_OK;
    }
    if (w->state[task] == ACTIVE)
        return cycle(w, task, name);
    if (w->depth == w->cap) {
        size_t cap = w->cap * 2 + 16;
        struct step *np = cr_realloc(w->path, cap * sizeof(*np));
        if (!np)
            return nomem(w->err);
        w->path = np;
        w->cap = cap;
    }
    w->path[w->depth++] = (struct step){ name, task };
    w->state[task] = ACTIVE;
    enum taskrun_code rc = visit_task(w, task, after, n_after, gate);
    w->state[task] = DONE;
    w->depth--;
    return rc;
}

/* Frees what the walk allocated; also a half-made walk (done NULL). */
static void walk_free(struct walk *w)
{
    for (size_t i = 0; w->done && i < w->f->n_tasks; i++)
        cr_free(w->done[i]);
    cr_free(w->done);
    cr_free(w->n_done);
    cr_free(w->state);
    cr_free(w->path);
    cr_free(w->base);
}

/* [config] init_task runs first and end_task last, as in cargo-make. */
static enum taskrun_code plan_init_end(struct walk *w, bool end)
{
    const struct taskrun_config *c = &w->f->config;
    const char *name = end ? c->end_task : c->init_task;
    if (!name || !w->o->init_end)
        return TASKRUN_OK;
    size_t *all = NULL, n_all = 0;
    for (size_t i = 0; end && i < w->p->n; i++)
        if (push_idx(&all, &n_all, i) != 0) {
            cr_free(all);
            return nomem(w->err);
        }
    enum taskrun_code rc = visit(w, name, NULL, all, n_all, -1);
    cr_free(all);
    long ti = rc ? -1 : taskrun_file_index(w->f, name);
    if (!end && ti >= 0 &&
        push_all(&w->base, &w->n_base, w->done[ti], w->n_done[ti]) != 0)
        rc = nomem(w->err);
    return rc;
}

static enum taskrun_code check_root(struct walk *w, const char *name,
                                    long *root)
{
    *root = resolve_from(w->f, name, NULL, w->err);
    if (*root < 0)
        return w->err->code;
    const struct taskrun_task *t = &w->f->tasks[*root];
    if (t->is_private && !w->o->allow_private)
        return taskrun_error_set(w->err, TASKRUN_E_PLAN,
                                 "task \"%s\" is private (use --allow-private "
                                 "to run it)",
                                 t->name);
    return TASKRUN_OK;
}

enum taskrun_code taskrun_plan_build(struct taskrun_plan *p,
                                     const struct taskrun_file *f,
                                     const struct taskrun_plan_opts *o,
                                     struct cr_error *err)
{
    memset(p, 0, sizeof(*p));
    p->file = f;
    p->root = -1;
    struct walk w = { .f = f, .o = o, .p = p, .err = err };
    size_t n = f->n_tasks + 1;
    w.state = cr_calloc(n, 1);
    w.done = cr_calloc(n, sizeof(*w.done));
    w.n_done = cr_calloc(n, sizeof(*w.n_done));
    if (!w.state || !w.done || !w.n_done) {
        walk_free(&w);
        return nomem(err);
    }
    long root, more;
    enum taskrun_code rc = check_root(&w, o->task, &root);
    for (size_t i = 0; rc == TASKRUN_OK && i < o->n_more; i++)
        rc = check_root(&w, o->more[i], &more);
    if (rc == TASKRUN_OK)
        rc = plan_init_end(&w, false);
    if (rc == TASKRUN_OK)
        rc = visit(&w, o->task, NULL, NULL, 0, -1);
    /* More roots join the same graph: what they share runs once. */
    for (size_t i = 0; rc == TASKRUN_OK && i < o->n_more; i++)
        rc = visit(&w, o->more[i], NULL, NULL, 0, -1);
    for (size_t i = 0; rc == TASKRUN_OK && i < p->n; i++)
        if (p->nodes[i].task == (size_t)root)
            p->root = (long)i;
    if (rc == TASKRUN_OK)
        rc = plan_init_end(&w, true);
    walk_free(&w);
    return rc;
}

void taskrun_plan_release(struct taskrun_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        cr_free(p->nodes[i].deps);
    cr_free(p->nodes);
    memset(p, 0, sizeof(*p));
}

const struct taskrun_task *taskrun_plan_task(const struct taskrun_plan *p,
                                             size_t i)
{
    return &p->file->tasks[p->nodes[i].task];
}
