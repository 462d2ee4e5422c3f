/*
 * clnrm_error: result codes and error detail shared by every clnrm module.
 *
 * Functions return enum clnrm_code (CLNRM_OK is 0) and, on failure, fill a
 * caller-owned struct cr_error with a one-line message that names the
 * file:line:col or the resource (container, image, engine address). The
 * library never prints; main() maps codes to exit statuses with
 * clnrm_exit_status().
 */
#ifndef CLNRM_ERROR_H
#define CLNRM_ERROR_H

#include "cr_error.h"
#include "engine_error.h"

/* X(name, exit status, description) */
#define CLNRM_CODES(X)                                                         \
    X(CLNRM_OK, 0, "success")                                                  \
    X(CLNRM_E_FAILED, 1, "a test failed")                                      \
    X(CLNRM_E_USAGE, 2, "bad command-line usage")                              \
    X(CLNRM_E_INPUT, 2, "bad input file")                                      \
    X(CLNRM_E_ENGINE, 3, "the Docker engine is unreachable")                   \
    X(CLNRM_E_PERMISSION, 3, "permission denied on the Docker socket")         \
    X(CLNRM_E_VERSION, 3, "unsupported Docker API version")                    \
    X(CLNRM_E_NOIMAGE, 3, "image not found")                                   \
    X(CLNRM_E_NOSOURCE, 3, "a volume source does not exist")                   \
    X(CLNRM_E_NOTFOUND, 1, "no such container, exec or network")               \
    X(CLNRM_E_CONFLICT, 1, "conflict (name in use, not running)")              \
    X(CLNRM_E_API, 1, "the engine refused the request")                        \
    X(CLNRM_E_STREAM, 1, "malformed response stream")                          \
    X(CLNRM_E_TIMEOUT, 1, "timed out")                                         \
    X(CLNRM_E_CANCELLED, 130, "interrupted")                                   \
    X(CLNRM_E_IO, 1, "input/output error")                                     \
    X(CLNRM_E_NOMEM, 1, "out of memory")

enum clnrm_code { CLNRM_CODES(CR_CODE_ENUM) };

/*
 * clnrm_strerror (a static description, "image not found"),
 * clnrm_exit_status (the documented exit status, see clnrm --help) and
 * clnrm_error_set, so `return clnrm_error_set(err, CLNRM_E_IO, "...")` is
 * one line (see cr_error.h).
 */
CR_DECLARE_CODES(clnrm, enum clnrm_code);

/*
 * The one place where the engine library's codes become clnrm's: maps
 * code (the result of an engine call that filled err) to a clnrm code,
 * sets err->code to it and returns it. The message stays as the engine
 * library wrote it. ENGINE_OK maps to CLNRM_OK.
 */
enum clnrm_code clnrm_from_engine(enum engine_code code, struct cr_error *err);

#endif
