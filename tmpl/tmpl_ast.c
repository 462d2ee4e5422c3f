/* tmpl_ast: freeing parsed templates and positions. See tmpl_ast.h. */
#include "tmpl_ast.h"

#include "cr_alloc.h"
#include "tmpl_error.h"

void tmpl__expr_free(struct tmpl_expr *e)
{
    if (e == NULL)
        return;
    tmpl_value_release(&e->lit);
    cr_free(e->name);
    cr_free(e->ns);
    tmpl__expr_free(e->a);
    tmpl__expr_free(e->b);
    for (size_t i = 0; i < e->n_args; i++) {
        tmpl__expr_free(e->args[i]);
        if (e->argnames != NULL)
            cr_free(e->argnames[i]);
    }
    cr_free(e->args);
    cr_free(e->argnames);
    cr_free(e);
}

static void node_release(struct tmpl_node *n)
{
    cr_free(n->name);
    cr_free(n->name2);
    tmpl__expr_free(n->expr);
    tmpl__block_release(&n->body);
    tmpl__block_release(&n->else_body);
    for (size_t i = 0; i < n->n_params; i++) {
        cr_free(n->params[i]);
        tmpl__expr_free(n->defs[i]);
    }
    cr_free(n->params);
    cr_free(n->defs);
}

void tmpl__block_release(struct tmpl_block *b)
{
    for (size_t i = 0; i < b->n; i++)
        node_release(&b->nodes[i]);
    cr_free(b->nodes);
    b->nodes = NULL;
    b->n = b->cap = 0;
}

void tmpl__file_free(struct tmpl_file *f)
{
    if (f == NULL)
        return;
    tmpl__block_release(&f->root);
    cr_free(f->path);
    cr_free(f->src);
    cr_free(f->line_starts);
    cr_free(f);
}

struct cr_pos tmpl__pos(const struct tmpl_file *f, size_t off)
{
    size_t lo = 0, hi = f->n_lines;

    /* The last line start at or before off. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (struct cr_pos){ (unsigned)lo + 1,
                            (unsigned)(off - f->line_starts[lo]) + 1 };
}
