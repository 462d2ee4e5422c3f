/*
 * flamegraph: command-line tool. perf script output to folded stacks, folded
 * stacks to SVG flame graphs, differential graphs and top tables. The only
 * place that prints or exits; see flamegraph/README.md.
 */
#include "fg_cli.h"
#include "fg_collapse.h"
#include "fg_collapse_mt.h"
#include "fg_error.h"
#include "fg_folded.h"
#include "fg_map.h"
#include "fg_render.h"
#include "fg_top.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"
#include "cr_signal.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage;
};

static const struct command *find_command(const char *name);

/* ------------------------------------------------------------ collapse */

static int cmd_collapse(int argc, char **argv)
{
    struct fg_collapse_opts o = { 0 };
    const char *out_path = NULL, *input = NULL;
    int threads = fg_cli_threads();
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
        else if (strcmp(a, "--threads") == 0) {
            if (!(a = fg_cli_value(argc, argv, &i, "collapse")))
                return 2;
            if ((threads = fg_cli_parse_threads(a)) < 0)
                return fg_cli_usage("collapse",
                                    "--threads wants 1 to 64, not %s", a);
        } else if (strcmp(a, "--event") == 0) {
            if (!(o.event = fg_cli_value(argc, argv, &i, "collapse")))
                return 2;
        } else if (strcmp(a, "-o") == 0) {
            if (!(out_path = fg_cli_value(argc, argv, &i, "collapse")))
                return 2;
        } else if (a[0] == '-' && a[1] != '\0')
            return fg_cli_usage("collapse", "unknown option %s", a);
        else if (input)
            return fg_cli_usage("collapse", "one input only, got also %s", a);
        else
            input = a;
    }
    if (o.all_events && o.event)
        return fg_cli_usage("collapse", "%s",
                            "--all-events and --event exclude each other");
    if (!input)
        input = "-";
    struct fg_map m;
    struct fg_collapse c;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    fg_map_init(&m);
    fg_collapse_init(&c, &o, &m);
    enum fg_code rc = fg_collapse_path_mt(&c, input, threads, &err);
    int status = 0;
    if (rc != FG_OK)
        status = fg_cli_fail(&err, rc);
    else if (fg_folded_write(&m, 1, &out) != 0)
        status =
            fg_cli_fail(&err, fg_error_set(&err, FG_E_NOMEM, "out of memory"));
    else
        status = fg_cli_emit(out_path, &out);
    if (rc == FG_OK)
        fg_cli_warn_skipped(strcmp(input, "-") ? input : "<stdin>",
                            c.st.skipped, c.st.first_skipped);
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

/* ------------------------------------------------------------ render */

