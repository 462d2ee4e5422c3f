/*
 * cr_clock: monotonic time for measuring durations and deadlines.
 * Never use wall-clock time for either: it jumps.
 */
#ifndef CR_CLOCK_H
#define CR_CLOCK_H

#include <stdatomic.h>
#include <stdint.h>

/* Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
uint64_t cr_clock_ns(void);

/* CPU time used by every thread of this process, in nanoseconds
 * (CLOCK_PROCESS_CPUTIME_ID): unlike cr_clock_ns it does not advance while
 * the process waits for a CPU that other processes hold. A system call. */
uint64_t cr_clock_cpu_ns(void);

/* Milliseconds since the same point. */
uint64_t cr_clock_ms(void);

/* Milliseconds since the Unix epoch (CLOCK_REALTIME), for timestamps only. */
uint64_t cr_clock_wall_ms(void);

/* Sleeps ms milliseconds, resuming after signals unless *stop is set. */
void cr_clock_sleep_ms(unsigned ms, const atomic_int *stop);

#endif
