/* fg_cli_record: the tool's `record` command: perf record, perf script
 * collapsed, then every output file (see fg_cli.h and
 * flamegraph/README.md, "record"). Command-layer code: it prints. */
#include "fg_cli.h"
#include "fg_folded.h"
#include "fg_record.h"
#include "fg_record_report.h"
#include "fg_render.h"
#include "fg_top.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_signal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rec {
    struct fg_record_opts o;
    const char *dir, *name, *previous;
    const char *only; /* --only: the process-name prefixes drawn */
    unsigned long min_samples;
    char comm[16];
    char *cmdline;        /* owned: the profiled command, for subtitles */
    struct fg_map own;    /* owned: the stacks of the command's processes */
    struct fg_map sw_own; /* owned: the same in the system-wide data */
    size_t own_pids;      /* how many processes those were (0: unknown) */
    unsigned long own_hz; /* --own-hz: system-wide, also the command's
                           * processes alone at this rate (0: not) */
    char *own_data;       /* owned: DIR/NAME.own.perf.data, or NULL */
    struct cr_buf path;   /* scratch for file names */
};

/* DIR/NAME + suffix, in r->path (valid until the next call). */
static const char *file(struct rec *r, const char *dir, const char *suffix)
{
    cr_buf_reset(&r->path);
    if (cr_buf_printf(&r->path, "%s/%s%s", dir, r->name, suffix) != 0)
        return NULL;
    return r->path.data;
}

static void forward(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    fwrite(s, 1, n, stderr);
}

static bool parse_uint(const char *s, unsigned long lo, unsigned long hi,
                       unsigned long *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || x < lo || x > hi)
        return false;
    *v = x;
    return true;
}

/* "fp", "dwarf" (32 KiB of stack: 8 and 16 KiB cut deep stacks
 * short, measured in flamegraph/README.md) or "dwarf,BYTES". */
static const char *parse_call_graph(const char *v)
{
    unsigned long n;
    if (strcmp(v, "fp") == 0)
        return v;
    if (strcmp(v, "dwarf") == 0)
        return "dwarf,32768";
    if (strncmp(v, "dwarf,", 6) == 0 && parse_uint(v + 6, 8, 65528, &n) &&
        n % 8 == 0)
        return v;
    return NULL;
}

/* The options that take a value. */
enum opt {
    O_CALL_GRAPH,
    O_HZ,
    O_OUT,
    O_NAME,
    O_PREVIOUS,
    O_MIN,
    O_PERF,
    O_ONLY,
    O_OWN_HZ
};

static const struct {
    const char *name;
    enum opt id;
} valued[] = {
    { "--call-graph", O_CALL_GRAPH },
    { "-F", O_HZ },
    { "--out", O_OUT },
    { "--name", O_NAME },
    { "--previous", O_PREVIOUS },
    { "--min-samples", O_MIN },
    { "--perf", O_PERF },
    { "--only", O_ONLY },
    { "--own-hz", O_OWN_HZ },
};

/* Stores option id's value v; returns 0 or the usage status. */
static int apply(struct rec *r, enum opt id, const char *v, unsigned long *hz)
{
    switch (id) {
    case O_CALL_GRAPH:
        if ((r->o.call_graph = parse_call_graph(v)))
            return 0;
        return fg_cli_usage("record",
                            "--call-graph is fp, dwarf or dwarf,BYTES (a "
                            "multiple of 8), not %s",
                            v);
    case O_HZ:
        if (parse_uint(v, 1, 100000, hz))
            return 0;
        return fg_cli_usage("record", "-F wants 1 to 100000 Hz, not %s", v);
    case O_MIN:
        if (parse_uint(v, 1, 1000000, &r->min_samples))
            return 0;
        return fg_cli_usage("record", "--min-samples wants a count, not %s", v);
    case O_OUT:
        r->dir = v;
        return 0;
    case O_NAME:
        r->name = v;
        return 0;
    case O_PREVIOUS:
        r->previous = v;
        return 0;
    case O_PERF:
        r->o.perf = v;
        return 0;
    case O_ONLY:
        r->only = v;
        return 0;
    case O_OWN_HZ:
        if (parse_uint(v, 0, 100000, &r->own_hz))
            return 0;
        return fg_cli_usage("record", "--own-hz wants 0 to 100000 Hz, not %s",
                            v);
    }
    return 0;
}

