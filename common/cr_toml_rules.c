/*
 * cr_toml: the rules against redefining keys and tables, applied when a
 * key/value pair, a [table] or an [[array of tables]] is stored.
 */
#include "cr_toml_rules.h"

#include <stdio.h>

static const char *article(enum cr_toml_type t)
{
    return t == CR_TOML_ARRAY || t == CR_TOML_INTEGER ? "an" : "a";
}

/* Writes parts [0, n) as "a.b.c" for messages. See cr_toml_rules.h. */
const char *crt_key_name(const struct crt_key_path *kp, unsigned n, char *buf,
                         size_t cap)
{
    /* Keep messages on one line: control bytes are shown escaped, and a
     * long name is cut (leaving room for the escape and the NUL). */
    size_t o = 0;
    for (unsigned i = 0; i < n && o + 8 < cap; i++) {
        if (i > 0) {
            buf[o++] = '.';
        }
        const struct crt_key_part *p = &kp->parts[i];
        for (size_t j = 0; j < p->n && o + 8 < cap; j++) {
            unsigned char c = (unsigned char)p->s[j];
            if (c < 0x20 || c == 0x7F) {
                o += (size_t)snprintf(buf + o, cap - o, "\\x%02X", c);
            } else {
                buf[o++] = (char)c;
            }
        }
    }
    buf[o] = '\0';
    return buf;
}

/* --- Redefinition rules ----------------------------------------------------
 */

static struct crt_entry *lookup(struct cr_toml_value *t,
                                const struct crt_key_part *k)
{
    long i = crt_find(&t->u.tab, k->s, k->n, k->hash);
    return i < 0 ? NULL : &t->u.tab.ents[i];
}

/* Bounds the tree's depth, so that recursive walkers stay safe. */
bool crt_too_deep(struct crt_parser *ps, unsigned depth, struct cr_pos pos)
{
    if (depth <= CR_TOML_MAX_DEPTH) {
        return false;
    }
    crt_fail_pos(ps, pos, "nesting deeper than %d levels", CR_TOML_MAX_DEPTH);
    return true;
}

static struct cr_toml_value *add_table(struct crt_parser *ps,
                                       struct cr_toml_value *t,
                                       const struct crt_key_part *k, int flags,
                                       struct cr_pos pos)
{
    if (crt_too_deep(ps, t->depth + 1u, k->pos)) {
        return NULL;
    }
    struct cr_toml_value *nt = crt_new(ps, CR_TOML_TABLE, pos);
    if (nt == NULL) {
        return NULL;
    }
    nt->flags = (uint8_t)flags;
    nt->depth = (uint16_t)(t->depth + 1);
    if (crt_table_add(ps->doc, &t->u.tab, k->s, k->n, k->hash, k->pos, nt)) {
        crt_nomem(ps);
        return NULL;
    }
    return nt;
}

static int not_a_table(struct crt_parser *ps, const struct crt_key_path *kp,
                       unsigned i, const struct crt_entry *e)
{
    char name[256];
    const struct cr_toml_value *v = e->val;
    crt_key_name(kp, i + 1, name, sizeof(name));
    if (v->type == CR_TOML_TABLE && (v->flags & CRT_F_SEALED)) {
        return crt_fail_pos(ps, kp->parts[i].pos,
                            "cannot add to inline table \"%s\" (defined at "
                            "line %u)",
                            name, e->pos.line);
    }
    if (v->type == CR_TOML_TABLE) {
        return crt_fail_pos(ps, kp->parts[i].pos,
                            "dotted key cannot add to table \"%s\" (defined by "
                            "a [table] header at line %u)",
                            name, e->pos.line);
    }
    if (v->type == CR_TOML_ARRAY && (v->flags & CRT_F_SEALED)) {
        return crt_fail_pos(ps, kp->parts[i].pos,
                            "cannot add to static array \"%s\" (defined at "
                            "line %u)",
                            name, e->pos.line);
    }
    return crt_fail_pos(ps, kp->parts[i].pos,
                        "key \"%s\" was defined at line %u as %s %s, not a "
                        "table",
                        name, e->pos.line, article((enum cr_toml_type)v->type),
                        cr_toml_type_name((enum cr_toml_type)v->type));
}

/* Stores v under the dotted key kp in table t, creating dotted tables. */
int crt_insert_dotted(struct crt_parser *ps, struct cr_toml_value *t,
                      const struct crt_key_path *kp, struct cr_toml_value *v)
{
    for (unsigned i = 0; i + 1 < kp->n; i++) {
        struct crt_entry *e = lookup(t, &kp->parts[i]);
        if (e == NULL) {
            t = add_table(ps, t, &kp->parts[i], CRT_F_DOTTED, kp->parts[i].pos);
            if (t == NULL) {
                return -1;
            }
            continue;
        }
        struct cr_toml_value *c = e->val;
        if (c->type != CR_TOML_TABLE || !(c->flags & CRT_F_DOTTED) ||
            (c->flags & CRT_F_SEALED)) {
            return not_a_table(ps, kp, i, e);
        }
        t = c;
    }
    const struct crt_key_part *last = &kp->parts[kp->n - 1];
    struct crt_entry *e = lookup(t, last);
    if (e != NULL) {
        char name[256];
        return crt_fail_pos(
            ps, last->pos, "duplicate key \"%s\" (first defined at line %u)",
            crt_key_name(kp, kp->n, name, sizeof(name)), e->pos.line);
    }
    if (crt_table_add(ps->doc, &t->u.tab, last->s, last->n, last->hash,
                      last->pos, v) != 0) {
        return crt_nomem(ps);
    }
    return 0;
}

