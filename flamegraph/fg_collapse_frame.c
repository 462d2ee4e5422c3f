/*
 * fg_collapse_frame: one frame line of `perf script`, "ADDR SYM+OFF (DSO)",
 * turned into folded frame names the way stackcollapse-perf.pl does
 * (offsets stripped, "[unknown]" named after its DSO, arguments dropped,
 * inline chains "a->b" marked "_[i]", kernel frames "_[k]" on request).
 *
 * The reference matches the line with a backtracking regular expression;
 * the matching below computes the same captures without one, including
 * its odd corners (see match_frame), because the golden tests compare
 * byte for byte.
 */
#include "fg_collapse_int.h"

#include "cr_alloc.h"

#include <errno.h>
#include <string.h>

/* Perl's \w on bytes, as a table: the address scan runs on every line. */
#define W8(c)                                                                  \
    [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1, [c + 5] = 1,  \
    [c + 6] = 1, [c + 7] = 1
static const unsigned char
    word[256] = {
        W8('0'), ['8'] = 1, ['9'] = 1, W8('a'),   W8('i'),
        W8('q'), ['y'] = 1, ['z'] = 1, W8('A'),   W8('I'),
        W8('Q'), ['Y'] = 1, ['Z'] = 1, ['_'] = 1,
    };
#undef W8

static bool is_word(unsigned char ch)
{
    return word[ch];
}

struct span {
    const char *p;
    size_t n;
};

struct frame {
    struct span pc, func, mod;
};

/* The last q >= min with " (" at q whose following run of non-blank
 * bytes holds a ')'; the module is that run up to its last ')'. One pass
 * from the right: close is the last ')' of the run being walked. */
static bool find_module(const char *s, size_t n, size_t min, size_t *q,
                        struct span *mod)
{
    /* Usually the last '(' opens the module and nothing follows its ')':
     * then it is the last candidate, found without the general walk. */
    const char *open = n > min ? memrchr(s + min, '(', n - min) : NULL;
    if (open && open > s + min && open[-1] == ' ' && s[n - 1] == ')') {
        size_t i = (size_t)(open - s), j = i + 1;
        while (j < n && !fg__ws((unsigned char)s[j]))
            j++;
        if (j == n) {
            *q = i - 1;
            mod->p = s + i + 1;
            mod->n = n - 1 - (i + 1);
            return true;
        }
    }
    size_t close = 0;
    for (size_t i = n; i-- > min;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ')') {
            if (!close)
                close = i;
        } else if (fg__ws(ch)) {
            if (ch == ' ' && close && i + 1 < n && s[i + 1] == '(') {
                *q = i;
                mod->p = s + i + 2;
                mod->n = close - (i + 2);
                return true;
            }
            close = 0;
        }
    }
    return false;
}

/*
 * Matches /^\s*(\w+)\s*(.+) \((\S*)\)/: greedy captures, so the module is
 * the last " (...)" of the line. When that leaves nothing for the symbol,
 * the regex backtracks into the blanks or the address; so do we.
 */
static bool match_frame(const char *s, size_t n, struct frame *f)
{
    size_t p = 0, pe, sp, q;
    while (p < n && fg__ws((unsigned char)s[p]))
        p++;
    for (pe = p; pe < n && is_word((unsigned char)s[pe]); pe++)
        ;
    if (pe == p || !find_module(s, n, p + 1, &q, &f->mod))
        return false;
    for (sp = pe; sp < n && fg__ws((unsigned char)s[sp]); sp++)
        ;
    if (q >= sp + 1) {
        f->pc = (struct span){ s + p, pe - p };
        f->func = (struct span){ s + sp, q - sp };
    } else if (q >= pe + 1) {
        f->pc = (struct span){ s + p, pe - p };
        f->func = (struct span){ s + q - 1, 1 };
    } else {
        if (pe - p < 2)
            return false;
        f->pc = (struct span){ s + p, pe - p - 1 };
        f->func = (struct span){ s + pe - 1, 1 };
    }
    return true;
}

/* Drops a trailing "+0x<lowercase hex>". */
static void strip_offset(struct span *f)
{
    size_t i = f->n;
    while (i > 0 && (fg__digit((unsigned char)f->p[i - 1]) ||
                     (f->p[i - 1] >= 'a' && f->p[i - 1] <= 'f')))
        i--;
    if (i < f->n && i >= 3 && memcmp(f->p + i - 3, "+0x", 3) == 0)
        f->n = i - 3;
}

static bool span_eq(struct span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && memcmp(a.p, lit, n) == 0;
}

static const char *find2(const char *s, size_t n, const char *two)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == two[0] && s[i + 1] == two[1])
            return s + i;
    return NULL;
}

