/* engine_error: result codes. See engine_error.h. */
#include "engine_error.h"

static const struct cr_code_info codes[] = {
#define ENGINE_X_ROW(name, text) { text, 0 },
    ENGINE_CODES(ENGINE_X_ROW)
#undef ENGINE_X_ROW
};

const char *engine_strerror(enum engine_code code)
{
    return cr_code_text(codes, sizeof(codes) / sizeof(codes[0]), (int)code);
}

CR_DEFINE_ERROR_SET(engine_error_set, enum engine_code)
