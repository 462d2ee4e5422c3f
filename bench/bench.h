/*
 * bench: placeholder library; the bench issue on the roadmap fills it in.
 */
#ifndef BENCH_H
#define BENCH_H

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *bench_version(void);

#endif
