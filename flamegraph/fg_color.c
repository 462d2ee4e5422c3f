/* fg_color: stable frame colours by name and kind (see fg_color.h). */
#include "fg_color.h"

#include <string.h>

static const char *const names[] = { "hot",    "mem",   "io",   "red",
                                     "green",  "blue",  "aqua", "yellow",
                                     "orange", "purple" };

bool fg_palette_parse(const char *name, enum fg_palette *out)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i], name) == 0) {
            *out = (enum fg_palette)i;
            return true;
        }
    return false;
}

const char *fg_palette_names(void)
{
    return "hot, mem, io, red, green, blue, aqua, yellow, orange, purple";
}

/* A name and its length, known at compile time: fg_frame_kind runs for
 * every frame drawn. */
struct lit {
    const char *s;
    size_t n;
};
#define L(x)                                                                   \
    {                                                                          \
        x, sizeof(x) - 1                                                       \
    }

static bool starts(const char *s, size_t n, struct lit p)
{
    return n >= p.n && memcmp(s, p.s, p.n) == 0;
}

static bool ends(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s + n - k, p, k) == 0;
}

/* Kernel entry points and hot paths that show up unmarked when perf data
 * is collapsed without --kernel. */
static const struct lit kernel_prefixes[] = {
    L("entry_SYSCALL"),
    L("do_syscall_"),
    L("__x64_sys_"),
    L("__ia32_sys_"),
    L("__do_sys_"),
    L("__se_sys_"),
    L("ksys_"),
    L("asm_exc_"),
    L("asm_sysvec_"),
    L("exc_page_"),
    L("sysvec_"),
    L("syscall_exit_"),
    L("ret_from_fork"),
    L("__schedule"),
    L("schedule"),
    L("_raw_spin_"),
    L("native_"),
    L("handle_mm_fault"),
    L("__handle_mm_fault"),
    L("do_user_addr_fault"),
    L("irqentry_"),
};

/* The C library and the dynamic loader, by the names glibc uses. */
static const struct lit lib_prefixes[] = {
    L("__libc_"),    L("__GI_"),       L("_dl_"),      L("__mem"),
    L("__str"),      L("_int_malloc"), L("_int_free"), L("pthread_"),
    L("__pthread_"), L("_IO_"),        L("__nss_"),    L("__mmap"),
};

static const struct lit lib_names[] = {
    L("malloc"),  L("free"),    L("calloc"),
    L("realloc"), L("memcpy"),  L("memmove"),
    L("memset"),  L("memcmp"),  L("strlen"),
    L("strcmp"),  L("strncmp"), L("strchr"),
    L("strdup"),  L("mmap64"),  L("munmap"),
    L("read"),    L("write"),   L("open64"),
    L("close"),   L("_start"),  L("__libc_start_main"),
};

static bool any_prefix(const char *s, size_t n, const struct lit *v, size_t nv)
{
    for (size_t i = 0; i < nv; i++)
        if (starts(s, n, v[i]))
            return true;
    return false;
}

enum fg_kind fg_frame_kind(const char *s, size_t n)
{
    if (ends(s, n, "_[k]"))
        return FG_KIND_KERNEL;
    if (ends(s, n, "_[i]"))
        return FG_KIND_INLINE;
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        return FG_KIND_LIB; /* "[libc.so.6]": a DSO without symbols */
    if (any_prefix(s, n, kernel_prefixes,
                   sizeof(kernel_prefixes) / sizeof(kernel_prefixes[0])))
        return FG_KIND_KERNEL;
    if (any_prefix(s, n, lib_prefixes,
                   sizeof(lib_prefixes) / sizeof(lib_prefixes[0])))
        return FG_KIND_LIB;
    for (size_t i = 0; i < sizeof(lib_names) / sizeof(lib_names[0]); i++)
        if (lib_names[i].n == n && memcmp(s, lib_names[i].s, n) == 0)
            return FG_KIND_LIB;
    return FG_KIND_USER;
}

/* FNV-1a: stable across runs and machines, which is all colours need. */
static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* A colour between lo and lo + span per channel, driven by a and b. */
static void mixc(unsigned char rgb[3], const int lo[3], const int span[3],
                 double a, double b)
{
    rgb[0] = (unsigned char)(lo[0] + span[0] * a);
    rgb[1] = (unsigned char)(lo[1] + span[1] * b);
    rgb[2] = (unsigned char)(lo[2] + span[2] * (a + b) / 2);
}

void fg_color(enum fg_palette p, const char *name, size_t len,
              unsigned char rgb[3])
{
    /* Families: {low, span} per channel. */
    static const int fam[][2][3] = {
        [0] = { { 205, 40, 0 }, { 50, 150, 50 } },   /* user: hot */
        [1] = { { 170, 200, 40 }, { 40, 40, 50 } },  /* library: lime */
        [2] = { { 90, 150, 220 }, { 60, 50, 35 } },  /* kernel: blue */
        [3] = { { 60, 200, 200 }, { 60, 40, 40 } },  /* inlined: aqua */
        [4] = { { 0, 190, 0 }, { 60, 50, 80 } },     /* mem */
        [5] = { { 80, 80, 190 }, { 60, 60, 55 } },   /* io */
        [6] = { { 200, 50, 50 }, { 55, 80, 80 } },   /* red */
        [7] = { { 50, 180, 50 }, { 80, 60, 80 } },   /* green */
        [8] = { { 80, 80, 200 }, { 80, 80, 55 } },   /* blue */
        [9] = { { 50, 190, 190 }, { 60, 55, 55 } },  /* aqua */
        [10] = { { 175, 175, 50 }, { 80, 80, 60 } }, /* yellow */
        [11] = { { 190, 90, 0 }, { 65, 80, 55 } },   /* orange */
        [12] = { { 150, 70, 190 }, { 60, 60, 65 } }, /* purple */
    };
    uint32_t h = name_hash(name, len);
    double a = (h & 0xffff) / 65535.0, b = (h >> 16) / 65535.0;
    int f = p == FG_PAL_HOT ? (int)fg_frame_kind(name, len) : (int)p + 3;
    mixc(rgb, fam[f][0], fam[f][1], a, b);
}

void fg_color_diff(int64_t delta, uint64_t maxabs, bool negate,
                   unsigned char rgb[3])
{
    double t = 0;
    if (maxabs > 0)
        t = (double)(delta < 0 ? -(uint64_t)delta : (uint64_t)delta) /
            (double)maxabs;
    if (t > 1)
        t = 1;
    unsigned char fade = (unsigned char)(250 - 210 * t);
    bool red = (delta > 0) != negate;
    if (delta == 0) {
        rgb[0] = rgb[1] = rgb[2] = 250;
    } else if (red) {
        rgb[0] = 255;
        rgb[1] = rgb[2] = fade;
    } else {
        rgb[0] = rgb[1] = fade;
        rgb[2] = 255;
    }
}
