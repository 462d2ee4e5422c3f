/* fake_engine_routes: the Engine API calls the fake answers, one handler
 * per row of routes[], and the state they keep. Handlers run with the
 * fake's lock held. See fake_engine.h and fake_engine_int.h. */
#include "fake_engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Reading what the client sent (compact JSON from cJSON) ------------- */

/* Reads the JSON string at p (at its opening quote) into out; returns the
 * position after it, or NULL when p is not a string. */
static const char *json_string(const char *p, char *out, size_t size)
{
    size_t n = 0;

    if (p == NULL || *p != '"')
        return NULL;
    for (p++; *p && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p[1]) {
            p++;
            c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            if (*p == 'u' && strlen(p) >= 5) {
                c = (char)strtol((char[]){ p[3], p[4], 0 }, NULL, 16);
                p += 4;
            }
        }
        if (n + 1 < size)
            out[n++] = c;
    }
    if (size)
        out[n] = '\0';
    return *p == '"' ? p + 1 : NULL;
}

/* The value of the first "key": in body, or NULL. */
static const char *json_find(const char *body, const char *key)
{
    char pat[128];
    const char *p;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = body ? strstr(body, pat) : NULL;
    return p ? p + strlen(pat) : NULL;
}

static void json_get(const char *body, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    json_string(json_find(body, key), out, size);
}

/* Calls fn on each string of the array at p ('['). */
static void json_each(const char *p, void (*fn)(void *, const char *),
                      void *ctx)
{
    char s[1024];

    if (p == NULL || *p != '[')
        return;
    for (p++; p != NULL && *p == '"';) {
        p = json_string(p, s, sizeof(s));
        if (p == NULL)
            break;
        fn(ctx, s);
        if (*p == ',')
            p++;
    }
}

/* Reads the {"k":"v",...} object at p into labels. */
static size_t json_labels(const char *p, struct fake_kv *kv, size_t max)
{
    size_t n = 0;

    if (p == NULL || *p != '{')
        return 0;
    for (p++; p && *p == '"' && n < max; n++) {
        p = json_string(p, kv[n].key, sizeof(kv[n].key));
        if (p == NULL || *p++ != ':')
            break;
        p = json_string(p, kv[n].value, sizeof(kv[n].value));
        if (p && *p == ',')
            p++;
    }
    return n;
}

/* The value of query parameter name, URL-decoded, into out. */
static bool query_get(const char *query, const char *name, char *out,
                      size_t size)
{
    size_t nl = strlen(name), n = 0;
    const char *p = query;

    while (p && *p) {
        if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
            for (p += nl + 1; *p && *p != '&' && n + 1 < size; p++) {
                if (*p == '%' && p[1] && p[2]) {
                    out[n++] =
                        (char)strtol((char[]){ p[1], p[2], 0 }, NULL, 16);
                    p += 2;
                } else {
                    out[n++] = *p == '+' ? ' ' : *p;
                }
            }
            out[n] = '\0';
            return true;
        }
        p = strchr(p, '&');
        p = p ? p + 1 : NULL;
    }
    out[0] = '\0';
    return false;
}

/* ---- State ------------------------------------------------------------- */

static struct fake_obj *obj_find(struct fake_engine *f, const char *ref,
                                 bool network)
{
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++) {
        struct fake_obj *o = &f->objs[i];
        if (o->used && o->network == network &&
            (strcmp(o->id, ref) == 0 || strcmp(o->name, ref) == 0))
            return o;
    }
    return NULL;
}

static struct fake_obj *obj_new(struct fake_engine *f, bool network,
                                const char *name)
{
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++) {
        struct fake_obj *o = &f->objs[i];
        if (o->used)
            continue;
        memset(o, 0, sizeof(*o));
        o->used = true;
        o->network = network;
        snprintf(o->id, sizeof(o->id), "%s%060lx", network ? "fa4e" : "fac0",
                 ++f->next_id);
        snprintf(o->name, sizeof(o->name), "%s", name ? name : o->id);
        return o;
    }
    return NULL;
}

