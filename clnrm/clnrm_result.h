/*
 * clnrm_result: what running a test produced, shared by the runner, the
 * reports and the self-test.
 *
 * A struct clnrm_test_result is caller-allocated and zero-initialised; the
 * runner fills it and clnrm_test_result_release frees what it allocated.
 * It borrows its struct clnrm_test, which must outlive it.
 */
#ifndef CLNRM_RESULT_H
#define CLNRM_RESULT_H

#include "clnrm_error.h"
#include "clnrm_spec.h"
#include "cr_buf.h"
#include "engine_calls.h"

#include <stdbool.h>
#include <stdint.h>

enum clnrm_status {
    CLNRM_STATUS_PASS = 0,
    CLNRM_STATUS_FAIL,    /* an expectation did not hold */
    CLNRM_STATUS_TIMEOUT, /* the step or test deadline passed; work killed */
    CLNRM_STATUS_ERROR,   /* could not run: engine, image, setup */
    CLNRM_STATUS_SKIP,    /* not run: an earlier step failed, fail-fast */
};

/* "passed", "failed", "timeout", "error", "skipped". */
const char *clnrm_status_name(enum clnrm_status s);

struct clnrm_step_result {
    const struct clnrm_step *step; /* borrowed from the test */
    enum clnrm_status status;
    int exit_code;     /* -1 when unknown */
    bool truncated;    /* output went over the capture cap */
    bool oom_killed;   /* the kernel killed it for the memory limit */
    struct cr_buf out; /* captured stdout */
    struct cr_buf err; /* captured stderr */
    uint64_t duration_ms;
    char message[512]; /* why it did not pass; "" when it passed */
};

struct clnrm_test_result {
    const struct clnrm_test *test; /* borrowed */
    enum clnrm_status status;
    enum clnrm_code code; /* CLNRM_OK, or why the test could not run */
    uint64_t duration_ms;
    uint64_t started_wall_ms;        /* Unix epoch ms, for report timestamps */
    struct clnrm_step_result *steps; /* test->n_steps entries, or NULL */
    size_t n_steps;
    char message[512];   /* setup/cleanup problem or first failure */
    bool cleanup_failed; /* something could not be removed (swept later) */
    /* run --keep-on-failure kept its containers and network: they are
     * named kept_prefix-SERVICE and kept_prefix. */
    bool kept;
    char kept_prefix[96];
    /* Engine calls the test made, by kind: setup, steps and teardown (the
     * janitor's removals land once clnrm_run_all has returned). */
    struct engine_calls calls;
};

/* Frees the step results and their captured output. NULL is allowed. */
void clnrm_test_result_release(struct clnrm_test_result *r);

/* Totals over n results. */
struct clnrm_totals {
    size_t tests, passed, failed, timeouts, errors, skipped;
    size_t steps, steps_failed, steps_skipped;
    uint64_t duration_ms; /* wall time of the run, set by the caller */
};

/* Counts the n results into out, keeping out->duration_ms. */
void clnrm_totals_count(const struct clnrm_test_result *r, size_t n,
                        struct clnrm_totals *out);

/* 0 when every test passed, 1 when one failed or timed out, 3 when one
 * could not run for an environmental reason (engine, image). */
int clnrm_totals_exit_status(const struct clnrm_test_result *r, size_t n);

#endif
