/* clnrm_runner: one test's lifecycle in containers. See clnrm_runner.h. */
#include "clnrm_runner.h"

#include "clnrm_janitor.h"
#include "clnrm_regex.h"
#include "cr_alloc.h"
#include "cr_clock.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LABELS 8

struct svc_state {
    const struct clnrm_service *svc;
    char name[160];
    char *id;             /* container id once created */
    enum clnrm_code code; /* how booting went */
    char error[600];      /* why booting failed */
    const char *dead;     /* why it no longer runs (static), or NULL */
    bool ready;
    unsigned *host_ports; /* per svc->ports[i], published on 127.0.0.1 */
    int64_t tries;
    uint64_t next_try_ms;
};

struct test_run {
    struct engine *eng;
    struct engine *cleanup;
    struct clnrm_janitor *janitor; /* NULL: tear down synchronously */
    const struct clnrm_runctx *rc;
    const struct clnrm_test *t;
    struct clnrm_test_result *res;
    size_t index;
    struct svc_state *svcs;
    char net_name[96];
    char *net_id;
    struct engine_kv labels[MAX_LABELS];
    size_t n_labels;
    uint64_t deadline_ms;    /* the test's own timeout, absolute */
    struct cr_strv port_env; /* CLNRM_PORT_<SERVICE>_<PORT>=<host port> */
};

static bool cancelled(const struct test_run *tr)
{
    return tr->rc->cancel != NULL && *tr->rc->cancel;
}

/* Records why the test could not go on; keeps the first message. */
static enum clnrm_code test_fail(struct test_run *tr, enum clnrm_status st,
                                 enum clnrm_code code, const char *msg)
{
    if (tr->res->message[0] == '\0')
        snprintf(tr->res->message, sizeof(tr->res->message), "%s", msg);
    if (tr->res->status == CLNRM_STATUS_PASS)
        tr->res->status = st;
    if (tr->res->code == CLNRM_OK)
        tr->res->code = code;
    return code;
}

/* ---------------------------------------------------------------------- */
/* Setup                                                                   */

static bool test_publishes(const struct clnrm_test *t)
{
    for (size_t i = 0; i < t->n_services; i++)
        if (t->services[i].n_ports > 0)
            return true;
    return false;
}

static enum clnrm_code create_network(struct test_run *tr)
{
    struct cr_error e = { 0 };
    enum clnrm_code rc;

    snprintf(tr->net_name, sizeof(tr->net_name), "clnrm-%s-%zu", tr->rc->run_id,
             tr->index);
    /* Internal: services reach each other by name, never the outside.
     * Published ports need a bridge with a route to the host, so a test
     * that declares ports gets an ordinary (non-internal) bridge. */
    rc = clnrm_from_engine(
        engine_network_create(tr->eng, tr->net_name, tr->labels, tr->n_labels,
                              !test_publishes(tr->t), &tr->net_id, &e),
        &e);
    if (rc != CLNRM_OK)
        return test_fail(tr, CLNRM_STATUS_ERROR, rc, e.msg);
    return CLNRM_OK;
}

/* NULL-terminated "K=V" strings for env; free with cr_strv_release. */
static int env_strings(const struct clnrm_env *env, struct cr_strv *out)
{
    for (size_t i = 0; i < env->n; i++) {
        char *kv;
        if (asprintf(&kv, "%s=%s", env->items[i].key, env->items[i].value) < 0)
            return -1;
        if (cr_strv_push(out, kv) != 0) {
            cr_free(kv);
            return -1;
        }
        cr_free(kv);
    }
    return 0;
}

static int bind_strings(const struct clnrm_service *s, struct cr_strv *out)
{
    for (size_t i = 0; i < s->n_volumes; i++) {
        char *b;
        if (asprintf(&b, "%s:%s%s", s->volumes[i].host_path,
                     s->volumes[i].container_path,
                     s->volumes[i].read_only ? ":ro" : "") < 0)
            return -1;
        if (cr_strv_push(out, b) != 0) {
            cr_free(b);
            return -1;
        }
        cr_free(b);
    }
    return 0;
}

/* The engine would create a missing bind source as an empty root-owned
 * directory on the host: refuse instead, naming the path. */
static enum clnrm_code check_volumes(const struct clnrm_service *s,
                                     struct cr_error *e)
{
    struct stat st;

    for (size_t i = 0; i < s->n_volumes; i++)
        if (stat(s->volumes[i].host_path, &st) != 0)
            return clnrm_error_set(e, CLNRM_E_INPUT, "volume host_path %s: %s",
                                   s->volumes[i].host_path, strerror(errno));
    return CLNRM_OK;
}

