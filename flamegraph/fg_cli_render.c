/* fg_cli_render: the options and the ending shared by the tool's render
 * and diff commands (see fg_cli.h). Command-layer code: it prints. */
#include "fg_cli.h"

#include "cr_alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The command line, for the default subtitle. */
char *fg_cli_command_line(int argc, char **argv)
{
    struct cr_buf b = { 0 };
    int rc = cr_buf_puts(&b, "flamegraph");
    for (int i = 0; rc == 0 && i < argc; i++)
        rc = cr_buf_putc(&b, ' ') | cr_buf_puts(&b, argv[i]);
    if (rc) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

bool fg_cli_parse_minwidth(const char *s, struct fg_render_opts *o)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return false;
    o->minwidth = v;
    o->minwidth_pct = *end == '%';
    return *end == '\0' || (*end == '%' && end[1] == '\0');
}

bool fg_cli_parse_width(const char *s, unsigned *w)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 100 || v > 100000)
        return false;
    *w = (unsigned)v;
    return true;
}

/* Options common to render and diff; returns 1 when a[i] was one of them,
 * 0 when not, -1 after a usage error (printed). */
int fg_cli_render_option(int argc, char **argv, int *i, const char *cmd,
                         struct fg_render_opts *o, const char **out_path)
{
    const char *a = argv[*i], *v;
    const char *const valued[] = { "--title", "--subtitle", "--countname",
                                   "--width", "--minwidth", "--colors",
                                   "-o" };
    if (strcmp(a, "--inverted") == 0) {
        o->inverted = true;
        return 1;
    }
    size_t k = 0;
    while (k < sizeof(valued) / sizeof(valued[0]) && strcmp(a, valued[k]))
        k++;
    if (k == sizeof(valued) / sizeof(valued[0]))
        return 0;
    if (!(v = fg_cli_value(argc, argv, i, cmd)))
        return -1;
    switch (k) {
    case 0:
        o->title = v;
        return 1;
    case 1:
        o->subtitle = v;
        return 1;
    case 2:
        o->countname = v;
        return 1;
    case 3:
        if (fg_cli_parse_width(v, &o->width))
            return 1;
        fg_cli_usage(cmd,
                     "--width wants pixels between 100 and 100000, "
                     "not %s",
                     v);
        return -1;
    case 4:
        if (fg_cli_parse_minwidth(v, o))
            return 1;
        fg_cli_usage(cmd, "--minwidth wants pixels or N%%, not %s", v);
        return -1;
    case 5:
        if (fg_palette_parse(v, &o->palette))
            return 1;
        fprintf(stderr, "flamegraph %s: unknown palette %s (one of %s)\n", cmd,
                v, fg_palette_names());
        return -1;
    default:
        *out_path = v;
        return 1;
    }
}

/* Writes the SVG, or on FG_E_EMPTY an error SVG, and reports. */
int fg_cli_finish_render(enum fg_code rc, struct cr_error *err,
                         const struct fg_render_result *res,
                         const char *out_path, struct cr_buf *out,
                         const char *countname, const char *input)
{
    if (rc == FG_E_EMPTY && input) {
        /* Name the input: the library does not know where stacks came
         * from. */
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s: %s",
                 strcmp(input, "-") ? input : "<stdin>", err->msg);
        memcpy(err->msg, msg, sizeof(msg));
    }
    if (rc == FG_E_EMPTY) {
        cr_buf_reset(out);
        if (fg_render_error_svg(out, err->msg) == 0)
            fg_cli_emit(out_path, out);
        return fg_cli_fail(err, rc);
    }
    if (rc != FG_OK)
        return fg_cli_fail(err, rc);
    if (res->few_samples)
        fprintf(stderr,
                "flamegraph: warning: only %llu %s; the graph may mislead\n",
                (unsigned long long)res->total, countname);
    return fg_cli_emit(out_path, out);
}
