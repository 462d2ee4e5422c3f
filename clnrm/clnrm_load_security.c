/* clnrm_load_security: security settings and limits of a test file. See
 * clnrm_load_section.h. */
#include "clnrm_load_section.h"

#include "cr_alloc.h"

#include <string.h>

static const char *const security_keys[] = {
    "privileged",   "no_new_privileges", "read_only_rootfs", "cap_add",
    "cap_drop",     "pids_limit",        "memory_mb",        "cpus",
    "network_mode", "pid_mode",          "ipc_mode",
};
/* Accepted from the Rust clnrm's files, not used here. */
static const char *const security_unused[] = { "track_vulnerabilities",
                                               "report_security_issues",
                                               "allow_injection_attempts" };

/* network_mode / pid_mode / ipc_mode: the only value besides the default
 * ("private") is "host", which shares that namespace of the host and so
 * needs its own flag on the command line (flag, e.g.
 * "--allow-host-network"); *on is set when it is granted. */
static int check_host_mode(struct clnrm_loader *ld,
                           const struct cr_toml_value *tbl, const char *key,
                           unsigned bit, const char *flag, bool *on)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    char *mode = NULL;
    int rc = 0;

    if (v == NULL)
        return 0;
    if (clnrm__opt_string(ld, tbl, key, &mode) != 0)
        return -1;
    if (strcmp(mode, "private") == 0)
        *on = false;
    else if (strcmp(mode, "host") != 0)
        rc = clnrm__fail_at(ld, cr_toml_pos(v),
                            "\"%s\" must be \"private\" or \"host\"", key);
    else if (!(ld->opts->allow & bit))
        rc = clnrm__fail_at(ld, cr_toml_pos(v),
                            "%s = \"host\" shares the host's namespace and "
                            "needs %s on the command line",
                            key, flag);
    else
        *on = true;
    cr_free(mode);
    return rc;
}

static int load_host_modes(struct clnrm_loader *ld,
                           const struct cr_toml_value *tbl,
                           struct clnrm_security *sec)
{
    return check_host_mode(ld, tbl, "network_mode", CLNRM_ALLOW_HOST_NETWORK,
                           "--allow-host-network", &sec->host_network) ||
           check_host_mode(ld, tbl, "pid_mode", CLNRM_ALLOW_HOST_PID,
                           "--allow-host-pid", &sec->host_pid) ||
           check_host_mode(ld, tbl, "ipc_mode", CLNRM_ALLOW_HOST_IPC,
                           "--allow-host-ipc", &sec->host_ipc);
}

int clnrm__load_security(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl, const char *where)
{
    struct clnrm_security *sec = &ld->t->security;
    const struct cr_toml_value *drop = cr_toml_get(tbl, "cap_drop");

    clnrm__check_keys_compat(ld, tbl, where, security_keys,
                             CLNRM_N_OF(security_keys), security_unused,
                             CLNRM_N_OF(security_unused));
    if (clnrm__opt_bool(ld, tbl, "privileged", &sec->privileged) ||
        clnrm__opt_bool(ld, tbl, "no_new_privileges",
                        &sec->no_new_privileges) ||
        clnrm__opt_bool(ld, tbl, "read_only_rootfs", &sec->read_only_rootfs) ||
        clnrm__opt_argv(ld, tbl, "cap_add", &sec->cap_add) ||
        clnrm__opt_int(ld, tbl, "pids_limit", 0, 1 << 22, &sec->pids_limit) ||
        clnrm__opt_int(ld, tbl, "memory_mb", 0, 1 << 22, &sec->memory_mb))
        return -1;
    if (sec->privileged && !(ld->opts->allow & CLNRM_ALLOW_PRIVILEGED))
        return clnrm__fail_at(
            ld, cr_toml_pos(cr_toml_get(tbl, "privileged")),
            "privileged = true needs --allow-privileged on the command "
            "line; or add the capabilities the test needs with "
            "\"cap_add\"");
    if (load_host_modes(ld, tbl, sec) != 0)
        return -1;
    if (clnrm__opt_cpus(ld, tbl, "cpus", &sec->cpus) != 0)
        return -1;
    if (drop != NULL) {
        struct cr_strv dv = { 0 };
        if (clnrm__value_argv(ld, drop, "cap_drop", &dv) != 0)
            return -1;
        sec->drop_all_caps = dv.n > 0;
        if (dv.n > 1 || (dv.n == 1 && strcmp(dv.v[0], "ALL") != 0)) {
            cr_strv_release(&dv);
            return clnrm__fail_at(
                ld, cr_toml_pos(drop),
                "\"cap_drop\" must be [\"ALL\"] or []; list the "
                "capabilities to keep in \"cap_add\"");
        }
        cr_strv_release(&dv);
    }
    return 0;
}

int clnrm__load_limits(struct clnrm_loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "cpu_millicores", "memory_mb",
                                        "pids_limit" };
    struct clnrm_security *sec = &ld->t->security;
    int64_t milli = -1;

    clnrm__check_keys(ld, tbl, "[limits]", keys, CLNRM_N_OF(keys));
    if (clnrm__opt_int(ld, tbl, "cpu_millicores", 0, 1 << 20, &milli) ||
        clnrm__opt_int(ld, tbl, "memory_mb", 0, 1 << 22, &sec->memory_mb) ||
        clnrm__opt_int(ld, tbl, "pids_limit", 0, 1 << 22, &sec->pids_limit))
        return -1;
    if (milli >= 0)
        sec->cpus = (double)milli / 1000.0;
    return 0;
}

/* The v1 scenario `policy`: memory and CPU map onto the container limits;
 * security_level "low" keeps Docker's default capabilities. */
int clnrm__load_policy(struct clnrm_loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = {
        "security_level",        "max_memory_mb",      "max_cpu_usage",
        "allowed_network_hosts", "max_execution_time", "disallowed_commands"
    };
    struct clnrm_security *sec = &ld->t->security;
    char *level = NULL;
    double cpu = -1;

    clnrm__check_keys(ld, tbl, "scenario policy", keys, CLNRM_N_OF(keys));
    if (clnrm__opt_string(ld, tbl, "security_level", &level) ||
        clnrm__opt_int(ld, tbl, "max_memory_mb", 0, 1 << 22, &sec->memory_mb)) {
        cr_free(level);
        return -1;
    }
    if (level != NULL && strcmp(level, "low") == 0)
        sec->drop_all_caps = false;
    cr_free(level);
    if (clnrm__opt_cpus(ld, tbl, "max_cpu_usage", &cpu) != 0)
        return -1;
    /* Written as a percentage of one CPU (80.0) or a fraction (0.8). */
    if (cpu >= 0)
        sec->cpus = cpu > 1.0 ? cpu / 100.0 : cpu;
    return 0;
}
