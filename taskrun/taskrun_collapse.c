/*
 * taskrun_collapse: `perf script` output -> folded stacks.
 *
 * perf script prints one block per sample: a header line "comm pid ...
 * event:" then one frame per line, innermost first ("\taddr sym+off (dso)"),
 * then a blank line. A folded line is "comm;outermost;...;innermost N",
 * the format flame graph tools read.
 */
#include "taskrun_collapse.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The function name of a frame line: the token after the address, without
 * its +0x offset. */
static void frame_name(const char *line, const char **s, size_t *n)
{
    while (isspace((unsigned char)*line))
        line++;
    while (*line && !isspace((unsigned char)*line))
        line++; /* the address */
    while (isspace((unsigned char)*line))
        line++;
    const char *end = line;
    while (*end && *end != '\n' && strncmp(end, " (", 2) != 0)
        end++;
    const char *plus = line;
    while (plus < end && strncmp(plus, "+0x", 3) != 0)
        plus++;
    *s = line;
    *n = (size_t)(plus - line);
    if (*n == 0) {
        *s = "[unknown]";
        *n = 9;
    }
}

struct stacks {
    char **v;
    size_t n, cap;
};

static int stacks_push(struct stacks *st, char *s)
{
    if (!s)
        return -ENOMEM;
    if (st->n == st->cap) {
        size_t cap = st->cap * 2 + 64;
        char **nv = cr_realloc(st->v, cap * sizeof(*nv));
        if (!nv) {
            cr_free(s);
            return -ENOMEM;
        }
        st->v = nv;
        st->cap = cap;
    }
    st->v[st->n++] = s;
    return 0;
}

/* Builds "comm;f_outer;...;f_inner" from a block's lines. */
static char *fold_block(char **lines, size_t n)
{
    struct cr_buf b = { 0 };
    size_t cl = strcspn(lines[0], " \t");
    int rc = cr_buf_append(&b, lines[0], cl);
    for (size_t i = n; i-- > 1;) {
        const char *s;
        size_t len;
        frame_name(lines[i], &s, &len);
        rc |= cr_buf_putc(&b, ';');
        rc |= cr_buf_append(&b, s, len);
    }
    if (rc) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int parse(char *text, struct stacks *st)
{
    char *lines[1024];
    size_t n = 0;
    for (char *line = text; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        bool blank = line[strspn(line, " \t")] == '\0';
        if (!blank && line[0] != '#' && n < 1024)
            lines[n++] = line;
        if ((blank || !nl) && n > 0) {
            if (stacks_push(st, fold_block(lines, n)) != 0)
                return -ENOMEM;
            n = 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

int taskrun_collapse(const char *in_path, const char *out_path)
{
    char *text;
    int rc = cr_fs_read(in_path, &text, NULL);
    if (rc != 0)
        return rc;
    struct stacks st = { 0 };
    rc = parse(text, &st);
    cr_free(text);
    qsort(st.v, st.n, sizeof(char *), cmp_str);
    struct cr_buf out = { 0 };
    for (size_t i = 0; rc == 0 && i < st.n;) {
        size_t j = i;
        while (j < st.n && strcmp(st.v[j], st.v[i]) == 0)
            j++;
        rc = cr_buf_printf(&out, "%s %zu\n", st.v[i], j - i);
        i = j;
    }
    for (size_t i = 0; i < st.n; i++)
        cr_free(st.v[i]);
    cr_free(st.v);
    if (rc == 0)
        rc = cr_fs_write_atomic(out_path, cr_buf_str(&out), out.len, 0644);
    cr_buf_release(&out);
    return rc;
}
