/* cr_clock: monotonic clocks. See cr_clock.h. */
#include "cr_clock.h"

#include <errno.h>
#include <time.h>

uint64_t cr_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cr_clock_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t cr_clock_ms(void)
{
    return cr_clock_ns() / 1000000u;
}

uint64_t cr_clock_wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void cr_clock_sleep_ms(unsigned ms, const atomic_int *stop)
{
    struct timespec req = { ms / 1000, (long)(ms % 1000) * 1000000L };

    while (nanosleep(&req, &req) != 0 && errno == EINTR) {
        if (stop && *stop)
            return;
    }
}
