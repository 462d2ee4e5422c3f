/* slo: the `slo history` command. See slo_cli_history.h. */
#include "slo_cli_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slo_history.h"

/* A count from the command line, or -1 when it is not 1..100000. */
static int count_arg(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    return (*s && !*end && v >= 1 && v <= 100000) ? (int)v : -1;
}

/* A value of the history, short: "63.1s", "0.797ms", "11.5MB". */
static void print_value(const struct slo_past *p)
{
    if (strcmp(p->unit, "ms") == 0 && p->value >= 1000)
        printf(" %.3gs", p->value / 1e3);
    else
        printf(" %.3g%s", p->value, p->unit);
}

/* The objectives of the latest check, each with its trend. */
static void print_history(const struct slo_history *h, size_t from)
{
    const struct slo_check *now = slo_history_last(h);

    printf("%-22s  %-8s  %s\n", "objective", "change",
           "value per check, "
           "oldest first "
           "(verdict of the last)");
    for (size_t k = 0; k < now->n; k++) {
        const char *name = now->obj[k].name;
        const struct slo_past *first = NULL;
        char chg[16] = "-";

        for (size_t i = from; i < h->n && !first; i++)
            first = slo_check_find(&h->checks[i], name);
        if (first && first->value > 0)
            snprintf(chg, sizeof(chg), "%+.1f%%",
                     (now->obj[k].value - first->value) / first->value * 100);
        printf("%-22s  %-8s ", name, chg);
        for (size_t i = from; i < h->n; i++) {
            const struct slo_past *p = slo_check_find(&h->checks[i], name);
            if (p)
                print_value(p);
            else
                printf(" -");
        }
        printf("  %s\n", now->obj[k].verdict);
    }
    printf("(%zu of %zu checks)\n", h->n - from, h->n);
}

/*
 * slo history: each objective's value over the last N checks of the
 * history, oldest first, and the change from the first shown to the last.
 */
int slo_cli_history(int argc, char **argv)
{
    const char *path = ".cleanroom/slo/history.jsonl";
    struct slo_history h = { 0 };
    struct cr_error err = { 0 };
    int last = 10;
    size_t from;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--history") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--last") == 0 && i + 1 < argc)
            last = count_arg(argv[++i]);
        else
            last = -1;
        if (last < 0) {
            fprintf(stderr, "slo: usage: slo history [--history FILE] "
                            "[--last N]\n");
            return 2;
        }
    }
    if (slo_history_load(path, &h, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg);
        return slo_exit_status(err.code);
    }
    if (h.n == 0) {
        fprintf(stderr,
                "slo: %s: no checks yet (run slo check --history "
                "%s)\n",
                path, path);
        return 1;
    }
    from = h.n > (size_t)last ? h.n - (size_t)last : 0;
    print_history(&h, from);
    slo_history_release(&h);
    return 0;
}
