/*
 * cr_toml: the public API around the parser: parsing a buffer or a file,
 * freeing, and reading values. See cr_toml.h.
 */
#include "cr_toml.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_toml_cursor.h"
#include "cr_toml_parse.h"
#include "cr_toml_tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cr_toml_code cr_toml_errorf(struct cr_error *err, enum cr_toml_code code,
                                 const struct cr_toml_doc *doc,
                                 struct cr_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    crt_verror(err, code, doc ? doc->filename : NULL, pos, fmt, ap);
    va_end(ap);
    return code;
}

void cr_toml_free(struct cr_toml_doc *doc)
{
    if (doc == NULL) {
        return;
    }
    crt_arena_free(doc);
    cr_free(doc->filename);
    cr_free(doc);
}

static enum cr_toml_code nomem(struct cr_error *err)
{
    if (err != NULL) {
        err->code = CR_TOML_E_NOMEM;
        err->pos.line = 0;
        err->pos.col = 0;
        snprintf(err->msg, sizeof(err->msg), "out of memory");
    }
    return CR_TOML_E_NOMEM;
}

enum cr_toml_code cr_toml_parse(const char *buf, size_t len,
                                const char *filename, struct cr_toml_doc **out,
                                struct cr_error *err)
{
    struct cr_error local;
    *out = NULL;
    if (err == NULL) {
        err = &local;
    }
    struct cr_toml_doc *doc = cr_calloc(1, sizeof(*doc));
    if (doc == NULL) {
        return nomem(err);
    }
    doc->filename = cr_strdup(filename ? filename : "<input>");
    if (doc->filename == NULL) {
        cr_free(doc);
        return nomem(err);
    }
    doc->root.type = CR_TOML_TABLE;
    doc->root.flags = CRT_F_HEADER;
    doc->root.pos.line = 1;
    doc->root.pos.col = 1;
    struct crt_parser ps;
    memset(&ps, 0, sizeof(ps));
    ps.p = ps.line_start = buf ? buf : "";
    ps.end = ps.p + (buf ? len : 0);
    ps.line = 1;
    ps.doc = doc;
    ps.err = err;
    ps.fname = doc->filename;
    enum cr_toml_code rc = crt_parse_doc(&ps);
    cr_free(ps.scratch);
    if (rc != CR_TOML_OK) {
        cr_toml_free(doc);
        return rc;
    }
    *out = doc;
    return CR_TOML_OK;
}

enum cr_toml_code cr_toml_parse_file(const char *path, struct cr_toml_doc **out,
                                     struct cr_error *err)
{
    char *data;
    size_t len;
    *out = NULL;
    int rd = cr_fs_read(path, &data, &len);
    if (rd != 0) {
        /* Running out of memory while reading is not an I/O error. */
        enum cr_toml_code code = rd == -ENOMEM ? CR_TOML_E_NOMEM : CR_TOML_E_IO;
        if (err != NULL) {
            err->code = code;
            err->pos.line = 0;
            err->pos.col = 0;
            snprintf(err->msg, sizeof(err->msg), "%s: cannot read: %s", path,
                     strerror(-rd));
        }
        return code;
    }
    enum cr_toml_code rc = cr_toml_parse(data, len, path, out, err);
    cr_free(data);
    return rc;
}

const struct cr_toml_value *cr_toml_root(const struct cr_toml_doc *doc)
{
    return &doc->root;
}

const char *cr_toml_filename(const struct cr_toml_doc *doc)
{
    return doc->filename;
}

enum cr_toml_type cr_toml_type(const struct cr_toml_value *v)
{
    return (enum cr_toml_type)v->type;
}

struct cr_pos cr_toml_pos(const struct cr_toml_value *v)
{
    return v->pos;
}

size_t cr_toml_len(const struct cr_toml_value *v)
{
    if (v->type == CR_TOML_TABLE) {
        return v->u.tab.n;
    }
    if (v->type == CR_TOML_ARRAY) {
        return v->u.arr.n;
    }
    return 0;
}

const char *cr_toml_key_at(const struct cr_toml_value *table, size_t i,
                           struct cr_pos *pos)
{
    if (table->type != CR_TOML_TABLE || i >= table->u.tab.n) {
        return NULL;
    }
    if (pos != NULL) {
        *pos = table->u.tab.ents[i].pos;
    }
    return table->u.tab.ents[i].key;
}

size_t cr_toml_key_len(const struct cr_toml_value *table, size_t i)
{
    if (table->type != CR_TOML_TABLE || i >= table->u.tab.n) {
        return 0;
    }
    return table->u.tab.ents[i].klen;
}

const struct cr_toml_value *cr_toml_value_at(const struct cr_toml_value *table,
                                             size_t i)
{
    if (table->type != CR_TOML_TABLE || i >= table->u.tab.n) {
        return NULL;
    }
    return table->u.tab.ents[i].val;
}

const struct cr_toml_value *cr_toml_get(const struct cr_toml_value *table,
                                        const char *key)
{
    if (table == NULL || table->type != CR_TOML_TABLE) {
        return NULL;
    }
    size_t n = strlen(key);
    long i = crt_find(&table->u.tab, key, n, crt_hash(key, n));
    return i < 0 ? NULL : table->u.tab.ents[i].val;
}

const struct cr_toml_value *cr_toml_at(const struct cr_toml_value *array,
                                       size_t i)
{
    if (array->type != CR_TOML_ARRAY || i >= array->u.arr.n) {
        return NULL;
    }
    return array->u.arr.items[i];
}

const char *cr_toml_string(const struct cr_toml_value *v, size_t *len)
{
    if (v->type != CR_TOML_STRING) {
        if (len != NULL) {
            *len = 0;
        }
        return "";
    }
    if (len != NULL) {
        *len = v->u.str.len;
    }
    return v->u.str.s;
}

int64_t cr_toml_int(const struct cr_toml_value *v)
{
    return v->type == CR_TOML_INTEGER ? v->u.i : 0;
}

double cr_toml_float(const struct cr_toml_value *v)
{
    if (v->type == CR_TOML_INTEGER) {
        return (double)v->u.i;
    }
    return v->type == CR_TOML_FLOAT ? v->u.f : 0.0;
}

bool cr_toml_bool(const struct cr_toml_value *v)
{
    return v->type == CR_TOML_BOOL ? v->u.b : false;
}

const struct cr_toml_datetime *cr_toml_datetime(const struct cr_toml_value *v)
{
    switch (v->type) {
    case CR_TOML_DATETIME:
    case CR_TOML_DATETIME_LOCAL:
    case CR_TOML_DATE_LOCAL:
    case CR_TOML_TIME_LOCAL:
        return v->u.dt;
    default:
        return NULL;
    }
}