/* Fills the security part of a container spec from the test's settings. */
static void apply_security(const struct clnrm_security *sec,
                           struct engine_container_spec *cs)
{
    static const char *const drop_all[] = { "ALL", NULL };
    static const char *const nnp[] = { "no-new-privileges", NULL };
    static const struct engine_kv tmp = { "/tmp", "rw,size=64m" };

    cs->cap_drop = sec->drop_all_caps ? drop_all : NULL;
    cs->cap_add = sec->drop_all_caps && sec->cap_add.n > 0
                      ? (const char *const *)sec->cap_add.v
                      : NULL;
    cs->security_opt = sec->no_new_privileges ? nnp : NULL;
    cs->pids_limit = sec->pids_limit;
    cs->memory_bytes = sec->memory_mb * 1024 * 1024;
    cs->nano_cpus = (int64_t)(sec->cpus * 1e9);
    cs->readonly_rootfs = sec->read_only_rootfs;
    if (sec->read_only_rootfs) {
        cs->tmpfs = &tmp;
        cs->ntmpfs = 1;
    }
}

/* The requested container ports, each published to a random port on the
 * host's loopback only (never on every interface). */
static struct engine_port_binding *port_bindings(const struct clnrm_service *s)
{
    struct engine_port_binding *pb = cr_calloc(s->n_ports + 1, sizeof(*pb));

    for (size_t i = 0; pb != NULL && i < s->n_ports; i++)
        pb[i] = (struct engine_port_binding){ .container_port =
                                                  (unsigned)s->ports[i],
                                              .host_ip = "127.0.0.1" };
    return pb;
}

/* Reads back the host ports the engine chose for ss's published ports. */
static enum clnrm_code read_host_ports(struct engine *eng, struct svc_state *ss,
                                       struct cr_error *e)
{
    const struct clnrm_service *s = ss->svc;
    enum clnrm_code rc = CLNRM_OK;

    if (s->n_ports == 0)
        return CLNRM_OK;
    if ((ss->host_ports = cr_calloc(s->n_ports, sizeof(unsigned))) == NULL)
        return clnrm_error_set(e, CLNRM_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == CLNRM_OK && i < s->n_ports; i++)
        rc = clnrm_from_engine(
            engine_container_host_port(eng, ss->id, (unsigned)s->ports[i], NULL,
                                       &ss->host_ports[i], e),
            e);
    return rc;
}

/* The container spec of service ss, borrowing from tr, env, binds, labels
 * and ports, which must outlive the create call. */
static void service_spec(const struct test_run *tr, struct svc_state *ss,
                         const struct cr_strv *env, const struct cr_strv *binds,
                         const struct engine_kv *labels,
                         const struct engine_port_binding *ports,
                         const char *const *aliases,
                         struct engine_container_spec *cs)
{
    static const char *const keepalive[] = { CLNRM_KEEPALIVE_ARGV, NULL };
    const struct clnrm_service *s = ss->svc;

    cs->image = s->image;
    cs->name = ss->name;
    cs->argv = s->command.n > 0 ? (const char *const *)s->command.v : keepalive;
    cs->env = (const char *const *)env->v;
    cs->labels = labels;
    cs->nlabels = tr->n_labels + 1;
    cs->hostname = s->name;
    cs->network = tr->net_id != NULL ? tr->net_name : "none";
    cs->network_aliases = tr->net_id != NULL ? aliases : NULL;
    cs->binds = (const char *const *)binds->v;
    cs->ports = ports;
    cs->nports = s->n_ports;
    /* An init as PID 1 reaps the zombies of exec'ed steps and makes the
     * keep-alive sleep die on SIGTERM; removal is forced anyway. */
    cs->init = true;
    cs->has_stop_timeout = true;
    cs->stop_timeout = 1;
    apply_security(&tr->t->security, cs);
}

/* Creates and starts one service on eng. Touches only ss, so services
 * can boot on several threads; a failure is left in ss->error. */
static enum clnrm_code boot_service(const struct test_run *tr,
                                    struct engine *eng, struct svc_state *ss)
{
    const struct clnrm_service *s = ss->svc;
    struct engine_container_spec cs = { 0 };
    struct cr_strv env = { 0 }, binds = { 0 };
    struct engine_kv labels[MAX_LABELS + 1];
    struct engine_port_binding *ports = port_bindings(s);
    const char *aliases[] = { s->name, NULL };
    struct cr_error e = { 0 };
    enum clnrm_code rc;

