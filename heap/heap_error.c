/* heap: result codes and their messages. See heap_error.h. */
#include "heap_error.h"

#include <stdarg.h>

CR_DEFINE_STRERROR(heap, enum heap_code, HEAP_CODES, CR_CODE_TEXT_ROW)

CR_DEFINE_ERROR_SET(heap_error_set, enum heap_code)
