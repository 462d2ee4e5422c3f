/* clnrm_regex: Rust-regex-style matching on PCRE2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "clnrm_regex.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

struct clnrm_regex {
    pcre2_code *code;
    pcre2_general_context *gctx; /* PCRE2 allocates through cr_alloc */
    char *pattern;
};

static void *pcre2_malloc_hook(PCRE2_SIZE size, void *ctx)
{
    (void)ctx;
    return cr_malloc(size);
}

static void pcre2_free_hook(void *p, void *ctx)
{
    (void)ctx;
    cr_free(p);
}

enum clnrm_code clnrm_regex_compile(const char *pattern,
                                    struct clnrm_regex **out,
                                    struct cr_error *err)
{
    /* No DOLLAR_ENDONLY: `$` may also match before a final newline, since
     * command output nearly always ends with one (see the header). */
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
                    PCRE2_NEVER_BACKSLASH_C;
    struct clnrm_regex *re;
    pcre2_compile_context *cctx = NULL;
    int errcode;
    PCRE2_SIZE erroff;

    *out = NULL;
    re = cr_calloc(1, sizeof(*re));
    if (re == NULL || (re->pattern = cr_strdup(pattern)) == NULL ||
        (re->gctx = pcre2_general_context_create(
             pcre2_malloc_hook, pcre2_free_hook, NULL)) == NULL ||
        (cctx = pcre2_compile_context_create(re->gctx)) == NULL) {
        clnrm_regex_free(re);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
                             &errcode, &erroff, cctx);
    pcre2_compile_context_free(cctx);
    if (re->code == NULL && errcode == PCRE2_ERROR_HEAP_FAILED) {
        clnrm_regex_free(re);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    if (re->code == NULL) {
        PCRE2_UCHAR why[160];
        pcre2_get_error_message(errcode, why, sizeof(why));
        clnrm_regex_free(re);
        return clnrm_error_set(err, CLNRM_E_INPUT,
                               "bad regex \"%s\" at offset %zu: %s", pattern,
                               (size_t)erroff, (const char *)why);
    }
    /* JIT is an optimisation only; interpretation gives the same answers. */
    (void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
    *out = re;
    return CLNRM_OK;
}

void clnrm_regex_free(struct clnrm_regex *re)
{
    if (re == NULL)
        return;
    pcre2_code_free(re->code);
    pcre2_general_context_free(re->gctx);
    cr_free(re->pattern);
    cr_free(re);
}

int clnrm_regex_search(const struct clnrm_regex *re, const char *subject,
                       size_t len)
{
    pcre2_match_data *md;
    int rc;

    md = pcre2_match_data_create_from_pattern(re->code, re->gctx);
    if (md == NULL)
        return -1;
    rc = pcre2_match(re->code, (PCRE2_SPTR)(subject ? subject : ""), len, 0, 0,
                     md, NULL);
    pcre2_match_data_free(md);
    if (rc >= 0)
        return 1;
    return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int clnrm_regex_search_either(const struct clnrm_regex *re, const char *out,
                              size_t out_len, const char *err, size_t err_len)
{
    int rc = clnrm_regex_search(re, out, out_len);

    if (rc != 0)
        return rc;
    return clnrm_regex_search(re, err, err_len);
}

const char *clnrm_regex_pattern(const struct clnrm_regex *re)
{
    return re->pattern;
}
