/* clnrm_load_compose: the service keys that take docker compose's short
 * forms besides the Rust clnrm's own: volumes, depends_on, build (ports
 * are in clnrm_load_ports.c).
 * Each form lands in the same model field (clnrm_spec.h), so the runner
 * never sees which one a file used. See clnrm_load_section.h. */
#include "clnrm_load_section.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* volumes = [{ host_path, container_path, read_only }, "host:ctr[:ro]"]   */

/* Resolves a relative host path against the test file's directory. */
char *clnrm__resolve_path(const char *file, const char *p)
{
    char dir[PATH_MAX], real[PATH_MAX];
    char *copy;

    if (p[0] == '/')
        return cr_strdup(p);
    copy = cr_strdup(file);
    if (copy == NULL)
        return NULL;
    snprintf(dir, sizeof(dir), "%s", dirname(copy));
    cr_free(copy);
    if (realpath(dir, real) == NULL)
        snprintf(real, sizeof(real), "%s", dir);
    if (p[0] == '.' && p[1] == '/')
        p += 2;
    return cr_strprintf("%s/%s", real, p);
}

/* Expands $NAME and ${NAME} from the environment, as compose does in
 * volume sources ("${PWD}:/app"); an unset name expands to "". */
static char *expand_vars(const char *s)
{
    struct cr_buf b = { 0 };
    int bad = 0;

    while (*s != '\0' && !bad) {
        const char *start, *end;
        char name[128];
        const char *val;

        if (*s != '$') {
            bad = cr_buf_putc(&b, *s++);
            continue;
        }
        start = s + 1 + (s[1] == '{');
        for (end = start;
             *end == '_' || (*end >= 'A' && *end <= 'Z') ||
             (*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9');
             end++)
            ;
        if (end == start || (size_t)(end - start) >= sizeof(name) ||
            (s[1] == '{' && *end != '}')) {
            bad = cr_buf_putc(&b, *s++);
            continue;
        }
        memcpy(name, start, (size_t)(end - start));
        name[end - start] = '\0';
        if ((val = getenv(name)) != NULL)
            bad = cr_buf_puts(&b, val);
        s = end + (s[1] == '{');
    }
    if (bad) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

/* "host:container", "host:container:ro" (or :rw). A source that is not a
 * path (no '/', '.', '$' or '~' first) is a compose named volume. */
static int volume_string(struct clnrm_loader *ld, const struct cr_toml_value *e,
                         struct clnrm_volume *vol)
{
    const char *s = cr_toml_string(e, NULL);
    char *host = NULL, *c1, *c2;
    char *copy = cr_strdup(s);
    int rc = -1;

    if (copy == NULL)
        return clnrm__fail_nomem(ld);
    c1 = strchr(copy, ':');
    c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
    if (c2 != NULL)
        *c2++ = '\0';
    if (c1 == NULL || c1[1] != '/' || c1 == copy ||
        (c2 != NULL && strcmp(c2, "ro") != 0 && strcmp(c2, "rw") != 0)) {
        clnrm__fail_at(ld, cr_toml_pos(e),
                       "volume \"%s\" is not \"HOST:/CONTAINER[:ro]\"", s);
        goto out;
    }
    *c1 = '\0';
    if (strchr("/.$~", copy[0]) == NULL) {
        clnrm__fail_at(ld, cr_toml_pos(e),
                       "volume \"%s\": named volumes are not supported; "
                       "write a host path (./%s)",
                       s, copy);
        goto out;
    }
    if (copy[0] == '~' && getenv("HOME") != NULL)
        host = cr_strprintf("%s%s", getenv("HOME"), copy + 1);
    else
        host = expand_vars(copy);
    vol->read_only = c2 != NULL && strcmp(c2, "ro") == 0;
    vol->container_path = cr_strdup(c1 + 1);
    vol->host_path = host != NULL ? clnrm__resolve_path(ld->path, host) : NULL;
    rc = vol->container_path == NULL || vol->host_path == NULL
             ? clnrm__fail_nomem(ld)
             : 0;
out:
    cr_free(host);
    cr_free(copy);
    return rc;
}

/* The table form; compose's long form spells the paths source/target. */
static int volume_table(struct clnrm_loader *ld, const struct cr_toml_value *e,
                        struct clnrm_volume *vol)
{
    static const char *const keys[] = { "host_path", "container_path",
                                        "read_only", "source",
                                        "target",    "type" };
    char *host = NULL;

    clnrm__check_keys(ld, e, "volume", keys, CLNRM_N_OF(keys));
    if (clnrm__opt_string(ld, e, "host_path", &host) ||
        clnrm__opt_string(ld, e, "source", &host) ||
        clnrm__opt_string(ld, e, "container_path", &vol->container_path) ||
        clnrm__opt_string(ld, e, "target", &vol->container_path) ||
        clnrm__opt_bool(ld, e, "read_only", &vol->read_only)) {
        cr_free(host);
        return -1;
    }
    if (host == NULL || vol->container_path == NULL ||
        vol->container_path[0] != '/') {
        cr_free(host);
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "a volume needs host_path and an absolute "
                              "container_path");
    }
    vol->host_path = clnrm__resolve_path(ld->path, host);
    cr_free(host);
    return vol->host_path == NULL ? clnrm__fail_nomem(ld) : 0;
}

/* True when a mount of dir (a file or a directory) shows the file sock. */
static bool mount_shows(const char *dir, const char *sock)
{
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--; /* "/var/run/" is "/var/run" */
    if (strncmp(sock, dir, n) != 0)
        return false;
    return sock[n] == '\0' || sock[n] == '/' || (n == 1 && dir[0] == '/');
}

/* A mount of the engine's socket, or of a directory holding it ("/",
 * "/var", "/run"...), hands the test root on the host: refused unless the
 * user passed --allow-docker-socket. The sockets: the usual paths, the
 * DOCKER_HOST one, and any file named *docker.sock. */
static bool is_engine_socket(const char *path)
{
    const char *dh = getenv("DOCKER_HOST");
    size_t n = strlen(path);

    if (mount_shows(path, "/var/run/docker.sock") ||
        mount_shows(path, "/run/docker.sock"))
        return true;
    if (n >= 11 && strcmp(path + n - 11, "docker.sock") == 0)
        return true;
    return dh != NULL && strncmp(dh, "unix://", 7) == 0 && dh[7] == '/' &&
           mount_shows(path, dh + 7);
}

static int check_socket(struct clnrm_loader *ld, const struct cr_toml_value *e,
                        const struct clnrm_volume *vol)
{
    if (vol->host_path == NULL || !is_engine_socket(vol->host_path) ||
        (ld->opts->allow & CLNRM_ALLOW_DOCKER_SOCK))
        return 0;
    return clnrm__fail_at(ld, cr_toml_pos(e),
                          "volume %s gives the test the Docker engine's "
                          "socket; that needs --allow-docker-socket on the "
                          "command line",
                          vol->host_path);
}

int clnrm__load_volumes(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "volumes");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"volumes\" must be an array");
    s->volumes = cr_calloc(cr_toml_len(v) + 1, sizeof(*s->volumes));
    if (s->volumes == NULL)
        return clnrm__fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        int rc;

        s->n_volumes = i + 1;
        if (cr_toml_type(e) == CR_TOML_STRING)
            rc = volume_string(ld, e, &s->volumes[i]);
        else if (cr_toml_type(e) == CR_TOML_TABLE)
            rc = volume_table(ld, e, &s->volumes[i]);
        else
            rc = clnrm__fail_at(ld, cr_toml_pos(e),
                                "a volume must be a table with host_path and "
                                "container_path, or \"HOST:/CONTAINER[:ro]\"");
        if (rc != 0 || check_socket(ld, e, &s->volumes[i]) != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* depends_on = ["db"] or { db = { condition = "..." } }                   */

/* compose's `condition` of one long-form entry ({ condition = "..." }). */
static int dep_condition(struct clnrm_loader *ld, const struct cr_toml_value *e,
                         struct clnrm_dep *dep)
{
    static const char *const keys[] = { "condition", "restart", "required" };
    const struct cr_toml_value *c;
    const char *cond;

    if (cr_toml_type(e) != CR_TOML_TABLE)
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "a depends_on entry must be a table such as "
                              "{ condition = \"service_healthy\" }");
    clnrm__check_keys(ld, e, "depends_on", keys, CLNRM_N_OF(keys));
    if ((c = cr_toml_get(e, "condition")) == NULL)
        return 0;
    cond = cr_toml_type(c) == CR_TOML_STRING ? cr_toml_string(c, NULL) : "";
    if (strcmp(cond, "service_started") == 0)
        dep->cond = CLNRM_DEP_STARTED;
    else if (strcmp(cond, "service_healthy") == 0)
        dep->cond = CLNRM_DEP_READY;
    else
        return clnrm__fail_at(ld, cr_toml_pos(c),
                              "condition must be \"service_started\" or "
                              "\"service_healthy\" "
                              "(service_completed_successfully is not "
                              "supported)");
    return 0;
}