/* Byte classes for tidying: ';', '(', quotes. */
static const unsigned char tidy_cls[256] = {
    [';'] = 1,
    ['('] = 2,
    ['"'] = 3,
    ['\''] = 3,
};

/* Where arguments start: the first '(' that does not open
 * "(anonymous namespace)", or n. Names with ".(...)." in them (Go
 * methods, "pkg.(*T).M") keep theirs. */
static size_t args_start(const char *t, size_t n, size_t paren)
{
    static const char anon[] = "anonymous namespace)";
    const char *go = paren > 0 ? find2(t + paren - 1, n - paren + 1, ".(")
                               : find2(t, n, ".(");
    if (go && find2(go + 2, n - (size_t)(go + 2 - t), ")."))
        return n;
    for (size_t i = paren; i < n; i++) {
        if (t[i] != '(')
            continue;
        if (n - i - 1 >= sizeof(anon) - 1 &&
            memcmp(t + i + 1, anon, sizeof(anon) - 1) == 0)
            continue;
        return i;
    }
    return n;
}

/* The generic tidying: ';' -> ':', arguments dropped (see args_start),
 * quotes removed. One pass finds what there is to do. Works in place;
 * returns the new length. */
static size_t tidy(char *t, size_t n)
{
    size_t paren = n;
    bool quote = false;
    for (size_t i = 0; i < n; i++) {
        unsigned k = tidy_cls[(unsigned char)t[i]];
        if (!k)
            continue;
        if (k == 1)
            t[i] = ':';
        else if (k == 2 && paren == n)
            paren = i;
        else if (k == 3)
            quote = true;
    }
    if (paren < n)
        n = args_start(t, n, paren);
    if (!quote)
        return n;
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] != '"' && t[i] != '\'')
            t[w++] = t[i];
    return w;
}

/* Whether any byte of the name needs tidying (the common case: none). */
static bool needs_tidy(const char *p, size_t n)
{
    unsigned char any = 0;
    for (size_t i = 0; i < n; i++)
        any |= tidy_cls[(unsigned char)p[i]];
    return any;
}

/* Bytes that make a symbol need more than a copy: an inline chain "->",
 * something to tidy, or the "[" of "[unknown]". */
static const unsigned char special[256] = {
    [';'] = 1, ['('] = 1, ['"'] = 1, ['\''] = 1, ['-'] = 1, ['['] = 1,
};

static bool plain_symbol(const char *p, size_t n)
{
    unsigned char any = 0;
    for (size_t i = 0; i < n; i++)
        any |= special[(unsigned char)p[i]];
    return !any;
}

static bool is_kernel_module(struct span mod)
{
    if (mod.n == 0)
        return false;
    bool kern = mod.p[0] == '[' ||
                (mod.n >= 7 && memcmp(mod.p + mod.n - 7, "vmlinux", 7) == 0);
    return kern && !memmem(mod.p, mod.n, "unknown", 7);
}

/* Appends the unknown symbol's stand-in: "[dso-basename]" or
 * "[dso-basename <addr>]". */
static int put_unknown(struct cr_buf *b, const struct frame *f, bool addrs)
{
    struct span base = { "unknown", 7 };
    if (!span_eq(f->mod, "[unknown]")) {
        const char *slash = memrchr(f->mod.p, '/', f->mod.n);
        base = f->mod;
        if (slash) {
            base.p = slash + 1;
            base.n = f->mod.n - (size_t)(slash + 1 - f->mod.p);
        }
    }
    int rc = cr_buf_putc(b, '[') | cr_buf_append(b, base.p, base.n);
    if (addrs)
        rc |= cr_buf_append(b, " <", 2) | cr_buf_append(b, f->pc.p, f->pc.n) |
              cr_buf_putc(b, '>');
    return rc | cr_buf_putc(b, ']');
}

/* Appends one element of an inline chain (index idx) as a frame name. */
static int put_part(struct fg_collapse *c, const struct frame *f,
                    struct span part, size_t idx)
{
    struct cr_buf *b = &c->scratch;
    size_t start = b->len;
    int rc = 0;
    if (idx > 0)
        rc |= cr_buf_putc(b, ';');
    size_t name = b->len;
    if (span_eq(part, "[unknown]"))
        rc |= put_unknown(b, f, c->opt.addrs);
    else
        rc |= cr_buf_append(b, part.p, part.n);
    if (rc) {
        b->len = start;
        return -ENOMEM;
    }
    if (needs_tidy(b->data + name, b->len - name))
        b->len = name + tidy(b->data + name, b->len - name);
    /* Java class names "Lorg/x/Y;" lose their type letter. */
    if (c->pname.len == 4 && memcmp(c->pname.data, "java", 4) == 0 &&
        b->len > name && b->data[name] == 'L' &&
        memchr(b->data + name, '/', b->len - name)) {
        memmove(b->data + name, b->data + name + 1, b->len - name - 1);
        b->len--;
    }
    if (idx > 0) {
        if (!memmem(b->data + name, b->len - name, "_[i]", 4))
            rc = cr_buf_append(b, "_[i]", 4);
    } else if (c->opt.kernel && is_kernel_module(f->mod)) {
        rc = cr_buf_append(b, "_[k]", 4);
    }
    if (rc == 0 && b->data)
        b->data[b->len] = '\0';
    return rc ? -ENOMEM : 0;
}