static void obj_free(struct fake_engine *f, struct fake_obj *o)
{
    free(o->log);
    free(o->err_log);
    memset(o, 0, sizeof(*o));
    pthread_cond_broadcast(&f->cv);
}

/* An entry ending with ':' stands for every tag of that name. */
static bool image_missing(const struct fake_engine *f, const char *image)
{
    for (size_t i = 0; i < f->nmissing; i++) {
        size_t n = strlen(f->missing[i]);
        if (n > 0 && f->missing[i][n - 1] == ':'
                ? strncmp(f->missing[i], image, n) == 0
                : strcmp(f->missing[i], image) == 0)
            return true;
    }
    return false;
}

/* True when o carries label ("key" or "key=value"). */
static bool has_label(const struct fake_obj *o, const char *label)
{
    const char *eq = strchr(label, '=');
    size_t kl = eq ? (size_t)(eq - label) : strlen(label);

    for (size_t k = 0; k < o->nlabels; k++)
        if (strlen(o->labels[k].key) == kl &&
            strncmp(o->labels[k].key, label, kl) == 0 &&
            (eq == NULL || strcmp(o->labels[k].value, eq + 1) == 0))
            return true;
    return false;
}

/* ---- Helpers for replies ----------------------------------------------- */

/* Appends a multiplexed-stream frame (8-byte header, then data). */
static void frame(struct fake_sb *b, int stream, const char *data)
{
    size_t n = data ? strlen(data) : 0;
    unsigned char h[8] = { (unsigned char)stream,
                           0,
                           0,
                           0,
                           (unsigned char)(n >> 24),
                           (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8),
                           (unsigned char)n };

    if (n == 0)
        return;
    fake__sb_put(b, h, sizeof(h));
    fake__sb_put(b, data, n);
}

static void put_labels(struct fake_sb *b, const struct fake_obj *o)
{
    fake__sb_printf(b, "\"Labels\":{");
    for (size_t k = 0; k < o->nlabels; k++) {
        fake__sb_printf(b, "%s", k ? "," : "");
        fake__sb_json_str(b, o->labels[k].key);
        fake__sb_printf(b, ":");
        fake__sb_json_str(b, o->labels[k].value);
    }
    fake__sb_printf(b, "}");
}

static struct fake_obj *container_or_404(struct fake_engine *f, const char *ref,
                                         struct fake_reply *rp)
{
    struct fake_obj *o = obj_find(f, ref, false);

    if (o == NULL)
        fake__reply_error(rp, 404, "No such container: %s", ref);
    return o;
}

/* ---- Handlers ----------------------------------------------------------- */

static void h_ping(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    rp->status = 200;
    rp->ctype = "text/plain; charset=utf-8";
    fake__sb_printf(&rp->body, "OK");
}

static void h_version(struct fake_engine *f, const struct fake_req *rq,
                      const char *arg, struct fake_reply *rp)
{
    rp->status = 200;
    fake__sb_printf(&rp->body,
                    "{\"Version\":\"20.10.24\",\"ApiVersion\":\"" FAKE_API
                    "\",\"MinAPIVersion\":\"1.12\",\"Os\":\"linux\","
                    "\"Arch\":\"amd64\"}");
}

static void h_image(struct fake_engine *f, const struct fake_req *rq,
                    const char *arg, struct fake_reply *rp)
{
    if (image_missing(f, arg)) {
        fake__reply_error(rp, 404, "No such image: %s", arg);
        return;
    }
    rp->status = 200;
    fake__sb_printf(&rp->body, "{\"Id\":\"sha256:fa4e\",\"RepoTags\":[");
    fake__sb_json_str(&rp->body, arg);
    fake__sb_printf(&rp->body, "]}");
}

