/*
 * toml-decode: the toml-test decoder interface. Reads TOML on stdin and
 * writes the tagged JSON form on stdout (exit 0), or one error line on
 * stderr (exit 1).
 */
#include "cr_buf.h"
#include "cr_toml.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (c < 0x20 || c == 0x7F) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

static void put_frac(FILE *f, int ns)
{
    if (ns == 0) {
        return;
    }
    char buf[16];
    snprintf(buf, sizeof(buf), "%09d", ns);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '0') {
        n--;
    }
    fprintf(f, ".%.*s", (int)n, buf);
}

static void put_datetime(FILE *f, const struct cr_toml_value *v)
{
    const struct cr_toml_datetime *dt = cr_toml_datetime(v);
    enum cr_toml_type t = cr_toml_type(v);
    if (t != CR_TOML_TIME_LOCAL) {
        fprintf(f, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
    }
    if (t == CR_TOML_DATE_LOCAL) {
        return;
    }
    if (t != CR_TOML_TIME_LOCAL) {
        fputc('T', f);
    }
    fprintf(f, "%02d:%02d:%02d", dt->hour, dt->minute, dt->second);
    put_frac(f, dt->nanosecond);
    if (t != CR_TOML_DATETIME) {
        return;
    }
    if (dt->offset_z) {
        fputc('Z', f);
        return;
    }
    int off = dt->offset_minutes;
    fprintf(f, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 60,
            abs(off) % 60);
}

/* The shortest %g form that reads back as the same double. */
static void put_double(FILE *f, double d)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    fprintf(f, "\"%s\"", buf);
}

static const char *tag(enum cr_toml_type t)
{
    switch (t) {
    case CR_TOML_STRING:
        return "string";
    case CR_TOML_INTEGER:
        return "integer";
    case CR_TOML_FLOAT:
        return "float";
    case CR_TOML_BOOL:
        return "bool";
    case CR_TOML_DATETIME:
        return "datetime";
    case CR_TOML_DATETIME_LOCAL:
        return "datetime-local";
    case CR_TOML_DATE_LOCAL:
        return "date-local";
    case CR_TOML_TIME_LOCAL:
        return "time-local";
    default:
        return "?";
    }
}

static void put_scalar(FILE *f, const struct cr_toml_value *v)
{
    enum cr_toml_type t = cr_toml_type(v);
    fprintf(f, "{\"type\":\"%s\",\"value\":", tag(t));
    if (t == CR_TOML_STRING) {
        size_t n;
        const char *s = cr_toml_string(v, &n);
        put_json_string(f, s, n);
    } else if (t == CR_TOML_INTEGER) {
        fprintf(f, "\"%" PRId64 "\"", cr_toml_int(v));
    } else if (t == CR_TOML_FLOAT) {
        double d = cr_toml_float(v);
        if (isnan(d)) {
            fputs("\"nan\"", f);
        } else if (isinf(d)) {
            fputs(d < 0 ? "\"-inf\"" : "\"inf\"", f);
        } else {
            put_double(f, d);
        }
    } else if (t == CR_TOML_BOOL) {
        fputs(cr_toml_bool(v) ? "\"true\"" : "\"false\"", f);
    } else {
        fputc('"', f);
        put_datetime(f, v);
        fputc('"', f);
    }
    fputc('}', f);
}

/* Depth is bounded by the parser (CR_TOML_MAX_DEPTH per construct). */
static void put_value(FILE *f, const struct cr_toml_value *v)
{
    enum cr_toml_type t = cr_toml_type(v);
    size_t n = cr_toml_len(v);
    if (t == CR_TOML_TABLE) {
        fputc('{', f);
        for (size_t i = 0; i < n; i++) {
            const char *k = cr_toml_key_at(v, i, NULL);
            fputs(i ? "," : "", f);
            put_json_string(f, k, cr_toml_key_len(v, i));
            fputc(':', f);
            put_value(f, cr_toml_value_at(v, i));
        }
        fputc('}', f);
    } else if (t == CR_TOML_ARRAY) {
        fputc('[', f);
        for (size_t i = 0; i < n; i++) {
            fputs(i ? "," : "", f);
            put_value(f, cr_toml_at(v, i));
        }
        fputc(']', f);
    } else {
        put_scalar(f, v);
    }
}

int main(void)
{
    struct cr_buf in;
    char chunk[65536];
    size_t n;
    cr_buf_init(&in);
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        if (cr_buf_append(&in, chunk, n) != 0) {
            fprintf(stderr, "toml-decode: out of memory\n");
            return 1;
        }
    }
    struct cr_toml_doc *doc;
    struct cr_error err;
    if (cr_toml_parse(in.data, in.len, "<stdin>", &doc, &err) != CR_TOML_OK) {
        fprintf(stderr, "%s\n", err.msg);
        cr_buf_release(&in);
        return 1;
    }
    put_value(stdout, cr_toml_root(doc));
    fputc('\n', stdout);
    cr_toml_free(doc);
    cr_buf_release(&in);
    return 0;
}
