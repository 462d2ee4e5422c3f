/*
 * taskrun_env_eval: [env] and task env evaluation (see taskrun_env_eval.h):
 * order by reference, conditions, mappings, { script } and { glob } values.
 */
#include "taskrun_env_eval.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_proc.h"
#include "cr_strmap.h"
#include "taskrun_cond.h"
#include "taskrun_glob.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *map_lookup(const struct taskrun_envvar *v, const char *key)
{
    for (size_t i = 0; i < v->n_map; i++)
        if (strcmp(v->map[i].key, key) == 0)
            return v->map[i].value;
    return NULL;
}

/* Runs a { script = [...] } value and returns its trimmed stdout. */
static char *run_env_script(struct taskrun_env *e, const char *body,
                            const char *dir)
{
    const char *argv[] = { "sh", "-e", "-c", body, NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .envp = (const char *const *)e->vars,
                              .cwd = dir,
                              .out = CR_PROC_PIPE };
    char *out = NULL;
    int code = cr_proc_run(&o, &out);
    /* A failed script has no value: partial output must not become one. */
    if (code != 0) {
        cr_free(out);
        return NULL;
    }
    size_t n = strlen(out);
    while (n > 0 && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    return out;
}

/*
 * The paths matching a { glob } value, joined with ';' as cargo-make does.
 * Relative patterns are relative to the makefile's directory (where tasks
 * run) and so are the results.
 */
static char *glob_value(const struct taskrun_envvar *v, const char *pattern,
                        const char *dir)
{
    struct cr_buf full = { 0 }, out = { 0 };
    struct cr_strv m = { 0 };
    bool rel = pattern[0] != '/' && dir;
    size_t skip = rel ? strlen(dir) + 1 : 0;
    int rc = rel ? cr_buf_printf(&full, "%s/%s", dir, pattern)
                 : cr_buf_puts(&full, pattern);
    if (rc == 0)
        rc = taskrun_glob(cr_buf_str(&full), &m);
    rc |= cr_buf_puts(&out, "");
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        const char *p = m.v[i] + skip;
        size_t n = strlen(p);
        bool is_dir = n > 1 && p[n - 1] == '/';
        if (is_dir ? !v->glob_dirs : !v->glob_files)
            continue;
        rc |= cr_buf_printf(&out, "%s%.*s", out.len ? ";" : "",
                            (int)(n - is_dir), p);
    }
    cr_strv_release(&m);
    cr_buf_release(&full);
    if (rc) {
        cr_buf_release(&out);
        return NULL;
    }
    return cr_buf_detach(&out);
}

/* The value one entry gives, or NULL with *skip set when it sets nothing. */
static char *entry_value(struct taskrun_env *e, const struct taskrun_envvar *v,
                         const char *profile, const char *dir, bool *skip)
{
    *skip = false;
    if (v->cond) {
        struct taskrun_cond_ctx ctx = { e, profile, taskrun_platform(), dir };
        if (!taskrun_cond_eval(v->cond, &ctx, NULL, 0)) {
            *skip = true;
            return NULL;
        }
    }
    switch (v->kind) {
    case TASKRUN_ENV_VALUE:
        return taskrun_env_expand(e, v->value);
    case TASKRUN_ENV_MAPPING: {
        char *src = taskrun_env_expand(e, v->value);
        const char *m = src ? map_lookup(v, src) : NULL;
        char *r = taskrun_env_expand(e, m ? m : v->dflt ? v->dflt : "");
        cr_free(src);
        return r;
    }
    case TASKRUN_ENV_SCRIPT:
        return run_env_script(e, v->value, dir);
    case TASKRUN_ENV_GLOB: {
        char *pat = taskrun_env_expand(e, v->value);
        char *r = pat ? glob_value(v, pat, dir) : NULL;
        cr_free(pat);
        return r;
    }
    default:
        *skip = true;
        return NULL;
    }
}

/* One entry being placed: its references are refs[at..end). */
struct env_frame {
    size_t i, at, end;
};

struct env_sort {
    const struct taskrun_envvar *vars;
    size_t n;
    unsigned char *state; /* 0 new, 1 active, 2 placed */
    size_t *order, placed;
    struct cr_strmap first;         /* name -> its first entry */
    size_t *next;                   /* the next entry of the same name, or n */
    size_t *refs, n_refs, cap_refs; /* the active entries' references */
    struct env_frame *stack;
    size_t depth, cap;
    struct cr_error *err;
};

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static int push_ref(struct env_sort *s, size_t j)
{
    if (s->n_refs == s->cap_refs) {
        size_t cap = s->cap_refs * 2 + 16;
        size_t *nr = cr_realloc(s->refs, cap * sizeof(*nr));
        if (!nr)
            return -1;
        s->refs = nr;
        s->cap_refs = cap;
    }
    s->refs[s->n_refs++] = j;
    return 0;
}

/*
 * Appends to refs, in file order and once each, the entries whose name
 * entry i's text refers to as ${name} (not i's own name: "${PATH}:x" in
 * PATH means the value before). A name ends at the first '}', as in
 * taskrun_env_expand. Linear in the text plus the entries found.
 */
