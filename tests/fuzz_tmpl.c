/*
 * Fuzz target for the tmpl renderer. Built as a libFuzzer target
 * (fuzz_tmpl) when CLEANROOM_FUZZ=ON; built with CR_FUZZ_REPLAY as
 * tmpl_fuzz_replay, whose main feeds every *.toml and *.tera file under the
 * given directories (and their prefixes) through the same checks, so ctest
 * replays a seed corpus without libFuzzer.
 *
 * Beyond "no crash, no leak": an error is one line naming the file, a line
 * and a column; a rendering has one source-map entry per line, each with a
 * position, and rendering again succeeds too.
 */
#include "cr_fs.h"
#include "tmpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static const char *no_env(void *ud, const char *name)
{
    (void)ud;
    (void)name;
    return NULL;
}

static void check_lines(const struct tmpl_output *out)
{
    size_t nl = 0;

    for (size_t i = 0; i < out->len; i++)
        nl += out->text[i] == '\n';
    check(out->text[out->len] == '\0');
    check(out->n_lines ==
          nl + (out->len > 0 && out->text[out->len - 1] != '\n'));
    for (size_t i = 0; i < out->n_lines; i++) {
        check(out->lines[i].pos.line >= 1 && out->lines[i].pos.col >= 1);
        check(out->lines[i].file < out->files.n);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const vars[] = { "a=1" };
    const struct tmpl_opts o = { vars, 1, no_env, NULL, 1735689600000 };
    struct tmpl_output out, again;
    struct cr_error err = { 0 };
    const char *src = (const char *)data;

    if (tmpl_render(src, size, "f.toml", &o, &out, &err) != TMPL_OK) {
        check(err.code != TMPL_OK);
        check(strchr(err.msg, '\n') == NULL);
        check(err.code == TMPL_E_NOMEM || err.code == TMPL_E_IO ||
              strncmp(err.msg, "f.toml:", 7) == 0 ||
              strstr(err.msg, ".tera:") != NULL);
        return 0;
    }
    check_lines(&out);
    /* Rendering is a function of the input, the clock and the seed: a
     * second run succeeds as well (the bytes may differ when the file's
     * [determinism] does not parse, so they are not compared here; the
     * unit and e2e tests compare seeded ones). */
    check(tmpl_render(src, size, "f.toml", &o, &again, &err) == TMPL_OK);
    tmpl_output_release(&again);
    tmpl_output_release(&out);
    return 0;
}

#ifdef CR_FUZZ_REPLAY
#include <ftw.h>

static int replayed;

static bool wanted(const char *path)
{
    size_t n = strlen(path);

    return (n > 5 && strcmp(path + n - 5, ".toml") == 0) ||
           (n > 5 && strcmp(path + n - 5, ".tera") == 0);
}

static int replay_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    char *data;
    size_t len;

    (void)st;
    (void)ftw;
    if (type != FTW_F || !wanted(path))
        return 0;
    if (cr_fs_read(path, &data, &len) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    /* Every prefix too: cut-off tags are the classic parser crash. */
    for (size_t cut = 0; cut < len; cut += 1 + len / 32)
        LLVMFuzzerTestOneInput((const uint8_t *)data, cut);
    free(data);
    replayed++;
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (nftw(argv[i], replay_one, 16, FTW_PHYS) != 0)
            return 1;
    printf("replayed %d files\n", replayed);
    return replayed > 0 ? 0 : 1;
}
#endif
