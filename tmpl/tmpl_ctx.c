/* tmpl_ctx: the context a test file renders with. Its own [vars] (or
 * [template.vars]), [template.matrix], [template.otel] and [determinism]
 * tables are read from the template's text before rendering, section by
 * section, so a file can define the variables it uses. See tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"
#include "cr_toml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The variables every file has, each from an environment variable or a
 * default, as the Rust clnrm's context defines them. */
static const struct {
    const char *name, *env, *def;
} defaults[] = {
    { "svc", "SERVICE_NAME", "clnrm" },
    { "env", "ENV", "ci" },
    { "endpoint", "OTEL_ENDPOINT", "http://localhost:4318" },
    { "exporter", "OTEL_TRACES_EXPORTER", "otlp" },
    { "image", "CLNRM_IMAGE", "registry/clnrm:1.0.0" },
    { "freeze_clock", "FREEZE_CLOCK", "2025-01-01T00:00:00Z" },
    { "token", "OTEL_TOKEN", "" },
};

static const char *env_get(struct tmpl_rt *rt, const char *name)
{
    return rt->opts->getenv ? rt->opts->getenv(rt->opts->getenv_ud, name)
                            : getenv(name);
}

static struct tmpl_value *ns(struct tmpl_rt *rt, const char *name)
{
    for (size_t i = 0; i < rt->globals.len; i++)
        if (strcmp(rt->globals.keys[i], name) == 0)
            return &rt->globals.items[i];
    return NULL;
}

static int put_str(struct tmpl_rt *rt, struct tmpl_value *obj, const char *k,
                   const char *v, size_t n)
{
    struct tmpl_value s;

    if (tmpl_str(&s, v, n) != 0 || tmpl_object_set_take(obj, k, &s) != 0)
        return tmpl__nomem(rt);
    return 0;
}

/* A TOML value as a template value; date-times become their text. */
static int from_toml(struct tmpl_rt *rt, const struct cr_toml_value *t,
                     struct tmpl_value *out)
{
    size_t n = cr_toml_len(t), len;
    const char *s;

    memset(out, 0, sizeof(*out));
    switch (cr_toml_type(t)) {
    case CR_TOML_STRING:
        s = cr_toml_string(t, &len);
        return tmpl_str(out, s, len) != 0 ? tmpl__nomem(rt) : 0;
    case CR_TOML_INTEGER:
        *out = tmpl_int(cr_toml_int(t));
        return 0;
    case CR_TOML_FLOAT:
        *out = tmpl_float(cr_toml_float(t));
        return 0;
    case CR_TOML_BOOL:
        *out = tmpl_bool(cr_toml_bool(t));
        return 0;
    case CR_TOML_ARRAY:
    case CR_TOML_TABLE:
        out->type = cr_toml_type(t) == CR_TOML_ARRAY ? TMPL_ARRAY : TMPL_OBJECT;
        for (size_t i = 0; i < n; i++) {
            struct tmpl_value item;
            bool arr = out->type == TMPL_ARRAY;
            if (from_toml(rt, arr ? cr_toml_at(t, i) : cr_toml_value_at(t, i),
                          &item) != 0)
                return tmpl_value_release(out), -1;
            if (arr ? tmpl_array_push_take(out, &item)
                    : tmpl_object_set_take(out, cr_toml_key_at(t, i, NULL),
                                           &item))
                return tmpl_value_release(out), tmpl__nomem(rt);
        }
        return 0;
    default: {
        const struct cr_toml_datetime *d = cr_toml_datetime(t);
        char buf[64];
        snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", d->year,
                 d->month, d->day, d->hour, d->minute, d->second);
        return tmpl_str(out, buf, strlen(buf)) != 0 ? tmpl__nomem(rt) : 0;
    }
    }
}

/* Whether the line at p (up to e) is a TOML table header; stores its name
 * (between the brackets, spaces trimmed) in name. */
static bool header(const char *p, const char *e, char *name, size_t cap)
{
    const char *close;
    size_t n;

    while (p < e && (*p == ' ' || *p == '\t'))
        p++;
    if (p == e || *p != '[')
        return false;
    while (p < e && (*p == '[' || *p == ' '))
        p++;
    close = memchr(p, ']', (size_t)(e - p));
    if (close == NULL)
        return false;
    for (const char *q = p; q < close; q++)
        if (!isalnum((unsigned char)*q) && strchr("_-.\"' ", *q) == NULL)
            return false;
    n = (size_t)(close - p);
    while (n > 0 && p[n - 1] == ' ')
        n--;
    snprintf(name, cap, "%.*s", (int)n, p);
    return true;
}

/* The text of the section that starts at line start_line (offset off),
 * up to the next header or template tag, padded with newlines so that
 * positions in it are positions in the file. */
