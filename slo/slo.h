/*
 * slo: placeholder library; the slo issue on the roadmap fills it in.
 */
#ifndef SLO_H
#define SLO_H

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *slo_version(void);

#endif
