/*
 * Fuzz target for what `bench compare` reads: Go benchmark-format text
 * (bench_gofmt.h), then the comparison and its three renderings. The
 * input is the old file, a line `#--- new`, and the new file (without the
 * line, the text is compared with itself). Checks: a parse error is one
 * line naming the file and sets nothing, and every comparison of parsed
 * data renders.
 */
#include "bench_compare.h"
#include "bench_gofmt.h"

#include "cr_buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SPLIT "\n#--- new\n"

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static bool parse(const char *text, size_t len, const char *name,
                  struct bench_data *d)
{
    struct cr_error err = { 0 };
    enum bench_code rc = bench_gofmt_parse(text, len, name, d, &err);

    if (rc == BENCH_OK)
        return true;
    check(rc == BENCH_E_INPUT || rc == BENCH_E_NOMEM);
    check(strchr(err.msg, '\n') == NULL);
    if (rc == BENCH_E_INPUT)
        check(strncmp(err.msg, name, strlen(name)) == 0);
    return false;
}

static void compare(const struct bench_data *old, const struct bench_data *new_)
{
    static const enum bench_format fmts[] = { BENCH_FORMAT_TEXT,
                                              BENCH_FORMAT_CSV,
                                              BENCH_FORMAT_JSON };
    struct bench_compare_opts o = {
        .alpha = 0.05, .minor = 5, .moderate = 20, .major = 50
    };
    struct bench_comparison c = { 0 };
    struct cr_error err = { 0 };

    if (bench_compare(old, new_, &o, &c, &err) == BENCH_OK) {
        for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
            struct cr_buf out = { 0 };
            enum bench_code rc = bench_compare_render(&c, fmts[i], "old.txt",
                                                      "new.txt", &out, &err);
            check(rc == BENCH_OK || rc == BENCH_E_NOMEM);
            cr_buf_release(&out);
        }
    }
    bench_comparison_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *cut = memmem(text, size, SPLIT, strlen(SPLIT));
    size_t old_len = cut ? (size_t)(cut - text) : size;
    const char *new_text = cut ? cut + strlen(SPLIT) : text;
    size_t new_len = cut ? size - old_len - strlen(SPLIT) : size;
    struct bench_data d[2] = { { 0 }, { 0 } };

    if (parse(text, old_len, "old.txt", &d[0]) &&
        parse(new_text, new_len, "new.txt", &d[1]))
        compare(&d[0], &d[1]);
    bench_data_release(&d[0]);
    bench_data_release(&d[1]);
    return 0;
}
