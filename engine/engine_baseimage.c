/* engine_baseimage: the base image builder. See engine_baseimage.h. */
#include "engine_baseimage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_proc.h"

/* A fixed mtime keeps the root's tar identical between builds. */
#define ROOT_MTIME 1700000000

static const char passwd[] = "root:x:0:0:root:/root:/bin/sh\n"
                             "nobody:x:65534:65534:nobody:/nonexistent:"
                             "/bin/false\n";
static const char group[] = "root:x:0:\nnogroup:x:65534:\n";

static const struct {
    const char *path;
    unsigned mode;
} dirs[] = {
    { "bin", 0755 },      { "sbin", 0755 },     { "usr", 0755 },
    { "usr/bin", 0755 },  { "usr/sbin", 0755 }, { "etc", 0755 },
    { "root", 0700 },     { "tmp", 01777 },     { "var", 0755 },
    { "var/tmp", 01777 }, { "home", 0755 },
};

/* Runs `busybox --list-full` (no shell: any path works). *list gets one
 * "dir/applet" per line; the caller frees it with cr_free. */
static enum engine_code list_applets(const char *busybox, char **list,
                                     struct cr_error *err)
{
    const char *const argv[] = { busybox, "--list-full", NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_PIPE };
    char *text = NULL;
    int rc = cr_proc_run(&o, &text);

    if (rc == -ENOMEM)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    if (rc < 0)
        return engine_error_set(err, ENGINE_E_IO,
                                "cannot run %s: %s; install the "
                                "busybox-static package",
                                busybox, strerror(-rc));
    if (rc != 0 || !text[0]) {
        cr_free(text);
        return engine_error_set(err, ENGINE_E_IO,
                                "`%s --list-full` failed; install the "
                                "busybox-static package",
                                busybox);
    }
    *list = text;
    return ENGINE_OK;
}

/* Adds the applet at its customary place and, when that is not bin/, a
 * second link in bin/ so /bin/<name> always works. */
static enum engine_code add_applet(struct engine_tar *t, const char *full,
                                   int *count, struct cr_error *err)
{
    const char *base = strrchr(full, '/');
    char alias[300];
    enum engine_code rc;

    if (!base || !base[1] || strcmp(full, "bin/busybox") == 0)
        return ENGINE_OK;
    rc = engine_tar_add_symlink(t, full, "/bin/busybox", err);
    if (rc != ENGINE_OK)
        return rc;
    (*count)++;
    if (strncmp(full, "bin/", 4) == 0)
        return ENGINE_OK;
    snprintf(alias, sizeof(alias), "bin%s", base);
    return engine_tar_add_symlink(t, alias, "/bin/busybox", err);
}

static enum engine_code add_applets(struct engine_tar *t, const char *busybox,
                                    int *count, struct cr_error *err)
{
    char *list = NULL, *save = NULL;
    enum engine_code rc = list_applets(busybox, &list, err);

    *count = 0;
    for (char *line = rc == ENGINE_OK ? strtok_r(list, "\n", &save) : NULL;
         line && rc == ENGINE_OK; line = strtok_r(NULL, "\n", &save))
        rc = add_applet(t, line, count, err);
    cr_free(list);
    return rc;
}

static enum engine_code add_busybox(struct engine_tar *t, const char *busybox,
                                    struct cr_error *err)
{
    char *data = NULL;
    size_t len = 0;
    enum engine_code rc;

    if (cr_fs_read(busybox, &data, &len) != 0)
        return engine_error_set(err, ENGINE_E_IO,
                                "cannot read %s; install the busybox-static "
                                "package",
                                busybox);
    rc = engine_tar_add_file(t, "bin/busybox", 0755, data, len, err);
    cr_free(data);
    return rc;
}

enum engine_code engine_baseimage_rootfs(const char *busybox,
                                         struct engine_tar *tar, int *napplets,
                                         struct cr_error *err)
{
    enum engine_code rc = ENGINE_OK;

    tar->mtime = ROOT_MTIME;
    for (size_t i = 0; rc == ENGINE_OK && i < sizeof(dirs) / sizeof(dirs[0]);
         i++)
        rc = engine_tar_add_dir(tar, dirs[i].path, dirs[i].mode, err);
    if (rc == ENGINE_OK)
        rc = add_busybox(tar, busybox, err);
    if (rc == ENGINE_OK)
        rc = add_applets(tar, busybox, napplets, err);
    if (rc == ENGINE_OK)
        rc = engine_tar_add_file(tar, "etc/passwd", 0644, passwd,
                                 sizeof(passwd) - 1, err);
    if (rc == ENGINE_OK)
        rc = engine_tar_add_file(tar, "etc/group", 0644, group,
                                 sizeof(group) - 1, err);
    if (rc == ENGINE_OK)
        rc = engine_tar_finish(tar, err);
    return rc;
}

/* Splits "repo[:tag]" into repo (in buf) and tag. */
static void split_name(const char *name, char *repo, size_t size,
                       const char **tag)
{
    const char *slash = strrchr(name, '/');
    const char *colon = strrchr(slash ? slash : name, ':');
    size_t n = colon ? (size_t)(colon - name) : strlen(name);

    if (n >= size)
        n = size - 1;
    memcpy(repo, name, n);
    repo[n] = '\0';
    *tag = colon ? colon + 1 : "latest";
}

enum engine_code
engine_baseimage_bootstrap(struct engine *eng,
                           const struct engine_baseimage_opts *o, bool *built,
                           int *napplets, struct cr_error *err)
{
    static const char *const changes[] = {
        "CMD [\"/bin/sh\"]", "ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin",
        "LABEL " ENGINE_BASEIMAGE_LABEL "=base", NULL
    };
    const char *name = o->name ? o->name : ENGINE_BASEIMAGE_BASE;
    struct engine_image_import im = { .changes = changes,
                                      .message = "clnrm image bootstrap",
                                      .on_progress = o->on_progress,
                                      .ctx = o->ctx };
    struct engine_tar tar = { 0 };
    char repo[256];
    bool exists = false;
    int count = 0;
    enum engine_code rc = ENGINE_OK;

    *built = false;
    if (!o->force)
        rc = engine_image_exists(eng, name, &exists, err);
    if (rc != ENGINE_OK || exists)
        return rc;
    rc = engine_baseimage_rootfs(
        o->busybox ? o->busybox : ENGINE_BASEIMAGE_BUSYBOX, &tar, &count, err);
    split_name(name, repo, sizeof(repo), &im.tag);
    im.repo = repo;
    if (rc == ENGINE_OK)
        rc = engine_image_import(eng, &im, tar.buf.data, tar.buf.len, err);
    cr_buf_release(&tar.buf);
    *built = rc == ENGINE_OK;
    if (napplets)
        *napplets = count;
    return rc;
}