static int parse(struct rec *r, int argc, char **argv)
{
    unsigned long hz = 999;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--system-wide") == 0 || strcmp(a, "-a") == 0) {
            r->o.system_wide = true;
            continue;
        }
        size_t k = 0, n = sizeof(valued) / sizeof(valued[0]);
        while (k < n && strcmp(a, valued[k].name) != 0)
            k++;
        if (k == n)
            return fg_cli_usage("record", "unknown option %s", a);
        if (!(v = fg_cli_value(argc, argv, &i, "record")))
            return fg_exit_status(FG_E_USAGE);
        int rc = apply(r, valued[k].id, v, &hz);
        if (rc)
            return rc;
    }
    if (i + 1 >= argc)
        return fg_cli_usage("record", "%s", "needs -- COMMAND [ARGS...]");
    r->o.argv = (const char *const *)argv + i + 1;
    r->o.frequency = (unsigned)hz;
    fg_record_comm(r->o.argv[0], r->comm);
    if (!r->name)
        r->name = r->comm;
    if (!r->name[0] || strchr(r->name, '/'))
        return fg_cli_usage("record", "--name %s is not a file name", r->name);
    r->cmdline = fg_cli_command_line(argc - i - 1, argv + i + 1);
    return r->cmdline ? 0 : fg_exit_status(FG_E_NOMEM);
}

/* Renders m (inverted: the icicle) and writes it to DIR/NAME+suffix. */
static int draw(struct rec *r, const struct fg_map *m, bool inverted,
                const char *suffix)
{
    struct fg_render_opts o;
    struct fg_render_result res;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    char title[128];
    fg_render_opts_init(&o);
    snprintf(title, sizeof(title), "%s: %s", r->name,
             inverted ? "icicle graph" : "flame graph");
    o.title = title;
    o.subtitle = r->cmdline + strlen("flamegraph ");
    o.inverted = inverted;
    /* A system-wide profile has tens of thousands of distinct stacks:
     * leaving out frames under 0.3 px (invisible anyway) took the
     * self-test's graph from 7.6 MB to 1.3 MB. */
    o.minwidth = 0.3;
    enum fg_code rc = fg_render(m, &o, &out, &res, &err);
    int status = rc != FG_OK ? fg_cli_fail(&err, rc)
                             : fg_cli_emit(file(r, r->dir, suffix), &out);
    cr_buf_release(&out);
    return status;
}

static int write_top(struct rec *r, const struct fg_map *m)
{
    struct fg_top t = { 0 };
    struct cr_error err = { 0 };
    struct cr_buf txt = { 0 }, json = { 0 };
    enum fg_code rc = fg_top_compute(&t, m, &err);
    int status = rc != FG_OK ? fg_cli_fail(&err, rc) : 0;
    if (!status && (fg_top_text(&t, 50, "samples", &txt) ||
                    fg_top_json(&t, 500, "samples", &json)))
        status = fg_exit_status(FG_E_NOMEM);
    if (!status)
        status = fg_cli_emit(file(r, r->dir, ".top.txt"), &txt);
    if (!status)
        status = fg_cli_emit(file(r, r->dir, ".top.json"), &json);
    cr_buf_release(&txt);
    cr_buf_release(&json);
    fg_top_release(&t);
    return status;
}

/* The differential graph of prev (a folded file) against folded. */
static int write_diff(struct rec *r, const char *prev, const struct cr_buf *f)
{
    struct fg_map m;
    struct fg_render_opts o;
    struct fg_render_result res;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    char title[128];
    fg_map_init(&m);
    fg_render_opts_init(&o);
    snprintf(title, sizeof(title), "%s: differential flame graph", r->name);
    o.title = title;
    o.subtitle = "red grew, blue shrank, against the previous profile";
    enum fg_code rc = fg_folded_read(&m, prev, 0, NULL, &err);
    if (rc == FG_OK)
        rc = fg_folded_read_mem(&m, f->data, f->len, 1, NULL, &err);
    if (rc == FG_OK)
        rc = fg_render_diff(&m, &o, &out, &res, &err);
    int status = rc != FG_OK ? fg_cli_fail(&err, rc)
                             : fg_cli_emit(file(r, r->dir, ".diff.svg"), &out);
    cr_buf_release(&out);
    fg_map_release(&m);
    return status;
}