int clnrm__load_depends(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "depends_on");
    bool is_table = v != NULL && cr_toml_type(v) == CR_TOML_TABLE;

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY && !is_table)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"depends_on\" must be a list of service "
                              "names");
    s->deps = cr_calloc(cr_toml_len(v) + 1, sizeof(*s->deps));
    if (s->deps == NULL)
        return clnrm__fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = is_table ? NULL : cr_toml_at(v, i);
        struct cr_pos pos = { 0 };
        const char *name = is_table ? cr_toml_key_at(v, i, &pos) : NULL;
        struct clnrm_dep *dep = &s->deps[i];

        if (!is_table && cr_toml_type(e) != CR_TOML_STRING)
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "\"depends_on\" entries must be service "
                                  "names");
        if (is_table && dep_condition(ld, cr_toml_value_at(v, i), dep) != 0)
            return -1;
        if (name == NULL) {
            name = cr_toml_string(e, NULL);
            pos = cr_toml_pos(e);
        }
        dep->line = pos.line;
        dep->col = pos.col;
        if (cr_strv_push(&s->depends_on, name) != 0)
            return clnrm__fail_nomem(ld);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* build = "dir" or { context, dockerfile, args, target }                  */

int clnrm__load_build(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s)
{
    static const char *const keys[] = { "context", "dockerfile", "args",
                                        "target" };
    const struct cr_toml_value *v = cr_toml_get(tbl, "build");
    char *context = NULL;
    struct clnrm_build *b;

    if (v == NULL)
        return 0;
    if ((b = s->build = cr_calloc(1, sizeof(*b))) == NULL)
        return clnrm__fail_nomem(ld);
    if (cr_toml_type(v) == CR_TOML_STRING) {
        context = cr_strdup(cr_toml_string(v, NULL));
        if (context == NULL)
            return clnrm__fail_nomem(ld);
    } else if (cr_toml_type(v) == CR_TOML_TABLE) {
        clnrm__check_keys(ld, v, "build", keys, CLNRM_N_OF(keys));
        if (clnrm__opt_string(ld, v, "context", &context) ||
            clnrm__opt_string(ld, v, "dockerfile", &b->dockerfile) ||
            clnrm__opt_string(ld, v, "target", &b->target) ||
            clnrm__opt_env(ld, v, "args", &b->args)) {
            cr_free(context);
            return -1;
        }
    } else {
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"build\" must be a directory or a table "
                              "with context");
    }
    b->context = clnrm__resolve_path(ld->path, context ? context : ".");
    cr_free(context);
    if (b->context == NULL ||
        (b->dockerfile == NULL &&
         (b->dockerfile = cr_strdup("Dockerfile")) == NULL))
        return clnrm__fail_nomem(ld);
    return 0;
}
