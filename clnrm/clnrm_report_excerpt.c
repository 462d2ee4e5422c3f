/* clnrm_report_excerpt: output excerpts. See clnrm_report_excerpt.h. */
#include "clnrm_report_excerpt.h"

#include "cr_text.h"

#include <string.h>

int clnrm_report_excerpt(struct cr_buf *out, const char *s, size_t len,
                         const char *indent, size_t max_lines, size_t max_bytes)
{
    size_t used = 0, lines = 0;

    while (used < len && lines < max_lines && used < max_bytes) {
        const char *nl = memchr(s + used, '\n', len - used);
        size_t n = nl != NULL ? (size_t)(nl - (s + used)) : len - used;
        if (n > max_bytes - used)
            n = max_bytes - used;
        if (cr_buf_puts(out, indent) != 0 ||
            cr_utf8_sanitize(out, s + used, n) != 0 ||
            cr_buf_putc(out, '\n') != 0)
            return -1;
        used += n + (nl != NULL && s + used + n == nl ? 1 : 0);
        lines++;
    }
    if (used < len &&
        cr_buf_printf(out, "%s... (%zu more bytes)\n", indent, len - used))
        return -1;
    return 0;
}
