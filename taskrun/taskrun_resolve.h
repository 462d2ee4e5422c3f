/*
 * taskrun_resolve: the loader's second half, once every file is read:
 * task-level extend, platform override tables ([tasks.x.linux]), the
 * [env] and [env.PROFILE] tables of every file, decoding each merged task
 * into l->f (taskrun_decode).
 * Everything it produces is owned by l->f.
 */
#ifndef TASKRUN_RESOLVE_H
#define TASKRUN_RESOLVE_H

#include "taskrun_loader.h"

/* Resolves and decodes every raw task of l into l->f. */
enum taskrun_code taskrun__resolve_all(struct taskrun_loader *l);

#endif
