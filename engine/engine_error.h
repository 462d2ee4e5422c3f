/*
 * engine_error: the engine library's result codes, at the level of an HTTP
 * client. They say what happened to a call, not what a tool should do about
 * it: clnrm maps them to its exit statuses in one place
 * (clnrm_from_engine in clnrm_error.c).
 *
 * Functions return enum engine_code (ENGINE_OK is 0) and fill the
 * caller-owned struct cr_error (common/cr_error.h), which may be NULL, with
 * one line and, for refusals, the HTTP status.
 */
#ifndef ENGINE_ERROR_H
#define ENGINE_ERROR_H

#include "cr_error.h"

/* X(name, text) */
#define ENGINE_CODES(X)                                                        \
    X(ENGINE_OK, "success")                                                    \
    X(ENGINE_E_INVALID, "invalid argument")                                    \
    X(ENGINE_E_UNREACHABLE, "the Docker engine is unreachable")                \
    X(ENGINE_E_PERMISSION, "permission denied on the Docker socket")           \
    X(ENGINE_E_NOLIB, "libcurl cannot be loaded")                              \
    X(ENGINE_E_TLS, "TLS handshake or certificate failure")                    \
    X(ENGINE_E_VERSION, "unsupported Docker API version")                      \
    X(ENGINE_E_NOTFOUND, "no such container, exec or network")                 \
    X(ENGINE_E_NOIMAGE, "image not found")                                     \
    X(ENGINE_E_CONFLICT, "conflict (name in use, not running)")                \
    X(ENGINE_E_API, "the engine refused the request")                          \
    X(ENGINE_E_PROTOCOL, "malformed response")                                 \
    X(ENGINE_E_TIMEOUT, "timed out")                                           \
    X(ENGINE_E_CANCELLED, "cancelled")                                         \
    X(ENGINE_E_IO, "input/output error")                                       \
    X(ENGINE_E_NOMEM, "out of memory")

enum engine_code { ENGINE_CODES(CR_CODE_TEXT_ENUM) };

/* A static description of code ("image not found"). */
const char *engine_strerror(enum engine_code code);

/* Sets err (may be NULL) to code and a formatted message; returns code. */
CR_DECLARE_ERROR_SET(engine_error_set, enum engine_code);

#endif