static int cmd_render(int argc, char **argv)
{
    struct fg_render_opts o;
    const char *out_path = NULL;
    const char **inputs = cr_calloc((size_t)argc + 1, sizeof(*inputs));
    size_t ninputs = 0;
    fg_render_opts_init(&o);
    if (!inputs)
        return fg_exit_status(FG_E_NOMEM);
    int threads = fg_cli_threads();
    for (int i = 1; i < argc; i++) {
        int r = fg_cli_render_option(argc, argv, &i, "render", &o, &out_path);
        if (r == 0 && strcmp(argv[i], "--threads") == 0) {
            const char *v = fg_cli_value(argc, argv, &i, "render");
            if (!v || (threads = fg_cli_parse_threads(v)) < 0) {
                cr_free(inputs);
                if (v)
                    fg_cli_usage("render", "--threads wants 1 to 64, not %s",
                                 v);
                return fg_exit_status(FG_E_USAGE);
            }
            continue;
        }
        if (r < 0) {
            cr_free(inputs);
            return fg_exit_status(FG_E_USAGE);
        }
        if (r == 0 && argv[i][0] == '-' && argv[i][1] != '\0') {
            cr_free(inputs);
            return fg_cli_usage("render", "unknown option %s", argv[i]);
        }
        if (r == 0)
            inputs[ninputs++] = argv[i];
    }
    if (ninputs == 0)
        inputs[ninputs++] = "-";
    char *cmdline = o.subtitle ? NULL : fg_cli_command_line(argc, argv);
    if (!o.subtitle)
        o.subtitle = cmdline;
    struct fg_map m;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    struct fg_render_result res = { 0 };
    enum fg_code rc = FG_OK;
    uint64_t perf_samples = 0;
    bool all_perf = true;
    fg_map_init(&m);
    /* Each input may be folded or raw perf script output: the collapser
     * tells them apart and passes folded lines through. */
    for (size_t i = 0; rc == FG_OK && i < ninputs; i++) {
        struct fg_collapse c;
        fg_collapse_init(&c, NULL, &m);
        rc = fg_collapse_path_mt(&c, inputs[i], threads, &err);
        perf_samples += c.st.samples;
        all_perf = all_perf && !c.st.folded;
        if (rc == FG_OK)
            fg_cli_warn_skipped(strcmp(inputs[i], "-") ? inputs[i] : "<stdin>",
                                c.st.skipped, c.st.first_skipped);
        fg_collapse_release(&c);
    }
    o.threads = threads;
    if (rc == FG_OK)
        rc = fg_render(&m, &o, &out, &res, &err);
    /* perf counts periods: 5 samples of cpu-clock weigh millions, so raw
     * input is judged by its number of samples. */
    if (rc == FG_OK && all_perf) {
        res.few_samples = perf_samples < 100;
        res.total = perf_samples;
        o.countname = "samples";
    }
    int status =
        fg_cli_finish_render(rc, &err, &res, out_path, &out, o.countname,
                             ninputs == 1 ? inputs[0] : NULL);
    cr_buf_release(&out);
    fg_map_release(&m);
    cr_free(cmdline);
    cr_free(inputs);
    return status;
}

/* ------------------------------------------------------------ diff */

static int cmd_diff(int argc, char **argv)
{
    struct fg_render_opts o;
    const char *out_path = NULL, *files[2] = { NULL, NULL };
    bool folded = false;
    fg_render_opts_init(&o);
    for (int i = 1; i < argc; i++) {
        int r = fg_cli_render_option(argc, argv, &i, "diff", &o, &out_path);
        if (r < 0)
            return fg_exit_status(FG_E_USAGE);
        if (r)
            continue;
        if (strcmp(argv[i], "--negate") == 0)
            o.negate = true;
        else if (strcmp(argv[i], "--folded") == 0)
            folded = true;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return fg_cli_usage("diff", "unknown option %s", argv[i]);
        else if (!files[0])
            files[0] = argv[i];
        else if (!files[1])
            files[1] = argv[i];
        else
            return fg_cli_usage("diff", "two inputs only, got also %s",
                                argv[i]);
    }
    if (!files[1])
        return fg_cli_usage("diff", "%s", "needs OLD.folded and NEW.folded");
    struct fg_map m;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    struct fg_render_result res = { 0 };
    enum fg_code rc = FG_OK;
    fg_map_init(&m);
    for (int k = 0; rc == FG_OK && k < 2; k++) {
        struct fg_folded_stats st;
        rc = fg_folded_read(&m, files[k], k, &st, &err);
        if (rc == FG_OK)
            fg_cli_warn_skipped(files[k], st.skipped, st.first_skipped);
    }
    int status;
    if (rc == FG_OK && folded) {
        status = fg_folded_write(&m, 2, &out) == 0 ? fg_cli_emit(out_path, &out)
                                                   : fg_exit_status(FG_E_NOMEM);
    } else {
        if (rc == FG_OK)
            rc = fg_render_diff(&m, &o, &out, &res, &err);
        status = fg_cli_finish_render(rc, &err, &res, out_path, &out,
                                      o.countname, files[1]);
    }
    cr_buf_release(&out);
    fg_map_release(&m);
    return status;
}

/* ------------------------------------------------------------ top */

