/*
 * clnrm_selftest: `clnrm self-test`, end-to-end checks of an installation.
 *
 * Suites, in order: parsing, engine, lifecycle, exec, isolation, timeouts,
 * cleanup, reports. Every check exercises the real code path (the loader,
 * the engine, the runner, the reaper, the renderers) and compares what it
 * got with what it must get, so each one can fail. Checks that need the
 * engine fail with the reason when it is unreachable.
 *
 * Ownership: clnrm_selftest_run allocates the results array, which the
 * caller frees with cr_free; a result's message is inside it, its suite
 * and check names are static.
 */
#ifndef CLNRM_SELFTEST_H
#define CLNRM_SELFTEST_H

#include "clnrm_error.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clnrm_check_result {
    const char *suite; /* static */
    const char *name;  /* static */
    bool passed;
    uint64_t duration_ms;
    char message[512]; /* why it failed */
};

/* The suite names, NULL-terminated (static). */
const char *const *clnrm_selftest_suites(void);

/*
 * Runs every suite, or only the one named suite (NULL: all), appending
 * results to *out (*n entries; cr_free(*out) afterwards). cancel (may be NULL)
 * is checked between checks and by the runner between a test's phases;
 * once set, the remaining checks are left out and CLNRM_E_CANCELLED is
 * returned, with what ran in *out and this run's objects removed.
 * Otherwise returns CLNRM_E_USAGE for an unknown suite, CLNRM_E_NOMEM, or
 * CLNRM_OK (check outcomes are in the results).
 */
enum clnrm_code clnrm_selftest_run(const char *suite, const atomic_int *cancel,
                                   struct clnrm_check_result **out, size_t *n,
                                   struct cr_error *err);

#endif