    memcpy(labels, tr->labels, tr->n_labels * sizeof(labels[0]));
    labels[tr->n_labels] = (struct engine_kv){ CLNRM_LABEL_SERVICE, s->name };
    snprintf(ss->name, sizeof(ss->name), "clnrm-%s-%zu-%s", tr->rc->run_id,
             tr->index, s->name);
    if (ports == NULL || env_strings(&s->env, &env) != 0 ||
        bind_strings(s, &binds) != 0) {
        rc = clnrm_error_set(&e, CLNRM_E_NOMEM, "out of memory");
    } else if ((rc = check_volumes(s, &e)) == CLNRM_OK) {
        service_spec(tr, ss, &env, &binds, labels, ports, aliases, &cs);
        rc = clnrm_from_engine(engine_container_create(eng, &cs, &ss->id, &e),
                               &e);
    }
    cr_strv_release(&env);
    cr_strv_release(&binds);
    cr_free(ports);
    if (rc == CLNRM_OK)
        rc = clnrm_from_engine(engine_container_start(eng, ss->id, &e), &e);
    if (rc == CLNRM_OK)
        rc = read_host_ports(eng, ss, &e);
    if (rc != CLNRM_OK)
        snprintf(ss->error, sizeof(ss->error),
                 "service \"%s\" (image %s) did not start: %s", s->name,
                 s->image, e.msg);
    return ss->code = rc;
}

/* CLNRM_PORT_<SERVICE>_<PORT>=<host port> for every published port, the
 * service name upper-cased with other characters than [A-Z0-9] as '_'. */
static int port_env(struct test_run *tr)
{
    for (size_t i = 0; i < tr->t->n_services; i++) {
        const struct svc_state *ss = &tr->svcs[i];
        for (size_t k = 0; ss->host_ports != NULL && k < ss->svc->n_ports;
             k++) {
            char kv[256];
            size_t at = (size_t)snprintf(kv, sizeof(kv), "CLNRM_PORT_");
            for (const char *c = ss->svc->name; *c && at < 200; c++)
                kv[at++] = (char)(isalnum((unsigned char)*c)
                                      ? toupper((unsigned char)*c)
                                      : '_');
            snprintf(kv + at, sizeof(kv) - at, "_%d=%u", ss->svc->ports[k],
                     ss->host_ports[k]);
            if (cr_strv_push(&tr->port_env, kv) != 0)
                return -1;
        }
    }
    return 0;
}

struct boot_job {
    const struct test_run *tr;
    struct svc_state *ss;
};

/* A thread booting one service on its own engine connection (an engine
 * is used by one thread at a time). */
static void *boot_thread(void *arg)
{
    struct boot_job *j = arg;
    struct engine *eng = NULL;
    struct cr_error e = { 0 };

    j->ss->code = clnrm_from_engine(
        engine_open(&eng, j->tr->rc->engine_host, j->tr->rc->cancel, &e), &e);
    if (j->ss->code == CLNRM_OK)
        boot_service(j->tr, eng, j->ss);
    else
        snprintf(j->ss->error, sizeof(j->ss->error), "%s", e.msg);
    engine_close(eng);
    return NULL;
}

/* Boots every service at once, one thread each when there are several, so
 * a slow starter does not hold up the others; readiness is waited for
 * only after all have started. */
static enum clnrm_code start_services(struct test_run *tr)
{
    size_t n = tr->t->n_services;
    struct boot_job jobs[CLNRM_MAX_SERVICES];
    pthread_t threads[CLNRM_MAX_SERVICES];
    bool threaded[CLNRM_MAX_SERVICES];

