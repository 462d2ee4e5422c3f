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

/*
 * One task being visited: the walk is depth-first with an explicit stack of
 * these (a 50,000-task dependency chain must not exhaust the C stack), and
 * the stack is also the path printed for a cycle.
 */
struct frame {
    const char *name; /* as referenced, for the cycle message */
    long task;
    long gate;
    bool routes;     /* dependencies done: now the run_task targets */
    bool cleaned;    /* the route's cleanup_task was entered */
    bool is_cleanup; /* this task is a route's cleanup_task */
    bool entered;    /* item `at` was entered; finish it when back */
    bool fresh;      /* and planned then, waiting for prev */
    long child;      /* the task item `at` resolved to */
    size_t at;       /* the next dependency or run_task target */
    size_t *deps;    /* the node's dependencies, being gathered, owned */
    size_t n_deps, cap_deps;
    long node;                      /* once the dependencies are done */
    const struct taskrun_route *r;  /* the run_task route taken, or NULL */
    size_t *prev, n_prev, cap_prev; /* what the next target waits for */
};

struct walk {
    const struct taskrun_file *f;
    const struct taskrun_plan_opts *o;
    struct taskrun_plan *p;
    struct cr_error *err;
    unsigned char *state; /* per task */
    size_t **done;        /* per task: nodes a dependent must wait for */
    size_t *n_done, *cap_done;
    long *node_of; /* per task: its node (one at most), or -1 */
    struct frame *path;
    size_t depth, cap;
    size_t cap_nodes; /* of p->nodes */
    size_t *base;     /* init_task's nodes: everything else waits for them */
    size_t n_base, cap_base;
    unsigned *mark; /* per node: the stamp of the last dedup that saw it */
    unsigned stamp;
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
    if (taskrun_is_core_task(name) && f->config.skip_core_tasks)
        why = " (a cargo-make core task, left out by [config] "
              "skip_core_tasks = true)";
    else if (taskrun_is_core_task(name))
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

/* Appends src to *v (duplicates are removed later by dedup). */
static int append(size_t **v, size_t *n, size_t *cap, const size_t *src,
                  size_t k)
{
    if (*n + k > *cap) {
        size_t nc = (*n + k) * 2 + 4;
        size_t *nv = cr_realloc(*v, nc * sizeof(size_t));
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    if (k)
        memcpy(*v + *n, src, k * sizeof(size_t));
    *n += k;
    return 0;
}

/* Drops repeated node indices from v, keeping first occurrences in order:
 * one pass, with a per-node stamp instead of a scan per element. */
static void dedup(struct walk *w, size_t *v, size_t *n)
{
    if (++w->stamp == 0) {
        memset(w->mark, 0, (w->f->n_tasks + 1) * sizeof(*w->mark));
        w->stamp = 1;
    }
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (w->mark[v[i]] != w->stamp) {
            w->mark[v[i]] = w->stamp;
            v[k++] = v[i];
        }
    *n = k;
}

static long add_node(struct walk *w, long task, size_t *deps, size_t n_deps)
{
    if (w->p->n == w->cap_nodes) {
        size_t cap = w->cap_nodes * 2 + 8;
        struct taskrun_node *nn = cr_realloc(w->p->nodes, cap * sizeof(*nn));
        if (!nn)
            return -1;
        w->p->nodes = nn;
        w->cap_nodes = cap;
    }
    struct taskrun_node *node = &w->p->nodes[w->p->n];
    memset(node, 0, sizeof(*node));
    node->task = (size_t)task;
    node->deps = deps;
    node->n_deps = n_deps;
    node->gate = -1;
    if (w->o->skip)
        node->skip_regex =
            regexec(w->o->skip, w->f->tasks[task].name, 0, NULL, 0) == 0;
    w->node_of[task] = (long)w->p->n;
    return (long)w->p->n++;
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

/* --skip-tasks matches a name as written, before it is looked up, as in
 * cargo-make: a skipped name need not exist, and what it would pull in
 * (dependencies, run_task) is not planned. */
static bool skipped(const struct walk *w, const char *name)
{
    return w->o->skip && regexec(w->o->skip, name, 0, NULL, 0) == 0;
}

/*
 * A skipped name: *task_out is -2 when it names no task; a task not yet
 * planned gets a node (for its "skip" event) waiting only for base and
 * after, with nothing planned under it.
 */
static enum taskrun_code enter_skipped(struct walk *w, const char *name,
                                       const size_t *after, size_t n_after,
                                       long *task_out)
{
    long task = taskrun_file_index(w->f, name);
    size_t *deps = NULL, n_deps = 0, cap_deps = 0, nd;
    long node;

    *task_out = task < 0 ? -2 : task;
    if (task < 0 || w->state[task] != WHITE)
        return TASKRUN_OK;
    if (append(&deps, &n_deps, &cap_deps, w->base, w->n_base) ||
        append(&deps, &n_deps, &cap_deps, after, n_after) ||
        (node = add_node(w, task, deps, n_deps)) < 0) {
        cr_free(deps);
        return nomem(w->err);
    }
    w->p->nodes[node].skip_regex = true;
    w->state[task] = DONE;
    nd = (size_t)node;
    if (append(&w->done[task], &w->n_done[task], &w->cap_done[task], &nd, 1))
        return nomem(w->err);
    return TASKRUN_OK;
}

/*
 * Starts visiting name (referenced by from): pushes a frame, or returns
 * with *pushed false when the task is already planned (or skipped). The
 * new frame waits for base and for after[0..n_after) (copied: after may
 * move).
 */
static enum taskrun_code enter(struct walk *w, const char *name,
                               const char *from, const size_t *after,
                               size_t n_after, long gate, long *task_out,
                               bool *pushed)
{
    *pushed = false;
    if (skipped(w, name))
        return enter_skipped(w, name, after, n_after, task_out);
    long task = resolve_from(w->f, name, from, w->err);
    *task_out = task;
    if (task < 0)
        return w->err->code;
    if (w->state[task] == DONE) {
        /* Reached again as a plain dependency: no longer gated. */
        if (gate < 0 && w->node_of[task] >= 0)
            w->p->nodes[w->node_of[task]].gate = -1;
        return TASKRUN_OK;
    }
    if (w->state[task] == ACTIVE)
        return cycle(w, task, name);
    if (w->depth == w->cap) {
        size_t cap = w->cap * 2 + 16;
        struct frame *np = cr_realloc(w->path, cap * sizeof(*np));
        if (!np)
            return nomem(w->err);
        w->path = np;
        w->cap = cap;
    }
    struct frame *fr = &w->path[w->depth];
    memset(fr, 0, sizeof(*fr));
    fr->name = name;
    fr->task = task;
    fr->gate = gate;
    fr->node = -1;
    w->depth++;
    w->state[task] = ACTIVE;
    *pushed = true;
    if (append(&fr->deps, &fr->n_deps, &fr->cap_deps, w->base, w->n_base) ||
        append(&fr->deps, &fr->n_deps, &fr->cap_deps, after, n_after))
        return nomem(w->err);
    return TASKRUN_OK;
}

/* The dependencies are visited: the task's own node, then its route. */
static enum taskrun_code close_deps(struct walk *w, struct frame *fr)
{
    const struct taskrun_task *t = &w->f->tasks[fr->task];
    dedup(w, fr->deps, &fr->n_deps);
    long node = add_node(w, fr->task, fr->deps, fr->n_deps);
    if (node < 0)
        return nomem(w->err);
    fr->deps = NULL; /* the node owns them now */
    fr->node = node;
    w->p->nodes[node].gate = fr->gate;
    w->p->nodes[node].cleanup = fr->is_cleanup;
    size_t nd = (size_t)node, t_i = (size_t)fr->task;
    if (append(&w->done[t_i], &w->n_done[t_i], &w->cap_done[t_i], &nd, 1) ||
        append(&fr->prev, &fr->n_prev, &fr->cap_prev, &nd, 1))
        return nomem(w->err);
    fr->routes = true;
    fr->at = 0;
    fr->r = pick_route(w, t);
    return TASKRUN_OK;
}

/* Item fr->at (a dependency or a target) is planned: collect its nodes. */
static enum taskrun_code finish_item(struct walk *w, struct frame *fr)
{
    size_t c = (size_t)fr->child, t_i = (size_t)fr->task;
    fr->entered = false;
    fr->at++;
    if (fr->child < 0) /* a skipped name that is no task: nothing to wait for */
        return TASKRUN_OK;
    if (!fr->routes)
        return append(&fr->deps, &fr->n_deps, &fr->cap_deps, w->done[c],
                      w->n_done[c])
                   ? nomem(w->err)
                   : TASKRUN_OK;
    /* Parallel targets all wait for the task alone; the task is done when
     * every one of them is. The cleanup_task waits for all of them. */
    if (fr->r->parallel || fr->cleaned)
        return append(&w->done[t_i], &w->n_done[t_i], &w->cap_done[t_i],
                      w->done[c], w->n_done[c])
                   ? nomem(w->err)
                   : TASKRUN_OK;
    /*
     * Serial run_task lists run one after the other, and prev is what the
     * next target waits for: a target planned here waited for prev, so its
     * own done nodes stand for all before it; one planned earlier did not,
     * so it joins prev. Done nodes are thus never copied down a chain of
     * run_task (a 50,000-long chain once held n^2 of them).
     */
    if (fr->fresh)
        fr->n_prev = 0;
    if (append(&fr->prev, &fr->n_prev, &fr->cap_prev, w->done[c], w->n_done[c]))
        return nomem(w->err);
    dedup(w, fr->prev, &fr->n_prev);
    return TASKRUN_OK;
}

/* A serial route is done when prev is: that replaces the task's node. */
static enum taskrun_code close_routes(struct walk *w, struct frame *fr)
{
    size_t t_i = (size_t)fr->task;
    if (fr->r && !fr->r->parallel) {
        w->n_done[t_i] = 0;
        if (append(&w->done[t_i], &w->n_done[t_i], &w->cap_done[t_i], fr->prev,
                   fr->n_prev))
            return nomem(w->err);
    }
    dedup(w, w->done[t_i], &w->n_done[t_i]);
    return TASKRUN_OK;
}

static void frame_free(struct frame *fr)
{
    cr_free(fr->deps);
    cr_free(fr->prev);
    fr->deps = fr->prev = NULL;
}

/*
 * Plans name and everything it leads to, the way cargo-make walks
 * (dependencies depth-first in declaration order, the task, then its
 * run_task targets), with the frames of w->path as the stack.
 */
static enum taskrun_code visit(struct walk *w, const char *name,
                               const char *from, const size_t *after,
                               size_t n_after, long gate)
{
    long task;
    bool pushed;
    enum taskrun_code rc =
        enter(w, name, from, after, n_after, gate, &task, &pushed);
    while (rc == TASKRUN_OK && w->depth) {
        struct frame *fr = &w->path[w->depth - 1];
        const struct taskrun_task *t = &w->f->tasks[fr->task];
        if (fr->entered) {
            rc = finish_item(w, fr);
            continue;
        }
        const struct cr_strv *items =
            fr->routes ? (fr->r ? &fr->r->names : NULL) : &t->deps;
        if (items && fr->at < items->n) {
            const char *it = items->v[fr->at];
            size_t me = w->depth - 1; /* enter may move the stack */
            fr->entered = true;
            if (fr->routes)
                rc = enter(w, it, t->name, fr->prev, fr->n_prev, fr->node,
                           &fr->child, &pushed);
            else
                rc = enter(w, it, t->name, NULL, 0, -1, &fr->child, &pushed);
            w->path[me].fresh = pushed;
            continue;
        }
        if (!fr->routes) {
            rc = close_deps(w, fr);
            continue;
        }
        size_t t_i = (size_t)fr->task;
        if (!fr->cleaned && (rc = close_routes(w, fr)) != TASKRUN_OK)
            continue;
        if (fr->r && fr->r->cleanup && !fr->cleaned) {
            /* After the task and every target, gated like a target. */
            fr->cleaned = fr->entered = true;
            rc = enter(w, fr->r->cleanup, t->name, w->done[t_i], w->n_done[t_i],
                       fr->node, &fr->child, &pushed);
            if (rc == TASKRUN_OK && pushed)
                w->path[w->depth - 1].is_cleanup = true;
            continue;
        }
        frame_free(fr);
        w->state[fr->task] = DONE;
        w->depth--;
    }
    /* On an error, what the unfinished frames gathered is dropped. */
    for (; w->depth; w->depth--)
        frame_free(&w->path[w->depth - 1]);
    return rc;
}

/* Frees what the walk allocated; also a half-made walk (done NULL). */
static void walk_free(struct walk *w)
{
    for (size_t i = 0; w->done && i < w->f->n_tasks; i++)
        cr_free(w->done[i]);
    cr_free(w->done);
    cr_free(w->n_done);
    cr_free(w->cap_done);
    cr_free(w->node_of);
    cr_free(w->mark);
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
    size_t *all = NULL, n_all = end ? w->p->n : 0;
    if (n_all && !(all = cr_malloc(n_all * sizeof(*all))))
        return nomem(w->err);
    for (size_t i = 0; i < n_all; i++)
        all[i] = i;
    enum taskrun_code rc = visit(w, name, NULL, all, n_all, -1);
    cr_free(all);
    long ti = rc ? -1 : taskrun_file_index(w->f, name);
    if (!end && ti >= 0) {
        if (append(&w->base, &w->n_base, &w->cap_base, w->done[ti],
                   w->n_done[ti]) != 0)
            rc = nomem(w->err);
        else
            dedup(w, w->base, &w->n_base);
    }
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
    w.cap_done = cr_calloc(n, sizeof(*w.cap_done));
    w.node_of = cr_malloc(n * sizeof(*w.node_of));
    w.mark = cr_calloc(n, sizeof(*w.mark));
    if (!w.state || !w.done || !w.n_done || !w.cap_done || !w.node_of ||
        !w.mark) {
        walk_free(&w);
        return nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        w.node_of[i] = -1;
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
    if (rc == TASKRUN_OK)
        p->root = w.node_of[root];
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