/* The command's processes on their own: folded stacks and the graph to
 * read its code with. */
static int write_own(struct rec *r)
{
    struct cr_buf f = { 0 };
    int status = fg_folded_write(&r->own, 1, &f) != 0
                     ? fg_exit_status(FG_E_NOMEM)
                     : fg_cli_emit(file(r, r->dir, ".own.folded"), &f);
    cr_buf_release(&f);
    return status ? status : draw(r, &r->own, false, ".own.svg");
}

/* The previous folded profile to compare with, or NULL: --previous DIR's,
 * else this directory's last one, kept as NAME.prev.folded. */
static char *previous(struct rec *r)
{
    if (r->previous) {
        const char *p = file(r, r->previous, ".folded");
        return p && access(p, R_OK) == 0 ? cr_strdup(p) : NULL;
    }
    char *cur = cr_strdup(file(r, r->dir, ".folded"));
    char *prev = cr_strdup(file(r, r->dir, ".prev.folded"));
    if (!cur || !prev || rename(cur, prev) != 0) {
        cr_free(prev);
        prev = NULL;
    }
    cr_free(cur);
    return prev;
}

/* The report, and with --only what the graphs keep of it. */
static int report(struct rec *r, const struct fg_map *all,
                  const struct fg_map *m, struct cr_buf *out)
{
    struct fg_record_stats st = { 0 };
    memcpy(st.target, r->comm, sizeof(st.target));
    st.own_pids = r->own_pids;
    st.own_hz = r->o.own_frequency;
    fg_record_count_own(&r->own, &st.own);
    fg_record_count_own(&r->sw_own, &st.sw_own);
    int rc = fg_record_count(all, &st) || fg_record_report(&st, &r->o, out);
    if (!rc && r->only)
        rc = cr_buf_printf(out,
                           "drawn (--only %s): %llu of %llu samples; "
                           "perf.data holds them all\n",
                           r->only, (unsigned long long)fg_map_total(m, 0),
                           (unsigned long long)st.samples);
    fg_record_stats_release(&st);
    return rc;
}

/* Everything after perf: the files, the report. all is every sample, m
 * what is drawn (all, or --only's processes). */
static int outputs(struct rec *r, const struct fg_map *all,
                   const struct fg_map *m)
{
    struct cr_buf folded = { 0 }, report_txt = { 0 };
    int status = 0;
    if (fg_folded_write(m, 1, &folded) || report(r, all, m, &report_txt))
        status = fg_exit_status(FG_E_NOMEM);
    char *prev = status ? NULL : previous(r);
    if (!status)
        status = fg_cli_emit(file(r, r->dir, ".folded"), &folded);
    if (!status)
        status = draw(r, m, false, ".svg");
    if (!status)
        status = draw(r, m, true, ".icicle.svg");
    if (!status)
        status = write_top(r, m);
    if (!status && prev)
        status = write_diff(r, prev, &folded);
    /* The command's processes on their own: the graph to read its code. */
    bool own = r->own_data && r->own.n > 0;
    if (!status && own)
        status = write_own(r);
    if (!status)
        status = fg_cli_emit(file(r, r->dir, ".report.txt"), &report_txt);
    if (!status) {
        fputs((char *)report_txt.data, stdout);
        printf("\nwritten: %s/%s.{perf.data,folded,svg,icicle.svg,top.txt,"
               "top.json,report.txt%s%s}\n",
               r->dir, r->name, prev ? ",diff.svg" : "",
               own ? ",own.perf.data,own.folded,own.svg" : "");
    }
    cr_free(prev);
    cr_buf_release(&folded);
    cr_buf_release(&report_txt);
    return status;
}

/* perf script on what perf recorded: every sample into m, the command's
 * processes into r->own; with the second recording (own_frequency), that
 * one is r->own and the system-wide data's share of it r->sw_own. */
