/*
 * taskrun_duck_main: `taskrun --duckscript FILE` and `--duckscript-eval`
 * (see taskrun_duck_main.h).
 */
#include "taskrun_duck_main.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_proc.h"
#include "taskrun_duck.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

bool taskrun_duck_main_wanted(int argc, char **argv)
{
    return argc >= 2 && (strcmp(argv[1], "--duckscript") == 0 ||
                         strcmp(argv[1], "--duckscript-eval") == 0);
}

static void say(int fd, const char *msg)
{
    struct cr_buf b = { 0 };
    if (cr_buf_printf(&b, "taskrun: %s\n", msg) == 0) {
        ssize_t n = write(fd, cr_buf_str(&b), b.len);
        (void)n;
    }
    cr_buf_release(&b);
}

/* cm_run_task nested deeper than this is a loop (a task calling itself). */
#define MAX_NESTING 16
#define NESTING_VAR "TASKRUN_CM_RUN_TASK_DEPTH"

/*
 * cm_run_task: this taskrun on the makefile of the running task, within
 * the running flow as cargo-make does it: no init_task/end_task again (an
 * init_task that calls cm_run_task would otherwise start itself forever),
 * private tasks allowed.
 */
static int run_task(void *ctx, const char *task, struct cr_error *err)
{
    (void)ctx;
    const char *depth_s = getenv(NESTING_VAR);
    int depth = depth_s ? atoi(depth_s) : 0;
    if (depth >= MAX_NESTING) {
        taskrun_error_set(err, TASKRUN_E_RUN,
                          "cm_run_task nested %d deep: a task that runs "
                          "itself?",
                          depth);
        return -1;
    }
    char num[16];
    snprintf(num, sizeof(num), "%d", depth + 1);
    setenv(NESTING_VAR, num, 1); /* this process is the tool's own */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[n > 0 ? n : 0] = '\0';
    const char *mk = getenv("CARGO_MAKE_MAKEFILE_PATH");
    const char *with_file[] = {
        self, "--skip-init-end-tasks", "--allow-private", "-f", mk, task, NULL
    };
    const char *without[] = { self, "--skip-init-end-tasks", "--allow-private",
                              task, NULL };
    struct cr_proc_opts o = { .argv = mk ? with_file : without };
    int rc = cr_proc_run(&o, NULL);
    if (rc < 0) {
        taskrun_error_set(err, TASKRUN_E_RUN, "cannot run %s: %s", self,
                          strerror(-rc));
        return -1;
    }
    return rc;
}

static char *read_all(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct cr_buf b = { 0 };
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (cr_buf_append(&b, buf, (size_t)n) != 0) {
            n = -1;
            break;
        }
    close(fd);
    if (n < 0) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

int taskrun_duck_main(int argc, char **argv, int fd_out, int fd_err)
{
    bool eval = strcmp(argv[1], "--duckscript-eval") == 0;
    if (argc < (eval ? 4 : 3)) {
        say(fd_err, eval ? "usage: taskrun --duckscript-eval NAME TEXT [ARGS]"
                         : "usage: taskrun --duckscript FILE [ARGS]");
        return 2;
    }
    const char *name = argv[2];
    char *text = eval ? cr_strdup(argv[3]) : read_all(argv[2]);
    if (!text) {
        char m[600];
        snprintf(m, sizeof(m), "%s: %s", argv[2],
                 eval ? "out of memory" : strerror(errno));
        say(fd_err, m);
        return eval ? 5 : 2;
    }
    struct cr_strv args = { 0 };
    int status = 0;
    for (int i = eval ? 4 : 3; i < argc && !status; i++)
        if (cr_strv_push(&args, argv[i]) != 0)
            status = 5;
    struct taskrun_duck_io io = { .out_fd = fd_out,
                                  .envp = (const char *const *)environ,
                                  .run_task = run_task };
    struct taskrun_duck *d = NULL;
    struct cr_error err = { 0 };
    enum taskrun_code rc = status ? TASKRUN_E_NOMEM : taskrun_duck_new(&d, &io);
    if (!rc)
        rc = taskrun_duck_load(d, name, text, &err);
    int code = 0;
    if (!rc)
        rc = taskrun_duck_run(d, &args, &code, &err);
    if (rc) {
        say(fd_err, err.msg[0] ? err.msg : taskrun_strerror(rc));
        status = rc == TASKRUN_E_TASK ? 1 : taskrun_exit_status(rc);
    } else {
        status = code;
    }
    taskrun_duck_free(d);
    cr_strv_release(&args);
    cr_free(text);
    return status;
}