static void h_net_create(struct fake_engine *f, const struct fake_req *rq,
                         const char *arg, struct fake_reply *rp)
{
    char name[200];
    struct fake_obj *o;

    json_get(rq->body, "Name", name, sizeof(name));
    if (obj_find(f, name, true) != NULL) {
        fake__reply_error(rp, 409, "network with name %s already exists", name);
        return;
    }
    if ((o = obj_new(f, true, name)) == NULL) {
        fake__reply_error(rp, 500, "fake engine: too many objects");
        return;
    }
    o->nlabels =
        json_labels(json_find(rq->body, "Labels"), o->labels, FAKE_MAX_LABELS);
    rp->status = 201;
    fake__sb_printf(&rp->body, "{\"Id\":\"%s\",\"Warning\":\"\"}", o->id);
}

static void h_net_remove(struct fake_engine *f, const struct fake_req *rq,
                         const char *arg, struct fake_reply *rp)
{
    struct fake_obj *n = obj_find(f, arg, true);

    if (n == NULL) {
        fake__reply_error(rp, 404, "network %s not found", arg);
        return;
    }
    /* As the engine does: a network with containers on it stays. */
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++) {
        const struct fake_obj *o = &f->objs[i];
        if (o->used && !o->network &&
            (strcmp(o->netmode, n->name) == 0 ||
             strcmp(o->netmode, n->id) == 0)) {
            fake__reply_error(rp, 403,
                              "error while removing network: network %s id "
                              "%s has active endpoints",
                              n->name, n->id);
            return;
        }
    }
    obj_free(f, n);
    rp->status = 204;
}

/* Collects the "label" filters of a list call. */
struct filters {
    char v[8][256];
    size_t n;
};

static void add_filter(void *ctx, const char *s)
{
    struct filters *fl = ctx;

    if (fl->n < 8)
        snprintf(fl->v[fl->n++], sizeof(fl->v[0]), "%s", s);
}

static void list(struct fake_engine *f, const struct fake_req *rq, bool network,
                 struct fake_reply *rp)
{
    char q[2048];
    struct filters fl = { .n = 0 };
    bool first = true;

    if (query_get(rq->query, "filters", q, sizeof(q)))
        json_each(json_find(q, "label"), add_filter, &fl);
    rp->status = 200;
    fake__sb_printf(&rp->body, "[");
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++) {
        const struct fake_obj *o = &f->objs[i];
        bool match = o->used && o->network == network;
        for (size_t k = 0; match && k < fl.n; k++)
            match = has_label(o, fl.v[k]);
        if (!match)
            continue;
        fake__sb_printf(&rp->body, "%s{\"Id\":\"%s\",", first ? "" : ",",
                        o->id);
        fake__sb_printf(&rp->body, "\"%s\":%s", network ? "Name" : "Names",
                        network ? "" : "[");
        fake__sb_json_str(&rp->body, o->name);
        fake__sb_printf(&rp->body, "%s,", network ? "" : "]");
        put_labels(&rp->body, o);
        fake__sb_printf(&rp->body, "}");
        first = false;
    }
    fake__sb_printf(&rp->body, "]");
}

static void h_net_list(struct fake_engine *f, const struct fake_req *rq,
                       const char *arg, struct fake_reply *rp)
{
    list(f, rq, true, rp);
}

static void h_list(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    list(f, rq, false, rp);
}

static void join_arg(void *ctx, const char *s);

/* The exec rule (+ 1) whose command is the container's Cmd, or 0: such a
 * container runs that command as its main process (clnrm run's one-step
 * case), exiting at start with the rule's code and output. */
static int main_rule(struct fake_engine *f, const struct fake_req *rq)
{
    struct fake_sb cmd = { 0 };
    int found = 0;

    json_each(json_find(rq->body, "Cmd"), join_arg, &cmd);
    for (size_t i = 0; cmd.p != NULL && i < f->nexec_rules; i++)
        if (strcmp(f->exec_rules[i].cmd, cmd.p) == 0)
            found = (int)i + 1;
    free(cmd.p);
    return found;
}

