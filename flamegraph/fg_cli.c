/* fg_cli: the tool's command-layer helpers (see fg_cli.h). */
#include "fg_cli.h"

#include "cr_fs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fg_cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "flamegraph %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'flamegraph %s --help')\n", cmd);
    return fg_exit_status(FG_E_USAGE);
}

int fg_cli_fail(struct cr_error *err, enum fg_code rc)
{
    fprintf(stderr, "flamegraph: %s\n",
            err->msg[0] ? err->msg : fg_strerror(rc));
    return fg_exit_status(rc);
}

/* Writes out to path atomically, or to stdout when path is NULL or "-". */
int fg_cli_emit(const char *path, const struct cr_buf *out)
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

/* Threads for collapsing: the CPUs online, at most four (the work is
 * memory-bound beyond that). */
/* Processes running or ready to run right now, not counting this one
 * (the fourth field of /proc/loadavg, "R/T"), or -1. */
static long runnable_now(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    long r = -1;

    if (f != NULL) {
        if (fscanf(f, "%*s %*s %*s %ld/", &r) != 1)
            r = -1;
        fclose(f);
    }
    return r > 0 ? r - 1 : r;
}

int fg_cli_threads(void)
{
    /* CPUs already busy with other work make extra threads wait for them
     * (measured: slower than one thread under a load of 2 per CPU), so
     * count only the idle ones. The load average lags by a minute (a
     * machine quiet for 30 s still shows a load of 1 on 2 CPUs, which
     * halved the threads), so the count of processes runnable now comes
     * first; the 1-minute average is the fallback. */
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    long busy = runnable_now();
    double load[1];

    if (busy < 0 && getloadavg(load, 1) == 1)
        busy = (long)(load[0] + 0.5);
    if (n > 1 && busy > 0)
        n -= busy;
    return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

/* A --threads value, or -1. */
int fg_cli_parse_threads(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && !*end && v >= 1 && v <= 64) ? (int)v : -1;
}

bool fg_cli_is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* An option's value: the next argument, or NULL after printing why. */
const char *fg_cli_value(int argc, char **argv, int *i, const char *cmd)
{
    if (*i + 1 >= argc) {
        fg_cli_usage(cmd, "option %s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

void fg_cli_warn_skipped(const char *input, uint64_t skipped, uint64_t first)
{
    if (skipped)
        fprintf(stderr,
                "flamegraph: %s:%llu: skipped %llu unrecognised line%s "
                "(first here)\n",
                input, (unsigned long long)first, (unsigned long long)skipped,
                skipped == 1 ? "" : "s");
}
