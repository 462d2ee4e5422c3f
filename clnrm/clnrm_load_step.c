/* clnrm_load_step: [[steps]] and v1 [[scenario]] tables. See
 * clnrm_load_section.h. */
#include "clnrm_load_section.h"

#include "cr_alloc.h"

#include <stdio.h>
#include <string.h>

static const char *const step_keys[] = {
    "name",
    "command",
    "run",
    "expected_output_regex",
    "expected_output_regex_not",
    "expected_exit_code",
    "workdir",
    "env",
    "service",
    "timeout",
    "timeout_ms",
    "continue_on_failure",
    "description",
    "expected_output_contains",
};
/* Step keys of the Rust clnrm's own files that this tool does not use. */
static const char *const step_unused[] = { "should_fail", "retry",
                                           "retry_on_failure", "max_retries" };

static struct clnrm_step *new_step(struct clnrm_loader *ld)
{
    struct clnrm_test *t = ld->t;
    struct clnrm_step *grown;

    grown = cr_realloc(t->steps, (t->n_steps + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    t->steps = grown;
    memset(&grown[t->n_steps], 0, sizeof(*grown));
    grown[t->n_steps].timeout_ms = CLNRM_DEFAULT_STEP_TIMEOUT_MS;
    return &grown[t->n_steps++];
}

/* expected_output_contains: a literal text, turned into the regex \Q…\E
 * (the judge knows only regexes); a second expectation besides a regex is
 * not supported. */
static int load_contains(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl, struct clnrm_step *s)
{
    const struct cr_toml_value *v =
        cr_toml_get(tbl, "expected_output_contains");
    const char *text;

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_STRING)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"expected_output_contains\" must be a string");
    if (cr_toml_get(tbl, "expected_output_regex") != NULL)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "use one of expected_output_regex and "
                              "expected_output_contains");
    text = cr_toml_string(v, NULL);
    if (strstr(text, "\\E") != NULL)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "expected_output_contains may not hold \"\\E\"");
    s->expected_output_regex = cr_strprintf("\\Q%s\\E", text);
    return s->expected_output_regex == NULL ? clnrm__fail_nomem(ld) : 0;
}

/* Fills s from tbl; default_service (may be NULL) comes from a scenario. */
static int load_step_fields(struct clnrm_loader *ld,
                            const struct cr_toml_value *tbl,
                            struct clnrm_step *s, const char *default_service)
{
    const struct cr_toml_value *cmd = cr_toml_get(tbl, "command");
    int64_t code = 0;

    if (cmd == NULL)
        cmd = cr_toml_get(tbl, "run");
    if (cmd == NULL)
        return clnrm__fail_at(ld, cr_toml_pos(tbl), "step needs \"command\"%s",
                              ld->t->format == CLNRM_FORMAT_V1 ? " or \"run\""
                                                               : "");
    if (clnrm__value_argv(ld, cmd, "command", &s->argv) != 0)
        return -1;
    if (s->argv.n == 0)
        return clnrm__fail_at(ld, cr_toml_pos(cmd), "step command is empty");
    if (clnrm__opt_string(ld, tbl, "name", &s->name) ||
        clnrm__opt_string(ld, tbl, "description", &s->description) ||
        load_contains(ld, tbl, s) ||
        clnrm__opt_string(ld, tbl, "expected_output_regex",
                          &s->expected_output_regex) ||
        clnrm__opt_string(ld, tbl, "expected_output_regex_not",
                          &s->expected_output_regex_not) ||
        clnrm__check_regex(ld, tbl, "expected_output_regex") ||
        clnrm__check_regex(ld, tbl, "expected_output_regex_not") ||
        clnrm__opt_int(ld, tbl, "expected_exit_code", 0, 255, &code) ||
        clnrm__opt_string(ld, tbl, "workdir", &s->workdir) ||
        clnrm__opt_env(ld, tbl, "env", &s->env) ||
        clnrm__opt_string(ld, tbl, "service", &s->service) ||
        clnrm__opt_duration(ld, tbl, "timeout", 1000, &s->timeout_ms) ||
        clnrm__opt_duration(ld, tbl, "timeout_ms", 1, &s->timeout_ms) ||
        clnrm__opt_bool(ld, tbl, "continue_on_failure",
                        &s->continue_on_failure))
        return -1;
    s->expected_exit_code = (int)code;
    s->line = cr_toml_pos(tbl).line;
    if (s->service == NULL && default_service != NULL &&
        (s->service = cr_strdup(default_service)) == NULL)
        return clnrm__fail_nomem(ld);
    if (s->name == NULL) {
        char buf[32];
        snprintf(buf, sizeof(buf), "step %zu", ld->t->n_steps);
        if ((s->name = cr_strdup(buf)) == NULL)
            return clnrm__fail_nomem(ld);
    }
    return 0;
}

