/*
 * clnrm_run_ready: what the readiness probes read. The probes themselves
 * are a phase of a running test (clnrm_test_run.h).
 */
#ifndef CLNRM_RUN_READY_H
#define CLNRM_RUN_READY_H

#include <stdbool.h>

/* True when /proc/net/tcp or tcp6 text (borrowed) shows a listener on
 * port. */
bool clnrm_port_listening(const char *proc_net_tcp, int port);

#endif