static void h_create(struct fake_engine *f, const struct fake_req *rq,
                     const char *arg, struct fake_reply *rp)
{
    char name[200], image[200];
    const char *p = json_find(rq->body, "ExposedPorts");
    struct fake_obj *o;

    query_get(rq->query, "name", name, sizeof(name));
    json_get(rq->body, "Image", image, sizeof(image));
    if (image_missing(f, image)) {
        fake__reply_error(rp, 404, "No such image: %s", image);
        return;
    }
    if (name[0] && (o = obj_find(f, name, false)) != NULL) {
        fake__reply_error(rp, 409,
                          "Conflict. The container name \"/%s\" is already "
                          "in use by container \"%s\". You have to remove (or "
                          "rename) that container to be able to reuse that "
                          "name.",
                          name, o->id);
        return;
    }
    if ((o = obj_new(f, false, name[0] ? name : NULL)) == NULL) {
        fake__reply_error(rp, 500, "fake engine: too many objects");
        return;
    }
    snprintf(o->image, sizeof(o->image), "%s", image);
    o->main_rule = main_rule(f, rq);
    json_get(rq->body, "NetworkMode", o->netmode, sizeof(o->netmode));
    o->nlabels =
        json_labels(json_find(rq->body, "Labels"), o->labels, FAKE_MAX_LABELS);
    /* {"80/tcp":{},...}: each published port gets a host port. */
    for (p = p && *p == '{' ? p + 1 : NULL;
         p && *p == '"' && o->nports < FAKE_MAX_PORTS; o->nports++) {
        p = json_string(p, o->ports[o->nports], sizeof(o->ports[0]));
        o->host_ports[o->nports] = f->next_port++;
        p = p ? strchr(p, '}') : NULL;
        p = p && p[1] == ',' ? p + 2 : NULL;
    }
    rp->status = 201;
    fake__sb_printf(&rp->body, "{\"Id\":\"%s\",\"Warnings\":[]}", o->id);
}

static void h_start(struct fake_engine *f, const struct fake_req *rq,
                    const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);
    size_t nl;

    if (o == NULL)
        return;
    rp->status = o->running ? 304 : 204;
    if (!o->running)
        o->starts++;
    o->running = true;
    if (o->main_rule > 0) {
        const struct fake_exec_rule *r = &f->exec_rules[o->main_rule - 1];
        o->running = false;
        o->exit_code = r->code;
        free(o->log);
        free(o->err_log);
        o->log = r->out ? fake__xstrdup(r->out) : NULL;
        o->err_log = r->err ? fake__xstrdup(r->err) : NULL;
    }
    nl = strlen(o->name);
    for (size_t i = 0; i < f->nexit_rules; i++) {
        const struct fake_exit_rule *x = &f->exit_rules[i];
        size_t sl = strlen(x->suffix);
        if (nl >= sl && strcmp(o->name + nl - sl, x->suffix) == 0) {
            o->running = false;
            o->exit_code = x->code;
            free(o->log);
            o->log = fake__xstrdup(x->log);
        }
    }
    pthread_cond_broadcast(&f->cv);
}

static const char wait_head[] = "HTTP/1.1 200 OK\r\nApi-Version: " FAKE_API
                                "\r\nContent-Type: application/json\r\n"
                                "Connection: close\r\n\r\n";

/* Waits, as the engine does, until the container is not running. */
static void h_wait(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);
    char id[65], cond[32];
    unsigned starts;

    if (o == NULL)
        return;
    snprintf(id, sizeof(id), "%s", o->id);
    /* condition=next-exit: an exit after a start still to come. */
    query_get(rq->query, "condition", cond, sizeof(cond));
    starts = strcmp(cond, "next-exit") == 0 && !o->running ? o->starts + 1
                                                           : o->starts;
    /* The engine answers a wait's headers at once and its body at the
     * exit, which is how a client knows the wait is registered before it
     * starts the container: the same here, the body ending at the close. */
    if (write(rq->fd, wait_head, strlen(wait_head)) !=
        (ssize_t)strlen(wait_head))
        return;
    while ((o = obj_find(f, id, false)) != NULL &&
           (o->running || o->starts < starts) && !f->dead && !f->stopping)
        pthread_cond_wait(&f->cv, &f->mu);
    if (f->dead || f->stopping)
        return; /* closed without an answer */
    rp->status = 200;
    rp->raw = true;
    rp->close = true;
    fake__sb_printf(&rp->body, "{\"StatusCode\":%d,\"Error\":null}",
                    o ? o->exit_code : 137);
}

