/*
 * Fuzz target for cr_toml. Built as a libFuzzer target (fuzz_toml) when
 * CLEANROOM_FUZZ=ON; built with CR_FUZZ_REPLAY as toml_fuzz_replay, whose
 * main feeds every *.toml file under the given directories through the same
 * checks, so ctest replays a seed corpus without libFuzzer.
 *
 * Beyond "no crash, no leak" it checks invariants: an error always names a
 * line and column, and in a parsed tree every key looks up its own value.
 */
#include "cr_fs.h"
#include "cr_toml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok) {
        __builtin_trap();
    }
}

static void walk(const struct cr_toml_value *v, int depth)
{
    check(depth < 4 * CR_TOML_MAX_DEPTH);
    size_t n = cr_toml_len(v);
    if (cr_toml_type(v) == CR_TOML_TABLE) {
        for (size_t i = 0; i < n; i++) {
            const char *k = cr_toml_key_at(v, i, NULL);
            const struct cr_toml_value *c = cr_toml_value_at(v, i);
            if (strlen(k) == cr_toml_key_len(v, i)) {
                check(cr_toml_get(v, k) == c);
            }
            walk(c, depth + 1);
        }
    } else if (cr_toml_type(v) == CR_TOML_ARRAY) {
        for (size_t i = 0; i < n; i++) {
            walk(cr_toml_at(v, i), depth + 1);
        }
    } else {
        check(n == 0);
        check(cr_toml_pos(v).line >= 1 && cr_toml_pos(v).col >= 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cr_toml_doc *doc;
    struct cr_error err;
    enum cr_toml_code rc =
        cr_toml_parse((const char *)data, size, "f.toml", &doc, &err);
    if (rc == CR_TOML_OK) {
        walk(cr_toml_root(doc), 0);
        cr_toml_free(doc);
        return 0;
    }
    check(doc == NULL);
    check(rc == CR_TOML_E_SYNTAX);
    check(err.pos.line >= 1 && err.pos.col >= 1);
    check(err.pos.line <= size + 1 && err.pos.col <= size + 1);
    check(strncmp(err.msg, "f.toml:", 7) == 0);
    check(strchr(err.msg, '\n') == NULL);
    return 0;
}

#ifdef CR_FUZZ_REPLAY
#include <ftw.h>

static int replayed;

static int replay_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    size_t n = strlen(path);
    if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".toml") != 0) {
        return 0;
    }
    char *data;
    size_t len;
    if (cr_fs_read(path, &data, &len) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    /* Every prefix too: truncated documents are the classic crash. */
    for (size_t cut = 0; cut < len; cut += 1 + len / 16) {
        LLVMFuzzerTestOneInput((const uint8_t *)data, cut);
    }
    free(data);
    replayed++;
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (nftw(argv[i], replay_one, 16, FTW_PHYS) != 0) {
            return 1;
        }
    }
    printf("replayed %d files\n", replayed);
    return replayed > 0 ? 0 : 1;
}
#endif
