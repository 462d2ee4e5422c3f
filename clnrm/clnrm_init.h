/*
 * clnrm_init: the example test `clnrm init` writes.
 */
#ifndef CLNRM_INIT_H
#define CLNRM_INIT_H

#include "clnrm_error.h"

#include <stddef.h>

/* The example file's text (static storage). It runs on clnrm-base:latest
 * and passes. */
const char *clnrm_init_example(void);

/*
 * Creates dir (and parents) and writes dir/basic.clnrm.toml, never
 * replacing an existing file (CLNRM_E_CONFLICT names it). The path written
 * goes to path_out.
 */
enum clnrm_code clnrm_init_write(const char *dir, char *path_out, size_t size,
                                 struct cr_error *err);

#endif
