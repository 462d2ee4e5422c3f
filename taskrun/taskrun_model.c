/* taskrun_model: constructors and destructors for the model. */
#include "taskrun_model.h"

#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

char *taskrun_strdup(const char *s)
{
    return s ? cr_strdup(s) : NULL;
}

static void kv_free(struct taskrun_kv *kv, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cr_free(kv[i].key);
        cr_free(kv[i].value);
    }
    cr_free(kv);
}

void taskrun_cond_free(struct taskrun_cond *c)
{
    if (!c)
        return;
    cr_strv_release(&c->profiles);
    cr_strv_release(&c->platforms);
    cr_strv_release(&c->channels);
    cr_free(c->rust_min);
    cr_free(c->rust_max);
    cr_free(c->rust_equal);
    cr_strv_release(&c->env_set);
    cr_strv_release(&c->env_not_set);
    cr_strv_release(&c->env_true);
    cr_strv_release(&c->env_false);
    kv_free(c->env, c->n_env);
    kv_free(c->env_not, c->n_env_not);
    kv_free(c->env_contains, c->n_env_contains);
    cr_strv_release(&c->files_exist);
    cr_strv_release(&c->files_not_exist);
    cr_strv_release(&c->modified_input);
    cr_strv_release(&c->modified_output);
    cr_free(c->fail_message);
    cr_free(c);
}

void taskrun_envvar_release(struct taskrun_envvar *e)
{
    cr_free(e->name);
    cr_free(e->where);
    cr_free(e->value);
    cr_free(e->dflt);
    kv_free(e->map, e->n_map);
    taskrun_cond_free(e->cond);
    memset(e, 0, sizeof(*e));
}

static void env_free(struct taskrun_envvar *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        taskrun_envvar_release(&e[i]);
    cr_free(e);
}

static void job_release(struct taskrun_job *j)
{
    cr_free(j->bin);
    cr_strv_release(&j->args);
    cr_strv_release(&j->command);
    cr_free(j->output);
    cr_free(j->baseline);
    cr_free(j->flamegraph);
    cr_free(j->name);
    cr_free(j->call_graph);
    cr_free(j->frequency);
    cr_free(j->only);
    memset(j, 0, sizeof(*j));
}

void taskrun_task_release(struct taskrun_task *t)
{
    cr_free(t->name);
    cr_free(t->where);
    cr_free(t->description);
    cr_free(t->category);
    cr_free(t->command);
    cr_strv_release(&t->args);
    cr_free(t->script);
    cr_free(t->script_file);
    cr_free(t->script_runner);
    cr_strv_release(&t->script_runner_args);
    cr_free(t->script_extension);
    for (size_t i = 0; i < t->n_routes; i++) {
        cr_strv_release(&t->routes[i].names);
        taskrun_cond_free(t->routes[i].cond);
        cr_strv_release(&t->routes[i].cond_script);
        cr_free(t->routes[i].cleanup);
    }
    cr_free(t->routes);
    job_release(&t->job);
    cr_strv_release(&t->deps);
    cr_strv_release(&t->env_files);
    env_free(t->env, t->n_env);
    cr_free(t->cwd);
    taskrun_cond_free(t->cond);
    cr_strv_release(&t->cond_script);
    cr_strv_release(&t->watch_paths);
    cr_strv_release(&t->watch_ignore);
    cr_free(t->deprecated);
    cr_free(t->alias);
    cr_free(t->rust_key);
    cr_free(t->extend);
    cr_free(t->ext_makefile);
    cr_free(t->ext_task);
    for (size_t i = 0; i < t->n_refs; i++) {
        cr_free(t->refs[i].key);
        cr_free(t->refs[i].value);
    }
    cr_free(t->refs);
    memset(t, 0, sizeof(*t));
}

const char *taskrun_task_ref_where(const struct taskrun_task *t,
                                   const char *name)
{
    for (size_t i = 0; t && i < t->n_refs; i++)
        if (strcmp(t->refs[i].key, name) == 0)
            return t->refs[i].value;
    return NULL;
}

struct taskrun_task *taskrun_file_add_task(struct taskrun_file *f,
                                           const char *name)
{
    /* Geometric growth: adding n tasks one by one stays O(n). */
    if (f->n_tasks == f->cap_tasks) {
        size_t cap = f->cap_tasks * 2 + 8;
        struct taskrun_task *nt = cr_realloc(f->tasks, cap * sizeof(*nt));
        if (!nt)
            return NULL;
        f->tasks = nt;
        f->cap_tasks = cap;
    }
    struct taskrun_task *t = &f->tasks[f->n_tasks];
    memset(t, 0, sizeof(*t));
    t->name = cr_strdup(name);
    if (!t->name)
        return NULL;
    /* The first task of a name wins, as the scan in taskrun_file_index. */
    if (cr_strmap_add(&f->task_index, t->name, strlen(t->name), f->n_tasks)) {
        cr_free(t->name);
        t->name = NULL;
        return NULL;
    }
    f->n_tasks++;
    return t;
}

long taskrun_file_index(const struct taskrun_file *f, const char *name)
{
    size_t i;
    if (f->task_index.n == f->n_tasks)
        return cr_strmap_get(&f->task_index, name, strlen(name), &i) ? (long)i
                                                                     : -1;
    for (i = 0; i < f->n_tasks; i++)
        if (strcmp(f->tasks[i].name, name) == 0)
            return (long)i;
    return -1;
}

struct taskrun_task *taskrun_file_find(const struct taskrun_file *f,
                                       const char *name)
{
    long i = taskrun_file_index(f, name);
    return i < 0 ? NULL : &f->tasks[i];
}

void taskrun_file_release(struct taskrun_file *f)
{
    if (!f)
        return;
    cr_free(f->path);
    cr_free(f->dir);
    cr_free(f->config.init_task);
    cr_free(f->config.end_task);
    cr_free(f->config.core_namespace);
    cr_free(f->config.on_error_task);
    cr_free(f->config.min_version);
    cr_strv_release(&f->env_files);
    cr_strv_release(&f->env_files_defaults);
    env_free(f->env, f->n_env);
    for (size_t i = 0; i < f->profile_names.n; i++)
        env_free(f->profiles[i], f->n_profile_env[i]);
    cr_free(f->profiles);
    cr_free(f->n_profile_env);
    cr_strv_release(&f->profile_names);
    for (size_t i = 0; i < f->n_tasks; i++)
        taskrun_task_release(&f->tasks[i]);
    cr_free(f->tasks);
    cr_strmap_release(&f->task_index);
    memset(f, 0, sizeof(*f));
}
