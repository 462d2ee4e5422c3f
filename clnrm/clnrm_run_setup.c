/* clnrm_run_setup: a test's network and containers. See
 * clnrm_test_run.h. */
#include "clnrm_test_run.h"

#include "clnrm_suite.h"

#include <ctype.h>

#include "cr_alloc.h"

#include <stdio.h>
#include <string.h>

static bool test_publishes(const struct clnrm_test *t)
{
    for (size_t i = 0; i < t->n_services; i++)
        if (t->services[i].n_ports > 0)
            return true;
    return false;
}

enum clnrm_code clnrm__create_network(struct clnrm_test_run *tr)
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
        return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, rc, e.msg);
    return CLNRM_OK;
}

/* NULL-terminated "K=V" strings for env; free with cr_strv_release. */
int clnrm__env_strings(const struct clnrm_env *env, struct cr_strv *out)
{
    for (size_t i = 0; i < env->n; i++) {
        if (cr_strv_push_take(out, cr_strprintf("%s=%s", env->items[i].key,
                                                env->items[i].value)) != 0)
            return -1;
    }
    return 0;
}

static bool step_sets(const struct clnrm_step *s, const char *key)
{
    for (size_t i = 0; i < s->env.n; i++)
        if (strcmp(s->env.items[i].key, key) == 0)
            return true;
    return false;
}

/* The environment of a service running step s as its main process: the
 * service's variables that s does not set, then s's; 0 or -1. */
static int main_env(const struct clnrm_service *svc, const struct clnrm_step *s,
                    struct cr_strv *out)
{
    /* An exec's env is added on top of the container's; a duplicate key in
     * one create list is not reliably the later one, so drop it. */
    for (size_t i = 0; i < svc->env.n; i++) {
        const struct clnrm_env_item *it = &svc->env.items[i];
        if (!step_sets(s, it->key) &&
            cr_strv_push_take(out, cr_strprintf("%s=%s", it->key, it->value)) !=
                0)
            return -1;
    }
    return clnrm__env_strings(&s->env, out);
}

static int bind_strings(const struct clnrm_service *s, struct cr_strv *out)
{
    for (size_t i = 0; i < s->n_volumes; i++) {
        if (cr_strv_push_take(
                out, cr_strprintf("%s:%s%s", s->volumes[i].host_path,
                                  s->volumes[i].container_path,
                                  s->volumes[i].read_only ? ":ro" : "")) != 0)
            return -1;
    }
    return 0;
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
    cs->privileged = sec->privileged; /* the loader required the flag */
    /* Host namespaces, each allowed by its own flag in the loader. A host
     * network replaces the test's own: no aliases, the host's name. */
    cs->pid_mode = sec->host_pid ? "host" : NULL;
    cs->ipc_mode = sec->host_ipc ? "host" : NULL;
    if (sec->host_network) {
        cs->network = "host";
        cs->network_disabled = false;
        cs->network_aliases = NULL;
        cs->hostname = NULL;
    }
    if (sec->read_only_rootfs) {
        cs->tmpfs = &tmp;
        cs->ntmpfs = 1;
    }
}

/* The requested container ports, each published on the host port the
 * file asks for, else one the engine picks, on the host's loopback unless
 * the file names another address (never every interface by default). */
static struct engine_port_binding *port_bindings(const struct clnrm_service *s)
{
    struct engine_port_binding *pb = cr_calloc(s->n_ports + 1, sizeof(*pb));

    for (size_t i = 0; pb != NULL && i < s->n_ports; i++) {
        const struct clnrm_publish *p =
            s->publish != NULL ? &s->publish[i] : NULL;
        pb[i] = (struct engine_port_binding){
            .container_port = (unsigned)s->ports[i],
            .host_ip = p != NULL && p->host_ip[0] ? p->host_ip : "127.0.0.1",
            .host_port = p != NULL ? p->host_port : 0
        };
    }
    return pb;
}

/* The engine's words for a host port someone else holds: "port is
 * already allocated" (its proxy) or "address already in use" (bind). */
static bool port_taken(const char *msg)
{
    return strstr(msg, "already allocated") != NULL ||
           strstr(msg, "address already in use") != NULL;
}

/* Rewords a start that failed on a taken host port: which service, which
 * port, and what to do, the engine's own words last. False (out untouched)
 * when the service asks for no fixed host port: the engine chose them, so
 * there is nothing to free or choose, and its message stands. */
static bool port_in_use(const struct clnrm_svc_state *ss,
                        const struct cr_error *e, char *out, size_t size)
{
    const struct clnrm_service *s = ss->svc;
    size_t k = s->n_ports;

    /* The port the engine names, else the first one asked for. */
    for (size_t i = 0; i < s->n_ports; i++) {
        char port[16];
        const char *at;
        if (s->publish[i].host_port == 0)
            continue;
        if (k == s->n_ports)
            k = i;
        snprintf(port, sizeof(port), ":%u", s->publish[i].host_port);
        at = strstr(e->msg, port);
        if (at != NULL && !isdigit((unsigned char)at[strlen(port)])) {
            k = i;
            break;
        }
    }
    if (k == s->n_ports)
        return false;
    snprintf(out, size,
             "service \"%s\": host port %s:%u (for container port %d) is "
             "already in use; free it or choose another in \"ports\" "
             "(engine: %s)",
             s->name, s->publish[k].host_ip, s->publish[k].host_port,
             s->ports[k], e->msg);
    return true;
}