static void h_inspect(struct fake_engine *f, const struct fake_req *rq,
                      const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);

    if (o == NULL)
        return;
    rp->status = 200;
    fake__sb_printf(&rp->body, "{\"Id\":\"%s\",\"Name\":", o->id);
    fake__sb_json_str(&rp->body, o->name);
    fake__sb_printf(&rp->body,
                    ",\"State\":{\"Status\":\"%s\",\"Running\":%s,"
                    "\"OOMKilled\":false,\"ExitCode\":%d,\"Pid\":%d},"
                    "\"NetworkSettings\":{\"Networks\":{},\"Ports\":{",
                    o->running ? "running" : "exited",
                    o->running ? "true" : "false", o->exit_code,
                    o->running ? 4242 : 0);
    for (size_t i = 0; i < o->nports; i++)
        fake__sb_printf(&rp->body,
                        "%s\"%s\":[{\"HostIp\":\"127.0.0.1\","
                        "\"HostPort\":\"%u\"}]",
                        i ? "," : "", o->ports[i], o->host_ports[i]);
    fake__sb_printf(&rp->body, "}}}");
}

static void h_logs(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);

    if (o == NULL)
        return;
    rp->status = 200;
    rp->ctype = "application/vnd.docker.multiplexed-stream";
    frame(&rp->body, 1, o->log);
    frame(&rp->body, 2, o->err_log);
}

static void h_kill(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);

    if (o == NULL)
        return;
    if (!o->running) {
        fake__reply_error(rp, 409, "Container %s is not running", o->id);
        return;
    }
    o->running = false;
    o->exit_code = 137;
    rp->status = 204;
    pthread_cond_broadcast(&f->cv);
}

static void h_stop(struct fake_engine *f, const struct fake_req *rq,
                   const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);

    if (o == NULL)
        return;
    rp->status = o->running ? 204 : 304;
    if (o->running)
        o->exit_code = 143;
    o->running = false;
    pthread_cond_broadcast(&f->cv);
}

static void h_remove(struct fake_engine *f, const struct fake_req *rq,
                     const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);
    char force[8];

    if (o == NULL)
        return;
    query_get(rq->query, "force", force, sizeof(force));
    if (o->running && strcmp(force, "1") != 0) {
        fake__reply_error(rp, 409,
                          "You cannot remove a running container %s. Stop "
                          "the container before attempting removal or force "
                          "remove",
                          o->id);
        return;
    }
    obj_free(f, o);
    rp->status = 204;
}

static void join_arg(void *ctx, const char *s)
{
    struct fake_sb *b = ctx;

    if (b->len)
        fake__sb_put(b, " ", 1);
    fake__sb_put(b, s, strlen(s));
}

static void h_exec_create(struct fake_engine *f, const struct fake_req *rq,
                          const char *arg, struct fake_reply *rp)
{
    struct fake_obj *o = container_or_404(f, arg, rp);
    struct fake_sb cmd = { 0 };
    struct fake_exec *x;

    if (o == NULL)
        return;
    if (!o->running) {
        fake__reply_error(rp, 409, "Container %s is not running", o->id);
        return;
    }
    if (f->nexecs == FAKE_MAX_EXECS) {
        fake__reply_error(rp, 500, "fake engine: too many execs");
        return;
    }
    x = &f->execs[f->nexecs];
    snprintf(x->id, sizeof(x->id), "e%063lx", ++f->next_id);
    snprintf(x->container, sizeof(x->container), "%s", o->id);
    json_each(json_find(rq->body, "Cmd"), join_arg, &cmd);
    x->code = 0;
    for (size_t i = 0; i < f->nexec_rules; i++) {
        const struct fake_exec_rule *r = &f->exec_rules[i];
        if (cmd.p && strcmp(r->cmd, cmd.p) == 0) {
            x->code = r->code;
            x->out = r->out ? fake__xstrdup(r->out) : NULL;
            x->err = r->err ? fake__xstrdup(r->err) : NULL;
        }
    }
    free(cmd.p);
    f->nexecs++;
    rp->status = 201;
    fake__sb_printf(&rp->body, "{\"Id\":\"%s\"}", x->id);
}