    /* The loader refuses more services; a test built by hand is checked. */
    if (n > CLNRM_MAX_SERVICES)
        return test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_INPUT,
                         "too many services for one test");
    for (size_t i = 0; i < n; i++) {
        jobs[i] = (struct boot_job){ tr, &tr->svcs[i] };
        threaded[i] = n > 1 && pthread_create(&threads[i], NULL, boot_thread,
                                              &jobs[i]) == 0;
        if (!threaded[i])
            boot_service(tr, tr->eng, &tr->svcs[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (threaded[i])
            pthread_join(threads[i], NULL);
    for (size_t i = 0; i < n; i++)
        if (tr->svcs[i].code != CLNRM_OK)
            return test_fail(tr, CLNRM_STATUS_ERROR, tr->svcs[i].code,
                             tr->svcs[i].error);
    if (port_env(tr) != 0)
        return test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                         "out of memory");
    return CLNRM_OK;
}

/* ---------------------------------------------------------------------- */
/* Readiness                                                               */

bool clnrm_port_listening(const char *text, int port)
{
    char want[8];
    const char *line = text;

    snprintf(want, sizeof(want), ":%04X", (unsigned)port);
    while (line != NULL && *line != '\0') {
        unsigned sl;
        char local[64], remote[64], st[8];

        if (sscanf(line, " %u: %63s %63s %7s", &sl, local, remote, st) == 4) {
            const char *colon = strrchr(local, ':');
            if (colon != NULL && strcmp(colon, want) == 0 &&
                strcmp(st, "0A") == 0)
                return true;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return false;
}

/* Fails the test because ss's PID 1 ended before it was ready. */
static int not_ready_exit(struct test_run *tr, const struct svc_state *ss,
                          const char *why)
{
    char msg[700];

    snprintf(msg, sizeof(msg), "service \"%s\" exited before it was ready: %s",
             ss->svc->name, why);
    test_fail(tr, CLNRM_STATUS_FAIL, CLNRM_OK, msg);
    return -2;
}

/* wait_for_log: the text in stdout or stderr. Logs stay readable after
 * the container exits, so a dead service is detected by inspecting it
 * rather than waiting out the whole readiness budget. */
static int probe_log(struct test_run *tr, struct svc_state *ss)
{
    const char *line = ss->svc->ready.log_line;
    struct cr_buf out = { 0 }, err = { 0 };
    struct engine_container_state st;
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int ready;

    rc = clnrm_from_engine(
        engine_container_logs(tr->eng, ss->id, &out, &err, &e), &e);
    ready = rc == CLNRM_OK && (strstr(cr_buf_str(&out), line) != NULL ||
                               strstr(cr_buf_str(&err), line) != NULL);
    cr_buf_release(&out);
    cr_buf_release(&err);
    if (rc == CLNRM_E_CANCELLED)
        return -1;
    if (ready ||
        engine_container_inspect(tr->eng, ss->id, &st, &e) != ENGINE_OK)
        return ready;
    if (!st.running) {
        char why[64];
        snprintf(why, sizeof(why), "its command exited with code %d%s",
                 st.exit_code, st.oom_killed ? " (OOM-killed)" : "");
        return not_ready_exit(tr, ss, why);
    }
    return 0;
}

/* One readiness probe. Returns 1 ready, 0 not yet, or a negative value
 * with the test failed when the service cannot become ready. */
static int probe(struct test_run *tr, struct svc_state *ss)
{
    static const char *const tcp[] = { "cat", "/proc/net/tcp", "/proc/net/tcp6",
                                       NULL };
    const struct clnrm_ready *r = &ss->svc->ready;
    struct engine_exec_spec xs = { .output_cap = 256 * 1024 };
    struct engine_exec_result xr = { 0 };
    struct cr_error e = { 0 };
    uint64_t try_deadline =
        cr_clock_ms() + (uint64_t)(r->try_timeout_ms > 0
                                       ? r->try_timeout_ms
                                       : CLNRM_DEFAULT_PROBE_TIMEOUT_MS);
    enum clnrm_code rc;
    int ready = 0;

    if (r->kind == CLNRM_READY_LOG)
        return probe_log(tr, ss);
    xs.argv = r->kind == CLNRM_READY_CMD ? (const char *const *)r->cmd.v : tcp;
    if (try_deadline > tr->deadline_ms)
        try_deadline = tr->deadline_ms;
    rc = clnrm_from_engine(
        engine_exec(tr->eng, ss->id, &xs, try_deadline, &xr, &e), &e);
    if (rc == CLNRM_OK)
        ready = r->kind == CLNRM_READY_CMD
                    ? xr.exit_code == 0
                    : clnrm_port_listening(cr_buf_str(&xr.out), r->port);
    engine_exec_result_release(&xr);
    if (rc == CLNRM_E_CANCELLED)
        return -1;
    if (rc == CLNRM_E_CONFLICT || rc == CLNRM_E_NOTFOUND)
        return not_ready_exit(tr, ss, e.msg);
    return ready;
}

static const char *ready_what(const struct clnrm_ready *r, char *buf,
                              size_t size)
{
    if (r->kind == CLNRM_READY_LOG)
        snprintf(buf, size, "log line \"%s\"", r->log_line);
    else if (r->kind == CLNRM_READY_PORT)
        snprintf(buf, size, "TCP port %d", r->port);
    else
        snprintf(buf, size, "health_check \"%s\"", r->cmd.v[0]);
    return buf;
}

/* Polls every service that declares readiness until all are ready. */
static enum clnrm_code wait_ready(struct test_run *tr)
{
    const atomic_int *stop = tr->rc->cancel;
    uint64_t start = cr_clock_ms();
    size_t pending;

    do {
        pending = 0;
        for (size_t i = 0; i < tr->t->n_services; i++) {
            struct svc_state *ss = &tr->svcs[i];
            const struct clnrm_ready *r = &ss->svc->ready;
            uint64_t now = cr_clock_ms();
            char what[200];
            int p;

            if (r->kind == CLNRM_READY_NONE || ss->ready)
                continue;
            pending++;
            if (now < ss->next_try_ms)
                continue;
            ss->tries++;
            ss->next_try_ms = now + (uint64_t)r->interval_ms;
            if ((p = probe(tr, ss)) < 0)
                return cancelled(tr) ? CLNRM_E_CANCELLED : CLNRM_E_FAILED;
            if (p > 0) {
                ss->ready = true;
                pending--;
                continue;
            }
            if ((r->retries > 0 && ss->tries >= r->retries) ||
                cr_clock_ms() - start > (uint64_t)r->timeout_ms ||
                cr_clock_ms() >= tr->deadline_ms) {
                char msg[512];
                snprintf(msg, sizeof(msg),
                         "service \"%s\" not ready after %.1f s (%" PRId64
                         " tries): waiting for %s",
                         ss->svc->name, (cr_clock_ms() - start) / 1000.0,
                         ss->tries, ready_what(r, what, sizeof(what)));
                test_fail(tr, CLNRM_STATUS_TIMEOUT, CLNRM_OK, msg);
                return CLNRM_E_TIMEOUT;
            }
        }
        if (pending > 0)
            cr_clock_sleep_ms(50, stop);
        if (cancelled(tr))
            return CLNRM_E_CANCELLED;
    } while (pending > 0);
    return CLNRM_OK;
}

/* ---------------------------------------------------------------------- */
/* Steps                                                                   */

/* Compiles a step's regex; a failure (the loader already checked the
 * syntax, so only memory or PCRE2 limits remain) fails the step rather
 * than letting an unchecked expectation pass. */
static struct clnrm_regex *judge_regex(const char *pattern,
                                       struct clnrm_step_result *sr)
{
    struct clnrm_regex *re = NULL;
    struct cr_error e = { 0 };

    if (clnrm_regex_compile(pattern, &re, &e) != CLNRM_OK) {
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message),
                 "cannot use regex /%.200s/: %.250s", pattern, e.msg);
        return NULL;
    }
    return re;
}

void clnrm_step_judge(const struct clnrm_step *s, struct clnrm_step_result *sr)
{
    const char *out = cr_buf_str(&sr->out), *err = cr_buf_str(&sr->err);
    struct clnrm_regex *re;

    sr->status = CLNRM_STATUS_PASS;
    sr->message[0] = '\0';
    if (sr->exit_code != s->expected_exit_code) {
        sr->status = CLNRM_STATUS_FAIL;
        snprintf(sr->message, sizeof(sr->message),
                 "expected exit code %d, got %d", s->expected_exit_code,
                 sr->exit_code);
        return;
    }
    if (s->expected_output_regex != NULL &&
        (re = judge_regex(s->expected_output_regex, sr)) != NULL) {
        if (clnrm_regex_search_either(re, out, sr->out.len, err, sr->err.len) !=
            1) {
            sr->status = CLNRM_STATUS_FAIL;
            snprintf(sr->message, sizeof(sr->message),
                     "expected output matching /%s/ (stdout or stderr), "
                     "found none",
                     s->expected_output_regex);
        }
        clnrm_regex_free(re);
    }
    if (sr->status == CLNRM_STATUS_PASS &&
        s->expected_output_regex_not != NULL &&
        (re = judge_regex(s->expected_output_regex_not, sr)) != NULL) {
        /* A search error counts as a match: never pass unchecked. */
        int in_out = clnrm_regex_search(re, out, sr->out.len);
        int in_err = clnrm_regex_search(re, err, sr->err.len);
        if (in_out != 0 || in_err != 0) {
            sr->status = CLNRM_STATUS_FAIL;
            snprintf(sr->message, sizeof(sr->message),
                     "output matched forbidden /%s/ (in %s)",
                     s->expected_output_regex_not,
                     in_out != 0 ? "stdout" : "stderr");
        }
        clnrm_regex_free(re);
    }
}

static struct svc_state *svc_for_step(struct test_run *tr,
                                      const struct clnrm_step *s)
{
    const struct clnrm_service *svc = clnrm_step_service(tr->t, s);

    for (size_t i = 0; i < tr->t->n_services; i++)
        if (tr->svcs[i].svc == svc)
            return &tr->svcs[i];
    return &tr->svcs[0];
}

/* Kills the container a timed-out exec ran in: the engine has no way to
 * kill one exec'ed process, and leaving it would let it run on. */
static void kill_service(struct test_run *tr, struct svc_state *ss)
{
    struct cr_error e;

    if (ss->dead == NULL)
        (void)engine_container_kill(tr->eng, ss->id, NULL, &e);
    ss->dead = "was killed after a timeout";
}

/* The exec was refused because the service's PID 1 ended: say so with
 * its exit code, and show its log as the step's output. */
static void service_gone(struct test_run *tr, struct svc_state *ss,
                         struct clnrm_step_result *sr, const char *why)
{
    struct engine_container_state st = { 0 };
    struct cr_error e = { 0 };

    sr->status = CLNRM_STATUS_ERROR;
    ss->dead = "has exited";
    if (engine_container_inspect(tr->eng, ss->id, &st, &e) != ENGINE_OK ||
        st.running) {
        snprintf(sr->message, sizeof(sr->message), "%s", why);
        return;
    }
    snprintf(sr->message, sizeof(sr->message),
             "service \"%s\" is not running: its command exited with code "
             "%d%s (its log is shown as this step's output)",
             ss->svc->name, st.exit_code, st.oom_killed ? " (OOM-killed)" : "");
    cr_buf_reset(&sr->out);
    cr_buf_reset(&sr->err);
    (void)engine_container_logs(tr->eng, ss->id, &sr->out, &sr->err, &e);
}

/* The step's environment: port variables first, so that the step's own
 * env can override them. */
static int step_env(const struct test_run *tr, const struct clnrm_step *s,
                    struct cr_strv *env)
{
    for (size_t i = 0; i < tr->port_env.n; i++)
        if (cr_strv_push(env, tr->port_env.v[i]) != 0)
            return -1;
    return env_strings(&s->env, env);
}

static void run_step(struct test_run *tr, const struct clnrm_step *s,
                     struct clnrm_step_result *sr)
{
    struct svc_state *ss = svc_for_step(tr, s);
    struct engine_exec_spec xs = { .output_cap = CLNRM_STEP_OUTPUT_CAP };
    struct engine_exec_result xr = { 0 };
    struct cr_strv env = { 0 };
    struct cr_error e = { 0 };
    uint64_t start = cr_clock_ms(), deadline = start + (uint64_t)s->timeout_ms;
    bool test_deadline = deadline >= tr->deadline_ms;
    enum clnrm_code rc;

    if (test_deadline)
        deadline = tr->deadline_ms;
    sr->exit_code = -1;
    if (ss->dead != NULL) {
        sr->status = CLNRM_STATUS_SKIP;
        snprintf(sr->message, sizeof(sr->message), "not run: service \"%s\" %s",
                 ss->svc->name, ss->dead);
        return;
    }
    if (step_env(tr, s, &env) != 0) {
        cr_strv_release(&env);
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message), "out of memory");
        return;
    }
    xs.argv = (const char *const *)s->argv.v;
    xs.env = (const char *const *)env.v;
    xs.workdir = s->workdir;
    rc = clnrm_from_engine(engine_exec(tr->eng, ss->id, &xs, deadline, &xr, &e),
                           &e);
    cr_strv_release(&env);
    sr->duration_ms = cr_clock_ms() - start;
    sr->out = xr.out;
    sr->err = xr.err;
    sr->truncated = xr.truncated;
    sr->exit_code = xr.exit_code;
    if (rc == CLNRM_OK) {
        clnrm_step_judge(s, sr);
    } else if (rc == CLNRM_E_TIMEOUT) {
        sr->status = CLNRM_STATUS_TIMEOUT;
        snprintf(sr->message, sizeof(sr->message),
                 "timed out after %.1f s (%s timeout); service \"%s\" killed",
                 sr->duration_ms / 1000.0, test_deadline ? "test" : "step",
                 ss->svc->name);
        kill_service(tr, ss);
    } else if (rc == CLNRM_E_CONFLICT || rc == CLNRM_E_NOTFOUND) {
        service_gone(tr, ss, sr, e.msg);
    } else {
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message), "%s",
                 rc == CLNRM_E_CANCELLED ? "interrupted" : e.msg);
    }
}

