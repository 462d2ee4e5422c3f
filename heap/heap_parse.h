/*
 * heap_parse: the parser of heaptrack_print's text output (heaptrack 1.x):
 * the summary block (total runtime, calls to allocation functions,
 * temporary allocations, peak heap, peak RSS, total memory leaked,
 * suppressed leaks) and the first HEAP_TOP entries of the sections MOST
 * CALLS TO ALLOCATION FUNCTIONS, PEAK MEMORY CONSUMERS, MEMORY LEAKS and
 * MOST TEMPORARY ALLOCATIONS. Merged sub-backtraces are skipped: a site is
 * the function that called the allocator and its location.
 *
 * Pure: no process, no file, no global state; input is bytes with a
 * length (NUL bytes are data), so it can be fuzzed.
 */
#ifndef HEAP_PARSE_H
#define HEAP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "cr_error.h"
#include "heap.h"

/*
 * Parses len bytes of heaptrack_print output into *r (which the caller
 * initialised with heap_result_init; on error r holds what was read so far
 * and must still be released). Returns HEAP_OK, HEAP_E_PARSE with the line
 * in err->pos.line and the message "line N: ...", or HEAP_E_NOMEM. Output
 * without the summary block (a truncated file) is HEAP_E_PARSE.
 */
enum heap_code heap_parse(const char *text, size_t len, struct heap_result *r,
                          struct cr_error *err);

/*
 * Converts one size as heaptrack_print writes it ("0B", "64B", "72.70K",
 * "4.24M", also "1.23KB") to bytes, exactly: decimal units, and at most as
 * many decimals as the unit has zeros. Returns 0, or -1 for anything else
 * (including overflow).
 */
int heap_parse_bytes(const char *s, size_t len, uint64_t *out);

#endif