static struct fake_exec *exec_find(struct fake_engine *f, const char *id)
{
    for (size_t i = 0; i < f->nexecs; i++)
        if (strcmp(f->execs[i].id, id) == 0)
            return &f->execs[i];
    return NULL;
}

static void h_exec_start(struct fake_engine *f, const struct fake_req *rq,
                         const char *arg, struct fake_reply *rp)
{
    const struct fake_exec *x = exec_find(f, arg);

    if (x == NULL) {
        fake__reply_error(rp, 404, "No such exec instance: %s", arg);
        return;
    }
    rp->status = 200;
    rp->ctype = "application/vnd.docker.raw-stream";
    frame(&rp->body, 1, x->out);
    frame(&rp->body, 2, x->err);
}

static void h_exec_inspect(struct fake_engine *f, const struct fake_req *rq,
                           const char *arg, struct fake_reply *rp)
{
    const struct fake_exec *x = exec_find(f, arg);

    if (x == NULL) {
        fake__reply_error(rp, 404, "No such exec instance: %s", arg);
        return;
    }
    rp->status = 200;
    fake__sb_printf(&rp->body,
                    "{\"ID\":\"%s\",\"ContainerID\":\"%s\",\"Running\":false,"
                    "\"ExitCode\":%d,\"Pid\":4243}",
                    x->id, x->container, x->code);
}

/* POST /build: NDJSON output that echoes the query (so tests see the
 * parameters the client sent) and, for a tag holding "fail", an error
 * inside the stream after some output, as a failed RUN gives. */
/* A successful build makes every "name:" (any tag) entry found. */
static void built(struct fake_engine *f)
{
    size_t k = 0;

    for (size_t i = 0; i < f->nmissing; i++) {
        size_t n = strlen(f->missing[i]);
        if (n > 0 && f->missing[i][n - 1] == ':')
            free(f->missing[i]);
        else
            f->missing[k++] = f->missing[i];
    }
    f->nmissing = k;
}

static void h_build(struct fake_engine *f, const struct fake_req *rq,
                    const char *arg, struct fake_reply *rp)
{
    (void)arg;
    rp->status = 200;
    rp->ctype = "application/json";
    fake__sb_printf(&rp->body, "{\"stream\":\"Step 1/2 : FROM base\\n\"}\n"
                               "{\"stream\":");
    fake__sb_json_str(&rp->body, rq->query);
    fake__sb_printf(&rp->body, "}\n");
    if (strstr(rq->query, "fail") != NULL)
        fake__sb_printf(&rp->body,
                        "{\"stream\":\"Step 2/2 : RUN exit 7\\n\"}\n"
                        "{\"errorDetail\":{\"code\":7},\"error\":\"The "
                        "command '/bin/sh -c exit 7' returned a non-zero "
                        "code: 7\"}\n");
    else
        built(f);
    if (strstr(rq->query, "fail") == NULL)
        fake__sb_printf(&rp->body,
                        "{\"aux\":{\"ID\":\"sha256:b1\"}}\n"
                        "{\"stream\":\"Successfully built b1\\n\"}\n");
}

