/*
 * clnrm_spec: the in-memory model of one *.clnrm.toml test file (its
 * loader is clnrm_load.h).
 *
 * Two file formats map onto the same model:
 *  - the Rust clnrm format: [test.metadata] or [test] (name, description,
 *    timeout), [services.NAME], [[steps]] (command is an argv array) and a
 *    free-form [assertions] table;
 *  - its v1 form: [meta], [service.NAME] and [[scenario]] whose `run` is one
 *    shell-like string split into argv by clnrm_split_command.
 * Our own additions: [test.security] (or [security]) and [limits] adjust the
 * least-privilege defaults; services accept wait_for_log and wait_for_port
 * besides health_check.
 *
 * A struct clnrm_test owns every string and array below it; free it with
 * clnrm_test_free. Loading never prints: warnings and notes go to a
 * caller-owned struct clnrm_diags.
 */
#ifndef CLNRM_SPEC_H
#define CLNRM_SPEC_H

#include "clnrm_error.h"
#include "cr_strv.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The image used when a test declares no service, or a service no image. */
#define CLNRM_DEFAULT_IMAGE "clnrm-base:latest"
/* Name of the implicit service made for tests that declare none. */
#define CLNRM_DEFAULT_SERVICE "default"
/* The most services one test may declare: each is booted on a thread of
 * its own, so the loader refuses more, at the position of the first one
 * too many. */
#define CLNRM_MAX_SERVICES 64
/* The most CPUs `cpus` (or a v1 `max_cpu_usage`) may ask for. */
#define CLNRM_MAX_CPUS 4096

/* Least-privilege defaults applied to every container (see --explain). */
#define CLNRM_DEFAULT_PIDS_LIMIT       256
#define CLNRM_DEFAULT_MEMORY_MB        512
#define CLNRM_DEFAULT_TEST_TIMEOUT_MS  (10 * 60 * 1000)
#define CLNRM_DEFAULT_STEP_TIMEOUT_MS  (5 * 60 * 1000)
#define CLNRM_DEFAULT_READY_TIMEOUT_MS (60 * 1000)
#define CLNRM_DEFAULT_PROBE_TIMEOUT_MS (10 * 1000)

/* Capabilities added back after CapDrop ALL: what ordinary test programs
 * need to chown files, switch users, signal children and bind low ports. */
#define CLNRM_DEFAULT_CAPS                                                     \
    "CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "KILL",             \
        "NET_BIND_SERVICE"

enum clnrm_format {
    CLNRM_FORMAT_LEGACY = 1, /* [test.metadata]/[services]/[[steps]] */
    CLNRM_FORMAT_V1,         /* [meta]/[service]/[[scenario]] */
};

enum clnrm_diag_level {
    CLNRM_DIAG_NOTE = 1, /* accepted but not evaluated ([otel], ...) */
    CLNRM_DIAG_WARN,     /* unknown key; an error under --strict */
    CLNRM_DIAG_ERROR,
};

struct clnrm_diag {
    enum clnrm_diag_level level;
    char msg[512]; /* "FILE:LINE:COL: message" */
};

/* A growable list of diagnostics; zero-initialise, free with _release. */
struct clnrm_diags {
    struct clnrm_diag *items;
    size_t n, cap;
};

/* Frees the entries and leaves an empty list. NULL is allowed. */
void clnrm_diags_release(struct clnrm_diags *d);
/* Number of entries at level or above. */
size_t clnrm_diags_count(const struct clnrm_diags *d,
                         enum clnrm_diag_level level);

struct clnrm_env_item {
    char *key;
    char *value;
};

struct clnrm_env {
    struct clnrm_env_item *items;
    size_t n;
};

struct clnrm_volume {
    char *host_path;    /* absolute (relative paths resolved to the file) */
    unsigned line, col; /* of the volume in the file; 0 when built by hand */
    char *container_path;
    bool read_only;
};

/* Per-test container settings; defaults from clnrm_security_defaults. */
struct clnrm_security {
    bool privileged;
    bool no_new_privileges;
    bool read_only_rootfs;
    bool drop_all_caps;
    struct cr_strv cap_add;
    int64_t pids_limit; /* 0 = unlimited */
    int64_t memory_mb;  /* 0 = unlimited */
    double cpus;        /* 0 = unlimited */
    /* network_mode / pid_mode / ipc_mode = "host", each allowed by its own
     * --allow-host-* flag: the test shares that namespace of the host (a
     * host network means no test network and no published ports). */
    bool host_network;
    bool host_pid;
    bool host_ipc;
};

enum clnrm_ready_kind {
    CLNRM_READY_NONE = 0,
    CLNRM_READY_CMD,  /* health_check: exec until exit 0 */
    CLNRM_READY_LOG,  /* wait_for_log: a line in the container's log */
    CLNRM_READY_PORT, /* wait_for_port: a TCP listener in the container */
};

struct clnrm_ready {
    enum clnrm_ready_kind kind;
    struct cr_strv cmd; /* CLNRM_READY_CMD */
    char *log_line;     /* CLNRM_READY_LOG: a substring */
    int port;           /* CLNRM_READY_PORT */
    int64_t interval_ms;
    int64_t timeout_ms; /* overall budget to become ready */
    int64_t retries;    /* 0 = until timeout_ms */
    /* One probe's limit: health_check's `timeout`, as in Docker's
     * HEALTHCHECK; 0 means CLNRM_DEFAULT_PROBE_TIMEOUT_MS. */
    int64_t try_timeout_ms;
};

