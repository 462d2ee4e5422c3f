/* tmpl_error: result codes and their texts. See tmpl_error.h. */
#include "tmpl_error.h"

#include <stdarg.h>

CR_DEFINE_STRERROR(tmpl, enum tmpl_code, TMPL_CODES, CR_CODE_TEXT_ROW)
CR_DEFINE_ERROR_SET(tmpl_error_set, enum tmpl_code)