/* Reads back the host ports the engine chose for ss's published ports. */
static enum clnrm_code read_host_ports(struct engine *eng,
                                       struct clnrm_svc_state *ss,
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
static void service_spec(const struct clnrm_test_run *tr,
                         struct clnrm_svc_state *ss, const struct cr_strv *env,
                         const struct cr_strv *binds,
                         const struct engine_kv *labels,
                         const struct engine_port_binding *ports,
                         const char *const *aliases,
                         struct engine_container_spec *cs)
{
    static const char *const keepalive[] = { CLNRM_KEEPALIVE_ARGV, NULL };
    static const char *const no_entrypoint[] = { NULL };
    const struct clnrm_service *s = ss->svc;

    cs->image = s->image;
    cs->name = ss->name;
    cs->argv = s->command.n > 0 ? (const char *const *)s->command.v : keepalive;
    /* The engine runs ENTRYPOINT + Cmd: an argv of clnrm's own (the
     * keep-alive, a main step) must not be wrapped by the image's
     * entrypoint, so it gets none ([]). A user's service command keeps
     * it, as compose does. */
    cs->entrypoint = s->command.n > 0 ? NULL : no_entrypoint;
    cs->workdir = s->workdir;
    if (tr->main_step != NULL) {
        /* The step's output is read back through the logs endpoint, which
         * a daemon set to log-driver "none" (or a remote-only driver)
         * would leave empty: ask for json-file for this container. */
        cs->log_driver = "json-file";
        cs->entrypoint = no_entrypoint;
        cs->argv = (const char *const *)tr->main_step->argv.v;
        if (tr->main_step->workdir != NULL) /* as an exec's would */
            cs->workdir = tr->main_step->workdir;
    }
    cs->env = (const char *const *)env->v;
    cs->labels = labels;
    cs->nlabels = tr->n_labels + 1;
    cs->hostname = s->name;
    cs->network = tr->net_id != NULL ? tr->net_name : "none";
    /* No test network: loopback only, and none of the engine's network
     * work (see engine.h). */
    cs->network_disabled = tr->net_id == NULL;
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
enum clnrm_code clnrm__boot_service(const struct clnrm_test_run *tr,
                                    struct engine *eng,
                                    struct clnrm_svc_state *ss)
{
    const struct clnrm_service *s = ss->svc;
    struct engine_container_spec cs = { 0 };
    struct cr_strv env = { 0 }, binds = { 0 };
    struct engine_kv labels[CLNRM_MAX_LABELS + 1];
    struct engine_port_binding *ports = port_bindings(s);
    const char *aliases[] = { s->name, NULL };
    struct cr_error e = { 0 };
    enum clnrm_code rc;

    memcpy(labels, tr->labels, tr->n_labels * sizeof(labels[0]));
    labels[tr->n_labels] = (struct engine_kv){ CLNRM_LABEL_SERVICE, s->name };
    snprintf(ss->name, sizeof(ss->name), "clnrm-%s-%zu-%s", tr->rc->run_id,
             tr->index, s->name);
    if (ports == NULL ||
        (tr->main_step != NULL ? main_env(s, tr->main_step, &env)
                               : clnrm__env_strings(&s->env, &env)) != 0 ||
        bind_strings(s, &binds) != 0) {
        rc = clnrm_error_set(&e, CLNRM_E_NOMEM, "out of memory");
    } else if ((rc = clnrm_service_check_volumes(tr->t, s, &e)) == CLNRM_OK) {
        service_spec(tr, ss, &env, &binds, labels, ports, aliases, &cs);
        rc = clnrm_from_engine(engine_container_create(eng, &cs, &ss->id, &e),
                               &e);
    }
    cr_strv_release(&env);
    cr_strv_release(&binds);
    cr_free(ports);
    /* A main step's container starts when the step runs, its wait
     * registered first (clnrm_run_main.c). */
    if (rc == CLNRM_OK && tr->main_step == NULL)
        rc = clnrm_from_engine(engine_container_start(eng, ss->id, &e), &e);
    if (rc == CLNRM_OK)
        rc = read_host_ports(eng, ss, &e);
    if (rc != CLNRM_OK && !(s->publish != NULL && port_taken(e.msg) &&
                            port_in_use(ss, &e, ss->error, sizeof(ss->error))))
        snprintf(ss->error, sizeof(ss->error),
                 "service \"%s\" (image %s) did not start: %s", s->name,
                 s->image, e.msg);
    return ss->code = rc;
}

/* CLNRM_PORT_<SERVICE>_<PORT>=<host port> for every published port, the
 * service name upper-cased with other characters than [A-Z0-9] as '_'. */
int clnrm__port_env(struct clnrm_test_run *tr)
{
    cr_strv_release(&tr->port_env);
    for (size_t i = 0; i < tr->t->n_services; i++) {
        const struct clnrm_svc_state *ss = &tr->svcs[i];
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
