/* clnrm_load: a test file's document, its metadata ([test.metadata],
 * [test], [meta]) and the checks only the whole file allows. See
 * clnrm_load.h. */
#include "clnrm_load.h"
#include "clnrm_load_section.h"
#include "clnrm_load_tmpl.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Metadata: [test.metadata], [test], [meta]                               */

static int load_meta_fields(struct clnrm_loader *ld,
                            const struct cr_toml_value *tbl)
{
    return clnrm__opt_string(ld, tbl, "name", &ld->t->name) ||
                   clnrm__opt_string(ld, tbl, "description",
                                     &ld->t->description) ||
                   clnrm__opt_duration(ld, tbl, "timeout", 1000,
                                       &ld->t->timeout_ms) ||
                   clnrm__opt_duration(ld, tbl, "timeout_ms", 1,
                                       &ld->t->timeout_ms) ||
                   clnrm__opt_duration(ld, tbl, "timeout_seconds", 1000,
                                       &ld->t->timeout_ms)
               ? -1
               : 0;
}

static int load_test_table(struct clnrm_loader *ld,
                           const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "metadata", "name",       "description",
                                        "timeout",  "timeout_ms", "security",
                                        "version",  "tags" };
    static const char *const meta_keys[] = { "name",    "description",
                                             "timeout", "timeout_ms",
                                             "version", "tags",
                                             "author",  "timeout_seconds" };
    /* Keys of the Rust clnrm's own test files that it accepts (its serde
     * structs ignore what they do not name) and that mean nothing here. */
    static const char *const test_unused[] = { "cleanup", "assertions",
                                               "rosetta_stone_metadata",
                                               "benchmarks" };
    static const char *const meta_unused[] = { "hermetic", "fake_mode" };
    const struct cr_toml_value *meta = NULL, *sec = NULL;

    clnrm__check_keys_compat(ld, tbl, "[test]", keys, CLNRM_N_OF(keys),
                             test_unused, CLNRM_N_OF(test_unused));
    if (clnrm__opt_table(ld, tbl, "metadata", &meta) ||
        clnrm__opt_table(ld, tbl, "security", &sec) ||
        load_meta_fields(ld, tbl))
        return -1;
    if (meta != NULL) {
        clnrm__check_keys_compat(ld, meta, "[test.metadata]", meta_keys,
                                 CLNRM_N_OF(meta_keys), meta_unused,
                                 CLNRM_N_OF(meta_unused));
        if (load_meta_fields(ld, meta) != 0)
            return -1;
    }
    return sec != NULL ? clnrm__load_security(ld, sec, "[test.security]") : 0;
}

static int load_meta_table(struct clnrm_loader *ld,
                           const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "name",    "version",    "description",
                                        "timeout", "timeout_ms", "tags",
                                        "author" };

    clnrm__check_keys(ld, tbl, "[meta]", keys, CLNRM_N_OF(keys));
    return load_meta_fields(ld, tbl);
}

/* ---------------------------------------------------------------------- */
/* The document                                                            */

static const char
    *const root_keys[] = {
        "test",     "services", "steps",       "assertions", "security",
        "limits",   "meta",     "service",     "scenario",   "vars",
        "otel",     "expect",   "determinism", "report",     "matrix",
        "template", /* [template.vars] and the like feed the renderer */
    };

/* Top-level tables the Rust clnrm's structs name (otel_validation, ...)
 * or its own files use, which this tool does not evaluate. */
static const char *const root_unused[] = {
    "otel_validation", "otel_headers",  "otel_propagators",  "weaver",
    "performance",     "chaos",         "otel_expectations", "validation",
    "metrics",         "ai_management",
};

/* Tables of the v1 format we accept but do not evaluate. */
static const char *const noted_keys[] = { "otel",   "expect", "determinism",
                                          "report", "matrix", "assertions" };

static int load_services_at(struct clnrm_loader *ld,
                            const struct cr_toml_value *root, const char *key)
{
    const struct cr_toml_value *tbl = NULL;

    if (clnrm__opt_table(ld, root, key, &tbl) != 0)
        return -1;
    return tbl != NULL ? clnrm__load_services(ld, tbl, key) : 0;
}