static void run_steps(struct test_run *tr)
{
    struct clnrm_test_result *res = tr->res;
    bool stop = false;

    for (size_t i = 0; i < tr->t->n_steps; i++) {
        const struct clnrm_step *s = &tr->t->steps[i];
        struct clnrm_step_result *sr = &res->steps[i];

        if (stop || cancelled(tr) || cr_clock_ms() >= tr->deadline_ms) {
            bool timed_out = !stop && !cancelled(tr);
            sr->status = CLNRM_STATUS_SKIP;
            snprintf(sr->message, sizeof(sr->message), "not run: %.400s",
                     cancelled(tr) ? "interrupted"
                     : stop        ? "an earlier step failed"
                                   : "the test timed out");
            /* The deadline can pass between two steps: that is still the
             * test's timeout, never a pass with skipped steps. */
            if (timed_out && res->status == CLNRM_STATUS_PASS) {
                res->status = CLNRM_STATUS_TIMEOUT;
                snprintf(res->message, sizeof(res->message),
                         "test timeout (%.1f s) reached before step "
                         "\"%.100s\"",
                         tr->t->timeout_ms / 1000.0, s->name);
            }
            continue;
        }
        run_step(tr, s, sr);
        if (sr->status == CLNRM_STATUS_PASS || sr->status == CLNRM_STATUS_SKIP)
            continue;
        if (res->status == CLNRM_STATUS_PASS) {
            res->status = sr->status == CLNRM_STATUS_ERROR ? CLNRM_STATUS_FAIL
                                                           : sr->status;
            snprintf(res->message, sizeof(res->message),
                     "step \"%.100s\": %.380s", s->name, sr->message);
        }
        if (!s->continue_on_failure || sr->status == CLNRM_STATUS_ERROR)
            stop = true;
    }
}

