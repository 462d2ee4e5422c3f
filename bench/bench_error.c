/* bench: result codes, their messages and exit statuses. See
 * bench_error.h. */
#include "bench_error.h"

#include <stdarg.h>
#include <stdio.h>

CR_DEFINE_CODES(bench, enum bench_code, BENCH_CODES)
