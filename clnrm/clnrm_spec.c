/* clnrm_spec: model helpers, command splitting and durations. */
#include "clnrm_spec.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Diagnostics and string vectors                                          */

void clnrm_diags_release(struct clnrm_diags *d)
{
    if (d == NULL)
        return;
    cr_free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
}

size_t clnrm_diags_count(const struct clnrm_diags *d,
                         enum clnrm_diag_level level)
{
    size_t count = 0;

    for (size_t i = 0; d != NULL && i < d->n; i++)
        if (d->items[i].level >= level)
            count++;
    return count;
}

/* ---------------------------------------------------------------------- */
/* Freeing the model                                                       */

static void env_release(struct clnrm_env *env)
{
    for (size_t i = 0; i < env->n; i++) {
        cr_free(env->items[i].key);
        cr_free(env->items[i].value);
    }
    cr_free(env->items);
    env->items = NULL;
    env->n = 0;
}

static void service_release(struct clnrm_service *s)
{
    cr_free(s->name);
    cr_free(s->image);
    cr_free(s->plugin);
    cr_strv_release(&s->command);
    env_release(&s->env);
    cr_free(s->ports);
    cr_free(s->publish);
    for (size_t i = 0; i < s->n_volumes; i++) {
        cr_free(s->volumes[i].host_path);
        cr_free(s->volumes[i].container_path);
    }
    cr_free(s->volumes);
    cr_strv_release(&s->ready.cmd);
    cr_free(s->ready.log_line);
    cr_free(s->workdir);
    cr_strv_release(&s->depends_on);
    cr_free(s->deps);
    cr_free(s->description);
    if (s->build != NULL) {
        cr_free(s->build->context);
        cr_free(s->build->dockerfile);
        cr_free(s->build->target);
        env_release(&s->build->args);
        cr_free(s->build);
    }
}

static void step_release(struct clnrm_step *s)
{
    cr_free(s->name);
    cr_free(s->description);
    cr_strv_release(&s->argv);
    cr_free(s->expected_output_regex);
    cr_free(s->expected_output_regex_not);
    cr_free(s->workdir);
    env_release(&s->env);
    cr_free(s->service);
}

void clnrm_test_free(struct clnrm_test *t)
{
    if (t == NULL)
        return;
    cr_free(t->path);
    cr_free(t->name);
    cr_free(t->description);
    cr_strv_release(&t->security.cap_add);
    for (size_t i = 0; i < t->n_services; i++)
        service_release(&t->services[i]);
    cr_free(t->services);
    for (size_t i = 0; i < t->n_steps; i++)
        step_release(&t->steps[i]);
    cr_free(t->steps);
    cr_strv_release(&t->unused_keys);
    cr_free(t);
}

enum clnrm_code clnrm_security_defaults(struct clnrm_security *sec)
{
    static const char *const caps[] = { CLNRM_DEFAULT_CAPS };

    memset(sec, 0, sizeof(*sec));
    sec->no_new_privileges = true;
    sec->drop_all_caps = true;
    sec->pids_limit = CLNRM_DEFAULT_PIDS_LIMIT;
    sec->memory_mb = CLNRM_DEFAULT_MEMORY_MB;
    /* Fewer capabilities than documented would fail tests for no reason
     * they could see: out of memory is the caller's error to report. */
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        if (cr_strv_push(&sec->cap_add, caps[i]) != 0)
            return CLNRM_E_NOMEM;
    return CLNRM_OK;
}

const struct clnrm_service *clnrm_step_service(const struct clnrm_test *t,
                                               const struct clnrm_step *s)
{
    if (s->service != NULL)
        for (size_t i = 0; i < t->n_services; i++)
            if (strcmp(t->services[i].name, s->service) == 0)
                return &t->services[i];
    return t->n_services > 0 ? &t->services[0] : NULL;
}

long clnrm_service_index(const struct clnrm_test *t, const char *name)
{
    for (size_t i = 0; i < t->n_services; i++)
        if (strcmp(t->services[i].name, name) == 0)
            return (long)i;
    return -1;
}

bool clnrm_dep_waits_ready(const struct clnrm_test *t,
                           const struct clnrm_service *s, size_t d)
{
    long k = clnrm_service_index(t, s->depends_on.v[d]);
    enum clnrm_dep_cond c =
        s->deps != NULL ? s->deps[d].cond : CLNRM_DEP_DEFAULT;

    if (k < 0 || c == CLNRM_DEP_STARTED)
        return false;
    return t->services[k].ready.kind != CLNRM_READY_NONE;
}

/* True when every service s depends on is among placed[]. */
static bool deps_placed(const struct clnrm_test *t,
                        const struct clnrm_service *s, const bool *placed)
{
    for (size_t d = 0; d < s->depends_on.n; d++) {
        long k = clnrm_service_index(t, s->depends_on.v[d]);
        if (k >= 0 && !placed[k])
            return false;
    }
    return true;
}