static int load_sections(struct clnrm_loader *ld,
                         const struct cr_toml_value *root)
{
    const struct cr_toml_value *tbl = NULL, *v;

    clnrm__check_keys_compat(ld, root, "the top level", root_keys,
                             CLNRM_N_OF(root_keys), root_unused,
                             CLNRM_N_OF(root_unused));
    for (size_t i = 0; i < CLNRM_N_OF(noted_keys); i++)
        if ((v = cr_toml_get(root, noted_keys[i])) != NULL && cr_toml_len(v) &&
            !(ld->opts->rendered && strcmp(noted_keys[i], "determinism") == 0))
            clnrm__diag_at(ld, CLNRM_DIAG_NOTE, cr_toml_pos(v),
                           "[%s] is accepted but not evaluated", noted_keys[i]);
    if (clnrm__opt_table(ld, root, "test", &tbl) ||
        (tbl != NULL && load_test_table(ld, tbl)))
        return -1;
    if (clnrm__opt_table(ld, root, "meta", &tbl) ||
        (tbl != NULL && load_meta_table(ld, tbl)))
        return -1;
    if (clnrm__opt_table(ld, root, "security", &tbl) ||
        (tbl != NULL && clnrm__load_security(ld, tbl, "[security]")))
        return -1;
    if (clnrm__opt_table(ld, root, "limits", &tbl) ||
        (tbl != NULL && clnrm__load_limits(ld, tbl)))
        return -1;
    if (load_services_at(ld, root, "services") ||
        load_services_at(ld, root, "service"))
        return -1;
    if ((v = cr_toml_get(root, "steps")) != NULL &&
        clnrm__load_steps(ld, v) != 0)
        return -1;
    if ((v = cr_toml_get(root, "scenario")) != NULL &&
        clnrm__load_scenarios(ld, v) != 0)
        return -1;
    return 0;
}

static int default_name(struct clnrm_loader *ld)
{
    const char *base = strrchr(ld->path, '/');
    char *name, *dot;

    name = cr_strdup(base != NULL ? base + 1 : ld->path);
    if (name == NULL)
        return clnrm__fail_nomem(ld);
    if ((dot = strstr(name, ".clnrm.toml")) != NULL ||
        (dot = strstr(name, ".toml")) != NULL)
        *dot = '\0';
    ld->t->name = name;
    return 0;
}

static int add_implicit_service(struct clnrm_loader *ld)
{
    struct clnrm_test *t = ld->t;

    t->services = cr_calloc(1, sizeof(*t->services));
    if (t->services == NULL)
        return clnrm__fail_nomem(ld);
    t->n_services = 1;
    t->implicit_service = true;
    t->services[0].name = cr_strdup(CLNRM_DEFAULT_SERVICE);
    t->services[0].image = cr_strdup(CLNRM_DEFAULT_IMAGE);
    if (t->services[0].name == NULL || t->services[0].image == NULL)
        return clnrm__fail_nomem(ld);
    return 0;
}

/* Where depends_on entry d of service s was written. */
static struct cr_pos dep_pos(const struct clnrm_service *s, size_t d)
{
    if (s->deps != NULL && s->deps[d].line > 0)
        return (struct cr_pos){ s->deps[d].line, s->deps[d].col };
    return (struct cr_pos){ s->line, 1 };
}

/* "a -> b -> a": the cycle that path[from..depth) closes back to
 * path[from]. */
static void cycle_text(const struct clnrm_test *t, const size_t *path,
                       size_t from, size_t depth, char *out, size_t size)
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t p = from; p <= depth && n < size; p++)
        n += (size_t)snprintf(out + n, size - n, "%s%s", p > from ? " -> " : "",
                              t->services[path[p < depth ? p : from]].name);
}

/* Depth-first walk from service i along depends_on; state[] is 0 unseen,
 * 1 on the current path (path[0..depth)), 2 done. A service met again
 * while on the path closes a cycle, reported at the entry that closes
 * it. */
