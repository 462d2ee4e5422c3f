/* heap: parser of heaptrack_print's output. See heap_parse.h. */
#include "heap_parse.h"

#include <stdbool.h>
#include <string.h>

#include "cr_alloc.h"

/* A span of the input: one line, or the part of it still to read. */
struct span {
    const char *p;
    size_t n;
};

enum section { SEC_NONE, SEC_CALLS, SEC_PEAK, SEC_LEAKS, SEC_TEMP, SEC_OTHER };

struct parser {
    struct heap_result *r;
    struct cr_error *err;
    unsigned line;
    enum section sec;
    struct heap_site *site; /* the entry whose location lines follow */
    bool want_function;     /* a header was read; its function comes next */
    bool in_entry;          /* between a header and its merged backtraces */
};

static const struct {
    const char *title;
    enum section sec;
} sections[] = {
    { "MOST CALLS TO ALLOCATION FUNCTIONS", SEC_CALLS },
    { "PEAK MEMORY CONSUMERS", SEC_PEAK },
    { "MEMORY LEAKS", SEC_LEAKS },
    { "MOST TEMPORARY ALLOCATIONS", SEC_TEMP },
};

static bool eat(struct span *s, const char *lit)
{
    size_t n = strlen(lit);

    if (s->n < n || memcmp(s->p, lit, n) != 0)
        return false;
    s->p += n;
    s->n -= n;
    return true;
}

