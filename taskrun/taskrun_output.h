/*
 * taskrun_output: where task output and taskrun's events go.
 *
 * raw:      children write to taskrun's own stdout/stderr (no pipes, live,
 *           colours kept); used when one task runs at a time.
 * prefixed: each line as "[task] line", written as soon as it is complete.
 * group:    a task's whole output at its end, between header lines
 *           (GitHub Actions ::group:: markers when GITHUB_ACTIONS=true).
 * json:     NDJSON events on stdout, one per line (see taskrun/README.md);
 *           task output becomes "output" events.
 *
 * The sink writes to the descriptors it is given; it owns nothing else.
 */
#ifndef TASKRUN_OUTPUT_H
#define TASKRUN_OUTPUT_H

#include "cr_buf.h"
#include "cr_proc.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum taskrun_output_mode {
    TASKRUN_OUT_AUTO = 0,
    TASKRUN_OUT_RAW,
    TASKRUN_OUT_PREFIXED,
    TASKRUN_OUT_GROUP,
};

/*
 * How much taskrun itself says on stderr (cargo-make's log levels; task
 * output, listings and plans are not affected). Ordered: a message is
 * shown when its level is at most the chosen one. INFO is 0, the default.
 */
enum taskrun_log_level {
    TASKRUN_LOG_OFF = -2,    /* --silent, -l off: nothing */
    TASKRUN_LOG_ERROR = -1,  /* --quiet, -l error: errors and failures */
    TASKRUN_LOG_INFO = 0,    /* -l info: also "running", skips, warnings */
    TASKRUN_LOG_VERBOSE = 1, /* -v, -l verbose: also each task's command */
};

/* Parses "off", "error", "info", "verbose"; -3 when unknown. */
int taskrun_log_parse(const char *s);

/* The JSON event schema version, "v" in every event. */
#define TASKRUN_JSON_VERSION 1

struct taskrun_out {
    enum taskrun_output_mode mode; /* never AUTO once chosen */
    bool json;
    bool gh_groups; /* ::group:: markers */
    int fd_out, fd_err;
    size_t width;               /* longest task name, for aligned prefixes */
    enum taskrun_log_level log; /* taskrun's own messages on stderr */
};

/* Picks the mode for AUTO: raw when one task runs at a time (-j 1), else
 * group in CI (CI=true), prefixed otherwise. */
enum taskrun_output_mode taskrun_output_auto(unsigned jobs, bool ci);

/* Parses "prefixed", "group", "raw", "auto"; -1 when unknown. */
int taskrun_output_parse(const char *s);

/* Per task and stream: bytes not yet ending in a newline. */
struct taskrun_linebuf {
    struct cr_buf pending;
};

/*
 * Feeds n bytes read from one of a task's streams (stream 1 or 2) and emits
 * every complete line; with eof, also the unterminated rest. group collects
 * the lines when the mode is group. Returns 0, or -errno when some output
 * could not be shown as it should: a write failed, or memory ran out (raw
 * and prefixed lines are then still written, a line split across reads in
 * two pieces; group lines are written at once; JSON lines are lost).
 */
int taskrun_out_feed(const struct taskrun_out *o, const char *task, int stream,
                     struct taskrun_linebuf *lb, struct cr_buf *group,
                     const char *data, size_t n, bool eof);

/* Writes a task's collected group output with its header and footer. */
void taskrun_out_group(const struct taskrun_out *o, const char *task,
                       const struct cr_buf *group, int exit_code);

/* Writes all of s to fd, retrying short writes. Returns 0 or -errno. */
int taskrun_out_write(int fd, const char *s, size_t n);

/*
 * JSON events are cJSON objects printed unformatted, one per line. Task
 * names, messages and output are arbitrary bytes: they become valid UTF-8
 * strings (invalid sequences U+FFFD, cr_text.h).
 */

/* A new event {"v":1,"event":EVENT[,"task":TASK]} (task may be NULL); the
 * caller owns it. NULL when out of memory. */
cJSON *taskrun_json_event(const char *event, const char *task);

/* Adds a millisecond count under key. Returns 0 or -ENOMEM. */
int taskrun_json_add_ms(cJSON *obj, const char *key, uint64_t ms);

/* Adds "status", "exit", "wall_ms", "user_ms", "sys_ms", "max_rss_kb" (the
 * fields of end events and summary rows). Returns 0 or -ENOMEM. */
int taskrun_json_add_usage(cJSON *obj, const char *status, int exit_code,
                           const struct cr_proc_usage *u);

/* Prints ev as one line on o->fd_out and deletes it (ev NULL: -ENOMEM).
 * Returns 0 or -errno. */
int taskrun_json_emit(const struct taskrun_out *o, cJSON *ev);

/* Events; each returns 0 or -errno. ts_ms is milliseconds since the run
 * started. */
int taskrun_json_start(const struct taskrun_out *o, const char *task,
                       uint64_t ts_ms);
int taskrun_json_skip(const struct taskrun_out *o, const char *task,
                      const char *reason);
int taskrun_json_end(const struct taskrun_out *o, const char *task,
                     const char *status, int exit_code,
                     const struct cr_proc_usage *u);
int taskrun_json_note(const struct taskrun_out *o, const char *kind,
                      const char *message);

#endif
