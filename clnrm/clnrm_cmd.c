/* clnrm_cmd: helpers the commands share. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_spec.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cr_signal.h"

void clnrm_cmd_print_diags(const struct clnrm_ctx *ctx,
                           const struct clnrm_diags *d, bool notes)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct clnrm_diag *g = &d->items[i];
        if (g->level == CLNRM_DIAG_NOTE && !notes)
            continue;
        fprintf(ctx->err, "%s: %s\n",
                g->level == CLNRM_DIAG_ERROR  ? "error"
                : g->level == CLNRM_DIAG_WARN ? "warning"
                                              : "note",
                g->msg);
    }
}

/* write(2) is async-signal-safe; stdio is not. */
static void say(const char *msg)
{
    ssize_t r = write(STDERR_FILENO, msg, strlen(msg));
    (void)r;
}

/*
 * The first signal only sets the flag: the run stops its work and removes
 * its objects in normal context. Cleanup already forces removal (nothing
 * graceful to skip), so a second signal only says what is going on, and a
 * third quits at once: the next run's sweep removes what is left.
 */
static void on_repeat(int signo, int count)
{
    (void)signo;
    if (count == 2)
        say("\nclnrm: removing this run's containers and networks; "
            "interrupt once more to quit now and leave them to the next "
            "run's sweep\n");
    if (count >= 3) {
        say("\nclnrm: quitting; the next `clnrm run` removes what is "
            "left\n");
        _exit(130);
    }
}

const atomic_int *clnrm_cmd_signals_install(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    const struct cr_signal_opts o = { sigs, 3, -1, on_repeat, 0 };
    struct sigaction sa;

    cr_signal_install(&o);
    /* `clnrm run | head` must not be killed by a closed pipe before it
     * removes its containers: writes then fail with EPIPE instead. */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    return cr_signal_flag();
}