static int find_cycle(struct clnrm_loader *ld, size_t i, unsigned char *state,
                      size_t *path, size_t depth)
{
    const struct clnrm_test *t = ld->t;
    const struct clnrm_service *s = &t->services[i];
    char text[512];

    state[i] = 1;
    path[depth++] = i;
    for (size_t d = 0; d < s->depends_on.n; d++) {
        long k = clnrm_service_index(t, s->depends_on.v[d]);
        size_t from = 0;
        if (k < 0 || state[k] == 2)
            continue;
        if (state[k] == 1) {
            while (path[from] != (size_t)k)
                from++;
            cycle_text(t, path, from, depth, text, sizeof(text));
            return clnrm__fail_at(ld, dep_pos(s, d),
                                  "depends_on forms a cycle: %s", text);
        }
        if (find_cycle(ld, (size_t)k, state, path, depth) != 0)
            return -1;
    }
    state[i] = 2;
    return 0;
}

/* Every depends_on names another service of the test, waits for readiness
 * only of a service that has a check, and the dependencies form no
 * cycle. */
static int check_depends(struct clnrm_loader *ld)
{
    const struct clnrm_test *t = ld->t;
    unsigned char state[CLNRM_MAX_SERVICES] = { 0 };
    size_t path[CLNRM_MAX_SERVICES];

    for (size_t i = 0; i < t->n_services; i++) {
        const struct clnrm_service *s = &t->services[i];
        for (size_t d = 0; d < s->depends_on.n; d++) {
            long k = clnrm_service_index(t, s->depends_on.v[d]);
            if (k < 0)
                return clnrm__fail_at(
                    ld, dep_pos(s, d),
                    "service \"%s\" depends on unknown service \"%s\"", s->name,
                    s->depends_on.v[d]);
            if (s->deps != NULL && s->deps[d].cond == CLNRM_DEP_READY &&
                t->services[k].ready.kind == CLNRM_READY_NONE)
                return clnrm__fail_at(
                    ld, dep_pos(s, d),
                    "service \"%s\" waits for \"%s\" to be healthy, but "
                    "\"%s\" has no healthcheck, wait_for_log or "
                    "wait_for_port",
                    s->name, s->depends_on.v[d], s->depends_on.v[d]);
        }
    }
    for (size_t i = 0; i < t->n_services && i < CLNRM_MAX_SERVICES; i++)
        if (state[i] == 0 && find_cycle(ld, i, state, path, 0) != 0)
            return -1;
    return 0;
}

/* A host network is the host's own: there is no test network to publish
 * from, and a container port is already a host port. */
static int check_host_network(struct clnrm_loader *ld)
{
    const struct clnrm_test *t = ld->t;

    for (size_t i = 0; t->security.host_network && i < t->n_services; i++)
        if (t->services[i].n_ports > 0)
            return clnrm__fail_at(
                ld, (struct cr_pos){ t->services[i].line, 1 },
                "service \"%s\" publishes ports, but network_mode = "
                "\"host\" has no test network to publish from (its ports "
                "are the host's already): drop one of them",
                t->services[i].name);
    return 0;
}

/* Checks what only the whole file can tell: steps exist, services named by
 * steps exist. */
static int finish(struct clnrm_loader *ld)
{
    struct clnrm_test *t = ld->t;
    const char *names[64];
    size_t n_names = 0;

    if (t->name == NULL && default_name(ld) != 0)
        return -1;
    if (t->n_steps == 0)
        return clnrm__fail_at(ld, (struct cr_pos){ 1, 1 },
                              "no steps: add a [[steps]] table with a command");
    if ((t->n_services == 0 && add_implicit_service(ld) != 0) ||
        check_depends(ld) != 0 || check_host_network(ld) != 0)
        return -1;
    for (size_t i = 0; i < t->n_services && n_names < CLNRM_N_OF(names); i++)
        names[n_names++] = t->services[i].name;
    for (size_t i = 0; i < t->n_steps; i++) {
        const struct clnrm_step *s = &t->steps[i];
        const char *hint;
        bool found = s->service == NULL;
        for (size_t k = 0; k < t->n_services && !found; k++)
            found = strcmp(t->services[k].name, s->service) == 0;
        if (found)
            continue;
        hint = cr_toml_suggest(s->service, names, n_names);
        return clnrm__fail_at(ld, (struct cr_pos){ s->line, 1 },
                              "step \"%s\" names unknown service \"%s\"%s%s%s",
                              s->name, s->service,
                              hint ? " (did you mean \"" : "", hint ? hint : "",
                              hint ? "\"?)" : "");
    }
    return 0;
}