static char *section_text(const struct tmpl_file *f, size_t line,
                          const char *section, size_t *len)
{
    size_t slen = strlen(section);
    size_t off = f->line_starts[line], end = f->len, pad = line;
    char name[128];
    char *s;

    for (size_t l = line + 1; l < f->n_lines; l++) {
        const char *p = f->src + f->line_starts[l];
        const char *e = l + 1 < f->n_lines ? f->src + f->line_starts[l + 1]
                                           : f->src + f->len;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        /* A line starting with a tag ends it: {% if %}, {{ key }} = ... */
        bool sub = header(p, e, name, sizeof(name)) &&
                   strncmp(name, section, slen) == 0 && name[slen] == '.';
        if ((!sub && header(p, e, name, sizeof(name))) ||
            (e - p >= 2 && p[0] == '{' &&
             (p[1] == '%' || p[1] == '#' || p[1] == '{'))) {
            end = f->line_starts[l];
            break;
        }
    }
    *len = pad + (end - off);
    s = cr_malloc(*len + 1);
    if (s == NULL)
        return NULL;
    memset(s, '\n', pad);
    memcpy(s + pad, f->src + off, end - off);
    s[*len] = '\0';
    return s;
}

/* Adds the section's values to the namespace in order, rendering strings
 * that hold {{ }} (env(...) defaults, say) with what came before. */
static int merge(struct tmpl_rt *rt, const struct tmpl_file *f,
                 const struct cr_toml_value *tbl, struct tmpl_value *from,
                 const char *target)
{
    for (size_t i = 0; i < from->len; i++) {
        struct tmpl_value *v = &from->items[i];
        if (v->type == TMPL_STR && strstr(v->s, "{{") != NULL &&
            tmpl__render_string(rt, f->path,
                                cr_toml_pos(cr_toml_value_at(tbl, i)), v) != 0)
            return -1;
        if (tmpl_object_set_take(ns(rt, target), from->keys[i], v) != 0)
            return tmpl__nomem(rt);
    }
    return 0;
}

static int parse_time(const char *s, int64_t *ms)
{
    struct tm tm = { 0 };
    int frac = 0, oh = 0, om = 0, n = 0;
    char sign = 'Z';

    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
        return -1;
    s += n;
    if (*s == '.') {
        int digits = 0;
        for (s++; isdigit((unsigned char)*s); s++, digits++)
            if (digits < 3)
                frac = frac * 10 + (*s - '0');
        for (; digits < 3; digits++)
            frac *= 10;
    }
    if (*s == '+' || *s == '-') {
        sign = *s;
        if (sscanf(s + 1, "%2d:%2d", &oh, &om) != 2)
            return -1;
    } else if (*s != 'Z' && *s != 'z' && *s != '\0') {
        return -1;
    }
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    *ms = ((int64_t)timegm(&tm) - (sign == '-'   ? -1
                                   : sign == '+' ? 1
                                                 : 0) *
                                      (oh * 3600 + om * 60)) *
              1000 +
          frac;
    return 0;
}

/* The bounds of the [determinism] section of text: *off its header line,
 * *end the next header; *line the header's line (1-based). */
static bool find_determinism(const char *text, size_t len, size_t *off,
                             size_t *end, unsigned *line)
{
    char name[128];
    bool in = false;
    unsigned l = 1;

    for (size_t p = 0; p < len; l++) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) + 1 : len;
        if (header(text + p, text + e, name, sizeof(name))) {
            if (in) {
                *end = p;
                return true;
            }
            if (strcmp(name, "determinism") == 0)
                in = true, *off = p, *line = l;
        }
        p = e;
    }
    *end = len;
    return in;
}

int tmpl__determinism(struct tmpl_rt *rt, const char *text, size_t len,
                      struct cr_pos *at)
{
    struct cr_toml_doc *doc;
    const struct cr_toml_value *tbl, *seed, *clock;
    struct tmpl_value v = { 0 };
    size_t off = 0, end = 0;
    unsigned line = 0;
    int rc = 0;

    /* Only this section is parsed: the rest may be TOML the loader
     * rejects later (it says where), which must not hide the seed. */
    struct cr_error te;

    if (!find_determinism(text, len, &off, &end, &line))
        return 0;
    if (cr_toml_parse(text + off, end - off, NULL, &doc, &te) != CR_TOML_OK)
        return te.code == CR_TOML_E_NOMEM ? -1 : 0;
    tbl = cr_toml_get(cr_toml_root(doc), "determinism");
    seed = cr_toml_get(tbl, "seed");
    clock = cr_toml_get(tbl, "freeze_clock");
    if (seed != NULL && cr_toml_type(seed) == CR_TOML_INTEGER) {
        rt->rng = (uint64_t)cr_toml_int(seed);
        rc = 1;
    }
    if (clock != NULL) {
        *at = cr_toml_pos(clock);
        at->line += line - 1;
        if (from_toml(rt, clock, &v) != 0)
            rc = -1;
        else if (v.type != TMPL_STR || parse_time(v.s, &rt->now_ms) != 0)
            rc = -2;
        else
            rc = 1;
        tmpl_value_release(&v);
    }
    cr_toml_free(doc);
    return rc;
}

