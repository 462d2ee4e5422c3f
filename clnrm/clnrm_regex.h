/*
 * clnrm_regex: regular expressions with the syntax users of Rust's `regex`
 * crate expect, on PCRE2.
 *
 * Patterns are compiled with UTF and Unicode properties on (so \d, \w, \s
 * and \b are Unicode-aware as in Rust) and searches are unanchored, like
 * Regex::is_match. One deliberate difference: `$` (without (?m)) also
 * matches just before a final newline, so `^ok$` matches the output "ok\n"
 * that nearly every command prints; Rust would need `^ok\n?$`. Every
 * string Rust's `$` matches still matches. Inline flags (?i) (?m) (?s) (?x)
 * (?U), non-greedy quantifiers, named groups (?P<name>...) and \p{..} classes
 * behave as in Rust. Subjects need not be valid UTF-8 (invalid bytes never
 * match).
 *
 * Step output rule: expected_output_regex passes when it matches stdout OR
 * stderr (each searched on its own, never concatenated);
 * expected_output_regex_not fails the step when it matches either.
 *
 * A compiled struct clnrm_regex is read-only and may be shared by threads.
 */
#ifndef CLNRM_REGEX_H
#define CLNRM_REGEX_H

#include "clnrm_error.h"

#include <stdbool.h>
#include <stddef.h>

struct clnrm_regex;

/* Compiles pattern. On failure returns CLNRM_E_INPUT with the offset and
 * PCRE2's reason in err and stores NULL in *out. Free with
 * clnrm_regex_free. */
enum clnrm_code clnrm_regex_compile(const char *pattern,
                                    struct clnrm_regex **out,
                                    struct cr_error *err);

void clnrm_regex_free(struct clnrm_regex *re);

/* 1 when re matches somewhere in the len bytes of subject, 0 when not, -1
 * on an internal error (out of memory, match limit). */
int clnrm_regex_search(const struct clnrm_regex *re, const char *subject,
                       size_t len);

/* The step rule above: 1 if re matches out or err, 0 if neither, -1 on
 * error. */
int clnrm_regex_search_either(const struct clnrm_regex *re, const char *out,
                              size_t out_len, const char *err, size_t err_len);

/* The pattern the regex was compiled from (borrowed). */
const char *clnrm_regex_pattern(const struct clnrm_regex *re);

#endif