/* ---------------------------------------------------------------------- */
/* Teardown                                                                */

/* Hands the test's containers and network to the janitor, or removes
 * them now when there is none. */
static void teardown(struct test_run *tr)
{
    size_t n = tr->t->n_services;
    char **ids = cr_calloc(n + 1, sizeof(*ids));

    for (size_t i = 0; tr->svcs != NULL && i < n; i++) {
        cr_free(tr->svcs[i].host_ports);
        if (ids != NULL)
            ids[i] = tr->svcs[i].id;
        else
            cr_free(tr->svcs[i].id); /* the end-of-run sweep removes it */
    }
    cr_free(tr->svcs);
    tr->svcs = NULL;
    cr_strv_release(&tr->port_env);
    if (ids == NULL) {
        cr_free(tr->net_id);
        tr->res->cleanup_failed = true;
    } else if (tr->janitor != NULL) {
        clnrm_janitor_submit(tr->janitor, ids, n, tr->net_id,
                             &tr->res->cleanup_failed);
    } else {
        clnrm_janitor_remove_now(tr->cleanup, ids, n, tr->net_id,
                                 &tr->res->cleanup_failed);
    }
    tr->net_id = NULL;
}

static enum clnrm_code run_test(struct engine *eng, struct engine *cleanup,
                                struct clnrm_janitor *janitor,
                                const struct clnrm_runctx *rc, size_t index,
                                const struct clnrm_test *t,
                                struct clnrm_test_result *res)
{
    struct test_run tr = { .eng = eng,
                           .cleanup = cleanup,
                           .janitor = janitor,
                           .rc = rc,
                           .t = t,
                           .res = res,
                           .index = index };
    uint64_t start = cr_clock_ms();
    enum clnrm_code code;

