/* clnrm_cmd_fmt: `clnrm fmt [--check] PATH...`, which rewrites test files
 * in the canonical layout (clnrm_fmt.h). See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_discover.h"
#include "clnrm_fmt.h"
#include "cr_alloc.h"
#include "cr_fs.h"
#include "tmpl.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

const char clnrm_cmd_fmt_usage[] =
    "usage: clnrm fmt [--check] [PATH...]\n\n"
    "Rewrites each test file in the canonical layout: `key = value`,\n"
    "headers without inner blanks, continuation lines indented by four\n"
    "spaces, no trailing blanks, single blank lines, one final newline.\n"
    "Comments and key order are kept. Templates ({{ {% {#) are left alone.\n"
    "Files are replaced atomically, and only when they change.\n\n"
    "      --check             change nothing; list the files that would\n"
    "                          change and exit 1 when there is one\n"
    "      --verify            accepted: a rewrite that would not parse is\n"
    "                          never written anyway\n\n"
    "exit status: 0 formatted (or nothing to change), 1 --check found a\n"
    "difference, 2 a file cannot be read or formatted\n";

/* Formats one file: 0 unchanged, 1 changed (or would change), -1 error. */
static int fmt_file(struct clnrm_ctx *ctx, const char *path, bool check)
{
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    char *buf;
    size_t len;
    int rd = cr_fs_read(path, &buf, &len), result = -1;

    if (rd != 0) {
        fprintf(ctx->err, "clnrm fmt: cannot read %s: %s\n", path,
                strerror(-rd));
        return -1;
    }
    if (tmpl_wanted(buf, len)) {
        fprintf(ctx->err, "clnrm fmt: %s is a template; left as it is\n", path);
        cr_free(buf);
        return 0;
    }
    if (clnrm_fmt(buf, len, path, &out, &e) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm fmt: %s\n", e.msg);
    } else if (out.len == len && memcmp(out.data, buf, len) == 0) {
        result = 0;
    } else if (check) {
        fprintf(ctx->out, "%s: not formatted\n", path);
        result = 1;
    } else if ((rd = cr_fs_write_atomic(path, out.data, out.len, 0644)) != 0) {
        fprintf(ctx->err, "clnrm fmt: cannot write %s: %s\n", path,
                strerror(-rd));
    } else {
        fprintf(ctx->out, "formatted %s\n", path);
        result = 1;
    }
    cr_buf_release(&out);
    cr_free(buf);
    return result;
}

int clnrm_cmd_fmt(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "check", no_argument, NULL, 'c' },
        /* The Rust tool's --verify: every rewrite here is verified. */
        { "verify", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *const dot[] = { "." };
    struct cr_strv files = { 0 };
    struct cr_error e = { 0 };
    bool check = false, changed = false, failed = false;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'c') {
            check = true;
        } else if (c == 'v') {
            continue;
        } else if (c == 'h') {
            fputs(clnrm_cmd_fmt_usage, ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err,
                    "clnrm fmt: bad option \"%s\" (see clnrm fmt "
                    "--help)\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    if (clnrm_discover(optind < argc ? (const char *const *)argv + optind : dot,
                       optind < argc ? (size_t)(argc - optind) : 1, &files,
                       &e) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm fmt: %s\n", e.msg);
        return CLNRM_EXIT_USAGE;
    }
    for (size_t i = 0; i < files.n; i++) {
        int r = fmt_file(ctx, files.v[i], check);
        changed |= r == 1;
        failed |= r < 0;
    }
    cr_strv_release(&files);
    if (failed)
        return CLNRM_EXIT_USAGE;
    return check && changed ? CLNRM_EXIT_FAILED : CLNRM_EXIT_OK;
}
