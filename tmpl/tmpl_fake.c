/* tmpl_fake: the seeded generator and the fake_* data functions. The
 * generator is splitmix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", 2014): one 64-bit state, seeded from
 * [determinism] seed, so a file renders to the same bytes every time. The
 * word lists are this project's own. See tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

uint64_t tmpl__rand(struct tmpl_rt *rt)
{
    uint64_t z = (rt->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const first_names[] = {
    "Ada", "Alan",   "Grace",    "Edsger",  "Barbara", "Donald", "Frances",
    "Ken", "Dennis", "Margaret", "Niklaus", "Radia",   "Leslie", "Tony",
};
static const char *const last_names[] = {
    "Lovelace", "Turing",  "Hopper",   "Dijkstra", "Liskov",
    "Knuth",    "Allen",   "Thompson", "Ritchie",  "Hamilton",
    "Wirth",    "Perlman", "Lamport",  "Hoare",
};
static const char *const words[] = {
    "alpha",  "bridge", "cedar",   "delta",  "ember",   "falcon", "granite",
    "harbor", "island", "juniper", "kettle", "lantern", "meadow", "nickel",
    "orbit",  "pepper", "quartz",  "river",  "summit",  "timber", "umber",
    "valley", "willow", "xenon",   "yarrow", "zephyr",
};
static const char *const cities[] = { "Lisbon", "Oslo",   "Kyoto", "Quito",
                                      "Accra",  "Hobart", "Tartu", "Cusco" };
static const char *const countries[] = { "Portugal", "Norway", "Japan",
                                         "Ecuador",  "Ghana",  "Australia",
                                         "Estonia",  "Peru" };
static const char *const companies[] = { "Acme",     "Globex",   "Initech",
                                         "Umbrella", "Stark",    "Wayne",
                                         "Tyrell",   "Cyberdyne" };
static const char *const suffixes[] = { "Inc", "LLC", "Ltd", "Group" };
static const char *const tlds[] = { "com", "org", "net", "io", "dev" };

static const char *pick(struct tmpl_rt *rt, const char *const *list, size_t n)
{
    return list[tmpl__rand(rt) % n];
}

static int64_t between(struct tmpl_rt *rt, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;

    return span == 0 ? (int64_t)tmpl__rand(rt)
                     : (int64_t)((uint64_t)lo + tmpl__rand(rt) % span);
}

static int int_arg(struct tmpl_rt *rt, const struct tmpl_call *e,
                   const char *name, int64_t def, int64_t *out)
{
    struct cr_pos where;
    const struct tmpl_value *v = tmpl__argv(e, name, -1, &where);

    *out = def;
    if (v == NULL)
        return 0;
    if (v->type != TMPL_INT)
        return tmpl__fail_at(rt, TMPL_E_EVAL, where, "%s() needs %s=INTEGER",
                             e->name, name);
    *out = v->i;
    return 0;
}

static int words_into(struct tmpl_rt *rt, struct cr_buf *b, int64_t n,
                      const char *sep)
{
    for (int64_t i = 0; i < n; i++)
        if ((i > 0 && cr_buf_puts(b, sep) != 0) ||
            cr_buf_puts(b, pick(rt, words, N_OF(words))) != 0)
            return -1;
    return 0;
}

/* The string generators: each appends to b. */
static int fake_text(struct tmpl_rt *rt, const char *n,
                     const struct tmpl_call *e, struct cr_buf *b)
{
    const char *first = pick(rt, first_names, N_OF(first_names));
    const char *last = pick(rt, last_names, N_OF(last_names));
    int64_t k;

    if (strcmp(n, "name") == 0)
        return cr_buf_printf(b, "%s %s", first, last);
    if (strcmp(n, "first_name") == 0)
        return cr_buf_puts(b, first);
    if (strcmp(n, "last_name") == 0)
        return cr_buf_puts(b, last);
    if (strcmp(n, "username") == 0)
        return cr_buf_printf(b, "%c%s%02d", first[0] | 0x20, last,
                             (int)between(rt, 0, 99));
    if (strcmp(n, "email") == 0 || strcmp(n, "safe_email") == 0)
        return cr_buf_printf(b, "%c.%s@example.%s", first[0] | 0x20, last,
                             pick(rt, tlds, 3));
    if (strcmp(n, "domain") == 0)
        return cr_buf_printf(b, "%s.%s", pick(rt, words, N_OF(words)),
                             pick(rt, tlds, N_OF(tlds)));
    if (strcmp(n, "url") == 0)
        return cr_buf_printf(
            b, "https://%s.%s/%s", pick(rt, words, N_OF(words)),
            pick(rt, tlds, N_OF(tlds)), pick(rt, words, N_OF(words)));
    if (strcmp(n, "word") == 0)
        return cr_buf_puts(b, pick(rt, words, N_OF(words)));
    if (strcmp(n, "words") == 0 || strcmp(n, "sentence") == 0) {
        if (int_arg(rt, e, "count", n[1] == 'o' ? 3 : 6, &k) != 0)
            return -2;
        if (k < 0 || k > 1000)
            return -3;
        if (words_into(rt, b, k, " ") != 0)
            return -1;
        if (n[0] == 's' && b->len > 0)
            b->data[0] = (char)(b->data[0] & ~0x20);
        return n[0] == 's' ? cr_buf_putc(b, '.') : 0;
    }
    if (strcmp(n, "company") == 0)
        return cr_buf_printf(b, "%s %s", pick(rt, companies, N_OF(companies)),
                             pick(rt, suffixes, N_OF(suffixes)));
    if (strcmp(n, "city") == 0)
        return cr_buf_puts(b, pick(rt, cities, N_OF(cities)));
    if (strcmp(n, "country") == 0)
        return cr_buf_puts(b, pick(rt, countries, N_OF(countries)));
    if (strcmp(n, "street") == 0)
        return cr_buf_printf(b, "%d %s Street", (int)between(rt, 1, 999), last);
    if (strcmp(n, "zip") == 0)
        return cr_buf_printf(b, "%05d", (int)between(rt, 0, 99999));
    if (strcmp(n, "phone") == 0)
        return cr_buf_printf(b, "+1-555-%03d-%04d", (int)between(rt, 0, 999),
                             (int)between(rt, 0, 9999));
    if (strcmp(n, "ipv4") == 0)
        return cr_buf_printf(b, "10.%d.%d.%d", (int)between(rt, 0, 255),
                             (int)between(rt, 0, 255),
                             (int)between(rt, 1, 254));
    if (strcmp(n, "ipv6") == 0)
        return cr_buf_printf(b, "fd00::%x:%x", (int)between(rt, 0, 0xffff),
                             (int)between(rt, 1, 0xffff));
    if (strcmp(n, "mac") == 0)
        return cr_buf_printf(b, "02:%02x:%02x:%02x:%02x:%02x",
                             (int)between(rt, 0, 255), (int)between(rt, 0, 255),
                             (int)between(rt, 0, 255), (int)between(rt, 0, 255),
                             (int)between(rt, 0, 255));
    if (strcmp(n, "hex") == 0 || strcmp(n, "password") == 0) {
        static const char alnum[] = "abcdefghijkmnpqrstuvwxyz"
                                    "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        if (int_arg(rt, e, "len", n[0] == 'h' ? 16 : 12, &k) != 0)
            return -2;
        if (k < 0 || k > 4096)
            return -3;
        for (int64_t i = 0; i < k; i++)
            if (cr_buf_putc(b,
                            n[0] == 'h'
                                ? "0123456789abcdef"[tmpl__rand(rt) % 16]
                                : alnum[tmpl__rand(rt) % (sizeof(alnum) - 1)]))
                return -1;
        return 0;
    }
    return 1;
}