static int collect_refs(struct env_sort *s, size_t i)
{
    const struct taskrun_envvar *v = &s->vars[i];
    if ((v->kind != TASKRUN_ENV_VALUE && v->kind != TASKRUN_ENV_MAPPING &&
         v->kind != TASKRUN_ENV_GLOB) ||
        !v->value)
        return 0;
    size_t from = s->n_refs;
    const char *close = NULL;
    for (const char *p = strstr(v->value, "${"); p; p = strstr(p + 1, "${")) {
        if (close < p + 2 && !(close = strchr(p + 2, '}')))
            break;
        size_t j, nl = (size_t)(close - (p + 2));
        if (!cr_strmap_get(&s->first, p + 2, nl, &j) ||
            strcmp(s->vars[j].name, v->name) == 0)
            continue;
        for (; j < s->n; j = s->next[j])
            if (push_ref(s, j) != 0)
                return -1;
    }
    size_t k = s->n_refs - from;
    if (k > 1) {
        size_t *r = s->refs + from, w = 1;
        qsort(r, k, sizeof(*r), cmp_size);
        for (size_t x = 1; x < k; x++)
            if (r[x] != r[w - 1])
                r[w++] = r[x];
        s->n_refs = from + w;
    }
    return 0;
}

static enum taskrun_code sort_nomem(struct env_sort *s)
{
    return taskrun_error_set(s->err, TASKRUN_E_NOMEM, "out of memory");
}

/* Makes i active: its references become the top frame. */
static enum taskrun_code env_push(struct env_sort *s, size_t i)
{
    if (s->depth == s->cap) {
        size_t cap = s->cap * 2 + 16;
        struct env_frame *ns = cr_realloc(s->stack, cap * sizeof(*ns));
        if (!ns)
            return sort_nomem(s);
        s->stack = ns;
        s->cap = cap;
    }
    size_t at = s->n_refs;
    if (collect_refs(s, i) != 0)
        return sort_nomem(s);
    s->state[i] = 1;
    s->stack[s->depth++] = (struct env_frame){ i, at, s->n_refs };
    return TASKRUN_OK;
}

/*
 * Places i after the entries it refers to (cargo-make reorders [env] the
 * same way), keeping file order otherwise. A reference loop is an error.
 * Depth-first with an explicit stack: a long chain of references must not
 * exhaust the C stack.
 */
static enum taskrun_code env_place(struct env_sort *s, size_t i)
{
    if (s->state[i] == 2)
        return TASKRUN_OK;
    enum taskrun_code rc = env_push(s, i);
    while (!rc && s->depth) {
        struct env_frame *f = &s->stack[s->depth - 1];
        if (f->at == f->end) {
            s->state[f->i] = 2;
            s->order[s->placed++] = f->i;
            s->n_refs = f->at;
            s->depth--;
            continue;
        }
        size_t j = s->refs[f->at++];
        if (s->state[j] == 1)
            return taskrun_error_set(s->err, TASKRUN_E_LOAD,
                                     "%senv cycle: \"%s\" refers to itself "
                                     "through other variables",
                                     s->vars[j].where ? s->vars[j].where : "",
                                     s->vars[j].name);
        if (s->state[j] == 0)
            rc = env_push(s, j);
    }
    return rc;
}

/* The name index: first entry of each name, and the chain of the rest. */
static int env_index(struct env_sort *s)
{
    for (size_t i = s->n; i-- > 0;) {
        const char *nm = s->vars[i].name;
        size_t j;
        s->next[i] = cr_strmap_get(&s->first, nm, strlen(nm), &j) ? j : s->n;
        if (cr_strmap_put(&s->first, nm, strlen(nm), i) != 0)
            return -1;
    }
    return 0;
}

static enum taskrun_code env_order(const struct taskrun_envvar *vars, size_t n,
                                   size_t **order, struct cr_error *err)
{
    struct env_sort s = { .vars = vars, .n = n, .err = err };
    s.state = cr_calloc(n + 1, 1);
    s.order = cr_malloc((n + 1) * sizeof(size_t));
    s.next = cr_malloc((n + 1) * sizeof(size_t));
    enum taskrun_code rc = TASKRUN_OK;
    if (!s.state || !s.order || !s.next || env_index(&s) != 0)
        rc = sort_nomem(&s);
    for (size_t i = 0; i < n && !rc; i++)
        rc = env_place(&s, i);
    cr_free(s.state);
    cr_free(s.next);
    cr_free(s.refs);
    cr_free(s.stack);
    cr_strmap_release(&s.first);
    if (rc) {
        cr_free(s.order);
        s.order = NULL;
    }
    *order = s.order;
    return rc;
}

static enum taskrun_code apply_one(struct taskrun_env *e,
                                   const struct taskrun_envvar *v,
                                   const char *profile, const char *dir,
                                   struct cr_error *err)
{
    if (v->kind == TASKRUN_ENV_UNSET) {
        taskrun_env_unset(e, v->name);
        return TASKRUN_OK;
    }
    bool skip;
    char *val = entry_value(e, v, profile, dir, &skip);
    if (skip)
        return TASKRUN_OK;
    if (!val && v->kind == TASKRUN_ENV_SCRIPT)
        return taskrun_error_set(err, TASKRUN_E_RUN,
                                 "env \"%s\": its script failed (non-zero "
                                 "exit or could not start)",
                                 v->name);
    if (!val || taskrun_env_set(e, v->name, val) != 0) {
        cr_free(val);
        return taskrun_error_set(err, TASKRUN_E_NOMEM,
                                 "out of memory setting %s", v->name);
    }
    cr_free(val);
    return TASKRUN_OK;
}

enum taskrun_code taskrun_env_apply(struct taskrun_env *e,
                                    const struct taskrun_envvar *vars, size_t n,
                                    const char *profile, const char *dir,
                                    struct cr_error *err)
{
    size_t *order;
    enum taskrun_code rc = env_order(vars, n, &order, err);
    for (size_t k = 0; k < n && !rc; k++)
        rc = apply_one(e, &vars[order[k]], profile, dir, err);
    cr_free(order);
    return rc;
}
