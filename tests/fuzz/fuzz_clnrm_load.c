/*
 * Fuzz target for clnrm's test-file loader: any bytes as a *.clnrm.toml,
 * in either format (the flat v0 one and the [meta]/[[scenario]] one) and,
 * when the text holds `{{`, `{%` or `{#`, as a Tera template rendered
 * first. Each input is loaded twice, plain and --strict. Checks: success
 * gives a test and failure none, an error is one line naming the file
 * with a line and column, and strict never accepts what plain refuses.
 */
#include "clnrm_load.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PATH "fuzz.clnrm.toml"

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static enum clnrm_code load(const char *text, size_t len, bool strict)
{
    static const char *const vars[] = { "svc=api", "image=alpine:3" };
    struct clnrm_load_opts o = { .strict = strict, .vars = vars, .n_vars = 2 };
    struct clnrm_test *t = (struct clnrm_test *)1;
    struct clnrm_diags diags = { 0 };
    struct cr_error err = { 0 };
    enum clnrm_code rc =
        clnrm_test_parse(text, len, FUZZ_PATH, &o, &t, &diags, &err);

    if (rc == CLNRM_OK) {
        check(t != NULL);
        clnrm_test_free(t);
    } else {
        check(t == NULL);
        check(rc == CLNRM_E_INPUT || rc == CLNRM_E_NOMEM);
        check(strchr(err.msg, '\n') == NULL);
        if (rc == CLNRM_E_INPUT)
            check(strncmp(err.msg, FUZZ_PATH ":", strlen(FUZZ_PATH) + 1) == 0);
    }
    clnrm_diags_release(&diags);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum clnrm_code plain = load((const char *)data, size, false);
    enum clnrm_code strict = load((const char *)data, size, true);

    if (plain == CLNRM_E_INPUT)
        check(strict != CLNRM_OK);
    return 0;
}