static int fake_number(struct tmpl_rt *rt, const char *n,
                       const struct tmpl_call *e, struct tmpl_value *out)
{
    int64_t lo, hi;

    if (strcmp(n, "bool") == 0) {
        *out = tmpl_bool(tmpl__rand(rt) & 1);
        return 0;
    }
    if (strcmp(n, "int") != 0 && strcmp(n, "float") != 0)
        return 1;
    if (int_arg(rt, e, "min", 0, &lo) || int_arg(rt, e, "max", 100, &hi))
        return -1;
    if (hi < lo)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "%s(): max is below min",
                             e->name);
    if (n[0] == 'i')
        *out = tmpl_int(between(rt, lo, hi));
    else
        *out =
            tmpl_float((double)lo + (double)(tmpl__rand(rt) >> 11) /
                                        9007199254740992.0 * (double)(hi - lo));
    return 0;
}

static void hex_bytes(char *dst, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snprintf(dst + 2 * i, 3, "%02x", b[i]);
}

static void rand_bytes(struct tmpl_rt *rt, unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t r = tmpl__rand(rt);
        for (size_t k = 0; k < 8 && i + k < n; k++)
            b[i + k] = (unsigned char)(r >> (8 * k));
    }
}

static int str_out(struct tmpl_rt *rt, struct tmpl_value *out, const char *s)
{
    return tmpl_str(out, s, strlen(s)) != 0 ? tmpl__nomem(rt) : 0;
}

