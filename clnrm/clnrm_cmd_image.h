/*
 * clnrm_cmd_image: the `clnrm image` subcommand (base image management).
 */
#ifndef CLNRM_CMD_IMAGE_H
#define CLNRM_CMD_IMAGE_H

/*
 * Runs `clnrm image ARGS...`; argv[0] is "image". Prints to stdout/stderr
 * and returns the process exit status. Calls curl's global init itself.
 */
int clnrm_cmd_image(int argc, char **argv);

#endif
