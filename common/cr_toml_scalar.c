/* cr_toml: booleans, integers, floats, dates and times. */
#include "cr_toml_scalar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The byte at p, or NUL past the end of the input. */
static char ch(const struct crt_parser *ps, const char *p)
{
    return p < ps->end ? *p : '\0';
}

/* Characters that can continue a bare value token, for messages. */
static bool is_tok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '_' || c == '-' || c == '+' || c == '.' || c == ':';
}

static const char *tok_end(const struct crt_parser *ps, const char *p)
{
    while (p < ps->end && is_tok(*p)) {
        p++;
    }
    return p;
}

static int invalid_value(struct crt_parser *ps, const char *s)
{
    const char *e = tok_end(ps, s);
    int n = (int)(e - s);
    if (n == 0) {
        char buf[16];
        return crt_fail(ps, s, "expected a value, found %s",
                        crt_describe(ps, s, buf));
    }
    return crt_fail(ps, s,
                    "invalid value \"%.*s\" (expected a string, number, "
                    "boolean, date-time, array or inline table)",
                    n > 40 ? 40 : n, s);
}

static bool digit_in(char c, int base)
{
    if (base == 16) {
        return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    return c >= '0' && c < '0' + base;
}

/*
 * Scans digits of base at p with single underscores between digits. Returns
 * the end, or NULL when there is no digit or an underscore is misplaced.
 */
static const char *digit_run(const char *p, const char *e, int base)
{
    if (p >= e || !digit_in(*p, base)) {
        return NULL;
    }
    p++;
    while (p < e) {
        if (*p == '_') {
            if (p + 1 >= e || !digit_in(p[1], base)) {
                return NULL;
            }
            p += 2;
        } else if (digit_in(*p, base)) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

static int based_int(struct crt_parser *ps, struct cr_toml_value *v,
                     const char *s, const char *e)
{
    int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
    const char *d = digit_run(s + 2, e, base);
    if (d == NULL || d != e) {
        return crt_fail(ps, s, "invalid %s integer \"%.*s\"",
                        base == 16  ? "hexadecimal"
                        : base == 8 ? "octal"
                                    : "binary",
                        (int)(e - s > 40 ? 40 : e - s), s);
    }
    uint64_t x = 0;
    for (const char *p = s + 2; p < e; p++) {
        if (*p == '_') {
            continue;
        }
        int dv = is_digit(*p) ? *p - '0' : (*p | 0x20) - 'a' + 10;
        if (x > ((uint64_t)INT64_MAX - (uint64_t)dv) / (uint64_t)base) {
            return crt_fail(ps, s, "integer \"%.*s\" is out of range",
                            (int)(e - s > 40 ? 40 : e - s), s);
        }
        x = x * (uint64_t)base + (uint64_t)dv;
    }
    v->type = CR_TOML_INTEGER;
    v->u.i = (int64_t)x;
    ps->p = e;
    return 0;
}

static int dec_int(struct crt_parser *ps, struct cr_toml_value *v,
                   const char *s, const char *e)
{
    bool neg = *s == '-';
    const char *p = s + (*s == '-' || *s == '+');
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t x = 0;
    for (; p < e; p++) {
        if (*p == '_') {
            continue;
        }
        uint64_t dv = (uint64_t)(*p - '0');
        if (x > (lim - dv) / 10) {
            return crt_fail(ps, s, "integer \"%.*s\" is out of range",
                            (int)(e - s > 40 ? 40 : e - s), s);
        }
        x = x * 10 + dv;
    }
    v->type = CR_TOML_INTEGER;
    v->u.i = neg ? (int64_t)(0 - x) : (int64_t)x;
    ps->p = e;
    return 0;
}

/*
 * Exact conversion for the common short floats (Clinger's fast path): when
 * the digits fit in 53 bits and the power of ten is at most 22, both are
 * exact doubles and one multiplication or division rounds correctly.
 * buf is validated and has no underscores. Returns false to defer to
 * strtod.
 */
static bool fast_float(const char *p, double *out)
{
    static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                    1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                    1e18, 1e19, 1e20, 1e21, 1e22 };
    bool neg = *p == '-';
    p += *p == '-' || *p == '+';
    uint64_t m = 0;
    int nd = 0, e10 = 0;
    for (; is_digit(*p); p++) {
        if (m != 0 || *p != '0') {
            m = m * 10 + (uint64_t)(*p - '0');
            nd++;
        }
    }
    if (*p == '.') {
        for (p++; is_digit(*p); p++, e10--) {
            if (m != 0 || *p != '0') {
                m = m * 10 + (uint64_t)(*p - '0');
                nd++;
            }
        }
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = *p == '-';
        p += *p == '-' || *p == '+';
        int x = 0;
        for (; is_digit(*p); p++) {
            x = x < 10000 ? x * 10 + (*p - '0') : x;
        }
        e10 += eneg ? -x : x;
    }
    if (nd > 15 || e10 < -22 || e10 > 22) {
        return false;
    }
    double r = (double)m;
    r = e10 < 0 ? r / pow10[-e10] : r * pow10[e10];
    *out = neg ? -r : r;
    return true;
}

static int to_float(struct crt_parser *ps, struct cr_toml_value *v,
                    const char *s, const char *e)
{
    char local[64];
    size_t n = (size_t)(e - s);
    char *buf = local;
    if (n >= sizeof(local)) {
        if (crt_scratch(ps, n + 1) != 0) {
            return -1;
        }
        buf = ps->scratch;
    }
    size_t o = 0;
    for (const char *p = s; p < e; p++) {
        if (*p != '_') {
            buf[o++] = *p;
        }
    }
    buf[o] = '\0';
    v->type = CR_TOML_FLOAT;
    if (!fast_float(buf, &v->u.f)) {
        v->u.f = strtod(buf, NULL);
    }
    if (isinf(v->u.f)) {
        /* Only inf/nan spell infinity; an overflowing literal is a typo. */
        return crt_fail(ps, s, "float \"%.*s\" is out of range",
                        (int)(n > 40 ? 40 : n), s);
    }
    ps->p = e;
    return 0;
}

static int bad_number(struct crt_parser *ps, const char *s, const char *e,
                      const char *why)
{
    int n = (int)(e - s > 40 ? 40 : e - s);
    return crt_fail(ps, s, "invalid number \"%.*s\": %s", n, s, why);
}

/* Decimal integer or float: sign, int part, fraction, exponent. */
static int number(struct crt_parser *ps, struct cr_toml_value *v, const char *s,
                  const char *e)
{
    const char *p = s + (*s == '+' || *s == '-');
    if (e - p == 3 && (memcmp(p, "inf", 3) == 0 || memcmp(p, "nan", 3) == 0)) {
        v->type = CR_TOML_FLOAT;
        v->u.f = p[0] == 'i' ? INFINITY : NAN;
        if (*s == '-') {
            v->u.f = -v->u.f;
        }
        ps->p = e;
        return 0;
    }
    const char *q = digit_run(p, e, 10);
    if (q == NULL) {
        return bad_number(ps, s, e,
                          "expected digits separated by single "
                          "underscores");
    }
    if (*p == '0' && q - p > 1) {
        return bad_number(ps, s, e, "leading zeros are not allowed");
    }
    bool is_float = false;
    if (q < e && *q == '.') {
        q = digit_run(q + 1, e, 10);
        if (q == NULL) {
            return bad_number(ps, s, e, "expected digits after '.'");
        }
        is_float = true;
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < e && (*q == '+' || *q == '-')) {
            q++;
        }
        q = digit_run(q, e, 10);
        if (q == NULL) {
            return bad_number(ps, s, e, "expected digits in the exponent");
        }
        is_float = true;
    }
    if (q != e) {
        return bad_number(ps, s, e, "unexpected characters");
    }
    return is_float ? to_float(ps, v, s, e) : dec_int(ps, v, s, e);
}

/* Reads exactly n digits at p; -1 when they are not all digits. */
static int fixed(const struct crt_parser *ps, const char *p, int n)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (p + i >= ps->end || !is_digit(p[i])) {
            return -1;
        }
        x = x * 10 + (p[i] - '0');
    }
    return x;
}