/* Most specific first: the list of containers before a container. */
static const struct fake_route_def routes[] = {
    { FAKE_PING, "GET", "/_ping", h_ping, 200 },
    { FAKE_PING, "HEAD", "/_ping", h_ping, 200 },
    { FAKE_VERSION, "GET", "/version", h_version, 200 },
    { FAKE_IMAGE_INSPECT, "GET", "/images/+/json", h_image, 200 },
    { FAKE_NETWORK_CREATE, "POST", "/networks/create", h_net_create, 201 },
    { FAKE_NETWORK_LIST, "GET", "/networks", h_net_list, 200 },
    { FAKE_NETWORK_REMOVE, "DELETE", "/networks/*", h_net_remove, 204 },
    { FAKE_CONTAINER_CREATE, "POST", "/containers/create", h_create, 201 },
    { FAKE_CONTAINER_LIST, "GET", "/containers/json", h_list, 200 },
    { FAKE_CONTAINER_START, "POST", "/containers/*/start", h_start, 204 },
    { FAKE_CONTAINER_WAIT, "POST", "/containers/*/wait", h_wait, 200 },
    { FAKE_CONTAINER_INSPECT, "GET", "/containers/*/json", h_inspect, 200 },
    { FAKE_CONTAINER_LOGS, "GET", "/containers/*/logs", h_logs, 200 },
    { FAKE_CONTAINER_KILL, "POST", "/containers/*/kill", h_kill, 204 },
    { FAKE_CONTAINER_STOP, "POST", "/containers/*/stop", h_stop, 204 },
    { FAKE_CONTAINER_REMOVE, "DELETE", "/containers/*", h_remove, 204 },
    { FAKE_EXEC_CREATE, "POST", "/containers/*/exec", h_exec_create, 201 },
    { FAKE_EXEC_START, "POST", "/exec/*/start", h_exec_start, 200 },
    { FAKE_EXEC_INSPECT, "GET", "/exec/*/json", h_exec_inspect, 200 },
    { FAKE_BUILD, "POST", "/build", h_build, 200 },
};

/* Matches path against pattern, copying the wildcard's text to arg. */
static bool match(const char *pat, const char *path, char *arg, size_t size)
{
    const char *star = strpbrk(pat, "*+");
    size_t pre = star ? (size_t)(star - pat) : strlen(pat);
    size_t plen = strlen(path), slen, alen;

    if (star == NULL)
        return strcmp(pat, path) == 0;
    slen = strlen(star + 1);
    if (strncmp(pat, path, pre) != 0 || plen <= pre + slen ||
        strcmp(path + plen - slen, star + 1) != 0)
        return false;
    alen = plen - pre - slen;
    if (*star == '*' && memchr(path + pre, '/', alen) != NULL)
        return false;
    snprintf(arg, size, "%.*s", (int)alen, path + pre);
    return true;
}

const struct fake_route_def *fake__route_find(const struct fake_req *rq,
                                              char *arg, size_t size)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if (strcmp(routes[i].method, rq->method) == 0 &&
            match(routes[i].pattern, rq->path, arg, size))
            return &routes[i];
    return NULL;
}

/* ---- Scripting the state ------------------------------------------------ */

