/* flamegraph: result codes, their messages and exit statuses. */
#include "fg_error.h"

#include <stdarg.h>
#include <stdio.h>

CR_DEFINE_CODES(fg, enum fg_code, FG_CODES)