/* Makes the n bytes at p (plus a suffix) the frame's name in c->scratch,
 * unless they are there already. */
static int set_name(struct fg_collapse *c, const char *p, size_t n,
                    const char *suffix, size_t sn)
{
    struct cr_buf *b = &c->scratch;
    if (p != b->data) {
        cr_buf_reset(b);
        if (cr_buf_append(b, p, n) != 0)
            return -ENOMEM;
    }
    if (sn && cr_buf_append(b, suffix, sn) != 0)
        return -ENOMEM;
    return 2;
}

/* Splits the symbol at "->" (perf's inline chains), dropping trailing
 * empty elements as Perl's split does, and puts the elements, joined by
 * ';', in c->scratch. Returns 2, 1 when no element is left, or -ENOMEM. */
static int put_frames(struct fg_collapse *c, const struct frame *f)
{
    cr_buf_reset(&c->scratch);
    if (span_eq(f->func, "[unknown]")) {
        /* Common in stripped code: no inline chain to split. */
        if (put_part(c, f, f->func, 0) != 0)
            return -ENOMEM;
        return 2;
    }
    if (f->func.n > 0 && plain_symbol(f->func.p, f->func.n) &&
        !(c->pname.len == 4 && memcmp(c->pname.data, "java", 4) == 0)) {
        /* The fast path: a plain name, copied with its annotation. */
        bool k = c->opt.kernel && is_kernel_module(f->mod);
        return set_name(c, f->func.p, f->func.n, "_[k]", k ? 4 : 0);
    }
    struct span parts[64];
    size_t np = 0;
    const char *p = f->func.p, *end = f->func.p + f->func.n;
    for (;;) {
        const char *arrow = find2(p, (size_t)(end - p), "->");
        const char *e = arrow ? arrow : end;
        if (np == sizeof(parts) / sizeof(parts[0]))
            break;
        parts[np++] = (struct span){ p, (size_t)(e - p) };
        if (!arrow)
            break;
        p = arrow + 2;
    }
    while (np > 0 && parts[np - 1].n == 0)
        np--;
    if (np == 0)
        return 1;
    for (size_t i = 0; i < np; i++)
        if (put_part(c, f, parts[i], i) != 0)
            return -ENOMEM;
    return 2;
}

int fg__collapse_frame(struct fg_collapse *c, const char *s, size_t n)
{
    struct frame f;
    if (!match_frame(s, n, &f))
        return 0;
    if (!c->have_pname)
        return 1;
    strip_offset(&f.func);
    if (f.func.n > 0 && f.func.p[0] == '(')
        return 1; /* a process name, not a frame */
    return put_frames(c, &f);
}

int fg__frame_cached(struct fg_collapse *c, const char *s, size_t n)
{
    uint32_t id;
    if (!c->have_pname || c->java || !fg__caching(c->in) ||
        !fg__line_lookup(c->in, s, n, fg__line_hash(s, n), &id))
        return 0;
    fg__count(c->in, true);
    return id == FG__NOFRAME                 ? 1
           : fg__sample_push(c->in, id) == 0 ? 1
                                             : -ENOMEM;
}

int fg__frame_line(struct fg_collapse *c, const char *s, size_t n)
{
    uint32_t id = FG__NOFRAME;
    /* Known before: the answer may then depend on the sample. */
    bool cacheable = c->have_pname && !c->java;
    int r = fg__collapse_frame(c, s, n);
    if (r <= 0)
        return r;
    if (cacheable) {
        bool on = fg__caching(c->in);
        fg__count(c->in, false);
        cacheable = on && c->in->nlines < FG__MAXLINES;
    }
    if (cacheable) {
        if (fg__line_add(c, s, n, fg__line_hash(s, n), r, &id))
            return -ENOMEM;
    } else if (r == 2 && fg__name_id(c, c->scratch.data ? c->scratch.data : "",
                                     c->scratch.len, &id) != 0)
        return -ENOMEM;
    if (id != FG__NOFRAME && fg__sample_push(c->in, id) != 0)
        return -ENOMEM;
    return 1;
}
