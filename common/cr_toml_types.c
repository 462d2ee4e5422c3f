/* cr_toml: names of types and result codes. See cr_toml_types.h. */
#include "cr_toml_types.h"

#include <stddef.h>

static const char *const code_text[] = {
#define CR_TOML_X_TEXT(name, text) text,
    CR_TOML_CODES(CR_TOML_X_TEXT)
#undef CR_TOML_X_TEXT
};

const char *cr_toml_strerror(enum cr_toml_code code)
{
    size_t i = (size_t)code;

    if (i >= sizeof(code_text) / sizeof(code_text[0]))
        return "unknown error";
    return code_text[i];
}

const char *cr_toml_type_name(enum cr_toml_type t)
{
    switch (t) {
    case CR_TOML_TABLE:
        return "table";
    case CR_TOML_ARRAY:
        return "array";
    case CR_TOML_STRING:
        return "string";
    case CR_TOML_INTEGER:
        return "integer";
    case CR_TOML_FLOAT:
        return "float";
    case CR_TOML_BOOL:
        return "boolean";
    case CR_TOML_DATETIME:
        return "offset date-time";
    case CR_TOML_DATETIME_LOCAL:
        return "local date-time";
    case CR_TOML_DATE_LOCAL:
        return "local date";
    case CR_TOML_TIME_LOCAL:
        return "local time";
    }
    return "unknown";
}
