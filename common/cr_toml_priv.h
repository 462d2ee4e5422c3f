/*
 * cr_toml internals shared by cr_toml*.c. Not part of the public API: only
 * the cr_toml files include this header.
 *
 * Memory: every node, key and string of a document lives in one arena owned
 * by the document, so cr_toml_free releases a handful of blocks and never
 * walks the tree. Growing arrays copy into fresh arena space; the old space
 * is wasted until the document is freed, which costs at most twice the
 * final size.
 */
#ifndef CR_TOML_PRIV_H
#define CR_TOML_PRIV_H

#include "cr_toml.h"

#include <stdarg.h>
#include <stdint.h>

/* Flags on tables and arrays that enforce the redefinition rules. */
enum {
    CRT_F_IMPLICIT = 1 << 0, /* table created as a parent of a [header] */
    CRT_F_HEADER = 1 << 1,   /* table defined by [header] or [[header]] */
    CRT_F_DOTTED = 1 << 2,   /* table created by a dotted key */
    CRT_F_SEALED = 1 << 3,   /* inline table or static array: immutable */
    CRT_F_AOT = 1 << 4,      /* array created by [[header]] */
};

/* Tables with more entries than this get a hash index. */
#define CRT_HASH_MIN 8

struct crt_entry {
    const char *key; /* NUL-terminated copy in the arena */
    uint32_t klen;
    uint32_t hash;
    struct cr_pos pos;
    struct cr_toml_value *val;
};

struct crt_table {
    struct crt_entry *ents;
    uint32_t n, cap;
    /* NULL, or open addressing: index[0] is the slot count (a power of
     * two), index[1 + s] is 0 or an entry index + 1. */
    uint32_t *index;
};

struct crt_array {
    struct cr_toml_value **items;
    uint32_t n, cap;
};

