/*
 * taskrun_jobkinds: the table of job kinds beyond command/script
 * (benchmark, heaptrack, profile, slo; struct taskrun_job_kind in
 * taskrun_jobs.h) and the decoding of a task's `job` value. The table is
 * static and immutable: entries are borrowed for the life of the process.
 */
#ifndef TASKRUN_JOBKINDS_H
#define TASKRUN_JOBKINDS_H

#include "taskrun_jobs.h"
#include "taskrun_loader.h"

#include <stddef.h>

/* The kind called name, or NULL. */
const struct taskrun_job_kind *taskrun_job_find(const char *name);

/* The table of kinds and its length (for --help and did-you-mean). */
const struct taskrun_job_kind *taskrun_job_kinds(size_t *n);

/*
 * Decodes a `job` value (s) into t->job, whose strings t owns: the kind,
 * its keys, then its defaults; a missing required key (command, bin) is a
 * positioned error in l->err.
 */
enum taskrun_code taskrun_job_decode(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_task *t);

#endif