/* RFC 9562 layouts: v4 is random, v7 starts with the 48-bit ms clock. */
int tmpl__uuid(struct tmpl_rt *rt, bool v7, struct tmpl_value *out)
{
    unsigned char b[16];
    char hex[33], s[37];

    rand_bytes(rt, b, sizeof(b));
    if (v7)
        for (int i = 0; i < 6; i++)
            b[i] = (unsigned char)((uint64_t)rt->now_ms >> (8 * (5 - i)));
    b[6] = (unsigned char)((b[6] & 0x0f) | (v7 ? 0x70 : 0x40));
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    hex_bytes(hex, b, 16);
    snprintf(s, sizeof(s), "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
             hex + 16, hex + 20);
    return str_out(rt, out, s);
}

/* W3C Trace Context: 00-<16-byte trace id>-<8-byte span id>-01. */
int tmpl__traceparent(struct tmpl_rt *rt, struct tmpl_value *out)
{
    unsigned char b[24];
    char hex[49], s[64];

    rand_bytes(rt, b, sizeof(b));
    b[0] |= 1, b[16] |= 1; /* all-zero ids are invalid */
    hex_bytes(hex, b, sizeof(b));
    snprintf(s, sizeof(s), "00-%.32s-%.16s-01", hex, hex + 32);
    return str_out(rt, out, s);
}

int tmpl__fake(struct tmpl_rt *rt, const struct tmpl_call *e,
               struct tmpl_value *out)
{
    struct cr_buf b;
    const char *n = e->name + 5;
    int rc;

    if (strncmp(e->name, "fake_", 5) != 0)
        return 1;
    if ((rc = fake_number(rt, n, e, out)) <= 0)
        return rc;
    if (strcmp(n, "uuid") == 0)
        return tmpl__uuid(rt, false, out);
    cr_buf_init(&b);
    rc = fake_text(rt, n, e, &b);
    if (rc == 0) {
        *out = tmpl_str_take(&b);
        return out->s == NULL ? tmpl__nomem(rt) : 0;
    }
    cr_buf_release(&b);
    if (rc == -3)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, e->pos,
                             "%s(): count or len out of range", e->name);
    if (rc == -2)
        return -1;
    if (rc < 0)
        return tmpl__nomem(rt);
    return tmpl__fail_at(rt, TMPL_E_UNSUPPORTED, e->pos,
                         "unknown fake data function \"%s\" (see "
                         "\"Templates\" in clnrm/README.md for the list)",
                         e->name);
}
