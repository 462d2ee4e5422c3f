/*
 * cr_text: UTF-8 decoding and the escaping of text for JSON and XML, the
 * one module every part uses for output that must be valid UTF-8.
 *
 * Command output, test names and file names are arbitrary bytes; JSON and
 * XML documents must be UTF-8, so invalid sequences (truncated, overlong,
 * surrogates, past U+10FFFF) become U+FFFD. Functions that append to a
 * caller-owned struct cr_buf return 0 or -ENOMEM.
 */
#ifndef CR_TEXT_H
#define CR_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "cr_buf.h"

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8. */
#define CR_UTF8_REPLACEMENT "\xEF\xBF\xBD"

/*
 * Decodes the one UTF-8 sequence at s (n > 0 bytes left). Returns its
 * length (1 to 4) and stores the code point in *cp, or returns 0 when the
 * bytes there are not valid UTF-8.
 */
size_t cr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Appends len bytes of s with every invalid sequence replaced by U+FFFD. */
int cr_utf8_sanitize(struct cr_buf *out, const char *s, size_t len);

/*
 * Appends len bytes of s escaped for XML text and attribute values: the
 * five entities, tab and CR as character references, and U+FFFD for
 * invalid UTF-8 and for characters XML 1.0 does not allow.
 */
int cr_xml_escape(struct cr_buf *out, const char *s, size_t len);

/*
 * A new cJSON string of len bytes of s (NULL: ""), with invalid UTF-8 and
 * NUL bytes replaced by U+FFFD: cJSON copies bytes as they are and its
 * strings end at the first NUL. NULL when out of memory. The caller owns it
 * (cJSON_Delete, or add it to an object or array).
 */
cJSON *cr_json_text(const char *s, size_t len);

/* Adds cr_json_text(s, len) to obj under key. Returns 0 or -ENOMEM (obj
 * is then unchanged). */
int cr_json_add_bytes(cJSON *obj, const char *key, const char *s, size_t len);

/* Adds the C string s (NULL: "") as cr_json_add_bytes does. */
int cr_json_add_text(cJSON *obj, const char *key, const char *s);

#endif
