/*
 * Fuzz target for taskrun's loader: tasks.toml / Makefile.toml with file
 * and task `extend`, `clear`, platform tables, env and job kinds. The
 * input is one or two files: text after a line `#--- ext.toml` is written
 * as ext.toml next to the main file (so `extend = "ext.toml"` reaches it),
 * the text before it as Makefile.toml; both go to a private temp
 * directory and the main one is loaded plain and strict. Checks: a
 * failure is TASKRUN_E_LOAD with one line naming a file, and the model is
 * released either way.
 */
#include "taskrun_load.h"

#include "cr_fs.h"
#include "cr_strv.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SPLIT "\n#--- ext.toml\n"

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

/* The temp directory, made once per process (libFuzzer has no setup
 * hook that takes a context). */
static char dir[64];

static void remove_dir(void)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/Makefile.toml", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/ext.toml", dir);
    unlink(path);
    rmdir(dir);
}

static void put(const char *name, const char *text, size_t len)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    check(f != NULL);
    check(len == 0 || fwrite(text, 1, len, f) == len);
    check(fclose(f) == 0);
}

static void load(const char *path, bool strict)
{
    struct taskrun_load_opts o = { .strict = strict,
                                   .profile = "development",
                                   .platform = "linux" };
    struct taskrun_file f;
    struct cr_strv warnings = { 0 };
    struct cr_error err = { 0 };
    enum taskrun_code rc = taskrun_load(&f, path, &o, &warnings, &err);

    if (rc != TASKRUN_OK) {
        check(rc == TASKRUN_E_LOAD || rc == TASKRUN_E_NOMEM);
        check(err.msg[0] != '\0');
        check(strchr(err.msg, '\n') == NULL);
    }
    taskrun_file_release(&f);
    cr_strv_release(&warnings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *cut = memmem(text, size, SPLIT, strlen(SPLIT));
    size_t main_len = cut ? (size_t)(cut - text) : size;
    char path[128];

    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/fuzz-taskrun-XXXXXX");
        check(mkdtemp(dir) != NULL);
        atexit(remove_dir);
    }
    put("Makefile.toml", text, main_len);
    if (cut)
        put("ext.toml", cut + strlen(SPLIT), size - main_len - strlen(SPLIT));
    else
        put("ext.toml", "", 0);
    snprintf(path, sizeof(path), "%s/Makefile.toml", dir);
    load(path, false);
    load(path, true);
    return 0;
}