static bool ends_with(struct span s, const char *lit)
{
    size_t n = strlen(lit);

    return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads decimal digits into *v; false when none or on overflow. */
static bool eat_u64(struct span *s, uint64_t *v, size_t *ndigits)
{
    size_t i = 0;

    *v = 0;
    while (i < s->n && is_digit(s->p[i])) {
        if (__builtin_mul_overflow(*v, 10, v) ||
            __builtin_add_overflow(*v, (uint64_t)(s->p[i] - '0'), v))
            return false;
        i++;
    }
    s->p += i;
    s->n -= i;
    if (ndigits)
        *ndigits = i;
    return i > 0;
}

/* The token up to the next space (or the end), consumed. */
static struct span eat_token(struct span *s)
{
    struct span t = { s->p, 0 };

    while (t.n < s->n && s->p[t.n] != ' ')
        t.n++;
    s->p += t.n;
    s->n -= t.n;
    return t;
}

static uint64_t unit_scale(struct span u, unsigned *zeros)
{
    static const char units[] = "BKMGTP";
    const char *at;

    if (u.n == 0 || u.n > 2 || (u.n == 2 && u.p[1] != 'B') ||
        (u.n == 2 && u.p[0] == 'B') || !(at = memchr(units, u.p[0], 6)))
        return 0;
    *zeros = 3 * (unsigned)(at - units);
    uint64_t m = 1;
    for (unsigned i = 0; i < *zeros; i++)
        m *= 10;
    return m;
}

int heap_parse_bytes(const char *str, size_t len, uint64_t *out)
{
    struct span s = { str, len };
    uint64_t ip, frac = 0, scale, part;
    size_t fd = 0;
    unsigned zeros = 0;

    if (!eat_u64(&s, &ip, NULL))
        return -1;
    if (eat(&s, ".") && !eat_u64(&s, &frac, &fd))
        return -1;
    if (!(scale = unit_scale(s, &zeros)) || fd > zeros)
        return -1;
    /* frac has fd decimals: frac * 10^(zeros - fd) bytes, exactly. */
    part = frac;
    for (size_t i = fd; i < zeros; i++)
        part *= 10; /* cannot overflow: fd <= zeros <= 15 digits */
    if (__builtin_mul_overflow(ip, scale, out) ||
        __builtin_add_overflow(*out, part, out))
        return -1;
    return 0;
}

static enum heap_code fail(struct parser *ps, const char *what)
{
    enum heap_code rc =
        heap_error_set(ps->err, HEAP_E_PARSE, "line %u: %s", ps->line, what);
    if (ps->err)
        ps->err->pos.line = ps->line;
    return rc;
}

static enum heap_code nomem(struct parser *ps)
{
    return heap_error_set(ps->err, HEAP_E_NOMEM, "out of memory");
}

/* "0.12s." or "1.234000s": seconds with any number of decimals. */
static bool parse_seconds(struct span s, double *out)
{
    uint64_t ip, frac = 0;
    size_t fd = 0;
    double d = 1;

    if (!eat_u64(&s, &ip, NULL))
        return false;
    if (eat(&s, ".") && !eat_u64(&s, &frac, &fd))
        return false;
    if (!eat(&s, "s"))
        return false;
    eat(&s, ".");
    for (size_t i = 0; i < fd; i++)
        d *= 10;
    *out = (double)ip + (double)frac / d;
    return s.n == 0;
}

/* "439 (146333/s)": a count, then an optional rate, which is ignored. */
static bool parse_count(struct span s, uint64_t *out)
{
    if (!eat_u64(&s, out, NULL))
        return false;
    return s.n == 0 || (eat(&s, " (") && ends_with(s, "/s)"));
}

static bool parse_size(struct span s, uint64_t *out)
{
    return heap_parse_bytes(s.p, s.n, out) == 0;
}

/* One summary line, when l is one: 1 parsed, 0 not a summary line, -1 bad. */
static int summary_line(struct parser *ps, struct span l)
{
    struct heap_result *r = ps->r;
    unsigned bit;
    bool ok;

    if (eat(&l, "total runtime: "))
        ok = parse_seconds(l, &r->runtime_s), bit = HEAP_HAVE_RUNTIME;
    else if (eat(&l, "calls to allocation functions: "))
        ok = parse_count(l, &r->calls), bit = HEAP_HAVE_CALLS;
    else if (eat(&l, "temporary memory allocations: "))
        ok = parse_count(l, &r->temporary), bit = HEAP_HAVE_TEMPORARY;
    else if (eat(&l, "peak heap memory consumption: "))
        ok = parse_size(l, &r->peak_heap), bit = HEAP_HAVE_PEAK_HEAP;
    else if (eat(&l, "peak RSS (including heaptrack overhead): "))
        ok = parse_size(l, &r->peak_rss), bit = HEAP_HAVE_PEAK_RSS;
    else if (eat(&l, "total memory leaked: "))
        ok = parse_size(l, &r->leaked), bit = HEAP_HAVE_LEAKED;
    else if (eat(&l, "suppressed leaks: "))
        ok = parse_size(l, &r->suppressed), bit = HEAP_HAVE_SUPPRESSED;
    else
        return 0;
    r->have |= bit;
    return ok ? 1 : -1;
}

/* The entry header of the current section into site; false when malformed. */
static bool entry_header(enum section sec, struct span l, struct heap_site *e)
{
    uint64_t total;
    struct span t;

    switch (sec) {
    case SEC_CALLS:
        return eat_u64(&l, &e->calls, NULL) &&
               eat(&l, " calls to allocation functions with ") &&
               parse_size(eat_token(&l), &e->bytes) &&
               eat(&l, " peak consumption from") && l.n == 0;
    case SEC_PEAK:
        return parse_size(eat_token(&l), &e->bytes) &&
               eat(&l, " peak memory consumed over ") &&
               eat_u64(&l, &e->calls, NULL) && eat(&l, " calls from") &&
               l.n == 0;
    case SEC_LEAKS:
        return parse_size(eat_token(&l), &e->bytes) &&
               eat(&l, " leaked over ") && eat_u64(&l, &e->calls, NULL) &&
               eat(&l, " calls from") && l.n == 0;
    case SEC_TEMP:
        if (!eat_u64(&l, &e->temporary, NULL) ||
            !eat(&l, " temporary allocations of ") ||
            !eat_u64(&l, &total, NULL) || !eat(&l, " allocations in total ("))
            return false;
        e->calls = total;
        t = eat_token(&l);
        return t.n >= 2 && t.p[t.n - 1] == ')' && t.p[t.n - 2] == '%' &&
               eat(&l, " from") && l.n == 0;
    default:
        return true;
    }
}

static struct heap_sites *ranking(struct heap_result *r, enum section sec)
{
    switch (sec) {
    case SEC_CALLS:
        return &r->by_calls;
    case SEC_PEAK:
        return &r->by_peak;
    case SEC_LEAKS:
        return &r->by_leaked;
    case SEC_TEMP:
        return &r->by_temporary;
    default:
        return NULL;
    }
}

static enum heap_code start_entry(struct parser *ps, struct span l)
{
    struct heap_site e = { 0 };
    struct heap_sites *rank = ranking(ps->r, ps->sec);

    if (!entry_header(ps->sec, l, &e))
        return fail(ps, "malformed entry header");
    ps->want_function = true;
    ps->in_entry = true;
    ps->site = NULL;
    if (rank && rank->n < HEAP_TOP) {
        ps->site = &rank->v[rank->n++];
        *ps->site = e;
    }
    return HEAP_OK;
}

static enum heap_code set_string(struct parser *ps, char **dst, struct span s)
{
    cr_free(*dst);
    *dst = cr_strndup(s.p, s.n);
    return *dst ? HEAP_OK : nomem(ps);
}

/* A line indented by spaces: a location of the current site, or skipped. */
static enum heap_code indented_line(struct parser *ps, struct span l)
{
    if (ps->want_function)
        return fail(ps, "entry header without a function line");
    if (!ps->site)
        return HEAP_OK; /* a frame of a merged sub-backtrace */
    if (eat(&l, "  at "))
        return set_string(ps, &ps->site->location, l);
    if (eat(&l, "  in "))
        return set_string(ps, &ps->site->module, l);
    return HEAP_OK;
}

/* A line that starts at column 0 and is neither a title nor a summary. */
static enum heap_code column0_line(struct parser *ps, struct span l)
{
    if (ps->want_function) {
        ps->want_function = false;
        return ps->site ? set_string(ps, &ps->site->function, l) : HEAP_OK;
    }
    if (ps->sec == SEC_NONE) {
        /* The preamble: progress messages, and the profiled command. */
        if (eat(&l, "Debuggee command was: "))
            return set_string(ps, &ps->r->command, l);
        return HEAP_OK;
    }
    if (ends_with(l, " from:")) {
        ps->site = NULL; /* the merged sub-backtraces of the entry */
        ps->in_entry = false;
        return HEAP_OK;
    }
    if (ends_with(l, " from"))
        return start_entry(ps, l);
    /*
     * After the function, the callers it was inlined into, each with its
     * own location lines; the site keeps the innermost location.
     */
    if (ps->in_entry) {
        ps->site = NULL;
        return HEAP_OK;
    }
    if (ps->sec == SEC_OTHER)
        return HEAP_OK;
    return fail(ps, "unexpected line in a section");
}

static enum heap_code one_line(struct parser *ps, struct span l)
{
    int s;

    if (l.n && l.p[l.n - 1] == '\r')
        l.n--;
    if (l.n == 0) {
        if (ps->want_function)
            return fail(ps, "entry header without a function line");
        ps->site = NULL;
        ps->in_entry = false;
        return HEAP_OK;
    }
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (l.n == strlen(sections[i].title) &&
            memcmp(l.p, sections[i].title, l.n) == 0 && !ps->want_function) {
            ps->sec = sections[i].sec;
            ps->site = NULL;
            ps->in_entry = false;
            return HEAP_OK;
        }
    }
    if (l.p[0] == ' ')
        return indented_line(ps, l);
    if (!ps->want_function && (s = summary_line(ps, l)) != 0) {
        /* The summary closes the sections. */
        ps->sec = SEC_NONE;
        ps->site = NULL;
        ps->in_entry = false;
        return s > 0 ? HEAP_OK : fail(ps, "malformed summary value");
    }
    return column0_line(ps, l);
}

enum heap_code heap_parse(const char *text, size_t len, struct heap_result *r,
                          struct cr_error *err)
{
    static const unsigned needed = HEAP_HAVE_RUNTIME | HEAP_HAVE_CALLS |
                                   HEAP_HAVE_TEMPORARY | HEAP_HAVE_PEAK_HEAP |
                                   HEAP_HAVE_LEAKED;
    struct parser ps = { .r = r, .err = err };
    size_t at = 0;
    enum heap_code rc;

    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        struct span l = { text + at, n };

        ps.line++;
        if ((rc = one_line(&ps, l)))
            return rc;
        at += n + (nl ? 1 : 0);
    }
    if (ps.line == 0)
        ps.line = 1; /* empty input: the error is on its first line */
    if (ps.want_function)
        return fail(&ps, "output ends inside an entry");
    if ((r->have & needed) != needed)
        return fail(&ps, "output ends before the summary (total runtime, "
                         "calls, temporary allocations, peak heap, leaked)");
    return HEAP_OK;
}
