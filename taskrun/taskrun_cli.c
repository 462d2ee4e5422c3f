/* taskrun_cli: argument parsing and --help (see taskrun_cli.h). */
#include "taskrun_cli.h"

#include "taskrun_list.h"
#include "taskrun_output.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum opt_id {
    O_MAKEFILE,
    O_PROFILE,
    O_ENV,
    O_ENV_FILE,
    O_SKIP,
    O_TIME,
    O_PRIVATE,
    O_LIST,
    O_PRINT,
    O_JSON,
    O_STRICT,
    O_KEEP,
    O_JOBS,
    O_OUTPUT,
    O_HELP,
    O_VERSION,
    O_TASK,
    O_CWD,
    O_CATEGORY,
    O_NO_ON_ERROR,
    O_SKIP_INIT_END,
    O_EXT_DEPTH,
    O_LOGLEVEL,
    O_VERBOSE,
    O_QUIET,
    O_SILENT,
    O_NO_COLOR,
    O_OUTPUT_FORMAT,
    O_HIDE_UNINTERESTING,
    O_DIFF_STEPS,
    O_IGNORED, /* cargo-make flags that change nothing here */
};

struct opt {
    const char *name; /* long, without "--" */
    char letter;      /* short, or 0 */
    bool arg;
    enum opt_id id;
};

static const struct opt opts[] = {
    { "allow-private", 0, false, O_PRIVATE },
    { "env", 'e', true, O_ENV },
    { "env-file", 0, true, O_ENV_FILE },
    { "ext-depth", 0, true, O_EXT_DEPTH },
    { "help", 'h', false, O_HELP },
    { "jobs", 'j', true, O_JOBS },
    { "json", 0, false, O_JSON },
    { "keep-going", 'k', false, O_KEEP },
    { "cwd", 0, true, O_CWD },
    { "diff-steps", 0, false, O_DIFF_STEPS },
    { "disable-check-for-updates", 0, false, O_IGNORED },
    { "hide-uninteresting", 0, false, O_HIDE_UNINTERESTING },
    { "list-all-steps", 0, false, O_LIST },
    { "list-category-steps", 0, true, O_CATEGORY },
    { "loglevel", 'l', true, O_LOGLEVEL },
    { "no-color", 0, false, O_NO_COLOR },
    { "no-on-error", 0, false, O_NO_ON_ERROR },
    { "no-workspace", 0, false, O_IGNORED },
    { "makefile", 'f', true, O_MAKEFILE },
    { "output", 0, true, O_OUTPUT },
    { "output-format", 0, true, O_OUTPUT_FORMAT },
    { "print-steps", 'n', false, O_PRINT },
    { "profile", 'p', true, O_PROFILE },
    { "quiet", 0, false, O_QUIET },
    { "silent", 0, false, O_SILENT },
    { "skip-init-end-tasks", 0, false, O_SKIP_INIT_END },
    { "skip-tasks", 0, true, O_SKIP },
    { "strict", 0, false, O_STRICT },
    { "task", 't', true, O_TASK },
    { "time-summary", 0, false, O_TIME },
    { "verbose", 'v', false, O_VERBOSE },
    { "version", 'V', false, O_VERSION },
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

const char *taskrun_cli_usage(void)
{
    return "usage: taskrun [OPTIONS] [TASK [TASK...]] [-- ARGS...]\n"
           "\n"
           "Runs TASK (default \"default\") from tasks.toml, found in the\n"
           "current directory or the nearest parent (Makefile.toml is the\n"
           "fallback), with its dependencies as one graph. Words after\n"
           "TASK are more tasks when all of them name tasks, else the\n"
           "task's arguments (as in cargo-make).\n"
           "\n"
           "  -f, --makefile FILE   use FILE (any cargo-make Makefile.toml)\n"
           "  -p, --profile NAME    select [env.NAME] (default development)\n"
           "  -e, --env K=V         set an environment variable\n"
           "      --env-file FILE   read K=V lines from FILE\n"
           "  -j, --jobs N          run up to N tasks at once (default 1:\n"
           "                        cargo-make's serial order; 0: one per\n"
           "                        CPU)\n"
           "  -k, --keep-going      run what can run, fail at the end\n"
           "      --list-all-steps  list tasks by category\n"
           "      --list-category-steps CATEGORY\n"
           "                        list one category\n"
           "      --cwd DIR         change to DIR first\n"
           "  -n, --print-steps     print the plan, run nothing\n"
           "      --diff-steps      git diff of the plan as cargo-make's\n"
           "                        built-in flow would run it against\n"
           "                        the makefile's (needs git)\n"
           "      --skip-tasks RE   skip tasks whose name matches RE\n"
           "      --output MODE     prefixed, group, raw or auto (default:\n"
           "                        raw when one task runs at a time,\n"
           "                        else group when CI=true, else\n"
           "                        prefixed)\n"
           "      --json            NDJSON events on stdout (schema v1)\n"
           "      --time-summary    per-task wall/user/sys/RSS and the\n"
           "                        critical path after the run\n"
           "      --allow-private   allow running a private task\n"
           "      --strict          unknown keys are errors, not warnings\n"
           "  -h, --help            this text\n"
           "  -V, --version         the version\n"
           "      --output-format F list format: default, short-description,\n"
           "                        markdown, markdown-single-page,\n"
           "                        markdown-sub-section, autocomplete\n"
           "      --hide-uninteresting\n"
           "                        list without pre-/post- hooks, init,\n"
           "                        end, empty\n"
           "  -l, --loglevel LEVEL  verbose, info (default), error or off\n"
           "  -v, --verbose         -l verbose: also each task's command\n"
           "      --quiet           -l error: only errors and failures\n"
           "      --silent          -l off: nothing from taskrun itself\n"
           "      --no-color        set NO_COLOR=1 for the tasks\n"
           "Accepted and ignored (cargo-make): --no-workspace,\n"
           "  --disable-check-for-updates.\n"
           "      --no-on-error     do not run [config] on_error_task\n"
           "      --skip-init-end-tasks\n"
           "                        do not run [config] init_task/end_task\n"
           "\n"
           "Exit status: the failing task's own exit code; otherwise\n"
           "  0 success, 1 a task failed without an exit code,\n"
           "  2 usage error or invalid makefile, 3 invalid task graph\n"
           "  (cycle, missing or private task), 4 a task could not be\n"
           "  started (unsupported runner, multiple actions), 5 out of\n"
           "  memory, 130 interrupted (SIGINT), 143 terminated (SIGTERM),\n"
           "  129 SIGHUP, 141 stdout closed (SIGPIPE).\n"
           "Ctrl-C sends SIGTERM to every running task's process group,\n"
           "then SIGKILL after a 5 s grace period (a second Ctrl-C: at\n"
           "once).\n";
}

static const struct opt *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTS; i++)
        if (strlen(opts[i].name) == len &&
            strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    return NULL;
}