int clnrm_service_order(const struct clnrm_test *t, size_t *order)
{
    bool placed[CLNRM_MAX_SERVICES] = { false };
    size_t n = 0;

    if (t->n_services > CLNRM_MAX_SERVICES)
        return -1;
    /* At most n passes, each placing at least one service unless the
     * rest wait on each other. */
    while (n < t->n_services) {
        size_t before = n;
        for (size_t i = 0; i < t->n_services; i++)
            if (!placed[i] && deps_placed(t, &t->services[i], placed)) {
                placed[i] = true;
                order[n++] = i;
            }
        if (n == before)
            return -1;
    }
    return 0;
}

bool clnrm_test_needs_network(const struct clnrm_test *t)
{
    if (t->security.host_network)
        return false; /* the host's network, nothing of the test's own */
    if (t->n_services > 1)
        return true;
    return t->n_services == 1 && t->services[0].n_ports > 0;
}

const struct clnrm_step *clnrm_test_main_step(const struct clnrm_test *t)
{
    const struct clnrm_service *s = &t->services[0];

    if (t->n_services != 1 || t->n_steps != 1 || s->command.n > 0 ||
        s->n_ports > 0 || s->ready.kind != CLNRM_READY_NONE ||
        t->steps[0].argv.n == 0 || clnrm_step_service(t, &t->steps[0]) != s)
        return NULL;
    return &t->steps[0];
}

/* ---------------------------------------------------------------------- */
/* Shell-like splitting                                                    */

/* Appends the word being built to out when one was started. */
static int flush_word(struct cr_buf *word, bool *in_word, struct cr_strv *out)
{
    if (!*in_word)
        return 0;
    *in_word = false;
    if (cr_strv_push(out, cr_buf_str(word)) != 0)
        return -1;
    cr_buf_reset(word);
    return 0;
}

/* Consumes a double-quoted section starting after the quote at *pp. */
static int split_dquote(const char **pp, struct cr_buf *word)
{
    const char *p = *pp;

    for (; *p != '\0' && *p != '"'; p++) {
        if (*p == '\\' && strchr("\"\\$`", p[1]) != NULL && p[1] != '\0')
            p++;
        if (cr_buf_putc(word, *p) != 0)
            return -1;
    }
    if (*p != '"')
        return 1;
    *pp = p + 1;
    return 0;
}

enum clnrm_code clnrm_split_command(const char *line, struct cr_strv *out,
                                    struct cr_error *err)
{
    struct cr_buf word = { 0 };
    bool in_word = false;
    const char *p = line;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    while (*p != '\0' && rc == 0) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            rc = flush_word(&word, &in_word, out);
            p++;
        } else if (*p == '\'') {
            const char *end = strchr(p + 1, '\'');
            if (end == NULL) {
                rc = 1;
                break;
            }
            in_word = true;
            rc = cr_buf_append(&word, p + 1, (size_t)(end - p - 1));
            p = end + 1;
        } else if (*p == '"') {
            p++;
            in_word = true;
            rc = split_dquote(&p, &word);
        } else if (*p == '\\') {
            if (p[1] == '\0') {
                rc = 2;
                break;
            }
            in_word = true;
            rc = cr_buf_putc(&word, p[1]);
            p += 2;
        } else {
            in_word = true;
            rc = cr_buf_putc(&word, *p++);
        }
    }
    if (rc == 0)
        rc = flush_word(&word, &in_word, out);
    cr_buf_release(&word);
    if (rc == 0)
        return CLNRM_OK;
    cr_strv_release(out);
    if (rc < 0)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    /* Messages are one line: a multi-line command shows its first. */
    size_t first = strcspn(line, "\r\n");
    return clnrm_error_set(err, CLNRM_E_INPUT, "%s in command \"%.*s%s\"",
                           rc == 1 ? "unterminated quote"
                                   : "trailing backslash",
                           (int)first, line, line[first] ? "..." : "");
}

/* ---------------------------------------------------------------------- */
/* Durations                                                               */

int clnrm_parse_duration(const char *s, int64_t *ms)
{
    static const struct {
        const char *suffix;
        double scale;
    } units[] = { { "ms", 1 },    { "s", 1000 },    { "sec", 1000 },
                  { "m", 60000 }, { "min", 60000 }, { "h", 3600000 },
                  { "", 1000 } };
    char *end;
    double v;

    while (isspace((unsigned char)*s))
        s++;
    if (!isdigit((unsigned char)*s) && *s != '.')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || end == s || v < 0 || v > 1e12)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            *ms = (int64_t)(v * units[i].scale + 0.5);
            return 0;
        }
    }
    return -1;
}
