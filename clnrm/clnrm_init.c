/* clnrm_init: writes the example test. See clnrm_init.h. */
#include "clnrm_init.h"

#include "cr_fs.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *clnrm_init_example(void)
{
    return "# A clnrm test: each [[steps]] entry runs with its exact argv in\n"
           "# a fresh container of clnrm-base:latest (build it once with\n"
           "# `clnrm image bootstrap`). Run: clnrm run tests/\n"
           "[test.metadata]\n"
           "name = \"basic\"\n"
           "description = \"a first test: a command, its output and exit "
           "code\"\n"
           "timeout = \"60s\"\n"
           "\n"
           "[[steps]]\n"
           "name = \"greet\"\n"
           "command = [\"echo\", \"hello from a cleanroom\"]\n"
           "expected_output_regex = \"^hello from a \\\\w+\"\n"
           "\n"
           "[[steps]]\n"
           "name = \"shell pipeline\"\n"
           "command = [\"sh\", \"-c\", \"echo a b c | wc -w\"]\n"
           "expected_output_regex = \"\\\\b3\\\\b\"\n"
           "\n"
           "[[steps]]\n"
           "name = \"expected failure\"\n"
           "command = [\"sh\", \"-c\", \"exit 3\"]\n"
           "expected_exit_code = 3\n";
}

enum clnrm_code clnrm_init_write(const char *dir, char *path_out, size_t size,
                                 struct cr_error *err)
{
    const char *text = clnrm_init_example();
    size_t len = strlen(text);
    int fd, saved;
    bool ok;

    if (cr_fs_mkdirs(dir) != 0)
        return clnrm_error_set(err, CLNRM_E_IO, "cannot create %s: %s", dir,
                               strerror(errno));
    snprintf(path_out, size, "%s/basic.clnrm.toml", dir);
    /* O_EXCL: never replace a file, even one created a moment ago. */
    fd = open(path_out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
        return clnrm_error_set(err, CLNRM_E_CONFLICT,
                               "%s already exists; not overwriting it",
                               path_out);
    if (fd < 0)
        return clnrm_error_set(err, CLNRM_E_IO, "cannot create %s: %s",
                               path_out, strerror(errno));
    /* No fsync: like `git init`, an example file is not worth a disk
     * flush (it costs more than the rest of the command together). A short
     * write or a failing close removes the file, so none is left half
     * written. */
    ok = write(fd, text, len) == (ssize_t)len;
    saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(path_out);
        return clnrm_error_set(err, CLNRM_E_IO, "cannot write %s: %s", path_out,
                               strerror(saved));
    }
    return CLNRM_OK;
}