void fake_engine_exec(struct fake_engine *f, const char *cmd, int code,
                      const char *out, const char *err)
{
    struct fake_exec_rule *r = NULL;

    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < f->nexec_rules; i++)
        if (strcmp(f->exec_rules[i].cmd, cmd) == 0)
            r = &f->exec_rules[i];
    if (r == NULL && f->nexec_rules < FAKE_MAX_RULES) {
        r = &f->exec_rules[f->nexec_rules++];
        r->cmd = fake__xstrdup(cmd);
    } else if (r != NULL) {
        free(r->out);
        free(r->err);
    }
    if (r != NULL) {
        r->code = code;
        r->out = out ? fake__xstrdup(out) : NULL;
        r->err = err ? fake__xstrdup(err) : NULL;
    }
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_exit_on_start(struct fake_engine *f, const char *suffix,
                               int code, const char *log)
{
    pthread_mutex_lock(&f->mu);
    if (f->nexit_rules < FAKE_MAX_RULES) {
        struct fake_exit_rule *x = &f->exit_rules[f->nexit_rules++];
        x->suffix = fake__xstrdup(suffix);
        x->log = fake__xstrdup(log);
        x->code = code;
    }
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_missing_image(struct fake_engine *f, const char *image)
{
    pthread_mutex_lock(&f->mu);
    if (f->nmissing < FAKE_MAX_RULES)
        f->missing[f->nmissing++] = fake__xstrdup(image);
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_add_object(struct fake_engine *f, bool network,
                            const char *name, const char *const *keys,
                            const char *const *values, size_t n, char *id)
{
    struct fake_obj *o;

    pthread_mutex_lock(&f->mu);
    o = obj_new(f, network, name);
    if (o == NULL)
        abort();
    for (size_t k = 0; k < n && k < FAKE_MAX_LABELS; k++) {
        snprintf(o->labels[k].key, sizeof(o->labels[k].key), "%s", keys[k]);
        snprintf(o->labels[k].value, sizeof(o->labels[k].value), "%s",
                 values[k]);
        o->nlabels++;
    }
    o->running = !network;
    snprintf(id, 65, "%s", o->id);
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_count(struct fake_engine *f, const char *label,
                       size_t *containers, size_t *networks)
{
    size_t c = 0, n = 0;

    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++) {
        const struct fake_obj *o = &f->objs[i];
        if (!o->used || (label != NULL && !has_label(o, label)))
            continue;
        if (o->network)
            n++;
        else
            c++;
    }
    pthread_mutex_unlock(&f->mu);
    if (containers)
        *containers = c;
    if (networks)
        *networks = n;
}

/* The values of every "key":"value" pair of body, blank-separated. */
static void json_all(struct fake_sb *b, const char *body, const char *key)
{
    char pat[64], v[200];
    const char *p = body;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    while (p != NULL && (p = strstr(p, pat)) != NULL) {
        p += strlen(pat);
        while (*p == ' ')
            p++;
        if (json_string(p, v, sizeof(v)) != NULL)
            fake__sb_printf(b, " %s=%s", key, v);
    }
}

void fake__log_request(struct fake_engine *f, enum fake_route id,
                       const struct fake_req *rq, const char *arg, int status)
{
    struct fake_obj *o;
    char name[200];

    if (status < 200 || status >= 300)
        return;
    if (id == FAKE_CONTAINER_CREATE) {
        query_get(rq->query, "name", name, sizeof(name));
        fake__sb_printf(&f->log, "create %s", name);
        if (strstr(rq->body, "\"Entrypoint\":[]") != NULL)
            fake__sb_printf(&f->log, " Entrypoint=[]");
        if (strstr(rq->body, "\"LogConfig\":{\"Type\":\"json-file\"}") != NULL)
            fake__sb_printf(&f->log, " LogType=json-file");
        json_all(&f->log, rq->body, "HostIp");
        json_all(&f->log, rq->body, "HostPort");
        fake__sb_printf(&f->log, "\n");
    } else if (id == FAKE_CONTAINER_START || id == FAKE_EXEC_CREATE) {
        o = obj_find(f, arg, false);
        fake__sb_printf(&f->log, "%s %s\n",
                        id == FAKE_CONTAINER_START ? "start" : "exec",
                        o != NULL ? o->name : arg);
    }
}

void fake__state_free(struct fake_engine *f)
{
    free(f->log.p);
    for (size_t i = 0; i < FAKE_MAX_OBJS; i++)
        free(f->objs[i].log);
    for (size_t i = 0; i < f->nexecs; i++) {
        free(f->execs[i].out);
        free(f->execs[i].err);
    }
    for (size_t i = 0; i < f->nexec_rules; i++) {
        free(f->exec_rules[i].cmd);
        free(f->exec_rules[i].out);
        free(f->exec_rules[i].err);
    }
    for (size_t i = 0; i < f->nexit_rules; i++) {
        free(f->exit_rules[i].suffix);
        free(f->exit_rules[i].log);
    }
    for (size_t i = 0; i < f->nmissing; i++)
        free(f->missing[i]);
    for (size_t i = 0; i < FAKE_ROUTE_COUNT; i++)
        free(f->ov[i].message);
}
