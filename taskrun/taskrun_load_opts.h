/*
 * taskrun_load_opts: how a makefile is read (see taskrun_load.h). Plain
 * data owned by the caller; the loader borrows it for one load. Its own
 * header, so the loader modules below taskrun_load need not include the
 * public loading API.
 */
#ifndef TASKRUN_LOAD_OPTS_H
#define TASKRUN_LOAD_OPTS_H

#include <stdbool.h>

struct taskrun_load_opts {
    bool strict;          /* unknown keys are errors */
    const char *profile;  /* selects [env.PROFILE] in task env tables */
    const char *platform; /* "linux": picks [tasks.x.linux], linux_alias */
};

#endif
