/*
 * flamegraph: command-line tool. perf script output to folded stacks, folded
 * stacks to SVG flame graphs, differential graphs and top tables. The only
 * place that prints or exits; see flamegraph/README.md.
 */
#include "fg_collapse.h"
#include "fg_error.h"
#include "fg_folded.h"
#include "fg_map.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage;
};

static const struct command *find_command(const char *name);

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "flamegraph %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see 'flamegraph %s --help')\n", cmd);
    return fg_exit_status(FG_E_USAGE);
}

static int fail(struct cr_error *err, enum fg_code rc)
{
    fprintf(stderr, "flamegraph: %s\n",
            err->msg[0] ? err->msg : fg_strerror(rc));
    return fg_exit_status(rc);
}

/* Writes out to path atomically, or to stdout when path is NULL or "-". */
static int emit(const char *path, const struct cr_buf *out)
{
    if (!path || strcmp(path, "-") == 0) {
        if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len) {
            fprintf(stderr, "flamegraph: <stdout>: %s\n", strerror(errno));
            return fg_exit_status(FG_E_IO);
        }
        return fflush(stdout) == 0 ? 0 : fg_exit_status(FG_E_IO);
    }
    int rc =
        cr_fs_write_atomic(path, out->data ? out->data : "", out->len, 0644);
    if (rc != 0) {
        fprintf(stderr, "flamegraph: cannot write %s: %s\n", path,
                strerror(-rc));
        return fg_exit_status(FG_E_IO);
    }
    return 0;
}

static bool is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* An option's value: the next argument, or NULL after printing why. */
static const char *value(int argc, char **argv, int *i, const char *cmd)
{
    if (*i + 1 >= argc) {
        usage_error(cmd, "option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

static void warn_skipped(const char *input, uint64_t skipped, uint64_t first)
{
    if (skipped)
        fprintf(stderr,
                "flamegraph: %s:%llu: skipped %llu unrecognised line%s "
                "(first here)\n",
                input, (unsigned long long)first, (unsigned long long)skipped,
                skipped == 1 ? "" : "s");
}

/* ------------------------------------------------------------ collapse */

static int cmd_collapse(int argc, char **argv)
{
    struct fg_collapse_opts o = { 0 };
    const char *out_path = NULL, *input = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--pid") == 0)
            o.pid = true;
        else if (strcmp(a, "--tid") == 0)
            o.tid = true;
        else if (strcmp(a, "--kernel") == 0)
            o.kernel = true;
        else if (strcmp(a, "--addrs") == 0)
            o.addrs = true;
        else if (strcmp(a, "--all-events") == 0)
            o.all_events = true;
        else if (strcmp(a, "--event") == 0) {
            if (!(o.event = value(argc, argv, &i, "collapse")))
                return 2;
        } else if (strcmp(a, "-o") == 0) {
            if (!(out_path = value(argc, argv, &i, "collapse")))
                return 2;
        } else if (a[0] == '-' && a[1] != '\0')
            return usage_error("collapse", "unknown option %s", a);
        else if (input)
            return usage_error("collapse", "one input only, got also %s", a);
        else
            input = a;
    }
    if (o.all_events && o.event)
        return usage_error("collapse", "%s",
                           "--all-events and --event exclude each other");
    if (!input)
        input = "-";
    struct fg_map m;
    struct fg_collapse c;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    fg_map_init(&m);
    fg_collapse_init(&c, &o, &m);
    enum fg_code rc = fg_collapse_path(&c, input, &err);
    int status = 0;
    if (rc != FG_OK)
        status = fail(&err, rc);
    else if (fg_folded_write(&m, 1, &out) != 0)
        status = fail(&err, fg_error_set(&err, FG_E_NOMEM, "out of memory"));
    else
        status = emit(out_path, &out);
    if (rc == FG_OK)
        warn_skipped(strcmp(input, "-") ? input : "<stdin>", c.st.skipped,
                     c.st.first_skipped);
    if (rc == FG_OK && c.st.filtered && !o.event)
        fprintf(stderr,
                "flamegraph: kept event %s only, dropped %llu samples of "
                "other events (--all-events keeps them)\n",
                c.event.data, (unsigned long long)c.st.filtered);
    cr_buf_release(&out);
    fg_collapse_release(&c);
    fg_map_release(&m);
    return status;
}

/* ------------------------------------------------------------ dispatch */

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    { "collapse", cmd_collapse, "perf script output -> folded stacks",
      "usage: flamegraph collapse [--pid] [--tid] [--kernel] [--addrs]\n"
      "                           [--all-events | --event NAME] [-o OUT] "
      "[INPUT|-]\n"
      "\n"
      "  --pid          root frame comm-PID\n"
      "  --tid          root frame comm-PID/TID\n"
      "  --kernel       mark kernel frames with _[k]\n"
      "  --addrs        show the address of unknown symbols\n"
      "  --all-events   keep every event type (default: the first seen)\n"
      "  --event NAME   keep only the event type NAME\n"
      "  -o OUT         write to OUT atomically (default stdout)\n"
      "\n"
      "Already folded input (heaptrack_print -F) is passed through, "
      "merged.\n" },
    { "help", cmd_help, "show the commands, or one command's options",
      "usage: flamegraph help [COMMAND]\n" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_commands(FILE *f)
{
    fprintf(f, "usage: flamegraph COMMAND [options] [--help]\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit status: 0 ok, 1 runtime failure (I/O, memory), "
               "2 bad usage or no valid input\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_commands(stdout);
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (!c)
        return usage_error("help", "no command %s", argv[1]);
    fputs(c->usage, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    cr_alloc_set(NULL);
    if (argc < 2 || is_help(argv[1])) {
        print_commands(argc < 2 ? stderr : stdout);
        return argc < 2 ? fg_exit_status(FG_E_USAGE) : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("flamegraph (cleanroom " CLEANROOM_VERSION ")");
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "flamegraph: '%s' is not a command\n", argv[1]);
        print_commands(stderr);
        return fg_exit_status(FG_E_USAGE);
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (is_help(argv[i])) {
            fputs(c->usage, stdout);
            return 0;
        }
    }
    return c->run(argc - 1, argv + 1);
}
