/* cr_toml: names of types and result codes. See cr_toml_types.h. */
#include "cr_toml_types.h"

#include <stddef.h>

CR_DEFINE_STRERROR(cr_toml, enum cr_toml_code, CR_TOML_CODES, CR_CODE_TEXT_ROW)

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
