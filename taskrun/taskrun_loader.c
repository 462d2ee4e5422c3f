/* taskrun_loader: load state and problem reports (see taskrun_loader.h). */
#include "taskrun_loader.h"

#include "cr_alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum taskrun_code taskrun__lerr(struct taskrun_loader *l,
                                const struct cr_toml_doc *doc,
                                struct cr_pos pos, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "%s", msg);
    return taskrun_error_set(l->err, TASKRUN_E_LOAD, "%s", te.msg);
}

enum taskrun_code taskrun__nomem(struct taskrun_loader *l)
{
    return taskrun_error_set(l->err, TASKRUN_E_NOMEM, "out of memory");
}

enum taskrun_code taskrun__unknown_key(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       struct cr_pos pos, const char *key,
                                       const char *where,
                                       const char *const *known, size_t n)
{
    const char *s = cr_toml_suggest(key, known, n);
    char hint[300] = "";
    if (s)
        snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", s);
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "unknown key \"%s\" in %s%s",
                   key, where, hint);
    if (l->o->strict)
        return taskrun_error_set(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (cr_strv_push(l->warnings, te.msg) != 0)
        return taskrun__nomem(l);
    return TASKRUN_OK;
}

enum taskrun_code taskrun__check_keys(struct taskrun_loader *l,
                                      const struct cr_toml_doc *doc,
                                      const struct cr_toml_value *t,
                                      const char *where,
                                      const char *const *known, size_t n)
{
    for (size_t i = 0; i < cr_toml_len(t); i++) {
        struct cr_pos pos;
        const char *k = cr_toml_key_at(t, i, &pos);
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++)
            ok = strcmp(k, known[j]) == 0;
        if (!ok && taskrun__unknown_key(l, doc, pos, k, where, known, n))
            return l->err->code;
    }
    return TASKRUN_OK;
}

/* Out of memory is no fault of the makefile. */
enum taskrun_code taskrun__parse_error(struct cr_error *err,
                                       enum cr_toml_code tc,
                                       const struct cr_error *te)
{
    if (tc == CR_TOML_E_NOMEM)
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    return taskrun_error_set(err, TASKRUN_E_LOAD, "%s", te->msg);
}

void taskrun__loader_release(struct taskrun_loader *l)
{
    for (size_t i = 0; i < l->n_docs; i++)
        cr_toml_free(l->docs[i]);
    cr_free(l->docs);
    for (size_t i = 0; i < l->n_raws; i++) {
        cr_free(l->raws[i].name);
        cr_free(l->raws[i].envs);
    }
    cr_free(l->raws);
    cr_strmap_release(&l->raw_index);
    cr_free(l->file_envs);
    cr_strv_release(&l->seen_files);
    cr_strv_release(&l->ext);
}
