/* clnrm_report: format names, dispatch to the renderers, the JUnit file.
 * See clnrm_report.h. */
#include "clnrm_report.h"
#include "clnrm_report_render.h"

#include "cr_fs.h"

#include <errno.h>
#include <string.h>

int clnrm_report_parse_format(const char *s, enum clnrm_report_format *out)
{
    static const char *const names[] = { "human", "json", "junit", "tap" };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum clnrm_report_format)i;
            return 0;
        }
    }
    return -1;
}

enum clnrm_code clnrm_report_render(enum clnrm_report_format fmt,
                                    const struct clnrm_test_result *r, size_t n,
                                    const struct clnrm_totals *tot, bool color,
                                    struct cr_buf *out, struct cr_error *err)
{
    int rc;

    switch (fmt) {
    case CLNRM_REPORT_JSON:
        rc = clnrm__render_json(r, n, tot, out);
        break;
    case CLNRM_REPORT_JUNIT:
        rc = clnrm__render_junit(r, n, tot, out);
        break;
    case CLNRM_REPORT_TAP:
        rc = clnrm__render_tap(r, n, out);
        break;
    default:
        rc = clnrm__render_human(r, n, tot, color, out);
        break;
    }
    return rc == 0 ? CLNRM_OK
                   : clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
}

enum clnrm_code clnrm_report_write_junit(const char *path,
                                         const struct clnrm_test_result *r,
                                         size_t n,
                                         const struct clnrm_totals *tot,
                                         struct cr_error *err)
{
    struct cr_buf xml = { 0 };
    enum clnrm_code rc;

    rc = clnrm_report_render(CLNRM_REPORT_JUNIT, r, n, tot, false, &xml, err);
    if (rc == CLNRM_OK &&
        cr_fs_write_atomic(path, xml.data, xml.len, 0644) != 0)
        rc = clnrm_error_set(err, CLNRM_E_IO, "cannot write %s: %s", path,
                             strerror(errno));
    cr_buf_release(&xml);
    return rc;
}
