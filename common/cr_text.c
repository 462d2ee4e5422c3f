/* cr_text: UTF-8, JSON and XML text. See cr_text.h. */
#include "cr_text.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

size_t cr_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, c = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, c = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, c = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Reject overlong forms, surrogates and values past U+10FFFF. */
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
        (len == 4 && c < 0x10000) || c > 0x10FFFF ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Appends s with every invalid sequence, and NUL too when nul is set,
 * replaced by U+FFFD. Valid runs are copied whole: most text is valid. */
static int sanitize(struct cr_buf *out, const char *s, size_t len, bool nul)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;

    while (i < len) {
        uint32_t cp;
        size_t k = cr_utf8_decode(p + i, len - i, &cp);

        if (k > 0 && !(nul && cp == 0)) {
            i += k;
            continue;
        }
        if (cr_buf_append(out, p + run, i - run) != 0 ||
            cr_buf_puts(out, CR_UTF8_REPLACEMENT) != 0)
            return -ENOMEM;
        run = ++i;
    }
    return cr_buf_append(out, p + run, i - run) != 0 ? -ENOMEM : 0;
}

int cr_utf8_sanitize(struct cr_buf *out, const char *s, size_t len)
{
    return sanitize(out, s, len, false);
}

static bool xml_allowed(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

int cr_xml_escape(struct cr_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        uint32_t cp = 0;
        size_t k = cr_utf8_decode(p + i, len - i, &cp);
        int rc;

        if (k == 0 || !xml_allowed(cp))
            rc = cr_buf_puts(out, CR_UTF8_REPLACEMENT);
        else if (cp == '&')
            rc = cr_buf_puts(out, "&amp;");
        else if (cp == '<')
            rc = cr_buf_puts(out, "&lt;");
        else if (cp == '>')
            rc = cr_buf_puts(out, "&gt;");
        else if (cp == '"')
            rc = cr_buf_puts(out, "&quot;");
        else if (cp == '\'')
            rc = cr_buf_puts(out, "&apos;");
        else if (cp == '\r' || cp == '\t')
            rc = cr_buf_printf(out, "&#%u;", (unsigned)cp);
        else
            rc = cr_buf_append(out, p + i, k);
        if (rc != 0)
            return -ENOMEM;
        i += k == 0 ? 1 : k;
    }
    return 0;
}

cJSON *cr_json_text(const char *s, size_t len)
{
    struct cr_buf b = { 0 };
    cJSON *j = NULL;

    /* A cJSON string ends at its first NUL, so NUL cannot pass through. */
    if (sanitize(&b, s ? s : "", s ? len : 0, true) == 0)
        j = cJSON_CreateString(cr_buf_str(&b));
    cr_buf_release(&b);
    return j;
}

int cr_json_add_bytes(cJSON *obj, const char *key, const char *s, size_t len)
{
    cJSON *j = cr_json_text(s, len);

    if (!j || !cJSON_AddItemToObject(obj, key, j)) {
        cJSON_Delete(j);
        return -ENOMEM;
    }
    return 0;
}

int cr_json_add_text(cJSON *obj, const char *key, const char *s)
{
    return cr_json_add_bytes(obj, key, s, s ? strlen(s) : 0);
}
