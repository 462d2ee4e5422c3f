/*
 * cr_signal: the process's signal flags, written by one shared handler.
 *
 * Signal flags are the project's only global state besides the allocation
 * hook (STYLE.md). The flags are lock-free C11 atomics: storing to them is
 * async-signal-safe, and unlike volatile sig_atomic_t they may be read from
 * worker threads. Libraries never install handlers; a tool's main() calls
 * cr_signal_install and hands cr_signal_flag() to the libraries as their
 * cancel flag.
 */
#ifndef CR_SIGNAL_H
#define CR_SIGNAL_H

#include <stdatomic.h>
#include <stddef.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "signal flags need lock-free atomic int");

/*
 * Called from the handler after the flags are set, with the signal and how
 * many stop signals arrived so far. It runs in signal context: only
 * async-signal-safe calls (write(2), _exit(2)).
 */
typedef void (*cr_signal_fn)(int signo, int count);

/* The options are copied by cr_signal_install; `then` is read by the handler
 * without a lock, so install before any thread starts. */
struct cr_signal_opts {
    const int *signals; /* caught; SIGCHLD only wakes, never stops */
    size_t n;
    int wake_fd;       /* a byte is written here on every signal; -1: none */
    cr_signal_fn then; /* NULL: none */
    int flags;         /* sigaction flags, for example SA_RESTART */
};

/*
 * Installs the handler for o->signals and resets the flags. Returns 0 or
 * -errno from sigaction.
 */
int cr_signal_install(const struct cr_signal_opts *o);

/*
 * The stop flag: 0, or the number of the last stop signal caught. Writable
 * so that a scheduler can take a signal as handled and wait for the next.
 * Valid for the life of the process.
 */
atomic_int *cr_signal_flag(void);

/* How many stop signals have arrived since cr_signal_install. */
int cr_signal_count(void);

#endif
