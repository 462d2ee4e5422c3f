/* tmpl_rt: the errors every part of the renderer reports, and the
 * arguments of filter and function calls. See tmpl_int.h. */
#include "tmpl_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tmpl__fail_at(struct tmpl_rt *rt, enum tmpl_code code, struct cr_pos pos,
                  const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* Quoted input may span lines; the message is one line. */
    for (char *c = msg; *c != '\0'; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    tmpl_error_set(rt->err, code, "%s:%u:%u: %s", rt->cur->path, pos.line,
                   pos.col, msg);
    if (rt->err != NULL)
        rt->err->pos = pos;
    return -1;
}

int tmpl__nomem(struct tmpl_rt *rt)
{
    tmpl_error_set(rt->err, TMPL_E_NOMEM, "out of memory");
    return -1;
}

int tmpl__undefined(struct tmpl_rt *rt, const struct tmpl_value *v,
                    struct cr_pos pos)
{
    return tmpl__fail_at(rt, TMPL_E_UNDEFINED, pos,
                         "\"%s\" is not defined (set it in [vars] or with "
                         "--var, or use | default(value=...))",
                         v->s ? v->s : "?");
}

const struct tmpl_value *tmpl__argv(const struct tmpl_call *c, const char *name,
                                    int pos, struct cr_pos *where)
{
    int k = 0;

    for (size_t i = 0; i < c->n_args; i++) {
        const char *n = c->argnames[i];
        if ((n != NULL && name != NULL && strcmp(n, name) == 0) ||
            (n == NULL && k++ == pos)) {
            if (where != NULL)
                *where = c->args[i]->pos;
            return &c->vals[i];
        }
    }
    return NULL;
}
