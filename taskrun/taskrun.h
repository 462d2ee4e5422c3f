/* taskrun: public API (being written; see the taskrun issue). */
#ifndef TASKRUN_H
#define TASKRUN_H

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *taskrun_version(void);

#endif
