/* clnrm_fmt: the canonical layout of a test file. See clnrm_fmt.h. */
#include "clnrm_fmt.h"

#include "cr_toml.h"

#include <stdbool.h>
#include <string.h>

/* What the scanner knows at the end of a line. */
struct fmt_state {
    int depth;         /* open [ and { across lines */
    const char *close; /* NULL, or the delimiter of an open multi-line
                          string: "\"\"\"" or "'''" */
    bool blank;        /* a blank line is pending */
    bool any;          /* something was written */
};

/* Scans s[0..n) for brackets and strings outside comments; returns the
 * offset where a comment starts (n when none). */
static size_t scan(struct fmt_state *st, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        if (st->close != NULL) {
            const char *end = memmem(s + i, n - i, st->close, 3);
            if (end == NULL)
                return n;
            i = (size_t)(end - s) + 3;
            st->close = NULL;
            continue;
        }
        if (n - i >= 3 &&
            (memcmp(s + i, "\"\"\"", 3) == 0 || memcmp(s + i, "'''", 3) == 0)) {
            st->close = s[i] == '"' ? "\"\"\"" : "'''";
            i += 3;
        } else if (s[i] == '"' || s[i] == '\'') {
            char q = s[i++];
            while (i < n && s[i] != q)
                i += (q == '"' && s[i] == '\\' && i + 1 < n) ? 2 : 1;
            i++;
        } else if (s[i] == '#') {
            return i;
        } else {
            st->depth += (s[i] == '[' || s[i] == '{')   ? 1
                         : (s[i] == ']' || s[i] == '}') ? -1
                                                        : 0;
            if (st->depth < 0)
                st->depth = 0;
            i++;
        }
    }
    return n;
}

/* The first '=' of a key line outside quoted keys, or NULL. */
static const char *key_equals(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\'') {
            char q = s[i++];
            while (i < n && s[i] != q)
                i += (q == '"' && s[i] == '\\') ? 2 : 1;
        } else if (s[i] == '=') {
            return s + i;
        } else if (s[i] == '#' || s[i] == '[') {
            return NULL;
        }
    }
    return NULL;
}

static int put(struct cr_buf *out, const char *s, size_t n)
{
    return cr_buf_append(out, s, n);
}

/* A header line: blanks inside the brackets go when nothing is quoted. */
static int header(struct cr_buf *out, const char *s, size_t n)
{
    size_t close = 0;
    int rc = 0;

    if (memchr(s, '"', n) != NULL || memchr(s, '\'', n) != NULL)
        return put(out, s, n);
    for (size_t i = 0; i < n; i++)
        if (s[i] == ']')
            close = i;
    for (size_t i = 0; i <= close && i < n && rc == 0; i++)
        if (s[i] != ' ' && s[i] != '\t')
            rc = put(out, s + i, 1);
    return rc || put(out, s + close + 1, n - close - 1);
}

/* One line outside multi-line strings, leading blanks already gone. */
static int body_line(struct fmt_state *st, struct cr_buf *out, const char *s,
                     size_t n)
{
    const char *eq;
    int depth0 = st->depth;
    size_t k, v;
    int rc;

    if (depth0 > 0) {
        rc = (s[0] == ']' || s[0] == '}') ? 0 : put(out, "    ", 4);
        (void)scan(st, s, n);
        return rc || put(out, s, n);
    }
    if (s[0] == '#')
        return put(out, s, n);
    if (s[0] == '[') {
        (void)scan(st, s, n);
        st->depth = 0;
        return header(out, s, n);
    }
    if ((eq = key_equals(s, n)) == NULL) {
        (void)scan(st, s, n);
        return put(out, s, n);
    }
    for (k = (size_t)(eq - s); k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t');)
        k--;
    for (v = (size_t)(eq - s) + 1; v < n && (s[v] == ' ' || s[v] == '\t');)
        v++;
    (void)scan(st, s + v, n - v);
    return put(out, s, k) || put(out, " = ", 3) || put(out, s + v, n - v);
}

static int format_line(struct fmt_state *st, struct cr_buf *out, const char *s,
                       size_t n)
{
    struct fmt_state probe;
    size_t lead = 0;

    if (st->close != NULL) { /* inside a multi-line string: verbatim */
        (void)scan(st, s, n);
        return put(out, s, n) || put(out, "\n", 1);
    }
    /* Blanks after an opening """ belong to the string: keep them. */
    probe = *st;
    (void)scan(&probe, s, n);
    while (probe.close == NULL && n > 0 &&
           (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
        lead++;
    if (lead == n) {
        st->blank = st->any;
        return 0;
    }
    if (st->blank && put(out, "\n", 1) != 0)
        return -1;
    st->blank = false;
    st->any = true;
    return body_line(st, out, s + lead, n - lead) || put(out, "\n", 1);
}

/* 1 when the text parses as TOML, 0 when not, -1 out of memory. */
static int parses(const char *buf, size_t len, const char *path)
{
    struct cr_toml_doc *doc = NULL;
    struct cr_error e;
    enum cr_toml_code rc = cr_toml_parse(buf, len, path, &doc, &e);

    cr_toml_free(doc);
    return rc == CR_TOML_OK ? 1 : rc == CR_TOML_E_NOMEM ? -1 : 0;
}

enum clnrm_code clnrm_fmt(const char *buf, size_t len, const char *path,
                          struct cr_buf *out, struct cr_error *err)
{
    struct fmt_state st = { 0 };
    size_t start = out->len;
    const char *p = buf, *end = buf + len;
    int before, after;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
        if (format_line(&st, out, p, n) != 0)
            return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
        p += n + (nl != NULL);
    }
    /* A verbatim multi-line string may have kept the input's last line
     * without a newline; the loop always adds one, so the end is right. */
    before = parses(buf, len, path);
    after = before == 1 ? parses(out->data + start, out->len - start, path) : 1;
    if (before < 0 || after < 0)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    if (after == 0)
        return clnrm_error_set(err, CLNRM_E_INPUT,
                               "%s: formatting would change what the file "
                               "means; left as it is",
                               path);
    return CLNRM_OK;
}
