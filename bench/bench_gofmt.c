/* bench: reading and checking Go's benchmark format. See bench_gofmt.h. */
#include "bench_gofmt.h"
#include "cr_alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

struct field {
    const char *p;
    size_t len;
};

/* Splits at spaces and tabs; returns the number of fields or -1. */
static int split(const char *s, size_t len, struct field *f)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == len)
            break;
        if (n == MAX_FIELDS)
            return -1;
        f[n].p = s + i;
        while (i < len && s[i] != ' ' && s[i] != '\t')
            i++;
        f[n].len = (size_t)((s + i) - f[n].p);
        n++;
    }
    return n;
}

static bool is_config(const char *s, size_t len)
{
    size_t i = 0;
    if (len == 0 || !islower((unsigned char)s[0]))
        return false;
    while (i < len && s[i] != ':') {
        if (isspace((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
        i++;
    }
    /* "key:" alone, or "key:" then a space or tab before the value. */
    return i < len && (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t');
}

static bool looks_like_result(const char *s, size_t len)
{
    return len >= 9 && memcmp(s, "Benchmark", 9) == 0 &&
           (len == 9 || !islower((unsigned char)s[9]));
}

static bool parse_number(const struct field *f, double *out)
{
    char buf[64];
    char *end = NULL;
    if (f->len == 0 || f->len >= sizeof(buf))
        return false;
    memcpy(buf, f->p, f->len);
    buf[f->len] = '\0';
    *out = strtod(buf, &end);
    return *end == '\0' && isfinite(*out);
}

static bool all_digits(const struct field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (!isdigit((unsigned char)f->p[i]))
            return false;
    return f->len > 0;
}

/* The result-line grammar; fields in f (n of them). */
static int check_result(const struct field *f, int n, struct cr_error *err)
{
    double v;
    if (n < 0)
        return cr_error_set(err, BENCH_E_INPUT, "too many fields"), -1;
    if (n < 4)
        return cr_error_set(err, BENCH_E_INPUT,
                            "a result needs a name, an iteration count and "
                            "at least one value and unit"),
               -1;
    if (!all_digits(&f[1]))
        return cr_error_set(err, BENCH_E_INPUT,
                            "iteration count \"%.*s\" is not a number",
                            (int)f[1].len, f[1].p),
               -1;
    if ((n - 2) % 2 != 0)
        return cr_error_set(err, BENCH_E_INPUT,
                            "values and units do not pair up"),
               -1;
    for (int i = 2; i < n; i += 2) {
        if (!parse_number(&f[i], &v))
            return cr_error_set(err, BENCH_E_INPUT,
                                "value \"%.*s\" is not a number", (int)f[i].len,
                                f[i].p),
                   -1;
    }
    return 0;
}

int bench_gofmt_classify(const char *line, size_t len,
                         enum bench_line_kind *kind, struct cr_error *err)
{
    struct field f[MAX_FIELDS];
    while (len > 0 && (line[len - 1] == '\r'))
        len--;
    if (split(line, len, f) == 0) {
        *kind = BENCH_LINE_BLANK;
        return 0;
    }
    if (is_config(line, len)) {
        *kind = BENCH_LINE_CONFIG;
        return 0;
    }
    if (!looks_like_result(line, len)) {
        *kind = BENCH_LINE_OTHER;
        return 0;
    }
    *kind = BENCH_LINE_RESULT;
    return check_result(f, split(line, len, f), err);
}

const struct bench_series *bench_data_find(const struct bench_data *d,
                                           const char *name, const char *unit)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->s[i].name, name) == 0 && strcmp(d->s[i].unit, unit) == 0)
            return &d->s[i];
    return NULL;
}

static struct bench_series *series(struct bench_data *d,
                                   const struct field *name,
                                   const struct field *unit, bool gate)
{
    for (size_t i = 0; i < d->n; i++) {
        struct bench_series *s = &d->s[i];
        if (strlen(s->name) == name->len - 9 &&
            memcmp(s->name, name->p + 9, name->len - 9) == 0 &&
            strlen(s->unit) == unit->len &&
            memcmp(s->unit, unit->p, unit->len) == 0)
            return s;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        void *p = cr_realloc(d->s, cap * sizeof(*d->s));
        if (!p)
            return NULL;
        d->s = p;
        d->cap = cap;
    }
    struct bench_series *s = &d->s[d->n];
    memset(s, 0, sizeof(*s));
    s->gate = gate;
    s->name = cr_strndup(name->p + 9, name->len - 9);
    s->unit = cr_strndup(unit->p, unit->len);
    d->n++; /* counted even when a copy failed, so release frees it */
    return s->name && s->unit ? s : NULL;
}

static int push(struct bench_series *s, double v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        void *p = cr_realloc(s->v, cap * sizeof(*s->v));
        if (!p)
            return -1;
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = v;
    return 0;
}

static int add_result(struct bench_data *d, const char *line, size_t len,
                      bool gate)
{
    struct field f[MAX_FIELDS];
    int n = split(line, len, f);
    for (int i = 2; i + 1 < n; i += 2) {
        double v = 0;
        struct bench_series *s = series(d, &f[0], &f[i + 1], gate);
        parse_number(&f[i], &v);
        if (!s || push(s, v) != 0)
            return -1;
    }
    return 0;
}

/* "gate: off" turns gating off for what follows; any other value on. */
static bool gate_value(const char *line, size_t len, bool current)
{
    if (len < 5 || memcmp(line, "gate:", 5) != 0)
        return current;
    const char *v = line + 5;
    size_t vl = len - 5;
    while (vl && (*v == ' ' || *v == '\t'))
        v++, vl--;
    return !(vl >= 3 && memcmp(v, "off", 3) == 0);
}

enum bench_code bench_gofmt_parse(const char *text, size_t len,
                                  const char *path, struct bench_data *out,
                                  struct cr_error *err)
{
    bool gate = true;
    unsigned lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t ll = nl ? (size_t)(nl - (text + at)) : len - at;
        const char *line = text + at;
        enum bench_line_kind kind;
        struct cr_error why;
        lineno++;
        at += ll + 1;
        if (bench_gofmt_classify(line, ll, &kind, &why) != 0)
            return bench_error_set(err, BENCH_E_INPUT, "%s:%u: %s", path,
                                   lineno, why.msg);
        if (kind == BENCH_LINE_CONFIG)
            gate = gate_value(line, ll, gate);
        if (kind == BENCH_LINE_RESULT && add_result(out, line, ll, gate) != 0)
            return bench_error_set(err, BENCH_E_NOMEM, "out of memory");
    }
    return BENCH_OK;
}

void bench_data_release(struct bench_data *d)
{
    for (size_t i = 0; i < d->n; i++) {
        cr_free(d->s[i].name);
        cr_free(d->s[i].unit);
        cr_free(d->s[i].v);
    }
    cr_free(d->s);
    memset(d, 0, sizeof(*d));
}
