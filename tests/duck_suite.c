/*
 * duck_suite: runs duckscript's own test scripts through taskrun's
 * interpreter, as duckscript's runner does: every `test_*` function of a
 * file is called (with test/helper.ds loaded alongside) and the file
 * passes when none of them fails.
 *
 *   duck_suite TESTDIR FILE...     each FILE relative to TESTDIR/std;
 *                                  exit 1 when any of them fails
 *   duck_suite --all TESTDIR       every file: prints PASS/FAIL, exit 0
 */
#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_duck.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct cr_buf b = { 0 };
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (cr_buf_append(&b, buf, n) != 0)
            break;
    fclose(f);
    return cr_buf_detach(&b);
}

/* Runs one file; prints its result. Returns true when it passes. */
static bool run_file(const char *dir, const char *rel, const char *helper,
                     int devnull)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/std/%s", dir, rel);
    char *text = slurp(path);
    if (!text) {
        printf("FAIL %s: cannot read\n", rel);
        return false;
    }
    struct cr_buf all = { 0 };
    /* The helper goes last so that line numbers stay the file's own. */
    if (cr_buf_printf(&all, "%s\n%s\n", text, helper) != 0)
        abort();
    free(text);
    struct taskrun_duck_io io = { .out_fd = devnull,
                                  .envp = (const char *const *)environ,
                                  .continue_on_error = true };
    struct taskrun_duck *d;
    struct cr_error err = { 0 };
    bool ok = taskrun_duck_new(&d, &io) == TASKRUN_OK &&
              taskrun_duck_load(d, rel, cr_buf_str(&all), &err) == TASKRUN_OK;
    struct cr_strv fns = { 0 };
    if (ok && taskrun_duck_functions(d, &fns) != 0)
        ok = false;
    size_t ran = 0;
    for (size_t i = 0; ok && i < fns.n; i++) {
        if (strncmp(fns.v[i], "test_", 5) != 0)
            continue;
        int code = 0;
        ran++;
        if (taskrun_duck_call(d, fns.v[i], &code, &err) != TASKRUN_OK ||
            code != 0) {
            if (!err.msg[0])
                snprintf(err.msg, sizeof(err.msg), "exit %d", code);
            printf("FAIL %s: %s: %s\n", rel, fns.v[i], err.msg);
            ok = false;
        }
    }
    /* A few files name their functions otherwise (clear_not_empty), so
     * duckscript's runner runs nothing there: not a pass. */
    if (ok && !ran) {
        printf("EMPTY %s: no test_ function\n", rel);
        ok = false;
    } else if (ok) {
        printf("PASS %s (%zu tests)\n", rel, ran);
    } else if (!ran && err.msg[0])
        printf("FAIL %s: %s\n", rel, err.msg);
    cr_strv_release(&fns);
    taskrun_duck_free(d);
    cr_buf_release(&all);
    return ok;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    cr_alloc_set(NULL);
    bool all = argc > 1 && strcmp(argv[1], "--all") == 0;
    int first = all ? 2 : 1;
    if (argc <= first) {
        fprintf(stderr, "usage: duck_suite [--all] TESTDIR [FILE...]\n");
        return 2;
    }
    const char *dir = argv[first];
    char hp[4096];
    snprintf(hp, sizeof(hp), "%s/helper.ds", dir);
    char *helper = slurp(hp);
    if (!helper) {
        fprintf(stderr, "duck_suite: cannot read %s\n", hp);
        return 2;
    }
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    /* The scripts expect a cargo project's directory: ./Cargo.toml and
     * ./target, where they write their own files. */
    char work[] = "/tmp/duck_suite.XXXXXX";
    if (!mkdtemp(work) || chdir(work) != 0 || mkdir("target", 0777) != 0) {
        perror("duck_suite: work directory");
        return 2;
    }
    fclose(fopen("Cargo.toml", "w"));
    int failed = 0, total = 0;
    if (all) {
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "cd '%s/std' && find . -name '*.ds'", dir);
        FILE *p = popen(cmd, "r");
        char line[4096];
        char **files = NULL;
        size_t n = 0;
        while (p && fgets(line, sizeof(line), p)) {
            line[strcspn(line, "\n")] = '\0';
            files = realloc(files, (n + 1) * sizeof(*files));
            files[n++] = strdup(line + 2);
        }
        if (p)
            pclose(p);
        qsort(files, n, sizeof(*files), cmp);
        for (size_t i = 0; i < n; i++) {
            total++;
            failed += !run_file(dir, files[i], helper, devnull);
            free(files[i]);
        }
        free(files);
        printf("%d of %d files pass\n", total - failed, total);
        failed = 0;
    } else {
        for (int i = first + 1; i < argc; i++) {
            total++;
            failed += !run_file(dir, argv[i], helper, devnull);
        }
        printf("%d of %d files pass\n", total - failed, total);
    }
    close(devnull);
    free(helper);
    char rm[100];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", work);
    if (system(rm) != 0)
        fprintf(stderr, "duck_suite: cannot remove %s\n", work);
    return failed ? 1 : 0;
}