static enum clnrm_code parse_toml(const char *buf, size_t len, const char *path,
                                  const struct clnrm_load_opts *opts,
                                  struct clnrm_test **out,
                                  struct clnrm_diags *diags,
                                  struct cr_error *err)
{
    static const struct clnrm_load_opts defaults = { 0 };
    struct clnrm_loader ld = { 0 };
    struct cr_toml_doc *doc = NULL;
    struct cr_error te, local = { 0 };
    const struct cr_toml_value *root;
    int rc;

    *out = NULL;
    if (cr_toml_parse(buf, len, path, &doc, &te) != CR_TOML_OK)
        return clnrm_error_set(
            err, te.code == CR_TOML_E_NOMEM ? CLNRM_E_NOMEM : CLNRM_E_INPUT,
            "%s", te.msg);
    ld.doc = doc;
    ld.path = path;
    ld.opts = opts != NULL ? opts : &defaults;
    ld.diags = diags;
    /* The code of a failure is read back from the error at the end, so
     * one is needed even when the caller wants no detail. */
    ld.err = err != NULL ? err : &local;
    ld.t = cr_calloc(1, sizeof(*ld.t));
    if (ld.t == NULL || (ld.t->path = cr_strdup(path)) == NULL) {
        cr_free(ld.t);
        cr_toml_free(doc);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    root = cr_toml_root(doc);
    ld.t->format = (cr_toml_get(root, "meta") || cr_toml_get(root, "service") ||
                    cr_toml_get(root, "scenario"))
                       ? CLNRM_FORMAT_V1
                       : CLNRM_FORMAT_LEGACY;
    ld.t->timeout_ms = CLNRM_DEFAULT_TEST_TIMEOUT_MS;
    rc = clnrm_security_defaults(&ld.t->security) != CLNRM_OK
             ? clnrm__fail_nomem(&ld)
             : load_sections(&ld, root);
    if (rc == 0)
        rc = finish(&ld);
    if (rc == 0 && ld.diag_lost)
        rc = clnrm__fail_nomem(&ld);
    if (rc == 0 && ld.opts->strict && ld.n_warnings > 0)
        rc = -1, clnrm_error_set(ld.err, CLNRM_E_INPUT, "%s (strict mode)",
                                 ld.first_warning.msg);
    cr_toml_free(doc);
    if (rc != 0) {
        clnrm_test_free(ld.t);
        return ld.err->code != CLNRM_OK ? ld.err->code : CLNRM_E_INPUT;
    }
    *out = ld.t;
    return CLNRM_OK;
}

/* Templates are rendered first; what the TOML loader then says about the
 * rendered text is mapped back into the template. */
enum clnrm_code clnrm_test_parse(const char *buf, size_t len, const char *path,
                                 const struct clnrm_load_opts *opts,
                                 struct clnrm_test **out,
                                 struct clnrm_diags *diags,
                                 struct cr_error *err)
{
    struct tmpl_output r = { 0 };
    struct clnrm_load_opts ro = { 0 };
    size_t n0 = diags != NULL ? diags->n : 0;
    enum clnrm_code rc;

    *out = NULL;
    if (!tmpl_wanted(buf, len))
        return parse_toml(buf, len, path, opts, out, diags, err);
    if ((rc = clnrm_render(buf, len, path, opts, &r, err)) != CLNRM_OK)
        return rc;
    ro = opts != NULL ? *opts : ro;
    ro.rendered = true;
    rc = parse_toml(r.text, r.len, path, &ro, out, diags, err);
    clnrm__remap(&r, path, rc != CLNRM_OK ? err : NULL, diags, n0);
    tmpl_output_release(&r);
    return rc;
}

enum clnrm_code clnrm_test_load(const char *path,
                                const struct clnrm_load_opts *opts,
                                struct clnrm_test **out,
                                struct clnrm_diags *diags, struct cr_error *err)
{
    char *buf;
    size_t len;
    enum clnrm_code rc;
    int rd;

    *out = NULL;
    rd = cr_fs_read(path, &buf, &len);
    /* Running out of memory while reading is not an I/O error. */
    if (rd != 0)
        return clnrm_error_set(err, rd == -ENOMEM ? CLNRM_E_NOMEM : CLNRM_E_IO,
                               "cannot read %s: %s", path, strerror(-rd));
    rc = clnrm_test_parse(buf, len, path, opts, out, diags, err);
    cr_free(buf);
    return rc;
}
