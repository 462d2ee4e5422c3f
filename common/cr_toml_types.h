/*
 * cr_toml_types: the words of the TOML API that every cr_toml file shares:
 * value types, result codes and their text, date-times, the nesting limit.
 * Included by cr_toml.h, so users of the parser get it from there. All
 * strings returned here are static.
 */
#ifndef CR_TOML_TYPES_H
#define CR_TOML_TYPES_H

#include <stdbool.h>

#include "cr_error.h"

/* Deepest nesting of tables and arrays below the root, however written
 * (headers, dotted keys, inline tables, arrays); deeper input is a syntax
 * error "nesting deeper than 128 levels". Walkers may recurse safely. */
#define CR_TOML_MAX_DEPTH 128

enum cr_toml_type {
    CR_TOML_TABLE = 1,
    CR_TOML_ARRAY,
    CR_TOML_STRING,
    CR_TOML_INTEGER,
    CR_TOML_FLOAT,
    CR_TOML_BOOL,
    CR_TOML_DATETIME,       /* offset date-time */
    CR_TOML_DATETIME_LOCAL, /* local date-time */
    CR_TOML_DATE_LOCAL,
    CR_TOML_TIME_LOCAL,
};

/*
 * Result codes, from one list: X(name, message). CR_TOML_OK is 0;
 * everything else is an error.
 */
#define CR_TOML_CODES(X)                                                       \
    X(CR_TOML_OK, "success")                                                   \
    X(CR_TOML_E_SYNTAX, "not valid TOML")                                      \
    X(CR_TOML_E_IO, "cannot read the file")                                    \
    X(CR_TOML_E_NOMEM, "out of memory")                                        \
    X(CR_TOML_E_MISSING, "key not found")                                      \
    X(CR_TOML_E_TYPE, "value of another type")

enum cr_toml_code { CR_TOML_CODES(CR_CODE_TEXT_ENUM) };

/* A static description of code: "not valid TOML", "out of memory"... */
const char *cr_toml_strerror(enum cr_toml_code code);

/* Errors fill a caller-allocated struct cr_error (cr_error.h): code is a
 * cr_toml_code, pos where in the document, msg one line such as
 * "tasks.toml:12:9: expected '=' after key \"command\"". */

struct cr_toml_datetime {
    int year, month, day;     /* valid when the type has a date */
    int hour, minute, second; /* valid when the type has a time */
    int nanosecond;           /* 0..999999999 */
    int offset_minutes;       /* CR_TOML_DATETIME only; Z is 0 */
    bool offset_z;            /* written as Z/z rather than +00:00 */
};

struct cr_toml_doc;   /* a parsed document: owns every value below */
struct cr_toml_value; /* a table, array or scalar inside a document */

/* A short English name of a type: "table", "array", "string", ... */
const char *cr_toml_type_name(enum cr_toml_type t);

#endif