    res->test = t;
    res->started_wall_ms = cr_clock_wall_ms();
    res->steps = cr_calloc(t->n_steps, sizeof(*res->steps));
    tr.svcs = cr_calloc(t->n_services, sizeof(*tr.svcs));
    if (res->steps == NULL || tr.svcs == NULL) {
        cr_free(tr.svcs);
        return test_fail(&tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                         "out of memory");
    }
    res->n_steps = t->n_steps;
    for (size_t i = 0; i < t->n_steps; i++) {
        res->steps[i].step = &t->steps[i];
        res->steps[i].status = CLNRM_STATUS_SKIP;
        res->steps[i].exit_code = -1;
        snprintf(res->steps[i].message, sizeof(res->steps[i].message),
                 "not run: the test could not start");
    }
    for (size_t i = 0; i < t->n_services; i++)
        tr.svcs[i].svc = &t->services[i];
    tr.n_labels = clnrm_runctx_labels(rc, t->name, tr.labels);
    tr.deadline_ms = start + (uint64_t)t->timeout_ms;
    code = clnrm_test_needs_network(t) ? create_network(&tr) : CLNRM_OK;
    if (code == CLNRM_OK)
        code = start_services(&tr);
    if (code == CLNRM_OK)
        code = wait_ready(&tr);
    if (code == CLNRM_OK)
        run_steps(&tr);
    if (cancelled(&tr)) {
        /* An interruption is not the test's fault: say so, whatever the
         * aborted step looked like. */
        res->status = CLNRM_STATUS_ERROR;
        res->code = CLNRM_E_CANCELLED;
        snprintf(res->message, sizeof(res->message), "interrupted");
    }
    teardown(&tr);
    res->duration_ms = cr_clock_ms() - start;
    return cancelled(&tr) ? CLNRM_E_CANCELLED : res->code;
}

enum clnrm_code clnrm_run_test(struct engine *eng, struct engine *cleanup,
                               const struct clnrm_runctx *rc, size_t index,
                               const struct clnrm_test *t,
                               struct clnrm_test_result *res)
{
    return run_test(eng, cleanup, NULL, rc, index, t, res);
}

/* ---------------------------------------------------------------------- */
/* The worker pool                                                         */

