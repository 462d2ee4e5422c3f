/*
 * fg_record_tree: which samples of a `perf script --show-task-events`
 * stream belong to the profiled command's processes (see fg_record.h).
 *
 * The command's first process is the one the recording perf forks (perf
 * names it "perf-exec" until the exec; other perf sessions on the machine
 * fork theirs too, hence the pid); from it, every PERF_RECORD_FORK whose
 * parent is already in the tree adds the child. Samples are told apart by the
 * pid in their header ("comm PID/TID"), so other processes with the same name
 * (other users' runs of the same tool) are not counted as the command's.
 */
#include "fg_record.h"

#include "fg_collapse.h"

#include <stdio.h>
#include <string.h>

void fg_record_tree_init(struct fg_record_tree *t, long perf_pid,
                         bool skip_root, struct fg_collapse *all,
                         struct fg_collapse *own)
{
    memset(t, 0, sizeof(*t));
    t->skip_root = skip_root;
    t->all_mine = t->rooted = perf_pid == 0;
    snprintf(t->perf, sizeof(t->perf), "%ld", perf_pid);
    fg_map_init(&t->pids);
    t->all = all;
    t->own = own;
}

void fg_record_tree_release(struct fg_record_tree *t)
{
    fg_map_release(&t->pids);
}

/* The decimal number at s (n bytes at most): its length, 0 when none. */
static size_t digits(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static bool has_pid(const struct fg_record_tree *t, const char *p, size_t n)
{
    return fg_map_find_hashed(&t->pids, p, n, fg_hash(p, n)) != SIZE_MAX;
}

/* A task event: a fork from perf (a new process, not one of perf's
 * threads) or from the tree. */
static int task_event(struct fg_record_tree *t, const char *s, size_t n)
{
    static const char fork[] = "PERF_RECORD_FORK(";
    const char *f = memmem(s, n, fork, sizeof(fork) - 1);
    if (!f)
        return 0;
    /* PERF_RECORD_FORK(CHILD:CTID):(PARENT:PTID) */
    const char *c = f + sizeof(fork) - 1;
    size_t cn = digits(c, (size_t)(s + n - c));
    const char *pp = memchr(c, '(', (size_t)(s + n - c));
    if (!cn || !pp)
        return 0;
    pp++;
    size_t pn = digits(pp, (size_t)(s + n - pp));
    bool from_perf = pn == strlen(t->perf) && memcmp(pp, t->perf, pn) == 0;
    bool thread = cn == pn && memcmp(c, pp, cn) == 0;
    if (from_perf && !thread && !t->rooted) {
        t->rooted = true;
        if (cn < sizeof(t->root)) {
            memcpy(t->root, c, cn);
            t->root[cn] = '\0';
        }
    } else if (!(pn && has_pid(t, pp, pn)))
        return 0;
    return fg_map_add(&t->pids, c, cn, 1, 0);
}

/* A sample header "comm PID/TID": whether PID is in the tree (with no
 * perf pid, every sample is: perf followed the command alone; its pid is
 * then added). Returns -1 when out of memory. */
static int header_mine(struct fg_record_tree *t, const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t b = n;
    while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '\t')
        b--;
    size_t d = digits(s + b, n - b);
    if (t->all_mine) {
        if (d > 0 && fg_map_add(&t->pids, s + b, d, 1, 0) != 0)
            return -1;
        return 1;
    }
    if (t->skip_root && d == strlen(t->root) && memcmp(s + b, t->root, d) == 0)
        return 0;
    return d > 0 && has_pid(t, s + b, d);
}

int fg_record_tree_line(struct fg_record_tree *t, const char *s, size_t n)
{
    if (n > 0 && s[0] != '\t' && memmem(s, n, "PERF_RECORD_", 12))
        return task_event(t, s, n) != 0 ? -1 : 0;
    if (n > 0 && s[0] != '\t' && s[0] != ' ' && s[0] != '#') {
        int m = header_mine(t, s, n);
        if (m < 0)
            return -1;
        t->mine = m;
    }
    if (fg_collapse_line(t->all, s, n) != 0)
        return -1;
    if ((t->mine || n == 0) && fg_collapse_line(t->own, s, n) != 0)
        return -1;
    return 0;
}
