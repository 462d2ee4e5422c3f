/* clnrm: public API (being written; see the clnrm issue). */
#ifndef CLNRM_H
#define CLNRM_H

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *clnrm_version(void);

#endif
