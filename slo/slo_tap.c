/* slo: a suite's pass/fail count from its TAP output. See slo_tap.h. */
#include "slo_tap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool starts(const char *line, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    return len >= n && memcmp(line, prefix, n) == 0;
}

int slo_tap_check(const char *out, size_t len, char *why, size_t cap)
{
    long plan = -1, ok = 0, failed = 0;
    const char *end = out + len;

    for (const char *p = out; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);

        if (plan < 0 && starts(p, n, "1.."))
            plan = strtol(p + 3, NULL, 10);
        else if (starts(p, n, "not ok"))
            failed++;
        else if (starts(p, n, "ok"))
            ok++;
        p = nl ? nl + 1 : end;
    }
    if (plan < 0)
        snprintf(why, cap, "no TAP plan (1..N) in the suite's output");
    else if (plan == 0)
        snprintf(why, cap, "the suite ran no tests (TAP plan 1..0)");
    else if (failed)
        snprintf(why, cap, "%ld of %ld tests failed", failed, plan);
    else if (ok != plan)
        snprintf(why, cap, "%ld of %ld planned tests reported", ok, plan);
    else
        return 0;
    return -1;
}
