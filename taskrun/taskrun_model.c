/* taskrun_model: constructors and destructors for the model. */
#include "taskrun_model.h"

#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

char *taskrun_strdup(const char *s)
{
    return s ? cr_strdup(s) : NULL;
}

int taskrun_strv_push_take(struct taskrun_strv *sv, char *s)
{
    if (!s)
        return -1;
    char **nv = cr_realloc(sv->v, (sv->n + 2) * sizeof(*nv));
    if (!nv) {
        cr_free(s);
        return -1;
    }
    sv->v = nv;
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
    return 0;
}

int taskrun_strv_push(struct taskrun_strv *sv, const char *s)
{
    return taskrun_strv_push_take(sv, cr_strdup(s ? s : ""));
}

int taskrun_strv_copy(struct taskrun_strv *dst, const struct taskrun_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (taskrun_strv_push(dst, src->v[i]) != 0)
            return -1;
    return 0;
}

void taskrun_strv_release(struct taskrun_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        cr_free(sv->v[i]);
    cr_free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

long taskrun_strv_find(const struct taskrun_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return (long)i;
    return -1;
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
    taskrun_strv_release(&c->profiles);
    taskrun_strv_release(&c->platforms);
    taskrun_strv_release(&c->env_set);
    taskrun_strv_release(&c->env_not_set);
    taskrun_strv_release(&c->env_true);
    taskrun_strv_release(&c->env_false);
    kv_free(c->env, c->n_env);
    kv_free(c->env_not, c->n_env_not);
    kv_free(c->env_contains, c->n_env_contains);
    taskrun_strv_release(&c->files_exist);
    taskrun_strv_release(&c->files_not_exist);
    taskrun_strv_release(&c->modified_input);
    taskrun_strv_release(&c->modified_output);
    cr_free(c->fail_message);
    cr_free(c);
}

void taskrun_envvar_release(struct taskrun_envvar *e)
{
    cr_free(e->name);
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
    taskrun_strv_release(&j->args);
    taskrun_strv_release(&j->command);
    cr_free(j->output);
    cr_free(j->baseline);
    memset(j, 0, sizeof(*j));
}

void taskrun_task_release(struct taskrun_task *t)
{
    cr_free(t->name);
    cr_free(t->where);
    cr_free(t->description);
    cr_free(t->category);
    cr_free(t->command);
    taskrun_strv_release(&t->args);
    cr_free(t->script);
    cr_free(t->script_file);
    cr_free(t->script_runner);
    taskrun_strv_release(&t->script_runner_args);
    cr_free(t->script_extension);
    for (size_t i = 0; i < t->n_routes; i++) {
        taskrun_strv_release(&t->routes[i].names);
        taskrun_cond_free(t->routes[i].cond);
        taskrun_strv_release(&t->routes[i].cond_script);
    }
    cr_free(t->routes);
    job_release(&t->job);
    taskrun_strv_release(&t->deps);
    taskrun_strv_release(&t->env_files);
    env_free(t->env, t->n_env);
    cr_free(t->cwd);
    taskrun_cond_free(t->cond);
    taskrun_strv_release(&t->cond_script);
    cr_free(t->deprecated);
    cr_free(t->alias);
    cr_free(t->rust_key);
    cr_free(t->extend);
    memset(t, 0, sizeof(*t));
}

struct taskrun_task *taskrun_file_add_task(struct taskrun_file *f,
                                           const char *name)
{
    struct taskrun_task *nt =
        cr_realloc(f->tasks, (f->n_tasks + 1) * sizeof(*nt));
    if (!nt)
        return NULL;
    f->tasks = nt;
    struct taskrun_task *t = &f->tasks[f->n_tasks];
    memset(t, 0, sizeof(*t));
    t->name = cr_strdup(name);
    if (!t->name)
        return NULL;
    f->n_tasks++;
    return t;
}

long taskrun_file_index(const struct taskrun_file *f, const char *name)
{
    for (size_t i = 0; i < f->n_tasks; i++)
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
    cr_free(f->config.on_error_task);
    cr_free(f->config.min_version);
    taskrun_strv_release(&f->env_files);
    taskrun_strv_release(&f->env_files_defaults);
    env_free(f->env, f->n_env);
    for (size_t i = 0; i < f->profile_names.n; i++)
        env_free(f->profiles[i], f->n_profile_env[i]);
    cr_free(f->profiles);
    cr_free(f->n_profile_env);
    taskrun_strv_release(&f->profile_names);
    for (size_t i = 0; i < f->n_tasks; i++)
        taskrun_task_release(&f->tasks[i]);
    cr_free(f->tasks);
    memset(f, 0, sizeof(*f));
}