int clnrm__load_steps(struct clnrm_loader *ld, const struct cr_toml_value *arr)
{
    if (cr_toml_type(arr) != CR_TOML_ARRAY)
        return clnrm__fail_at(
            ld, cr_toml_pos(arr),
            "\"steps\" must be an array of tables ([[steps]])");
    for (size_t i = 0; i < cr_toml_len(arr); i++) {
        const struct cr_toml_value *tbl = cr_toml_at(arr, i);
        struct clnrm_step *s;

        if (cr_toml_type(tbl) != CR_TOML_TABLE)
            return clnrm__fail_at(ld, cr_toml_pos(tbl),
                                  "each step must be a table");
        clnrm__check_keys_compat(ld, tbl, "[[steps]]", step_keys,
                                 CLNRM_N_OF(step_keys), step_unused,
                                 CLNRM_N_OF(step_unused));
        if ((s = new_step(ld)) == NULL)
            return clnrm__fail_nomem(ld);
        if (load_step_fields(ld, tbl, s, NULL) != 0)
            return -1;
    }
    return 0;
}

static const char *const scenario_keys[] = {
    "name",
    "service",
    "run",
    "command",
    "steps",
    "concurrent",
    "timeout_ms",
    "timeout",
    "policy",
    "artifacts",
    "expected_output_regex",
    "expected_output_regex_not",
    "expected_exit_code",
    "workdir",
    "env",
    "continue_on_failure",
};

/* A scenario with `run` is one step; with `steps` it is several, each
 * inheriting the scenario's service. */
static int load_scenario(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl)
{
    const struct cr_toml_value *steps = cr_toml_get(tbl, "steps");
    const struct cr_toml_value *policy = NULL;
    char *service = NULL;
    int rc = -1;

    clnrm__check_keys(ld, tbl, "[[scenario]]", scenario_keys,
                      CLNRM_N_OF(scenario_keys));
    if (clnrm__opt_string(ld, tbl, "service", &service) ||
        clnrm__opt_table(ld, tbl, "policy", &policy) ||
        (policy != NULL && clnrm__load_policy(ld, policy)))
        goto out;
    if (cr_toml_get(tbl, "concurrent") != NULL)
        clnrm__diag_at(ld, CLNRM_DIAG_NOTE,
                       cr_toml_pos(cr_toml_get(tbl, "concurrent")),
                       "\"concurrent\" is accepted; steps run in order");
    if (steps == NULL) {
        struct clnrm_step *s = new_step(ld);
        if (s == NULL) {
            clnrm__fail_nomem(ld);
            goto out;
        }
        rc = load_step_fields(ld, tbl, s, service);
        goto out;
    }
    if (cr_toml_type(steps) != CR_TOML_ARRAY) {
        clnrm__fail_at(ld, cr_toml_pos(steps),
                       "scenario \"steps\" must be an array");
        goto out;
    }
    for (size_t i = 0; i < cr_toml_len(steps); i++) {
        const struct cr_toml_value *st = cr_toml_at(steps, i);
        struct clnrm_step *s;
        if (cr_toml_type(st) != CR_TOML_TABLE) {
            clnrm__fail_at(ld, cr_toml_pos(st),
                           "each scenario step must be a table");
            goto out;
        }
        clnrm__check_keys_compat(ld, st, "scenario step", step_keys,
                                 CLNRM_N_OF(step_keys), step_unused,
                                 CLNRM_N_OF(step_unused));
        if ((s = new_step(ld)) == NULL) {
            clnrm__fail_nomem(ld);
            goto out;
        }
        if (load_step_fields(ld, st, s, service) != 0)
            goto out;
    }
    rc = 0;
out:
    cr_free(service);
    return rc;
}

int clnrm__load_scenarios(struct clnrm_loader *ld,
                          const struct cr_toml_value *arr)
{
    if (cr_toml_type(arr) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(arr),
                              "\"scenario\" must be an array of tables "
                              "([[scenario]])");
    for (size_t i = 0; i < cr_toml_len(arr); i++) {
        const struct cr_toml_value *tbl = cr_toml_at(arr, i);
        if (cr_toml_type(tbl) != CR_TOML_TABLE)
            return clnrm__fail_at(ld, cr_toml_pos(tbl),
                                  "each scenario must be a table");
        if (load_scenario(ld, tbl) != 0)
            return -1;
    }
    return 0;
}
