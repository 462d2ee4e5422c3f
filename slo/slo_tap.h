/*
 * slo_tap: checks a test suite's own pass/fail count in its TAP output, so
 * a suite that failed, or ran nothing, is never judged as a fast PASS.
 * Nothing here allocates; the output is borrowed.
 */
#ifndef SLO_TAP_H
#define SLO_TAP_H

#include <stddef.h>

/*
 * Reads the len bytes of TAP at out ("1..N" plan, "ok" and "not ok" lines).
 * Returns 0 when the plan exists, N > 0 and every one of the N tests is
 * "ok"; otherwise -1 with one line in why (cap bytes), for example "2 of 5
 * tests failed" or "no TAP plan in the output".
 */
int slo_tap_check(const char *out, size_t len, char *why, size_t cap);

#endif
