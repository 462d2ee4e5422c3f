/* engine_error: result codes. See engine_error.h. */
#include "engine_error.h"

CR_DEFINE_STRERROR(engine, enum engine_code, ENGINE_CODES, CR_CODE_TEXT_ROW)

CR_DEFINE_ERROR_SET(engine_error_set, enum engine_code)