struct pool {
    const struct clnrm_runctx *rc;
    struct clnrm_test *const *tests;
    size_t n;
    const struct clnrm_run_opts *opts;
    struct clnrm_test_result *results;
    bool *started;
    pthread_mutex_t mu;
    size_t next;
    bool stop;
    enum clnrm_code conn_code;
    struct cr_error conn_err;
};

/* The next test index to run, or n when there is none. */
static size_t pool_take(struct pool *p)
{
    size_t idx = p->n;

    pthread_mutex_lock(&p->mu);
    if (!p->stop && p->next < p->n &&
        !(p->rc->cancel != NULL && *p->rc->cancel)) {
        idx = p->next++;
        p->started[idx] = true;
        if (p->opts->hooks.on_start != NULL)
            p->opts->hooks.on_start(p->opts->hooks.ctx, idx, p->tests[idx]);
    }
    pthread_mutex_unlock(&p->mu);
    return idx;
}

static void pool_done(struct pool *p, size_t idx)
{
    const struct clnrm_test_result *r = &p->results[idx];

    pthread_mutex_lock(&p->mu);
    if (p->opts->fail_fast && r->status != CLNRM_STATUS_PASS)
        p->stop = true;
    if (p->opts->hooks.on_done != NULL)
        p->opts->hooks.on_done(p->opts->hooks.ctx, idx, r);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct engine *eng = NULL, *cleanup = NULL;
    struct clnrm_janitor *janitor;
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    size_t idx;

    rc = clnrm_from_engine(
        engine_open(&eng, p->rc->engine_host, p->rc->cancel, &e), &e);
    if (rc == CLNRM_OK)
        rc = clnrm_from_engine(
            engine_open(&cleanup, p->rc->engine_host, NULL, &e), &e);
    if (rc != CLNRM_OK) {
        pthread_mutex_lock(&p->mu);
        if (p->conn_code == CLNRM_OK) {
            p->conn_code = rc;
            p->conn_err = e;
        }
        pthread_mutex_unlock(&p->mu);
        engine_close(eng);
        return NULL;
    }
    /* Teardown overlaps the next test; without a janitor it is inline. */
    janitor = clnrm_janitor_start(cleanup);
    while ((idx = pool_take(p)) < p->n) {
        run_test(eng, cleanup, janitor, p->rc, idx, p->tests[idx],
                 &p->results[idx]);
        pool_done(p, idx);
    }
    clnrm_janitor_finish(janitor);
    engine_close(eng);
    engine_close(cleanup);
    return NULL;
}

static void mark_not_run(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->started[i])
            continue;
        p->results[i].test = p->tests[i];
        p->results[i].status = CLNRM_STATUS_SKIP;
        snprintf(p->results[i].message, sizeof(p->results[i].message),
                 "not run: %.400s",
                 p->conn_code != CLNRM_OK ? p->conn_err.msg
                 : p->stop                ? "--fail-fast after a failure"
                                          : "interrupted");
        if (p->conn_code != CLNRM_OK) {
            p->results[i].status = CLNRM_STATUS_ERROR;
            p->results[i].code = p->conn_code;
        }
    }
}

static int spawn_thread(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    return pthread_create(thread, NULL, fn, arg);
}

enum clnrm_code clnrm_run_all(const struct clnrm_runctx *rc,
                              struct clnrm_test *const *tests, size_t n,
                              const struct clnrm_run_opts *opts,
                              struct clnrm_test_result *results,
                              struct cr_error *err)
{
    struct pool p = {
        .rc = rc, .tests = tests, .n = n, .opts = opts, .results = results
    };
    size_t jobs = opts->jobs > 0 ? opts->jobs : 1;
    clnrm_spawn_fn spawn = opts->spawn != NULL ? opts->spawn : spawn_thread;
    pthread_t *threads;
    size_t started = 0;

    if (jobs > n)
        jobs = n > 0 ? n : 1;
    p.started = cr_calloc(n + 1, sizeof(bool));
    threads = cr_calloc(jobs, sizeof(*threads));
    if (p.started == NULL || threads == NULL) {
        cr_free(p.started);
        cr_free(threads);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    pthread_mutex_init(&p.mu, NULL);
    /* threads[0..started) are exactly the workers running: a failed start
     * ends the spawning, and those started drain the queue. Every one is
     * joined before p goes away. */
    for (size_t i = 0; jobs > 1 && i < jobs; i++) {
        if (spawn(&threads[started], worker, &p) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(&p);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    mark_not_run(&p);
    pthread_mutex_destroy(&p.mu);
    cr_free(p.started);
    cr_free(threads);
    if (p.conn_code != CLNRM_OK) {
        if (err != NULL)
            *err = p.conn_err;
        return p.conn_code;
    }
    return CLNRM_OK;
}
