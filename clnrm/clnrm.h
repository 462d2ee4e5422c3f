/*
 * clnrm: the hermetic test runner's library, one header per module:
 *
 *   clnrm_spec.h      the test file model (both Rust clnrm formats)
 *   clnrm_load.h      the loader (sections in clnrm_load_*.c)
 *   clnrm_regex.h     Rust-regex-style matching on PCRE2
 *   clnrm_discover.h  *.clnrm.toml discovery and sharding
 *   clnrm_suite.h     discovery + loading + filter/shard selection
 *   clnrm_runner.h    running tests in containers (-j workers; phases in
 *                     clnrm_run_*.c around clnrm_test_run.h)
 *   clnrm_janitor.h   background teardown per worker
 *   clnrm_reap.h      labels, signals and the sweep of leftovers
 *   clnrm_result.h    results and totals
 *   clnrm_report.h    human, JSON, JUnit and TAP reports (one file each)
 *   clnrm_progress.h  live and plain progress
 *   clnrm_selftest.h  `clnrm self-test`
 *   clnrm_init.h      the example `clnrm init` writes
 *   clnrm_cli.h       the command table and dispatcher
 *   clnrm_cmd.h       the commands (clnrm_cmd_*.c)
 *   engine.h          the Docker Engine API client
 */
#ifndef CLNRM_H
#define CLNRM_H

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *clnrm_version(void);

#endif
