/*
 * clnrm_janitor: removes a finished test's containers and network on a
 * background thread, so the worker that ran the test can start the next
 * one while the engine tears the last one down.
 *
 * Each runner worker owns one janitor, fed through a queue; finishing it
 * drains the queue, so when clnrm_run_all returns every object has been
 * removed (or marked failed; the end-of-run sweep and the next run's sweep
 * retry those). The janitor's engine is not cancelled by Ctrl-C: cleanup
 * goes on after an interruption.
 */
#ifndef CLNRM_JANITOR_H
#define CLNRM_JANITOR_H

#include "engine.h"

#include <stdbool.h>
#include <stddef.h>

struct clnrm_janitor;

/* Starts a janitor using eng (borrowed; only the janitor may use it until
 * clnrm_janitor_finish). Returns NULL when the thread cannot start. */
struct clnrm_janitor *clnrm_janitor_start(struct engine *eng);

/*
 * Queues removal of the n containers in ids (the array and strings are
 * taken, freed by the janitor), then of network net_id (taken, may be
 * NULL). *failed (may be NULL) is set to true if something could not be
 * removed; it must stay valid until clnrm_janitor_finish returns.
 */
void clnrm_janitor_submit(struct clnrm_janitor *j, char **ids, size_t n,
                          char *net_id, bool *failed);

/* clnrm_janitor_submit, also adding the engine calls the removal makes to
 * *calls (may be NULL), which must stay valid until clnrm_janitor_finish
 * returns and which nothing else may change meanwhile. */
void clnrm_janitor_submit_counted(struct clnrm_janitor *j, char **ids, size_t n,
                                  char *net_id, bool *failed,
                                  struct engine_calls *calls);

/* Does the same as a submitted job, now, on eng; frees ids and net_id. */
void clnrm_janitor_remove_now(struct engine *eng, char **ids, size_t n,
                              char *net_id, bool *failed);

/* Drains the queue, stops the thread and frees j. Accepts NULL. */
void clnrm_janitor_finish(struct clnrm_janitor *j);

#endif
