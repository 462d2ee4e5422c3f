/*
 * clnrm_dev_emit: hands one event to the caller's emit function. Its own
 * file because the session, the file handling and the warm services all
 * report events, and none of them should depend on another for that.
 */
#include "clnrm_dev_int.h"

/* One event at a time, stamped with the rerun it belongs to: the warm
 * services report from the runner's worker threads. */
void clnrm__dev_emit(struct clnrm_dev *d, struct clnrm_dev_event *ev)
{
    pthread_mutex_lock(&d->emit_mu);
    ev->rerun = d->rerun;
    d->emit(d->emit_ctx, ev);
    pthread_mutex_unlock(&d->emit_mu);
}