/* Reads one section into the namespace it feeds. */
static int load_section(struct tmpl_rt *rt, const struct tmpl_file *f,
                        size_t line, const char *name)
{
    const char *target = strcmp(name, "template.matrix") == 0 ? "matrix"
                         : strcmp(name, "template.otel") == 0 ? "otel"
                                                              : "vars";
    struct cr_toml_doc *doc;
    struct cr_error te;
    const struct cr_toml_value *tbl;
    struct tmpl_value v;
    size_t len;
    char *text = section_text(f, line, name, &len);
    int rc;

    if (text == NULL)
        return tmpl__nomem(rt);
    rc = cr_toml_parse(text, len, f->path, &doc, &te);
    cr_free(text);
    if (rc != CR_TOML_OK) {
        tmpl_error_set(rt->err,
                       rc == CR_TOML_E_NOMEM ? TMPL_E_NOMEM : TMPL_E_SYNTAX,
                       "%s", te.msg);
        if (rt->err != NULL)
            rt->err->pos = te.pos;
        return -1;
    }
    tbl = cr_toml_root(doc);
    for (const char *p = name; tbl != NULL && p != NULL;) {
        const char *dot = strchr(p, '.');
        char part[64];
        snprintf(part, sizeof(part), "%.*s",
                 (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
        tbl = cr_toml_get(tbl, part);
        p = dot ? dot + 1 : NULL;
    }
    if (tbl == NULL || cr_toml_type(tbl) != CR_TOML_TABLE)
        rc = 0;
    else if ((rc = from_toml(rt, tbl, &v)) == 0) {
        const struct tmpl_file *cur = rt->cur;
        rt->cur = f;
        rc = merge(rt, f, tbl, &v, target);
        rt->cur = cur;
        tmpl_value_release(&v);
    }
    cr_toml_free(doc);
    return rc != 0 ? -1 : 0;
}

static int add_defaults(struct tmpl_rt *rt, struct tmpl_value *vars)
{
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        const char *v = env_get(rt, defaults[i].env);
        if (v == NULL)
            v = defaults[i].def;
        if (put_str(rt, vars, defaults[i].name, v, strlen(v)) != 0)
            return -1;
    }
    return 0;
}

static int command_line(struct tmpl_rt *rt, struct tmpl_value *vars)
{
    for (size_t i = 0; i < rt->opts->n_vars; i++) {
        const char *kv = rt->opts->vars[i], *eq = strchr(kv, '=');
        char key[128];
        if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof(key))
            return tmpl_error_set(rt->err, TMPL_E_EVAL,
                                  "--var %s: expected KEY=VALUE", kv),
                   -1;
        snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
        if (put_str(rt, vars, key, eq + 1, strlen(eq + 1)) != 0)
            return -1;
    }
    return 0;
}

int tmpl__context(struct tmpl_rt *rt, const struct tmpl_file *f)
{
    static const char *const names[] = { "vars", "matrix", "otel" };
    struct tmpl_value *vars;
    struct timespec ts;
    char name[128];

    clock_gettime(CLOCK_REALTIME, &ts);
    rt->now_ms = rt->opts->now_ms != 0
                     ? rt->opts->now_ms
                     : (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    /* Without [determinism] seed, values differ from run to run. */
    rt->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
    for (size_t i = 0; i < 3; i++) {
        struct tmpl_value empty = { .type = TMPL_OBJECT };
        if (tmpl_object_set_take(&rt->globals, names[i], &empty) != 0)
            return tmpl__nomem(rt);
    }
    vars = ns(rt, "vars");
    if (add_defaults(rt, vars) != 0)
        return -1;
    for (size_t l = 0; l < f->n_lines; l++) {
        const char *p = f->src + f->line_starts[l];
        const char *e = l + 1 < f->n_lines ? f->src + f->line_starts[l + 1]
                                           : f->src + f->len;
        if (!header(p, e, name, sizeof(name)) ||
            (strcmp(name, "vars") != 0 && strcmp(name, "template.vars") != 0 &&
             strcmp(name, "template.matrix") != 0 &&
             strcmp(name, "template.otel") != 0))
            continue;
        if (load_section(rt, f, l, name) != 0)
            return -1;
        vars = ns(rt, "vars");
    }
    if (command_line(rt, vars) != 0)
        return -1;
    /* Each var is also a top-level name: {{ svc }} as well as
     * {{ vars.svc }}. */
    for (size_t i = 0; i < vars->len; i++) {
        struct tmpl_value copy;
        if (tmpl_value_copy(&copy, &vars->items[i]) != 0 ||
            tmpl_object_set_take(&rt->frames[0], vars->keys[i], &copy) != 0)
            return tmpl__nomem(rt);
    }
    return 0;
}
