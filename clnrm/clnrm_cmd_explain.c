/* clnrm_cmd_explain: a test's effective settings in words, printed by
 * `validate --explain` and `dry-run`. Command layer. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_mask.h"
#include "clnrm_spec.h"
#include "cr_alloc.h"

#include <stdlib.h>

/* ---------------------------------------------------------------------- */
/* validate --explain                                                      */

void clnrm_cmd_explain_argv(FILE *f, const struct cr_strv *v)
{
    fputc('[', f);
    for (size_t i = 0; i < v->n; i++) {
        fputs(i ? ", \"" : "\"", f);
        for (const char *p = v->v[i]; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\')
                fputc('\\', f);
            fputc(*p, f);
        }
        fputc('"', f);
    }
    fputc(']', f);
}

static void explain_security(FILE *f, const struct clnrm_security *s)
{
    fprintf(f,
            "  security: privileged=%s no-new-privileges=%s "
            "read-only-rootfs=%s\n",
            s->privileged ? "yes (--allow-privileged)" : "no",
            s->no_new_privileges ? "yes" : "no",
            s->read_only_rootfs ? "yes" : "no");
    if (s->host_network || s->host_pid || s->host_ipc)
        fprintf(f, "  host namespaces:%s%s%s\n",
                s->host_network ? " network (--allow-host-network)" : "",
                s->host_pid ? " pid (--allow-host-pid)" : "",
                s->host_ipc ? " ipc (--allow-host-ipc)" : "");
    fprintf(f, "  capabilities: %s",
            s->drop_all_caps ? "drop ALL, add " : "engine defaults");
    if (s->drop_all_caps)
        clnrm_cmd_explain_argv(f, &s->cap_add);
    fprintf(f, "\n  limits: pids=%lld memory=%lld MiB cpus=%s",
            (long long)s->pids_limit, (long long)s->memory_mb,
            s->cpus > 0 ? "" : "unlimited");
    if (s->cpus > 0)
        fprintf(f, "%.2f", s->cpus);
    fputc('\n', f);
}

/* The settings compose's short forms also reach: one line each. */
static void explain_service_more(FILE *f, const struct clnrm_test *t,
                                 const struct clnrm_service *s)
{
    if (s->description != NULL)
        fprintf(f, "    description: %s\n", s->description);
    for (size_t i = 0; i < s->env.n; i++)
        fprintf(f, "    env %s=%s\n", s->env.items[i].key,
                s->env.items[i].value);
    for (size_t i = 0; i < s->n_volumes; i++)
        fprintf(f, "    volume %s -> %s%s\n", s->volumes[i].host_path,
                s->volumes[i].container_path,
                s->volumes[i].read_only ? " (read-only)" : "");
    if (s->workdir != NULL)
        fprintf(f, "    working directory %s\n", s->workdir);
    if (s->depends_on.n > 0) {
        fputs("    depends on", f);
        for (size_t i = 0; i < s->depends_on.n; i++)
            fprintf(f, "%s %s (waits until it %s)", i ? "," : "",
                    s->depends_on.v[i],
                    clnrm_dep_waits_ready(t, s, i) ? "is ready"
                                                   : "has started");
        fputc('\n', f);
    }
    for (size_t i = 0; s->build != NULL && i < s->build->args.n; i++)
        fprintf(f, "    build arg %s=%s\n", s->build->args.items[i].key,
                s->build->args.items[i].value);
}

