/*
 * clnrm_cli: the clnrm command line. One table lists every command with
 * its summary, usage text and setup flags; the dispatcher looks the
 * command up, answers `--help` and `--version` itself, initialises the
 * engine library only for commands that need the engine, and returns the
 * command's exit status (see clnrm_cmd.h).
 */
#ifndef CLNRM_CLI_H
#define CLNRM_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Runs the command line; returns the exit status. */
int clnrm_cli_main(int argc, char **argv);

/* Prints the top-level usage, built from the command table, to f. */
void clnrm_cli_usage(FILE *f);

/* True when command name exists and needs the engine library set up;
 * false for unknown names and for validate, list and init. */
bool clnrm_cli_needs_engine(const char *name);

#endif