/* `build = { context, dockerfile, args, target }` or `build = "dir"`:
 * the image is built by the engine from a tar of the context and tagged
 * by a hash of it (clnrm_build.h). */
struct clnrm_build {
    char *context;    /* absolute (relative paths resolved to the file) */
    char *dockerfile; /* relative to context; default "Dockerfile" */
    char *target;     /* NULL: the last stage */
    struct clnrm_env args;
};

/* Where a published port goes on the host, per clnrm_service.ports[i]. */
struct clnrm_publish {
    unsigned host_port; /* 0: the engine picks a free one */
    char host_ip[48];   /* "127.0.0.1" unless the file names one */
};

/* When a service may start after one it depends on (compose's
 * `condition`). */
enum clnrm_dep_cond {
    CLNRM_DEP_DEFAULT = 0, /* ready when it has a readiness check, else
                              started */
    CLNRM_DEP_STARTED,     /* "service_started": started is enough */
    CLNRM_DEP_READY,       /* "service_healthy": its check passed */
};

/* One entry of depends_on beside its name: condition and position. */
struct clnrm_dep {
    enum clnrm_dep_cond cond;
    unsigned line, col;
};

struct clnrm_service {
    char *name;
    char *image;
    char *plugin;           /* accepted for compatibility; informational */
    struct cr_strv command; /* PID 1; empty = keep-alive loop */
    struct clnrm_env env;
    int *ports;                    /* container ports */
    struct clnrm_publish *publish; /* n_ports, where each goes */
    size_t n_ports;
    struct clnrm_volume *volumes;
    size_t n_volumes;
    struct clnrm_ready ready;
    char *workdir;             /* working_dir / workdir; NULL: the image's */
    struct cr_strv depends_on; /* names of services, checked by the loader
                                  (known, no cycle) */
    struct clnrm_dep *deps;    /* depends_on.n entries */
    char *description;         /* shown by validate --explain */
    struct clnrm_build *build; /* NULL, or build the image from a context */
    unsigned line;             /* where the service table starts */
};

struct clnrm_step {
    char *name;
    char *description;   /* shown in reports and validate --explain */
    struct cr_strv argv; /* exact argv, never joined */
    char *expected_output_regex;
    char *expected_output_regex_not;
    int expected_exit_code;
    char *workdir;
    struct clnrm_env env;
    char *service; /* NULL = the test's default service */
    int64_t timeout_ms;
    bool continue_on_failure;
    unsigned line;
};

struct clnrm_test {
    char *path; /* as given to the loader */
    char *name;
    char *description;
    enum clnrm_format format;
    int64_t timeout_ms;
    struct clnrm_security security;
    struct clnrm_service *services; /* at least one after loading */
    size_t n_services;
    bool implicit_service; /* services[0] was made by the loader */
    struct clnrm_step *steps;
    size_t n_steps;
    /* Keys the Rust clnrm accepts that this tool does not use, each as
     * "LINE:COL KEY in WHERE"; listed by validate --explain. */
    struct cr_strv unused_keys;
};

/* Fills sec with the least-privilege defaults documented above. Returns
 * CLNRM_OK, or CLNRM_E_NOMEM with part of cap_add filled (sec still owns
 * it and is released with its test). */
enum clnrm_code clnrm_security_defaults(struct clnrm_security *sec);

/* Frees t and everything it owns. NULL is allowed. */
void clnrm_test_free(struct clnrm_test *t);

/* The service a step runs in (its `service`, else services[0]). */
const struct clnrm_service *clnrm_step_service(const struct clnrm_test *t,
                                               const struct clnrm_step *s);

/* The index of the service named name in t, or -1. */
long clnrm_service_index(const struct clnrm_test *t, const char *name);

/* True when service s (of t) may start only once its dependency d (an
 * index into s->depends_on) is ready, not merely started. */
bool clnrm_dep_waits_ready(const struct clnrm_test *t,
                           const struct clnrm_service *s, size_t d);

/* Fills order[0..t->n_services) with service indexes, each after every
 * service it depends on (else in file order). Returns 0, or -1 when the
 * dependencies form a cycle (the loader refuses those). */
int clnrm_service_order(const struct clnrm_test *t, size_t *order);

/* True when the test needs a network: more than one service, or ports. */
bool clnrm_test_needs_network(const struct clnrm_test *t);

/* The step `clnrm run` can run as the main process of t's only service
 * instead of exec'ing it in a keep-alive (one service without a command,
 * ports or readiness check, one step in it), or NULL. The runner adds
 * its own conditions (clnrm_run_main.c). */
const struct clnrm_step *clnrm_test_main_step(const struct clnrm_test *t);

/*
 * Splits a shell-like command line into argv: blanks separate words,
 * 'single quotes' are literal, "double quotes" honour \" \\ \$ \` and a
 * backslash outside quotes escapes the next character. No expansion of any
 * kind. Returns CLNRM_OK and fills out (release with cr_strv_release),
 * or CLNRM_E_INPUT for an unterminated quote or a trailing backslash.
 */
enum clnrm_code clnrm_split_command(const char *line, struct cr_strv *out,
                                    struct cr_error *err);

/*
 * Parses a duration: "250ms", "30s", "2m", "1h" or a bare number of
 * seconds. Returns 0 and stores milliseconds, or -1 when malformed.
 */
int clnrm_parse_duration(const char *s, int64_t *ms);

#endif
