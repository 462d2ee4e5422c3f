/* clnrm_selftest: the checks behind `clnrm self-test`. */
#include "clnrm_selftest.h"

#include "clnrm_reap.h"
#include "clnrm_regex.h"
#include "clnrm_report.h"
#include "clnrm_runner.h"
#include "clnrm_load.h"
#include "cr_alloc.h"
#include "cr_clock.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_KEPT 8 /* results kept for the reports suite */

struct st {
    struct engine *eng; /* NULL when the engine is unreachable */
    char engine_error[256];
    struct clnrm_runctx rc;
    size_t next_index;
    struct clnrm_test *kept_tests[MAX_KEPT];
    struct clnrm_test_result kept[MAX_KEPT];
    size_t n_kept;
};

/* A check returns 0 when it passed, else -1 with msg filled. */
typedef int (*check_fn)(struct st *s, char *msg, size_t size);

static int failf(char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int failf(char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return -1;
}

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            return failf(msg, size, __VA_ARGS__);                              \
    } while (0)

static struct clnrm_test *parse(const char *text, char *msg, size_t size)
{
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };

    if (clnrm_test_parse(text, strlen(text), "self-test.clnrm.toml", NULL, &t,
                         NULL, &e) != CLNRM_OK)
        failf(msg, size, "embedded test does not load: %s", e.msg);
    return t;
}

/* ---------------------------------------------------------------------- */
/* parsing                                                                 */

static int parse_legacy(struct st *s, char *msg, size_t size)
{
    struct clnrm_test *t = parse("[test.metadata]\nname = \"p\"\n"
                                 "[[steps]]\ncommand = [\"sh\", \"-c\", "
                                 "\"a && b\"]\nexpected_exit_code = 4\n",
                                 msg, size);
    int rc = 0;

    if (t == NULL)
        return -1;
    if (t->n_steps != 1 || t->steps[0].argv.n != 3 ||
        strcmp(t->steps[0].argv.v[2], "a && b") != 0 ||
        t->steps[0].expected_exit_code != 4)
        rc = failf(msg, size, "argv or exit code not kept exactly");
    clnrm_test_free(t);
    return rc;
}

static int parse_v1(struct st *s, char *msg, size_t size)
{
    struct clnrm_test *t = parse("[meta]\nname = \"v\"\n[service.x]\n"
                                 "image = \"i\"\n[[scenario]]\nname = \"a\"\n"
                                 "service = \"x\"\nrun = \"echo 'a b' c\"\n",
                                 msg, size);
    int rc = 0;

    if (t == NULL)
        return -1;
    if (t->format != CLNRM_FORMAT_V1 || t->steps[0].argv.n != 3 ||
        strcmp(t->steps[0].argv.v[1], "a b") != 0)
        rc = failf(msg, size, "v1 run string not split like a shell");
    clnrm_test_free(t);
    return rc;
}

static int parse_diagnostics(struct st *s, char *msg, size_t size)
{
    const char *text = "[[steps]]\ncomand = 1\ncommand = [\"true\"]\n";
    struct clnrm_load_opts strict = { .strict = true };
    struct clnrm_diags d = { 0 };
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };
    bool warned;

    clnrm_test_parse(text, strlen(text), "w.clnrm.toml", NULL, &t, &d, &e);
    warned = d.n == 1 && strstr(d.items[0].msg, "w.clnrm.toml:2:1:") &&
             strstr(d.items[0].msg, "did you mean \"command\"");
    clnrm_diags_release(&d);
    clnrm_test_free(t);
    CHECK(t != NULL && warned, "no positioned did-you-mean warning");
    CHECK(clnrm_test_parse(text, strlen(text), "w.clnrm.toml", &strict, &t,
                           NULL, &e) == CLNRM_E_INPUT,
          "--strict accepted an unknown key");
    text = "[[steps]]\ncommand = 5\n";
    CHECK(clnrm_test_parse(text, strlen(text), "b.clnrm.toml", NULL, &t, NULL,
                           &e) == CLNRM_E_INPUT &&
              strstr(e.msg, "b.clnrm.toml:2:11:") != NULL,
          "bad type not reported with its position: %s", e.msg);
    return 0;
}

