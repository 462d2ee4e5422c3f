/*
 * taskrun_jobkinds: the job kinds beyond command/script. Each builds one
 * `sh -c` program with its parameters as positional arguments, so nothing
 * from the makefile is ever pasted into shell text.
 */
#include "taskrun_jobkinds.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_slot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char bench_sh[] =
    "out=$1; base=$2; shift 2\n"
    "mkdir -p \"$(dirname \"$out\")\"\n"
    "\"$@\" > \"$out.partial\"; rc=$?\n"
    "cat \"$out.partial\"\n"
    "if [ $rc -ne 0 ]; then rm -f \"$out.partial\"; exit $rc; fi\n"
    "mv \"$out.partial\" \"$out\"\n"
    "echo \"benchmark results saved to $out\"\n"
    "if [ -n \"$base\" ] && [ -f \"$base\" ]; then\n"
    "  if \"$1\" --help 2>&1 | grep -q 'bench compare'; then\n"
    "    \"$1\" compare \"$base\" \"$out\"\n"
    "  else\n"
    "    echo \"note: baseline comparison skipped: $1 has no 'compare'\"\\\n"
    "         \"command yet (results are saved; compare by hand with $base)\"\n"
    "  fi\n"
    "fi\n";

static char *default_output(const char *dir, const char *task, const char *ext)
{
    struct cr_buf b = { 0 };
    if (cr_buf_printf(&b, ".cleanroom/%s/%s%s", dir, task, ext) != 0)
        return NULL;
    return cr_buf_detach(&b);
}