static enum fg_code scripts(struct rec *r, long perf_pid, struct fg_map *m,
                            uint64_t *samples, struct cr_error *err)
{
    bool nested = r->o.own_frequency > 0;
    long root = 0;
    enum fg_code rc = fg_record_script(r->o.perf, r->o.data_path, perf_pid,
                                       nested, m, nested ? &r->sw_own : &r->own,
                                       samples, &r->own_pids, &root, err);
    if (rc != FG_OK || !nested)
        return rc;
    /* The second perf followed the command alone: its data holds the
     * command's processes only (perf pid 0: all are). */
    struct fg_map all;
    fg_map_init(&all);
    rc = fg_record_script(r->o.perf, r->own_data, 0, false, &all, &r->own, NULL,
                          &r->own_pids, NULL, err);
    fg_map_release(&all);
    return rc;
}

static int run(struct rec *r)
{
    struct cr_error err = { 0 };
    struct fg_map m;
    uint64_t samples = 0;
    int mk = cr_fs_mkdirs(r->dir);
    if (mk != 0) {
        fprintf(stderr, "flamegraph: cannot create %s: %s\n", r->dir,
                strerror(-mk));
        return fg_exit_status(FG_E_IO);
    }
    char *data = cr_strdup(file(r, r->dir, ".perf.data"));
    if (!data)
        return fg_exit_status(FG_E_NOMEM);
    r->o.data_path = data;
    /* perf would keep the last recording as NAME.perf.data.old, hundreds
     * of MB for a system-wide one; its folded stacks are what is kept
     * (NAME.prev.folded). */
    unlink(data);
    if (r->o.system_wide && r->own_hz) {
        if (!(r->own_data = cr_strdup(file(r, r->dir, ".own.perf.data")))) {
            cr_free(data);
            return fg_exit_status(FG_E_NOMEM);
        }
        unlink(r->own_data);
        r->o.own_frequency = (unsigned)r->own_hz;
        r->o.own_data_path = r->own_data;
    }
    r->o.on_output = forward;
    fg_map_init(&m);
    r->o.stop = cr_signal_flag();
    long perf_pid = 0;
    enum fg_code rc = fg_record_perf(&r->o, NULL, &perf_pid, &err);
    /* Stopped with Ctrl-C: perf wrote what it had, which is drawn (a
     * server profiled until the user had enough), then exit 130. */
    bool interrupted = rc == FG_E_INTERRUPTED;
    if (interrupted) {
        fprintf(stderr, "flamegraph: %s\n", err.msg);
        rc = FG_OK;
    }
    if (rc == FG_OK)
        rc = scripts(r, perf_pid, &m, &samples, &err);
    if (rc == FG_OK && samples < r->min_samples)
        rc = fg_error_set(&err, FG_E_FEW,
                          "%s: only %llu samples of %s (at least %lu needed "
                          "to draw): profile a longer run or raise -F",
                          data, (unsigned long long)samples, r->o.argv[0],
                          r->min_samples);
    struct fg_map only;
    fg_map_init(&only);
    if (rc == FG_OK && r->only && fg_record_filter(&m, r->only, &only) != 0)
        rc = fg_error_set(&err, FG_E_NOMEM, "out of memory");
    if (rc == FG_OK && r->only && only.n == 0)
        rc = fg_error_set(&err, FG_E_FEW,
                          "%s: no samples of processes named %s*", data,
                          r->only);
    int status = rc != FG_OK ? fg_cli_fail(&err, rc)
                             : outputs(r, &m, r->only ? &only : &m);
    fg_map_release(&only);
    if (status == 0 && interrupted)
        status = fg_exit_status(FG_E_INTERRUPTED);
    fg_map_release(&m);
    cr_free(data);
    return status;
}

int fg_cli_record(int argc, char **argv)
{
    struct rec r = { .dir = ".", .min_samples = 50, .own_hz = 2999 };
    r.o.call_graph = "dwarf,32768";
    fg_map_init(&r.own);
    fg_map_init(&r.sw_own);
    int status = parse(&r, argc, argv);
    if (status == 0)
        status = run(&r);
    fg_map_release(&r.own);
    fg_map_release(&r.sw_own);
    cr_free(r.own_data);
    cr_free(r.cmdline);
    cr_buf_release(&r.path);
    return status;
}
