/*
 * fuzz_replay: the main() of every NAME_fuzz_replay test under tests/fuzz.
 * Linked with one fuzz target's LLVMFuzzerTestOneInput instead of
 * libFuzzer, it feeds every regular file under the directories (or files)
 * given on the command line through the same entry point, and every
 * prefix of each, so the normal and ASan builds exercise the committed
 * corpus without clang. Prints "NAME: N inputs"; fails when it read none.
 */
#include "cr_fs.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* nftw gives its callback no context: the count is the one piece of state,
 * and this file is a test program's main. */
static int replayed;

static int replay_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    char *data;
    size_t len;

    (void)st;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    if (cr_fs_read(path, &data, &len) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    /* Truncated inputs are the classic crash: some prefixes too. */
    for (size_t cut = 0; cut < len; cut += 1 + len / 16)
        LLVMFuzzerTestOneInput((const uint8_t *)data, cut);
    free(data);
    replayed++;
    return 0;
}

int main(int argc, char **argv)
{
    const char *name = strrchr(argv[0], '/');

    for (int i = 1; i < argc; i++) {
        if (nftw(argv[i], replay_one, 16, FTW_PHYS) != 0) {
            fprintf(stderr, "cannot replay %s\n", argv[i]);
            return 1;
        }
    }
    printf("%s: %d inputs\n", name ? name + 1 : argv[0], replayed);
    return replayed > 0 ? 0 : 1;
}