/* Walks the parent parts of a [header] or [[header]], creating implicit
 * tables, and looks its last part up there: returns the parent (NULL on
 * failure) and sets *last_e to what that part already names, or NULL. */
static struct cr_toml_value *header_parent(struct crt_parser *ps,
                                           const struct crt_key_path *kp,
                                           struct crt_entry **last_e)
{
    struct cr_toml_value *t = &ps->doc->root;
    *last_e = NULL;
    for (unsigned i = 0; i + 1 < kp->n; i++) {
        struct crt_entry *e = lookup(t, &kp->parts[i]);
        if (e == NULL) {
            t = add_table(ps, t, &kp->parts[i], CRT_F_IMPLICIT,
                          kp->parts[i].pos);
            if (t == NULL) {
                return NULL;
            }
            continue;
        }
        struct cr_toml_value *c = e->val;
        if (c->type == CR_TOML_ARRAY && (c->flags & CRT_F_AOT)) {
            t = c->u.arr.items[c->u.arr.n - 1];
        } else if (c->type == CR_TOML_TABLE && !(c->flags & CRT_F_SEALED)) {
            t = c;
        } else {
            not_a_table(ps, kp, i, e);
            return NULL;
        }
    }
    *last_e = lookup(t, &kp->parts[kp->n - 1]);
    return t;
}

struct cr_toml_value *crt_define_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open)
{
    struct crt_entry *e;
    struct cr_toml_value *t = header_parent(ps, kp, &e);
    if (t == NULL) {
        return NULL;
    }
    const struct crt_key_part *last = &kp->parts[kp->n - 1];
    if (e == NULL) {
        return add_table(ps, t, last, CRT_F_HEADER, open);
    }
    struct cr_toml_value *c = e->val;
    char name[256];
    crt_key_name(kp, kp->n, name, sizeof(name));
    if (c->type == CR_TOML_TABLE && (c->flags & CRT_F_IMPLICIT)) {
        c->flags = CRT_F_HEADER;
        c->pos = open;
        return c;
    }
    if (c->type == CR_TOML_TABLE && (c->flags & CRT_F_HEADER)) {
        crt_fail_pos(ps, last->pos,
                     "duplicate table [%s] (first defined at line %u)", name,
                     c->pos.line);
    } else if (c->type == CR_TOML_TABLE && (c->flags & CRT_F_SEALED)) {
        crt_fail_pos(ps, last->pos,
                     "duplicate table [%s]: already defined as an inline "
                     "table at line %u",
                     name, e->pos.line);
    } else if (c->type == CR_TOML_TABLE) {
        crt_fail_pos(ps, last->pos,
                     "duplicate table [%s]: already defined by a dotted key "
                     "at line %u",
                     name, e->pos.line);
    } else {
        crt_fail_pos(ps, last->pos,
                     "cannot define table [%s]: key \"%s\" was defined at "
                     "line %u as %s %s",
                     name, name, e->pos.line,
                     article((enum cr_toml_type)c->type),
                     cr_toml_type_name((enum cr_toml_type)c->type));
    }
    return NULL;
}

struct cr_toml_value *crt_append_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open)
{
    struct crt_entry *e;
    struct cr_toml_value *t = header_parent(ps, kp, &e);
    if (t == NULL) {
        return NULL;
    }
    const struct crt_key_part *last = &kp->parts[kp->n - 1];
    struct cr_toml_value *arr;
    if (crt_too_deep(ps, t->depth + 2u, last->pos)) {
        return NULL;
    }
    if (e == NULL) {
        arr = crt_new(ps, CR_TOML_ARRAY, open);
        if (arr == NULL) {
            return NULL;
        }
        arr->flags = CRT_F_AOT;
        arr->depth = (uint16_t)(t->depth + 1);
        if (crt_table_add(ps->doc, &t->u.tab, last->s, last->n, last->hash,
                          last->pos, arr) != 0) {
            crt_nomem(ps);
            return NULL;
        }
    } else if (e->val->type == CR_TOML_ARRAY && (e->val->flags & CRT_F_AOT)) {
        arr = e->val;
    } else {
        char name[256];
        crt_key_name(kp, kp->n, name, sizeof(name));
        enum cr_toml_type vt = (enum cr_toml_type)e->val->type;
        crt_fail_pos(ps, last->pos,
                     "cannot define array of tables [[%s]]: key \"%s\" was "
                     "defined at line %u as %s %s",
                     name, name, e->pos.line,
                     vt == CR_TOML_ARRAY ? "a static" : article(vt),
                     cr_toml_type_name(vt));
        return NULL;
    }
    struct cr_toml_value *nt = crt_new(ps, CR_TOML_TABLE, open);
    if (nt == NULL) {
        return NULL;
    }
    nt->flags = CRT_F_HEADER;
    nt->depth = (uint16_t)(arr->depth + 1);
    if (crt_array_push(ps->doc, &arr->u.arr, nt) != 0) {
        crt_nomem(ps);
        return NULL;
    }
    return nt;
}