static void explain_service(FILE *f, const struct clnrm_test *t,
                            const struct clnrm_service *s)
{
    fprintf(f, "  service %s%s: ", s->name,
            t->implicit_service ? " (implicit)" : "");
    if (s->build != NULL)
        fprintf(f, "image built from %s (dockerfile %s%s%s), pid 1 ",
                s->build->context, s->build->dockerfile,
                s->build->target ? ", target " : "",
                s->build->target ? s->build->target : "");
    else
        fprintf(f, "image %s, pid 1 ", s->image);
    if (s->command.n > 0)
        clnrm_cmd_explain_argv(f, &s->command);
    else if (clnrm_test_main_step(t) != NULL)
        fputs("the step under init (a keep-alive under dev or "
              "--keep-on-failure)",
              f);
    else
        fputs("keep-alive (sleep under init)", f);
    for (size_t i = 0; i < s->n_ports; i++) {
        const struct clnrm_publish *p = &s->publish[i];
        fprintf(f, "%s%s:", i == 0 ? ", publishes " : ", ",
                p->host_ip[0] ? p->host_ip : "127.0.0.1");
        if (p->host_port != 0)
            fprintf(f, "%u", p->host_port);
        else
            fputs("<random>", f);
        fprintf(f, " -> %d", s->ports[i]);
    }
    if (s->ready.kind == CLNRM_READY_CMD) {
        fputs(", ready when ", f);
        clnrm_cmd_explain_argv(f, &s->ready.cmd);
        fputs(" exits 0", f);
    } else if (s->ready.kind == CLNRM_READY_LOG) {
        fprintf(f, ", ready when the log shows \"%s\"", s->ready.log_line);
    } else if (s->ready.kind == CLNRM_READY_PORT) {
        fprintf(f, ", ready when TCP port %d listens", s->ready.port);
    }
    fputc('\n', f);
    explain_service_more(f, t, s);
}

static bool explain_publishes(const struct clnrm_test *t)
{
    for (size_t i = 0; i < t->n_services; i++)
        if (t->services[i].n_ports > 0)
            return true;
    return false;
}

static void explain_body(FILE *f, const struct clnrm_test *t)
{
    fprintf(f, "test \"%s\" (%s, %s format)\n", t->name, t->path,
            t->format == CLNRM_FORMAT_V1 ? "v1" : "clnrm");
    fprintf(f, "  timeout: %.1f s; network: %s\n", t->timeout_ms / 1000.0,
            t->security.host_network       ? "the host's (network_mode = host)"
            : !clnrm_test_needs_network(t) ? "none"
            : explain_publishes(t)         ? "private bridge (ports published)"
                                           : "private internal bridge");
    explain_security(f, &t->security);
    for (size_t i = 0; i < t->n_services; i++)
        explain_service(f, t, &t->services[i]);
    for (size_t i = 0; i < t->n_steps; i++) {
        const struct clnrm_step *s = &t->steps[i];
        fprintf(f, "  step \"%s\" in %s: ", s->name,
                clnrm_step_service(t, s)->name);
        clnrm_cmd_explain_argv(f, &s->argv);
        fprintf(f, " expect exit %d, timeout %.1f s\n", s->expected_exit_code,
                s->timeout_ms / 1000.0);
        if (s->description != NULL)
            fprintf(f, "    description: %s\n", s->description);
    }
    for (size_t i = 0; i < t->unused_keys.n; i++)
        fprintf(f, "  accepted, not used: %s\n", t->unused_keys.v[i]);
}

/* Masks and prints a test's text; prints nothing without memory. */
void clnrm_cmd_print_masked(FILE *f, const struct clnrm_test *t,
                            const char *const *masks, size_t n_masks,
                            const char *text, size_t len)
{
    struct clnrm_mask m = { .globs = masks, .n_globs = n_masks };
    struct cr_buf b = { 0 };

    if (text != NULL && cr_buf_append(&b, text, len) == 0 &&
        clnrm_mask_add_environ(&m) == 0 &&
        (t == NULL || clnrm_mask_add_test(&m, t) == 0) &&
        clnrm_mask_apply(&m, &b) >= 0)
        fwrite(cr_buf_str(&b), 1, b.len, f);
    cr_buf_release(&b);
    clnrm_mask_release(&m);
}

/* Rendered in memory first so secret values can be masked (clnrm_mask.h)
 * before anything reaches f. */
void clnrm_cmd_explain(FILE *f, const struct clnrm_test *t,
                       const char *const *masks, size_t n_masks)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    if (mem == NULL)
        return;
    explain_body(mem, t);
    fclose(mem);
    clnrm_cmd_print_masked(f, t, masks, n_masks, text, len);
    free(text); /* open_memstream's buffer comes from malloc */
}