static int cmd_top(int argc, char **argv)
{
    const char *input = NULL, *format = "text", *countname = "samples";
    size_t limit = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--format") == 0 || strcmp(a, "-n") == 0 ||
            strcmp(a, "--countname") == 0) {
            if (!(v = fg_cli_value(argc, argv, &i, "top")))
                return fg_exit_status(FG_E_USAGE);
            if (a[1] == 'n') {
                char *end;
                long n = strtol(v, &end, 10);
                if (*v == '\0' || *end != '\0' || n < 0)
                    return fg_cli_usage("top", "-n wants a count, not %s", v);
                limit = (size_t)n;
            } else if (a[2] == 'f') {
                format = v;
            } else {
                countname = v;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return fg_cli_usage("top", "unknown option %s", a);
        } else if (input) {
            return fg_cli_usage("top", "one input only, got also %s", a);
        } else {
            input = a;
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return fg_cli_usage("top", "--format is text or json, not %s", format);
    struct fg_map m;
    struct fg_top t = { 0 };
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    struct fg_collapse c;
    fg_map_init(&m);
    fg_collapse_init(&c, NULL, &m);
    enum fg_code rc = fg_collapse_path(&c, input ? input : "-", &err);
    if (rc == FG_OK)
        fg_cli_warn_skipped(input ? input : "<stdin>", c.st.skipped,
                            c.st.first_skipped);
    if (rc == FG_OK)
        rc = fg_top_compute(&t, &m, &err);
    int status;
    if (rc != FG_OK)
        status = fg_cli_fail(&err, rc);
    else if ((format[0] == 'j' ? fg_top_json(&t, limit, countname, &out)
                               : fg_top_text(&t, limit, countname, &out)) != 0)
        status = fg_exit_status(FG_E_NOMEM);
    else
        status = fg_cli_emit(NULL, &out);
    cr_buf_release(&out);
    fg_top_release(&t);
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
      "  --threads N    collapse on N threads (default: idle CPUs, 1 to 4)\n"
      "  -o OUT         write to OUT atomically (default stdout)\n"
      "\n"
      "Already folded input (heaptrack_print -F) is passed through, "
      "merged.\n" },
    { "render", cmd_render, "folded stacks -> interactive SVG flame graph",
      "usage: flamegraph render [--title T] [--subtitle S] [--countname NAME]\n"
      "                         [--width PX] [--minwidth PX|N%] "
      "[--inverted]\n"
      "                         [--colors PALETTE] [-o OUT.svg] "
      "[FOLDED...|-]\n"
      "\n"
      "  --title T        the title (default Flame Graph / Icicle Graph)\n"
      "  --subtitle S     the line under it (default: this command line)\n"
      "  --countname N    what a count is: samples, bytes, calls...\n"
      "  --width PX       image width (default 1200)\n"
      "  --minwidth W     leave out frames narrower than W pixels, or W% of\n"
      "                   the total (default 0.1 px)\n"
      "  --inverted       icicle graph: the root at the top\n"
      "  --colors P       hot (hued by kind: user, library, kernel,\n"
      "                   inlined), mem, io, red, green, blue, aqua, "
      "yellow,\n"
      "                   orange, purple\n"
      "  --threads N      threads for raw perf script input\n"
      "  -o OUT.svg       write atomically (default stdout)\n"
      "\n"
      "Inputs may be folded stacks or raw perf script output; several are\n"
      "merged. No valid input: an error SVG and exit 2. Fewer than 100\n"
      "samples: a warning.\n" },
    { "diff", cmd_diff, "differential flame graph of two folded profiles",
      "usage: flamegraph diff [--negate] [--folded] [render options]\n"
      "                       OLD.folded NEW.folded [-o OUT.svg]\n"
      "\n"
      "Widths come from NEW; red frames grew, blue ones shrank, stronger\n"
      "with the size of the change (--negate swaps the hues). --folded\n"
      "prints the two-column form \"stack OLD NEW\" instead of an SVG.\n" },
    { "top", cmd_top, "functions by self (flat) and total (cum) count",
      "usage: flamegraph top [--format text|json] [-n N] [--countname NAME]\n"
      "                      [FOLDED|-]\n"
      "\n"
      "Columns as pprof -top: flat, flat%, sum%, cum, cum%, name; sorted by\n"
      "flat. A function counts once per stack in cum (recursion).\n" },
    { "record", fg_cli_record, "profile a command with perf: every file",
      "usage: flamegraph record [--system-wide] [--call-graph "
      "fp|dwarf[,BYTES]]\n"
      "                         [-F HZ] [--out DIR] [--name NAME] "
      "[--previous DIR]\n"
      "                         [--min-samples N] [--only NAMES] [--own-hz "
      "HZ]\n"
      "                         [--perf PROG]\n"
      "                         -- COMMAND [ARGS...]\n"
      "\n"
      "  --system-wide, -a  record every process on every CPU while COMMAND\n"
      "                     runs (for work done by daemons: dockerd, "
      "containerd)\n"
      "  --call-graph CG    fp (frame pointers), dwarf (default: dwarf,32768)\n"
      "  -F HZ              samples per second per CPU (default 999)\n"
      "  --out DIR          where the files go (default .)\n"
      "  --name NAME        file name stem (default: COMMAND's name)\n"
      "  --previous DIR     compare with DIR/NAME.folded (default: the last\n"
      "                     run in --out, kept as NAME.prev.folded)\n"
      "  --min-samples N    fewer samples is an error (default 50)\n"
      "  --only NAMES       draw only processes whose name starts with one\n"
      "                     of the comma-separated NAMES (the report and\n"
      "                     perf.data keep everything)\n"
      "  --own-hz HZ        with --system-wide, also record COMMAND's own\n"
      "                     processes on their own at HZ (default 2999; 0:\n"
      "                     not), where their stacks unwind: .own.svg\n"
      "  --perf PROG        the perf program (default perf in PATH)\n"
      "\n"
      "Writes DIR/NAME.perf.data, .folded, .svg, .icicle.svg, .top.txt,\n"
      "top.json, .report.txt, with a previous profile .diff.svg, and with\n"
      "--system-wide .own.perf.data, .own.folded and .own.svg.\n"
      "Exit status: 3 perf missing, not permitted or failed, 4 COMMAND\n"
      "failed, 5 too few samples, 130 stopped by Ctrl-C (still drawn).\n" },
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
               "2 bad usage or no valid input;\nrecord: 3 perf missing, not "
               "permitted or failed, 4 the command failed, 5 too few "
               "samples\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_commands(stdout);
        return 0;
    }
    const struct command *c = find_command(argv[1]);
    if (!c)
        return fg_cli_usage("help", "no command %s", argv[1]);
    fputs(c->usage, stdout);
    return 0;
}

int main(int argc, char **argv)
{
    cr_alloc_set(NULL);
    /* Collapsing frees tables of several MiB and drawing allocates as
     * much again: keep freed memory in the heap for reuse (up to 32 MiB a
     * block, glibc's limit) rather than unmapping it and faulting in fresh
     * zeroed pages; measured on 31 MB of perf script, a third fewer page
     * faults and about 5 ms less system time. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    if (argc < 2 || fg_cli_is_help(argv[1])) {
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
        if (fg_cli_is_help(argv[i])) {
            fputs(c->usage, stdout);
            return 0;
        }
    }
    if (c->run == fg_cli_record) {
        /* Ctrl-C and SIGTERM set the flag that record watches: it stops
         * perf and the command cleanly (they have their own process group)
         * instead of this process dying and leaving the command running. */
        static const int sigs[] = { SIGINT, SIGTERM };
        const struct cr_signal_opts so = { sigs, 2, -1, NULL, 0 };
        cr_signal_install(&so);
    }
    return c->run(argc - 1, argv + 1);
}