static const struct opt *find_short(char c)
{
    for (size_t i = 0; i < N_OPTS; i++)
        if (opts[i].letter == c)
            return &opts[i];
    return NULL;
}

static enum taskrun_code set_jobs(struct taskrun_cli *c, const char *v,
                                  struct cr_error *err)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0 || n > 64)
        return taskrun_error_set(err, TASKRUN_E_USAGE,
                                 "-j needs a number from 0 to 64, not \"%s\"",
                                 v);
    /* -j 0: one task per CPU. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    c->jobs = n ? (unsigned)n : (unsigned)(cpus > 0 && cpus <= 64 ? cpus : 1);
    return TASKRUN_OK;
}

static enum taskrun_code apply(struct taskrun_cli *c, const struct opt *o,
                               const char *v, struct cr_error *err)
{
    switch (o->id) {
    case O_MAKEFILE:
        c->makefile = v;
        break;
    case O_PROFILE:
        c->profile = v;
        break;
    case O_ENV:
        if (!strchr(v, '='))
            return taskrun_error_set(err, TASKRUN_E_USAGE,
                                     "-e needs NAME=VALUE, not \"%s\"", v);
        return cr_strv_push(&c->env_kv, v) ? TASKRUN_E_NOMEM : 0;
    case O_ENV_FILE:
        return cr_strv_push(&c->env_files, v) ? TASKRUN_E_NOMEM : 0;
    case O_SKIP:
        c->skip_tasks = v;
        break;
    case O_TIME:
        c->time_summary = true;
        break;
    case O_PRIVATE:
        c->allow_private = true;
        break;
    case O_LIST:
        c->list_all = true;
        break;
    case O_PRINT:
        c->print_steps = true;
        break;
    case O_JSON:
        c->json = true;
        break;
    case O_STRICT:
        c->strict = true;
        break;
    case O_KEEP:
        c->keep_going = true;
        break;
    case O_JOBS:
        return set_jobs(c, v, err);
    case O_OUTPUT:
        c->output = taskrun_output_parse(v);
        if (c->output < 0)
            return taskrun_error_set(
                err, TASKRUN_E_USAGE,
                "--output is prefixed, group, raw or auto, "
                "not \"%s\"",
                v);
        break;
    case O_HELP:
        c->help = true;
        break;
    case O_VERSION:
        c->version = true;
        break;
    case O_CWD:
        c->cwd = v;
        break;
    case O_CATEGORY:
        c->list_all = true;
        c->category = v;
        break;
    case O_NO_ON_ERROR:
        c->no_on_error = true;
        break;
    case O_SKIP_INIT_END:
        c->skip_init_end = true;
        break;
    case O_EXT_DEPTH:
        c->ext_depth = atoi(v) > 0 ? atoi(v) : 0;
        break;
    case O_LOGLEVEL:
        c->loglevel = taskrun_log_parse(v);
        if (c->loglevel < TASKRUN_LOG_OFF)
            return taskrun_error_set(err, TASKRUN_E_USAGE,
                                     "--loglevel is verbose, info, error or "
                                     "off, not \"%s\"",
                                     v);
        break;
    case O_VERBOSE:
        c->loglevel = TASKRUN_LOG_VERBOSE;
        break;
    case O_QUIET:
        c->loglevel = TASKRUN_LOG_ERROR;
        break;
    case O_SILENT:
        c->loglevel = TASKRUN_LOG_OFF;
        break;
    case O_NO_COLOR:
        c->no_color = true;
        break;
    case O_OUTPUT_FORMAT:
        c->list_format = taskrun_list_format_parse(v);
        if (c->list_format < 0)
            return taskrun_error_set(err, TASKRUN_E_USAGE,
                                     "--output-format is default, "
                                     "short-description, markdown, "
                                     "markdown-single-page, "
                                     "markdown-sub-section or autocomplete, "
                                     "not \"%s\"",
                                     v);
        break;
    case O_HIDE_UNINTERESTING:
        c->hide_uninteresting = true;
        break;
    case O_DIFF_STEPS:
        c->diff_steps = true;
        break;
    case O_IGNORED:
        break;
    case O_TASK:
        c->task = v;
        break;
    }
    return TASKRUN_OK;
}

/* One option at argv[*i]; consumes its value. */
static enum taskrun_code parse_opt(struct taskrun_cli *c, int argc, char **argv,
                                   int *i, struct cr_error *err)
{
    const char *a = argv[*i];
    const struct opt *o;
    const char *v = NULL;
    if (a[1] == '-') {
        const char *eq = strchr(a + 2, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        o = find_long(a + 2, len);
        v = eq ? eq + 1 : NULL;
    } else {
        o = find_short(a[1]);
        v = a[2] ? a + 2 : NULL;
    }
    if (!o)
        return taskrun_error_set(err, TASKRUN_E_USAGE, "unknown option \"%s\"",
                                 a);
    if (o->arg && !v) {
        if (*i + 1 >= argc)
            return taskrun_error_set(err, TASKRUN_E_USAGE, "%s needs a value",
                                     a);
        v = argv[++*i];
    }
    if (!o->arg && v)
        return taskrun_error_set(err, TASKRUN_E_USAGE, "%s takes no value", a);
    return apply(c, o, v, err);
}

enum taskrun_code taskrun_cli_parse(struct taskrun_cli *c, int argc,
                                    char **argv, struct cr_error *err)
{
    memset(c, 0, sizeof(*c));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        enum taskrun_code rc = TASKRUN_OK;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc && rc == TASKRUN_OK; i++)
                if (cr_strv_push(&c->args, argv[i]) != 0)
                    rc = TASKRUN_E_NOMEM;
            return rc;
        }
        if (a[0] == '-' && a[1])
            rc = parse_opt(c, argc, argv, &i, err);
        else if (!c->task)
            c->task = a;
        else if (cr_strv_push(&c->args, a) != 0)
            rc = TASKRUN_E_NOMEM;
        else
            c->n_loose_args++;
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}

void taskrun_cli_release(struct taskrun_cli *c)
{
    cr_strv_release(&c->env_kv);
    cr_strv_release(&c->env_files);
    cr_strv_release(&c->args);
}