struct cr_toml_value {
    uint8_t type; /* enum cr_toml_type */
    uint8_t flags;
    uint16_t depth; /* tables and arrays: levels below the root */
    struct cr_pos pos;
    union {
        struct crt_table tab;
        struct crt_array arr;
        struct {
            const char *s;
            size_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        struct cr_toml_datetime *dt; /* out of line: keeps values small */
    } u;
};

struct crt_block {
    struct crt_block *next;
    size_t used, cap;
    bool mapped; /* from mmap rather than malloc */
    /* Data follows, aligned to max_align_t. */
};

struct cr_toml_doc {
    struct crt_block *blocks;
    struct cr_toml_value root;
    char *filename;
};

/* Parser state. Errors are stored in err and the functions return -1. */
struct crt_parser {
    const char *p, *end;
    const char *line_start;
    unsigned line;
    unsigned depth; /* depth of the value being parsed */
    struct cr_toml_doc *doc;
    struct cr_error *err;
    const char *fname;
    /* Scratch for string decoding and number normalisation. */
    char *scratch;
    size_t scratch_cap;
};

/* --- Arena (cr_toml_tree.c) ---------------------------------------------- */
/* Slow path of crt_alloc: starts a new block. */
void *crt_alloc_block(struct cr_toml_doc *doc, size_t n);

/* Under AddressSanitizer every allocation gets its own malloc, so the
 * fuzzer sees overflows that an arena would hide. */
#if defined(__SANITIZE_ADDRESS__)
#define CRT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRT_ASAN 1
#endif
#endif
void *crt_alloc_exact(struct cr_toml_doc *doc, size_t n);

/* n bytes, pointer-aligned, owned by the document. NULL when out of memory.
 * Inline because the parser allocates for every key and value. */
static inline void *crt_alloc(struct cr_toml_doc *doc, size_t n)
{
#ifdef CRT_ASAN
    return crt_alloc_exact(doc, n);
#endif
    struct crt_block *b = doc->blocks;
    n = (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    if (b == NULL || b->cap - b->used < n) {
        return crt_alloc_block(doc, n);
    }
    void *p = (char *)(b + 1) + b->used;
    b->used += n;
    return p;
}
void crt_arena_free(struct cr_toml_doc *doc);
char *crt_strdup(struct cr_toml_doc *doc, const char *s, size_t n);
struct cr_toml_value *crt_new(struct crt_parser *ps, enum cr_toml_type t,
                              struct cr_pos pos);

/* --- Tables and arrays (cr_toml_tree.c) ----------------------------------- */
uint32_t crt_hash(const char *s, size_t n);
/* Index of the key in tab, or -1. */
long crt_find(const struct crt_table *tab, const char *key, size_t n,
              uint32_t h);
/* Appends a new entry (the caller checked it is absent). -1 on NOMEM. */
int crt_table_add(struct cr_toml_doc *doc, struct crt_table *tab,
                  const char *key, size_t n, uint32_t h, struct cr_pos pos,
                  struct cr_toml_value *val);
int crt_array_push(struct cr_toml_doc *doc, struct crt_array *arr,
                   struct cr_toml_value *v);

/* --- Errors --------------------------------------------------------------- */
/* Formats "FILE:LINE:COL: message" into err (cr_toml.c). */
void crt_verror(struct cr_error *err, enum cr_toml_code code, const char *fname,
                struct cr_pos pos, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* The rest live in cr_toml_parse.c. */
struct cr_pos crt_here(const struct crt_parser *ps, const char *at);
int crt_fail(struct crt_parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int crt_fail_pos(struct crt_parser *ps, struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int crt_nomem(struct crt_parser *ps);
/* Describes the byte at p for messages: "'x'", "end of file", "newline". */
const char *crt_describe(const struct crt_parser *ps, const char *p,
                         char buf[16]);
/* Grows the scratch buffer to hold n bytes. */
int crt_scratch(struct crt_parser *ps, size_t n);

/* --- Keys and the redefinition rules (cr_toml_rules.c) -------------------- */

/* One part of a dotted key, decoded. s may point into the input. */
struct crt_key_part {
    const char *s;
    size_t n;
    uint32_t hash;
    struct cr_pos pos;
};

struct crt_key_path {
    struct crt_key_part parts[CR_TOML_MAX_DEPTH];
    unsigned n;
};

/* Writes parts [0, n) as "a.b.c" for messages, control bytes escaped. */
const char *crt_key_name(const struct crt_key_path *kp, unsigned n, char *buf,
                         size_t cap);
/* True (after failing at pos) when depth exceeds CR_TOML_MAX_DEPTH. */
bool crt_too_deep(struct crt_parser *ps, unsigned depth, struct cr_pos pos);
/* Stores v under the dotted key kp in table t, creating dotted tables. */
int crt_insert_dotted(struct crt_parser *ps, struct cr_toml_value *t,
                      const struct crt_key_path *kp, struct cr_toml_value *v);
/* [kp] and [[kp]]: return the table that the following keys go into, or
 * NULL after failing. open is the position of the opening bracket. */
struct cr_toml_value *crt_define_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open);
struct cr_toml_value *crt_append_table(struct crt_parser *ps,
                                       const struct crt_key_path *kp,
                                       struct cr_pos open);

/* Parses the whole input of ps into ps->doc (cr_toml_parse.c). */
enum cr_toml_code crt_parse_doc(struct crt_parser *ps);

/* --- Lexing (cr_toml_lex.c, cr_toml_scalar.c) ----------------------------- */
/* Skips a comment at ps->p (which is '#'), validating it, up to the newline. */
int crt_skip_comment(struct crt_parser *ps);
/* Parses a basic or literal string (single or multi-line) at ps->p. Stores
 * the decoded bytes (in scratch or in the input) in *s, *n. */
int crt_lex_string(struct crt_parser *ps, bool allow_multi, const char **s,
                   size_t *n);
/* Parses a number or date/time at ps->p into v (type set here). */
int crt_lex_scalar(struct crt_parser *ps, struct cr_toml_value *v);

#endif
