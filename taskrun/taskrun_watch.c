/* taskrun_watch: wrapping a watch task's argv. See taskrun_watch.h; the
 * loop itself is taskrun_watch_main.c. */
#include "taskrun_watch.h"

#include "cr_alloc.h"

#include <string.h>

static int push_opt(struct cr_strv *sv, const char *flag,
                    const struct cr_strv *values)
{
    for (size_t i = 0; i < values->n; i++)
        if (cr_strv_push(sv, flag) != 0 || cr_strv_push(sv, values->v[i]) != 0)
            return -1;
    return 0;
}

enum taskrun_code taskrun_watch_wrap(const struct taskrun_task *t,
                                     const char *self_exe,
                                     struct taskrun_exec *x,
                                     struct cr_error *err)
{
    struct cr_strv argv = { 0 };
    int rc;

    if (x->argv.n == 0)
        return TASKRUN_OK;
    rc = cr_strv_push(&argv, self_exe && *self_exe ? self_exe : "taskrun");
    rc |= cr_strv_push(&argv, "--watch-loop");
    if (t->watch_postpone)
        rc |= cr_strv_push(&argv, "--postpone");
    if (t->watch_no_git_ignore)
        rc |= cr_strv_push(&argv, "--no-git-ignore");
    rc |= push_opt(&argv, "--ignore", &t->watch_ignore);
    rc |= push_opt(&argv, "--path", &t->watch_paths);
    rc |= cr_strv_push(&argv, "--");
    for (size_t i = 0; i < x->argv.n; i++)
        rc |= cr_strv_push(&argv, x->argv.v[i]);
    if (rc != 0) {
        cr_strv_release(&argv);
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    }
    cr_strv_release(&x->argv);
    x->argv = argv;
    return TASKRUN_OK;
}

bool taskrun_watch_main_wanted(int argc, char **argv)
{
    return argc >= 2 && strcmp(argv[1], "--watch-loop") == 0;
}
