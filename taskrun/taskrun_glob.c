/* taskrun_glob: glob(3) plus a recursive component (see taskrun_glob.h). */
#include "taskrun_glob.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <dirent.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int push_match(struct cr_strv *out, const char *path, bool dir)
{
    struct cr_buf b = { 0 };
    if (cr_buf_printf(&b, "%s%s", path, dir ? "/" : "") != 0)
        return -1;
    return cr_strv_push_take(out, cr_buf_detach(&b));
}

/*
 * The part after the two stars (rest) matches rel, the path below the
 * base, when it matches rel or any tail of rel that starts at a
 * component: zero or more directories stand for the stars.
 */
static bool tail_matches(const char *rest, const char *rel)
{
    for (const char *p = rel; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
        if (fnmatch(rest, p, FNM_PATHNAME | FNM_PERIOD) == 0)
            return true;
    return false;
}

/* Walks dir (rel is its path below the base) and collects matches. */
static int walk(const char *dir, const char *rel, const char *rest,
                struct cr_strv *out, int depth)
{
    /* Bounded: a symlink loop must not recurse for ever. */
    if (depth > 64)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden, like glob(3) without a leading '.' */
        struct cr_buf path = { 0 }, sub = { 0 };
        rc = cr_buf_printf(&path, "%s/%s", dir, e->d_name) |
             cr_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        struct stat st, lst;
        bool is_dir =
            rc == 0 && stat(cr_buf_str(&path), &st) == 0 && S_ISDIR(st.st_mode);
        /* Symlinked directories match but are not entered: two links
         * back up the tree would make the walk exponential. */
        bool real_dir = is_dir && lstat(cr_buf_str(&path), &lst) == 0 &&
                        S_ISDIR(lst.st_mode);
        if (rc == 0 && tail_matches(rest, cr_buf_str(&sub)))
            rc = push_match(out, cr_buf_str(&path), is_dir);
        if (rc == 0 && real_dir)
            rc =
                walk(cr_buf_str(&path), cr_buf_str(&sub), rest, out, depth + 1);
        cr_buf_release(&path);
        cr_buf_release(&sub);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* base/STARSTAR/rest: the bases from glob(3), then a walk under each. */
static int glob_recursive(const char *pattern, const char *stars,
                          struct cr_strv *out)
{
    size_t first = out->n;
    char *base = stars == pattern
                     ? cr_strdup(".")
                     : cr_strndup(pattern, (size_t)(stars - pattern));
    const char *rest = stars[2] == '/' ? stars + 3 : "*";
    if (!base)
        return -1;
    /* "dir/" + stars: strip the slash so glob(3) sees "dir". */
    size_t bl = strlen(base);
    if (bl > 1 && base[bl - 1] == '/')
        base[bl - 1] = '\0';
    glob_t g = { 0 };
    int rc = 0, gr = glob(base, GLOB_ONLYDIR, NULL, &g);
    for (size_t i = 0; gr == 0 && rc == 0 && i < g.gl_pathc; i++)
        rc = walk(g.gl_pathv[i], "", rest, out, 0);
    if (gr != GLOB_NOSPACE)
        globfree(&g);
    cr_free(base);
    if (rc == 0 && gr == GLOB_NOSPACE)
        rc = -1;
    if (rc == 0)
        qsort(out->v + first, out->n - first, sizeof(char *), cmp_str);
    /* A "./" the walk added for a pattern with no base is noise. */
    for (size_t i = first; rc == 0 && stars == pattern && i < out->n; i++)
        memmove(out->v[i], out->v[i] + 2, strlen(out->v[i] + 2) + 1);
    return rc;
}

int taskrun_glob(const char *pattern, struct cr_strv *out)
{
    /* Only a whole component of two stars recurses. */
    const char *stars = pattern;
    while ((stars = strstr(stars, "**")) != NULL) {
        bool starts = stars == pattern || stars[-1] == '/';
        bool ends = stars[2] == '\0' || stars[2] == '/';
        if (starts && ends)
            return glob_recursive(pattern, stars, out);
        stars += 2;
    }
    glob_t g = { 0 };
    int gr = glob(pattern, GLOB_MARK, NULL, &g);
    int rc = gr == GLOB_NOSPACE ? -1 : 0;
    for (size_t i = 0; gr == 0 && rc == 0 && i < g.gl_pathc; i++)
        rc = cr_strv_push(out, g.gl_pathv[i]);
    if (gr != GLOB_NOSPACE)
        globfree(&g);
    return rc;
}