static enum taskrun_code validate_bench(struct taskrun_task *t,
                                        struct cr_error *err)
{
    if (!t->job.output)
        t->job.output = default_output("bench", t->name, ".txt");
    return t->job.output ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

static enum taskrun_code validate_slo(struct taskrun_task *t,
                                      struct cr_error *err)
{
    return TASKRUN_OK;
}

static enum taskrun_code validate_profile(struct taskrun_task *t,
                                          struct cr_error *err)
{
    if (!t->job.output)
        t->job.output = cr_strdup(".cleanroom/profile");
    return t->job.output ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

static enum taskrun_code validate_heaptrack(struct taskrun_task *t,
                                            struct cr_error *err)
{
    if (!t->job.output)
        t->job.output = default_output("memory", t->name, "");
    return t->job.output ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

/* argv = sh -c PROGRAM NAME then the given values. */
static int sh_prog(struct taskrun_exec *x, const char *prog, const char *name)
{
    return cr_strv_push(&x->argv, "sh") | cr_strv_push(&x->argv, "-c") |
           cr_strv_push(&x->argv, prog) | cr_strv_push(&x->argv, name);
}

static int push_expanded(struct taskrun_exec *x,
                         const struct taskrun_job_ctx *c, const char *s)
{
    return cr_strv_push_take(&x->argv, taskrun_env_expand(c->env, s));
}

static enum taskrun_code done(int rc, struct cr_error *err)
{
    return rc ? taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory")
              : TASKRUN_OK;
}

static enum taskrun_code build_bench(const struct taskrun_task *t,
                                     const struct taskrun_job_ctx *c,
                                     struct taskrun_exec *x,
                                     struct cr_error *err)
{
    int rc = sh_prog(x, bench_sh, "taskrun-benchmark");
    rc |= push_expanded(x, c, t->job.output);
    rc |= push_expanded(x, c, t->job.baseline ? t->job.baseline : "");
    rc |= push_expanded(x, c, t->job.bin);
    rc |= taskrun_env_expand_argv(c->env, &t->job.args, c->cli, &x->argv);
    return done(rc, err);
}

static enum taskrun_code build_slo(const struct taskrun_task *t,
                                   const struct taskrun_job_ctx *c,
                                   struct taskrun_exec *x, struct cr_error *err)
{
    int rc = push_expanded(x, c, t->job.bin);
    rc |= cr_strv_push(&x->argv, "check");
    rc |= taskrun_env_expand_argv(c->env, &t->job.args, c->cli, &x->argv);
    return done(rc, err);
}

/*
 * flamegraph record [--system-wide] [--call-graph CG] [-F HZ] --out OUTPUT
 * --name NAME -- command...: the flamegraph tool runs perf and writes the
 * folded stacks, flame graphs, top tables and report (flamegraph/README.md).
 */
static enum taskrun_code build_profile(const struct taskrun_task *t,
                                       const struct taskrun_job_ctx *c,
                                       struct taskrun_exec *x,
                                       struct cr_error *err)
{
    const struct taskrun_job *j = &t->job;
    int rc = push_expanded(x, c, j->flamegraph ? j->flamegraph : "flamegraph");
    rc |= cr_strv_push(&x->argv, "record");
    if (j->system_wide)
        rc |= cr_strv_push(&x->argv, "--system-wide");
    if (j->call_graph)
        rc |= cr_strv_push(&x->argv, "--call-graph") |
              push_expanded(x, c, j->call_graph);
    if (j->frequency)
        rc |= cr_strv_push(&x->argv, "-F") | push_expanded(x, c, j->frequency);
    if (j->only)
        rc |= cr_strv_push(&x->argv, "--only") | push_expanded(x, c, j->only);
    rc |= cr_strv_push(&x->argv, "--out") | push_expanded(x, c, j->output);
    rc |= cr_strv_push(&x->argv, "--name") |
          push_expanded(x, c, j->name ? j->name : t->name);
    rc |= cr_strv_push(&x->argv, "--");
    rc |= taskrun_env_expand_argv(c->env, &j->command, c->cli, &x->argv);
    return done(rc, err);
}

/*
 * bin memory --out OUTPUT args...: slo's memory check, which runs heaptrack
 * and judges the heap objectives of its file (slo/README.md), so the
 * limits live in the objectives file, not here.
 */
static enum taskrun_code build_heaptrack(const struct taskrun_task *t,
                                         const struct taskrun_job_ctx *c,
                                         struct taskrun_exec *x,
                                         struct cr_error *err)
{
    int rc = push_expanded(x, c, t->job.bin);
    rc |= cr_strv_push(&x->argv, "memory");
    rc |= cr_strv_push(&x->argv, "--out");
    rc |= push_expanded(x, c, t->job.output);
    rc |= taskrun_env_expand_argv(c->env, &t->job.args, c->cli, &x->argv);
    return done(rc, err);
}

static const char *const bench_keys[] = { "bin", "args", "output", "baseline",
                                          NULL };
static const char *const slo_keys[] = { "bin", "args", NULL };
static const char *const heaptrack_keys[] = { "bin", "args", "output", NULL };
static const char *const profile_keys[] = {
    "command",     "output",    "name", "flamegraph", "call_graph",
    "system_wide", "frequency", "only", NULL
};

static const struct taskrun_job_kind kinds[] = {
    { "benchmark", "run bin with args, save its output, compare", bench_keys,
      validate_bench, build_bench },
    { "heaptrack", "run bin memory (heap objectives under heaptrack)",
      heaptrack_keys, validate_heaptrack, build_heaptrack },
    { "profile", "flamegraph record a command: perf, flame graphs, report",
      profile_keys, validate_profile, build_profile },
    { "slo", "run bin check with args", slo_keys, validate_slo, build_slo },
};

const struct taskrun_job_kind *taskrun_job_kinds(size_t *n)
{
    *n = sizeof(kinds) / sizeof(kinds[0]);
    return kinds;
}

const struct taskrun_job_kind *taskrun_job_find(const char *name)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

/* The profile kind's scalars: system_wide (a boolean), frequency (an
 * integer, Hz), call_graph ("fp" or "dwarf"[,BYTES]). */
static enum taskrun_code profile_key(struct taskrun_loader *l,
                                     struct taskrun_slot s, const char *k,
                                     struct taskrun_job *j)
{
    enum cr_toml_type ty = cr_toml_type(s.v);
    if (k[0] == 's') {
        if (ty != CR_TOML_BOOL)
            return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                                 "\"system_wide\" must be true or false");
        j->system_wide = cr_toml_bool(s.v);
        return TASKRUN_OK;
    }
    if (k[0] == 'f') {
        if (ty != CR_TOML_INTEGER || cr_toml_int(s.v) < 1 ||
            cr_toml_int(s.v) > 100000)
            return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                                 "\"frequency\" must be an integer from 1 "
                                 "to 100000 (samples per second)");
        cr_free(j->frequency);
        j->frequency = taskrun__scalar(s.v);
        return j->frequency ? TASKRUN_OK : TASKRUN_E_NOMEM;
    }
    const char *cg = ty == CR_TOML_STRING ? cr_toml_string(s.v, NULL) : "";
    if (strcmp(cg, "fp") != 0 && strcmp(cg, "dwarf") != 0 &&
        strncmp(cg, "dwarf,", 6) != 0)
        return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                             "\"call_graph\" must be \"fp\", \"dwarf\" or "
                             "\"dwarf,BYTES\"");
    cr_free(j->call_graph);
    j->call_graph = cr_strdup(cg);
    return j->call_graph ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

static enum taskrun_code job_key(struct taskrun_loader *l,
                                 struct taskrun_slot s, const char *k,
                                 struct taskrun_task *t)
{
    struct taskrun_job *j = &t->job;
    if (strcmp(k, "system_wide") == 0 || strcmp(k, "frequency") == 0 ||
        strcmp(k, "call_graph") == 0)
        return profile_key(l, s, k, j);
    bool list = strcmp(k, "args") == 0 || strcmp(k, "command") == 0;
    if (list && cr_toml_type(s.v) != CR_TOML_ARRAY)
        return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                             "\"%s\" must be an array", k);
    if (!list && cr_toml_type(s.v) != CR_TOML_STRING)
        return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                             "\"%s\" must be a string", k);
    if (list) {
        struct cr_strv *sv = k[0] == 'a' ? &j->args : &j->command;
        for (size_t i = 0; i < cr_toml_len(s.v); i++)
            if (cr_strv_push_take(sv, taskrun__scalar(cr_toml_at(s.v, i))))
                return TASKRUN_E_NOMEM;
        return TASKRUN_OK;
    }
    char **dst = strcmp(k, "bin") == 0          ? &j->bin
                 : strcmp(k, "output") == 0     ? &j->output
                 : strcmp(k, "flamegraph") == 0 ? &j->flamegraph
                 : strcmp(k, "name") == 0       ? &j->name
                 : strcmp(k, "only") == 0       ? &j->only
                                                : &j->baseline;
    cr_free(*dst);
    *dst = cr_strdup(cr_toml_string(s.v, NULL));
    return *dst ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

