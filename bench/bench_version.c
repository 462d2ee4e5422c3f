/* bench: the harness's version string. See bench.h. */
#include "bench.h"

const char *bench_version(void)
{
    return "cleanroom " CLEANROOM_VERSION;
}