static int days_in(int y, int m)
{
    static const int days[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int parse_date(struct crt_parser *ps, const char *s,
                      struct cr_toml_datetime *dt)
{
    dt->year = fixed(ps, s, 4);
    dt->month = fixed(ps, s + 5, 2);
    dt->day = fixed(ps, s + 8, 2);
    if (dt->year < 0 || ch(ps, s + 4) != '-' || dt->month < 0 ||
        ch(ps, s + 7) != '-' || dt->day < 0 || is_digit(ch(ps, s + 10))) {
        return crt_fail(ps, s, "invalid date: expected YYYY-MM-DD");
    }
    if (dt->month < 1 || dt->month > 12) {
        return crt_fail(ps, s + 5, "invalid date: month %02d is not 01 to 12",
                        dt->month);
    }
    if (dt->day < 1 || dt->day > days_in(dt->year, dt->month)) {
        return crt_fail(ps, s + 8, "invalid date: %04d-%02d has no day %02d",
                        dt->year, dt->month, dt->day);
    }
    return 0;
}

/* HH:MM:SS[.frac]; returns the end or NULL after failing. */
static const char *parse_time(struct crt_parser *ps, const char *s,
                              struct cr_toml_datetime *dt)
{
    dt->hour = fixed(ps, s, 2);
    dt->minute = fixed(ps, s + 3, 2);
    dt->second = fixed(ps, s + 6, 2);
    if (dt->hour < 0 || ch(ps, s + 2) != ':' || dt->minute < 0 ||
        ch(ps, s + 5) != ':' || dt->second < 0) {
        crt_fail(ps, s, "invalid time: expected HH:MM:SS");
        return NULL;
    }
    if (dt->hour > 23 || dt->minute > 59 || dt->second > 60) {
        crt_fail(ps, s, "invalid time %.8s: out of range", s);
        return NULL;
    }
    const char *p = s + 8;
    if (p < ps->end && *p == '.') {
        p++;
        if (p >= ps->end || !is_digit(*p)) {
            crt_fail(ps, p, "invalid time: expected digits after '.'");
            return NULL;
        }
        long ns = 0;
        int k = 0;
        for (; p < ps->end && is_digit(*p); p++, k++) {
            /* Digits past nanoseconds are dropped (truncated). */
            if (k < 9) {
                ns = ns * 10 + (*p - '0');
            }
        }
        for (; k < 9; k++) {
            ns *= 10;
        }
        dt->nanosecond = (int)ns;
    }
    return p;
}

static const char *parse_offset(struct crt_parser *ps, const char *p,
                                struct cr_toml_datetime *dt)
{
    if (*p == 'Z' || *p == 'z') {
        dt->offset_z = true;
        return p + 1;
    }
    int h = fixed(ps, p + 1, 2);
    int m = fixed(ps, p + 4, 2);
    if (h < 0 || ch(ps, p + 3) != ':' || m < 0) {
        crt_fail(ps, p, "invalid time offset: expected Z or %cHH:MM", *p);
        return NULL;
    }
    if (h > 23 || m > 59) {
        crt_fail(ps, p, "invalid time offset %.6s: out of range", p);
        return NULL;
    }
    dt->offset_minutes = (h * 60 + m) * (*p == '-' ? -1 : 1);
    return p + 6;
}

static bool time_follows(const struct crt_parser *ps, const char *p)
{
    if (p >= ps->end) {
        return false;
    }
    if (*p == 'T' || *p == 't') {
        return true;
    }
    return *p == ' ' && fixed(ps, p + 1, 2) >= 0 && ch(ps, p + 3) == ':';
}

static int datetime(struct crt_parser *ps, struct cr_toml_value *v,
                    const char *s, bool has_date)
{
    struct cr_toml_datetime *dt = crt_alloc(ps->doc, sizeof(*dt));
    if (dt == NULL) {
        return crt_nomem(ps);
    }
    memset(dt, 0, sizeof(*dt));
    v->u.dt = dt;
    const char *p = s;
    if (has_date) {
        if (parse_date(ps, s, dt) != 0) {
            return -1;
        }
        p = s + 10;
        v->type = CR_TOML_DATE_LOCAL;
        if (!time_follows(ps, p)) {
            ps->p = p;
            return 0;
        }
        p++;
    }
    p = parse_time(ps, p, dt);
    if (p == NULL) {
        return -1;
    }
    v->type = has_date ? CR_TOML_DATETIME_LOCAL : CR_TOML_TIME_LOCAL;
    if (has_date && p < ps->end &&
        (*p == 'Z' || *p == 'z' || *p == '+' || *p == '-')) {
        p = parse_offset(ps, p, dt);
        if (p == NULL) {
            return -1;
        }
        v->type = CR_TOML_DATETIME;
    }
    ps->p = p;
    return 0;
}

static bool word(const struct crt_parser *ps, const char *s, const char *w,
                 size_t n)
{
    return (size_t)(ps->end - s) >= n && memcmp(s, w, n) == 0 &&
           (s + n == ps->end || !is_tok(s[n]));
}

/* Ends a value: what may follow a number in any context. */
static bool is_delim(const struct crt_parser *ps, const char *p)
{
    if (p >= ps->end) {
        return true;
    }
    char c = *p;
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
           c == ']' || c == '}' || c == '#';
}

/*
 * The most common value, a short unsigned decimal integer, without the
 * general token scan. Returns false (consuming nothing) for anything else.
 */
static bool fast_int(struct crt_parser *ps, struct cr_toml_value *v)
{
    const char *p = ps->p;
    int64_t x = 0;
    int n = 0;
    while (p < ps->end && is_digit(*p) && n < 18) {
        x = x * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n == 0 || (n > 1 && *ps->p == '0') || !is_delim(ps, p)) {
        return false;
    }
    v->type = CR_TOML_INTEGER;
    v->u.i = x;
    ps->p = p;
    return true;
}

int crt_lex_scalar(struct crt_parser *ps, struct cr_toml_value *v)
{
    const char *s = ps->p;
    if (fast_int(ps, v)) {
        return 0;
    }
    if (word(ps, s, "true", 4) || word(ps, s, "false", 5)) {
        v->type = CR_TOML_BOOL;
        v->u.b = *s == 't';
        ps->p = s + (*s == 't' ? 4 : 5);
        return 0;
    }
    if (fixed(ps, s, 2) >= 0 && ch(ps, s + 2) == ':') {
        return datetime(ps, v, s, false);
    }
    if (fixed(ps, s, 4) >= 0 && ch(ps, s + 4) == '-') {
        return datetime(ps, v, s, true);
    }
    if (s >= ps->end ||
        !(is_digit(*s) || *s == '+' || *s == '-' || *s == 'i' || *s == 'n')) {
        return invalid_value(ps, s);
    }
    const char *e = tok_end(ps, s);
    if (e - s > 2 && s[0] == '0' &&
        (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
        return based_int(ps, v, s, e);
    }
    if ((*s == 'i' || *s == 'n') && !word(ps, s, "inf", 3) &&
        !word(ps, s, "nan", 3)) {
        return invalid_value(ps, s);
    }
    return number(ps, v, s, e);
}