static enum taskrun_code job_kind(struct taskrun_loader *l,
                                  struct taskrun_slot k, struct taskrun_task *t)
{
    const char *names[8];
    size_t n;
    const struct taskrun_job_kind *all = taskrun_job_kinds(&n);
    for (size_t i = 0; i < n; i++)
        names[i] = all[i].name;
    if (!k.v || cr_toml_type(k.v) != CR_TOML_STRING)
        return taskrun__lerr(l, k.doc, cr_toml_pos(k.v),
                             "job needs \"kind\" (one of benchmark, "
                             "heaptrack, profile, slo)");
    const char *name = cr_toml_string(k.v, NULL);
    t->job.kind = taskrun_job_find(name);
    if (t->job.kind)
        return TASKRUN_OK;
    const char *s = cr_toml_suggest(name, names, n);
    return taskrun__lerr(
        l, k.doc, cr_toml_pos(k.v), "unknown job kind \"%s\"%s%s%s", name,
        s ? " (did you mean \"" : "", s ? s : "", s ? "\"?)" : "");
}

enum taskrun_code taskrun_job_decode(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_task *t)
{
    t->job.line = cr_toml_pos(s.v).line;
    bool table = cr_toml_type(s.v) == CR_TOML_TABLE;
    struct taskrun_slot k = { table ? cr_toml_get(s.v, "kind") : s.v, s.doc };
    if (!k.v)
        k.v = s.v;
    enum taskrun_code rc = job_kind(l, k, t);
    for (size_t i = 0; table && !rc && i < cr_toml_len(s.v); i++) {
        struct cr_pos pos;
        const char *key = cr_toml_key_at(s.v, i, &pos);
        const char *const *known = t->job.kind->keys;
        size_t nk = 0;
        while (known[nk] && strcmp(known[nk], key) != 0)
            nk++;
        if (strcmp(key, "kind") == 0)
            continue;
        if (!known[nk]) {
            char where[300];
            snprintf(where, sizeof(where), "%s job of [tasks.%s]",
                     t->job.kind->name, t->name);
            while (known[nk])
                nk++;
            rc = taskrun__unknown_key(l, s.doc, pos, key, where, known, nk);
            continue;
        }
        rc =
            job_key(l, (struct taskrun_slot){ cr_toml_value_at(s.v, i), s.doc },
                    key, t);
    }
    /* Kinds that measure a command cannot do without one, nor kinds that
     * run a program without its name: taskrun knows no build tree. */
    bool wants_command = false, wants_bin = false;
    for (const char *const *kk = rc ? NULL : t->job.kind->keys; kk && *kk;
         kk++) {
        wants_command |= strcmp(*kk, "command") == 0;
        wants_bin |= strcmp(*kk, "bin") == 0;
    }
    if (!rc && wants_command && t->job.command.n == 0)
        rc = taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                           "%s job of [tasks.%s] needs \"command\" (an "
                           "array)",
                           t->job.kind->name, t->name);
    if (!rc && wants_bin && !t->job.bin)
        rc = taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                           "%s job of [tasks.%s] needs \"bin\" (the program "
                           "to run: a path, or a name looked up in PATH)",
                           t->job.kind->name, t->name);
    if (!rc)
        rc = t->job.kind->validate(t, l->err);
    return rc;
}
