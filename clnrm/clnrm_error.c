/* clnrm_error: result codes. See clnrm_error.h. */
#include "clnrm_error.h"

CR_DEFINE_CODES(clnrm, enum clnrm_code, CLNRM_CODES)

enum clnrm_code clnrm_from_engine(enum engine_code code, struct cr_error *err)
{
    enum clnrm_code c;

    switch (code) {
    case ENGINE_OK:
        return CLNRM_OK;
    case ENGINE_E_INVALID:
        c = CLNRM_E_USAGE;
        break;
    case ENGINE_E_UNREACHABLE:
    case ENGINE_E_NOLIB:
    case ENGINE_E_TLS:
        c = CLNRM_E_ENGINE;
        break;
    case ENGINE_E_PERMISSION:
        c = CLNRM_E_PERMISSION;
        break;
    case ENGINE_E_VERSION:
        c = CLNRM_E_VERSION;
        break;
    case ENGINE_E_NOTFOUND:
        c = CLNRM_E_NOTFOUND;
        break;
    case ENGINE_E_NOIMAGE:
        c = CLNRM_E_NOIMAGE;
        break;
    case ENGINE_E_CONFLICT:
        c = CLNRM_E_CONFLICT;
        break;
    case ENGINE_E_PROTOCOL:
        c = CLNRM_E_STREAM;
        break;
    case ENGINE_E_TIMEOUT:
        c = CLNRM_E_TIMEOUT;
        break;
    case ENGINE_E_CANCELLED:
        c = CLNRM_E_CANCELLED;
        break;
    case ENGINE_E_IO:
        c = CLNRM_E_IO;
        break;
    case ENGINE_E_NOMEM:
        c = CLNRM_E_NOMEM;
        break;
    case ENGINE_E_API:
    default:
        c = CLNRM_E_API;
        break;
    }
    if (err)
        err->code = (int)c;
    return c;
}