static int parse_regex(struct st *s, char *msg, size_t size)
{
    static const struct {
        const char *re, *subject;
        int want;
    } cases[] = { { "\\d+\\s\\w+", "42 apples", 1 },
                  { "(?i)^ok$", "OK\n", 1 },
                  { "^a.+?c$", "abc", 1 },
                  { "\\d", "none", 0 } };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct clnrm_regex *re;
        int got;
        CHECK(clnrm_regex_compile(cases[i].re, &re, NULL) == CLNRM_OK,
              "/%s/ does not compile", cases[i].re);
        got =
            clnrm_regex_search(re, cases[i].subject, strlen(cases[i].subject));
        clnrm_regex_free(re);
        CHECK(got == cases[i].want, "/%s/ on \"%s\" gave %d", cases[i].re,
              cases[i].subject, got);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* engine                                                                  */

static int check_engine_ping(struct st *s, char *msg, size_t size)
{
    struct cr_error e = { 0 };

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    CHECK(engine_ping(s->eng, &e) == ENGINE_OK, "ping: %s", e.msg);
    CHECK(
        engine_api_version_cmp(engine_api_version(s->eng), ENGINE_API_MIN) >= 0,
        "API %s is older than %s", engine_api_version(s->eng), ENGINE_API_MIN);
    return 0;
}

static int check_engine_version(struct st *s, char *msg, size_t size)
{
    struct engine_version v = { 0 };
    struct cr_error e = { 0 };

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    CHECK(engine_version(s->eng, &v, &e) == ENGINE_OK, "version: %s", e.msg);
    CHECK(v.version[0] != '\0' && v.api_version[0] != '\0',
          "the engine reported no version");
    return 0;
}

static int check_engine_base_image(struct st *s, char *msg, size_t size)
{
    struct cr_error e = { 0 };
    bool exists = false;

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    CHECK(engine_image_exists(s->eng, CLNRM_DEFAULT_IMAGE, &exists, &e) ==
              ENGINE_OK,
          "%s", e.msg);
    CHECK(exists, "%s is missing: run `clnrm image bootstrap`",
          CLNRM_DEFAULT_IMAGE);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Running embedded tests                                                  */

/* Parses and runs text; keeps the result for the reports suite when there
 * is room, else frees it. *out points at the kept or a local result. */
static int run_text(struct st *s, const char *text,
                    struct clnrm_test_result *res, struct clnrm_test **tp,
                    char *msg, size_t size)
{
    struct clnrm_test *t = NULL;

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    if ((t = parse(text, msg, size)) == NULL)
        return -1;
    memset(res, 0, sizeof(*res));
    clnrm_run_test(s->eng, s->eng, &s->rc, s->next_index++, t, res);
    *tp = t;
    return 0;
}

static void done_with(struct st *s, struct clnrm_test *t,
                      struct clnrm_test_result *res)
{
    if (s->n_kept < MAX_KEPT) {
        s->kept_tests[s->n_kept] = t;
        s->kept[s->n_kept++] = *res;
        return;
    }
    clnrm_test_result_release(res);
    clnrm_test_free(t);
}

/* Runs text and checks the whole test ends with status want. */
static int expect_status(struct st *s, const char *text, enum clnrm_status want,
                         char *msg, size_t size, struct clnrm_test_result *copy)
{
    struct clnrm_test_result res;
    struct clnrm_test *t = NULL;
    int rc;

    if (run_text(s, text, &res, &t, msg, size) != 0)
        return -1;
    rc = res.status == want ? 0
                            : failf(msg, size, "expected %s, got %s: %s",
                                    clnrm_status_name(want),
                                    clnrm_status_name(res.status), res.message);
    if (copy != NULL && res.n_steps > 0) {
        *copy = res;
        copy->steps = NULL; /* only the scalars are looked at */
    }
    done_with(s, t, &res);
    return rc;
}

static int lifecycle_one_step(struct st *s, char *msg, size_t size)
{
    return expect_status(s,
                         "[test.metadata]\nname = \"st-one\"\n[[steps]]\n"
                         "command = [\"echo\", \"alive\"]\n"
                         "expected_output_regex = \"^alive$\"\n",
                         CLNRM_STATUS_PASS, msg, size, NULL);
}

static int lifecycle_services(struct st *s, char *msg, size_t size)
{
    return expect_status(
        s,
        "[test.metadata]\nname = \"st-services\"\n"
        "[services.web]\ncommand = [\"sh\", \"-c\", \"mkdir -p /tmp/w && "
        "echo page > /tmp/w/index.html && exec httpd -f -p 8080 -h "
        "/tmp/w\"]\nwait_for_port = 8080\n"
        "[services.probe]\nhealth_check = [\"true\"]\n"
        "[[steps]]\nservice = \"probe\"\n"
        "command = [\"wget\", \"-q\", \"-O\", \"-\", \"http://web:8080/\"]\n"
        "expected_output_regex = \"^page$\"\n",
        CLNRM_STATUS_PASS, msg, size, NULL);
}

static int lifecycle_detects_failure(struct st *s, char *msg, size_t size)
{
    return expect_status(s,
                         "[test.metadata]\nname = \"st-fails\"\n[[steps]]\n"
                         "command = [\"echo\", \"actual\"]\n"
                         "expected_output_regex = \"^expected$\"\n",
                         CLNRM_STATUS_FAIL, msg, size, NULL);
}

/* ---------------------------------------------------------------------- */
/* exec                                                                    */

/* Runs a one-step test and checks its step's exit code, stdout, stderr. */
static int expect_step(struct st *s, const char *command_toml, int code,
                       const char *out, const char *err, char *msg, size_t size)
{
    char text[1024];
    struct clnrm_test_result res;
    struct clnrm_test *t = NULL;
    const struct clnrm_step_result *sr;
    int rc = 0;

    snprintf(text, sizeof(text),
             "[test.metadata]\nname = \"st-exec\"\n[[steps]]\ncommand = %s\n"
             "expected_exit_code = %d\n",
             command_toml, code);
    if (run_text(s, text, &res, &t, msg, size) != 0)
        return -1;
    sr = res.n_steps > 0 ? &res.steps[0] : NULL;
    if (sr == NULL || sr->status != CLNRM_STATUS_PASS)
        rc = failf(msg, size, "step did not pass: %s",
                   sr ? sr->message : res.message);
    else if (sr->exit_code != code)
        rc = failf(msg, size, "exit code %d, want %d", sr->exit_code, code);
    else if (strcmp(cr_buf_str(&sr->out), out) != 0)
        rc = failf(msg, size, "stdout \"%s\", want \"%s\"",
                   cr_buf_str(&sr->out), out);
    else if (strcmp(cr_buf_str(&sr->err), err) != 0)
        rc = failf(msg, size, "stderr \"%s\", want \"%s\"",
                   cr_buf_str(&sr->err), err);
    done_with(s, t, &res);
    return rc;
}

static int exec_exit_code(struct st *s, char *msg, size_t size)
{
    return expect_step(s, "[\"sh\", \"-c\", \"exit 7\"]", 7, "", "", msg, size);
}

static int exec_streams(struct st *s, char *msg, size_t size)
{
    return expect_step(s, "[\"sh\", \"-c\", \"echo out; echo err >&2\"]", 0,
                       "out\n", "err\n", msg, size);
}

static int exec_exact_argv(struct st *s, char *msg, size_t size)
{
    return expect_step(s,
                       "[\"sh\", \"-c\", \"printf '%s|' \\\"$@\\\"\", \"sh\", "
                       "\"a b\", \"$HOME\", \"\"]",
                       0, "a b|$HOME||", "", msg, size);
}

static int exec_wrong_code_fails(struct st *s, char *msg, size_t size)
{
    return expect_status(s,
                         "[test.metadata]\nname = \"st-code\"\n[[steps]]\n"
                         "command = [\"false\"]\n",
                         CLNRM_STATUS_FAIL, msg, size, NULL);
}

/* ---------------------------------------------------------------------- */
/* isolation                                                               */

static int isolation_files(struct st *s, char *msg, size_t size)
{
    /* The first test leaves a file behind; the second, in a fresh
     * container from the same image, must not see it. */
    if (expect_status(s,
                      "[test.metadata]\nname = \"st-write\"\n[[steps]]\n"
                      "command = [\"sh\", \"-c\", \"echo x > "
                      "/tmp/clnrm-marker\"]\n",
                      CLNRM_STATUS_PASS, msg, size, NULL) != 0)
        return -1;
    return expect_status(s,
                         "[test.metadata]\nname = \"st-read\"\n[[steps]]\n"
                         "command = [\"test\", \"!\", \"-e\", "
                         "\"/tmp/clnrm-marker\"]\n",
                         CLNRM_STATUS_PASS, msg, size, NULL);
}

static int isolation_network(struct st *s, char *msg, size_t size)
{
    /* A single-service test has network mode none: loopback only. */
    return expect_status(s,
                         "[test.metadata]\nname = \"st-net\"\n[[steps]]\n"
                         "command = [\"ls\", \"/sys/class/net\"]\n"
                         "expected_output_regex = \"^lo$\"\n",
                         CLNRM_STATUS_PASS, msg, size, NULL);
}

static int isolation_privileges(struct st *s, char *msg, size_t size)
{
    /* CapDrop ALL plus the documented seven (CHOWN DAC_OVERRIDE FOWNER
     * KILL SETGID SETUID NET_BIND_SERVICE) is exactly the mask 0x4eb; and
     * without NET_RAW, ping cannot open its socket. */
    return expect_status(
        s,
        "[test.metadata]\nname = \"st-caps\"\n[[steps]]\n"
        "command = [\"sh\", \"-c\", \"grep CapEff /proc/self/status\"]\n"
        "expected_output_regex = \"CapEff:\\\\s+0+4eb$\"\n"
        "[[steps]]\ncommand = [\"ping\", \"-c\", \"1\", \"127.0.0.1\"]\n"
        "expected_exit_code = 1\n",
        CLNRM_STATUS_PASS, msg, size, NULL);
}

/* ---------------------------------------------------------------------- */
/* timeouts                                                                */

static int timeout_step(struct st *s, char *msg, size_t size)
{
    struct clnrm_test_result res;
    struct clnrm_test *t = NULL;
    int rc = 0;

    if (run_text(s,
                 "[test.metadata]\nname = \"st-step-timeout\"\n[[steps]]\n"
                 "command = [\"sleep\", \"60\"]\ntimeout = \"1s\"\n"
                 "[[steps]]\ncommand = [\"true\"]\n",
                 &res, &t, msg, size) != 0)
        return -1;
    if (res.status != CLNRM_STATUS_TIMEOUT ||
        res.steps[0].status != CLNRM_STATUS_TIMEOUT)
        rc = failf(msg, size, "expected a step timeout, got %s: %s",
                   clnrm_status_name(res.status), res.message);
    else if (res.steps[1].status != CLNRM_STATUS_SKIP)
        rc = failf(msg, size, "the step after a timeout still ran");
    else if (strstr(res.steps[0].message, "step timeout") == NULL)
        rc = failf(msg, size, "not reported as a step timeout: %s",
                   res.steps[0].message);
    done_with(s, t, &res);
    return rc;
}

static int timeout_test(struct st *s, char *msg, size_t size)
{
    struct clnrm_test_result res;
    struct clnrm_test *t = NULL;
    int rc = 0;

    if (run_text(s,
                 "[test.metadata]\nname = \"st-test-timeout\"\n"
                 "timeout = \"2s\"\n[[steps]]\n"
                 "command = [\"sleep\", \"60\"]\ntimeout = \"60s\"\n",
                 &res, &t, msg, size) != 0)
        return -1;
    if (res.status != CLNRM_STATUS_TIMEOUT ||
        strstr(res.steps[0].message, "test timeout") == NULL)
        rc = failf(msg, size, "expected a test timeout, got %s: %s",
                   clnrm_status_name(res.status), res.message);
    done_with(s, t, &res);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* cleanup                                                                 */

static int cleanup_nothing_left(struct st *s, char *msg, size_t size)
{
    struct cr_error e = { 0 };
    size_t containers = 0, networks = 0;

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    CHECK(s->next_index > 0, "no test ran before the cleanup check");
    CHECK(clnrm_reap_count(s->eng, s->rc.run_id, &containers, &networks, &e) ==
              CLNRM_OK,
          "%s", e.msg);
    CHECK(containers == 0 && networks == 0,
          "%zu container(s) and %zu network(s) of run %s left behind",
          containers, networks, s->rc.run_id);
    return 0;
}

/* A pid that certainly names no process: a child that has been reaped. */
static pid_t dead_pid(void)
{
    pid_t pid = fork();

    if (pid == 0)
        _exit(0);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    return pid;
}

static int cleanup_sweeps_orphans(struct st *s, char *msg, size_t size)
{
    static const char *const argv[] = { "true", NULL };
    struct clnrm_runctx orphan = s->rc;
    struct engine_kv labels[8];
    struct engine_container_spec cs = { .image = CLNRM_DEFAULT_IMAGE,
                                        .argv = argv,
                                        .network = "none" };
    struct cr_error e = { 0 };
    size_t containers = 1, networks = 1;
    char *id = NULL, *net = NULL, name[96];
    pid_t pid = dead_pid();

    CHECK(s->eng != NULL, "engine unreachable: %s", s->engine_error);
    CHECK(pid > 0, "fork failed");
    /* Pretend a run whose process is gone left these behind. */
    snprintf(orphan.run_id, sizeof(orphan.run_id), "%.24s-orphan",
             s->rc.run_id);
    snprintf(orphan.pid, sizeof(orphan.pid), "%d", (int)pid);
    cs.labels = labels;
    cs.nlabels = clnrm_runctx_labels(&orphan, "st-orphan", labels);
    CHECK(engine_container_create(s->eng, &cs, &id, &e) == ENGINE_OK,
          "create: %s", e.msg);
    cr_free(id);
    snprintf(name, sizeof(name), "clnrm-%s", orphan.run_id);
    CHECK(engine_network_create(s->eng, name, labels, cs.nlabels, true, &net,
                                &e) == ENGINE_OK,
          "network create: %s", e.msg);
    cr_free(net);
    CHECK(clnrm_reap_sweep(s->eng, NULL, NULL, &e) == CLNRM_OK, "sweep: %s",
          e.msg);
    CHECK(clnrm_reap_count(s->eng, orphan.run_id, &containers, &networks, &e) ==
              CLNRM_OK,
          "%s", e.msg);
    CHECK(containers == 0 && networks == 0,
          "the sweep left %zu container(s), %zu network(s)", containers,
          networks);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* reports                                                                 */

/* A small XML well-formedness check: balanced tags, quoted attributes,
 * known entities, no raw '<' or '&' in text. Returns NULL or a reason. */
static const char *xml_problem(const char *p)
{
    const char *stack[64];
    size_t depth = 0, lens[64];

    if (strncmp(p, "<?xml", 5) == 0 && (p = strstr(p, "?>")) != NULL)
        p += 2;
    for (; p != NULL && *p != '\0'; p++) {
        if (*p == '&') {
            static const char *const ents[] = { "&amp;",  "&lt;",   "&gt;",
                                                "&quot;", "&apos;", "&#" };
            bool ok = false;
            for (size_t i = 0; i < 6 && !ok; i++)
                ok = strncmp(p, ents[i], strlen(ents[i])) == 0;
            if (!ok)
                return "unknown entity";
        } else if (*p == '<') {
            bool close = p[1] == '/';
            const char *name = p + 1 + close, *end = strchr(p, '>');
            size_t len = strcspn(name, " />");
            if (end == NULL)
                return "unterminated tag";
            for (const char *q = name + len; q < end; q++)
                if (*q == '<')
                    return "'<' inside a tag";
            if (close) {
                if (depth == 0 || lens[depth - 1] != len ||
                    strncmp(stack[depth - 1], name, len) != 0)
                    return "mismatched closing tag";
                depth--;
            } else if (end[-1] != '/') {
                if (depth == 64)
                    return "too deep";
                stack[depth] = name;
                lens[depth++] = len;
            }
            p = end;
        }
    }
    return depth == 0 ? NULL : "unclosed element";
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static int reports_junit(struct st *s, char *msg, size_t size)
{
    struct clnrm_totals tot = { 0 };
    struct cr_buf xml = { 0 };
    const char *why;
    size_t steps = 0, failures = 0, rc_cases;

    CHECK(s->n_kept > 0, "no results to report (earlier suites did not run)");
    clnrm_totals_count(s->kept, s->n_kept, &tot);
    for (size_t i = 0; i < s->n_kept; i++)
        for (size_t k = 0; k < s->kept[i].n_steps; k++) {
            enum clnrm_status st = s->kept[i].steps[k].status;
            steps++;
            failures += st == CLNRM_STATUS_FAIL || st == CLNRM_STATUS_TIMEOUT;
        }
    CHECK(clnrm_report_render(CLNRM_REPORT_JUNIT, s->kept, s->n_kept, &tot,
                              false, &xml, NULL) == CLNRM_OK,
          "render failed");
    why = xml_problem(cr_buf_str(&xml));
    rc_cases = count(cr_buf_str(&xml), "<testcase ");
    cr_buf_release(&xml);
    CHECK(why == NULL, "JUnit XML is not well-formed: %s", why);
    CHECK(rc_cases == steps, "%zu testcases for %zu steps", rc_cases, steps);
    CHECK(failures > 0, "the failing self-test steps are not failures");
    return 0;
}

static int reports_json_tap(struct st *s, char *msg, size_t size)
{
    struct clnrm_totals tot = { 0 };
    struct cr_buf out = { 0 };
    cJSON *root;
    char plan[32];
    int tests;

    CHECK(s->n_kept > 0, "no results to report (earlier suites did not run)");
    clnrm_totals_count(s->kept, s->n_kept, &tot);
    CHECK(clnrm_report_render(CLNRM_REPORT_JSON, s->kept, s->n_kept, &tot,
                              false, &out, NULL) == CLNRM_OK,
          "render failed");
    root = cJSON_Parse(cr_buf_str(&out));
    tests = cJSON_GetArraySize(cJSON_GetObjectItem(root, "tests"));
    cJSON_Delete(root);
    cr_buf_reset(&out);
    CHECK(tests == (int)s->n_kept, "JSON has %d tests, want %zu", tests,
          s->n_kept);
    CHECK(clnrm_report_render(CLNRM_REPORT_TAP, s->kept, s->n_kept, &tot, false,
                              &out, NULL) == CLNRM_OK,
          "render failed");
    snprintf(plan, sizeof(plan), "\n1..%zu\n", s->n_kept);
    tests = strstr(cr_buf_str(&out), plan) != NULL &&
            count(cr_buf_str(&out), "ok ") == s->n_kept;
    cr_buf_release(&out);
    CHECK(tests, "TAP plan or test lines are wrong");
    return 0;
}

/* ---------------------------------------------------------------------- */
/* The suite table                                                         */

static const struct check {
    const char *suite, *name;
    check_fn fn;
} checks[] = {
    { "parsing", "legacy format keeps argv exactly", parse_legacy },
    { "parsing", "v1 run strings split like a shell", parse_v1 },
    { "parsing", "unknown keys warn with position; strict errors",
      parse_diagnostics },
    { "parsing", "Rust-style regex semantics", parse_regex },
    { "engine", "ping and API version", check_engine_ping },
    { "engine", "version", check_engine_version },
    { "engine", "base image present", check_engine_base_image },
    { "lifecycle", "one-step test passes", lifecycle_one_step },
    { "lifecycle", "two services, port readiness, DNS", lifecycle_services },
    { "lifecycle", "a wrong expectation fails", lifecycle_detects_failure },
    { "exec", "exit code is reported", exec_exit_code },
    { "exec", "stdout and stderr kept apart", exec_streams },
    { "exec", "argv passed exactly", exec_exact_argv },
    { "exec", "an unexpected exit code fails", exec_wrong_code_fails },
    { "isolation", "tests do not share files", isolation_files },
    { "isolation", "single-service tests have no network", isolation_network },
    { "isolation", "capabilities are dropped", isolation_privileges },
    { "timeouts", "step timeout kills and reports", timeout_step },
    { "timeouts", "test timeout kills and reports", timeout_test },
    { "cleanup", "nothing of this run is left", cleanup_nothing_left },
    { "cleanup", "orphans of dead runs are swept", cleanup_sweeps_orphans },
    { "reports", "JUnit is well-formed with right counts", reports_junit },
    { "reports", "JSON and TAP agree with the results", reports_json_tap },
};

#define N_CHECKS (sizeof(checks) / sizeof(checks[0]))

const char *const *clnrm_selftest_suites(void)
{
    static const char *const names[] = { "parsing", "engine",    "lifecycle",
                                         "exec",    "isolation", "timeouts",
                                         "cleanup", "reports",   NULL };
    return names;
}

static bool known_suite(const char *suite)
{
    for (const char *const *p = clnrm_selftest_suites(); *p != NULL; p++)
        if (strcmp(*p, suite) == 0)
            return true;
    return false;
}

static bool wants_engine(const char *suite)
{
    return suite == NULL || strcmp(suite, "parsing") != 0;
}

/* The engine is opened without the cancel flag: it serves as the runner's
 * work and cleanup connection at once, and cleanup must not be cut. The
 * runner still sees the flag through rc and stops between phases. */
static void st_open(struct st *s, const atomic_int *cancel)
{
    struct cr_error e = { 0 };

    if (clnrm_runctx_init(&s->rc, &e) != CLNRM_OK) {
        snprintf(s->engine_error, sizeof(s->engine_error), "%.250s", e.msg);
        return;
    }
    s->rc.cancel = cancel;
    if (engine_open(&s->eng, NULL, NULL, &e) != ENGINE_OK) {
        s->eng = NULL;
        snprintf(s->engine_error, sizeof(s->engine_error), "%.250s", e.msg);
    }
}

static void st_close(struct st *s)
{
    if (s->eng != NULL)
        (void)clnrm_reap_sweep(s->eng, s->rc.run_id, NULL, NULL);
    for (size_t i = 0; i < s->n_kept; i++) {
        clnrm_test_result_release(&s->kept[i]);
        clnrm_test_free(s->kept_tests[i]);
    }
    engine_close(s->eng);
}

/* The reports suite renders results of earlier suites: when run alone it
 * first runs the lifecycle suite quietly to have some. */
static void prime_reports(struct st *s)
{
    char msg[512];

    for (size_t i = 0; i < N_CHECKS; i++)
        if (strcmp(checks[i].suite, "lifecycle") == 0)
            (void)checks[i].fn(s, msg, sizeof(msg));
}

enum clnrm_code clnrm_selftest_run(const char *suite, const atomic_int *cancel,
                                   struct clnrm_check_result **out, size_t *n,
                                   struct cr_error *err)
{
    struct st s = { 0 };
    struct clnrm_check_result *res;

    *out = NULL;
    *n = 0;
    if (suite != NULL && !known_suite(suite))
        return clnrm_error_set(err, CLNRM_E_USAGE, "unknown suite \"%s\"",
                               suite);
    if ((res = cr_calloc(N_CHECKS, sizeof(*res))) == NULL)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    if (wants_engine(suite))
        st_open(&s, cancel);
    if (suite != NULL && strcmp(suite, "reports") == 0 && s.eng != NULL)
        prime_reports(&s);
    for (size_t i = 0; i < N_CHECKS; i++) {
        struct clnrm_check_result *r = &res[*n];
        uint64_t start = cr_clock_ms();
        if (suite != NULL && strcmp(suite, checks[i].suite) != 0)
            continue;
        if (cancel != NULL && *cancel)
            break;
        r->suite = checks[i].suite;
        r->name = checks[i].name;
        r->passed = checks[i].fn(&s, r->message, sizeof(r->message)) == 0;
        r->duration_ms = cr_clock_ms() - start;
        (*n)++;
    }
    st_close(&s);
    *out = res;
    if (cancel != NULL && *cancel)
        return clnrm_error_set(err, CLNRM_E_CANCELLED, "interrupted");
    return CLNRM_OK;
}
