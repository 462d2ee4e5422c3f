/*
 * slo_cli_history: the `slo history` command (a command layer: it prints).
 * Reads the JSON-lines history and prints each objective's value over the
 * last N checks, oldest first, with the change from the first shown to the
 * last. Owns nothing beyond the call.
 */
#ifndef SLO_CLI_HISTORY_H
#define SLO_CLI_HISTORY_H

/* slo history [--history FILE] [--last N]; returns the exit status: 0,
 * 1 when there is no check yet or the file cannot be read, 2 bad usage. */
int slo_cli_history(int argc, char **argv);

#endif
