/* Unit tests: the test file loader (both formats), command splitting and
 * durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct clnrm_test *parse_ok(const char *text, struct clnrm_diags *d)
{
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };
    enum clnrm_code rc =
        clnrm_test_parse(text, strlen(text), "t.clnrm.toml", NULL, &t, d, &e);

    if (rc != CLNRM_OK)
        fail_msg("unexpected error: %s", e.msg);
    return t;
}

static void parse_err(const char *text, bool strict, const char *want)
{
    struct clnrm_load_opts o = { .strict = strict };
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };
    enum clnrm_code rc =
        clnrm_test_parse(text, strlen(text), "t.clnrm.toml", &o, &t, NULL, &e);

    assert_int_equal(rc, CLNRM_E_INPUT);
    assert_null(t);
    if (strstr(e.msg, want) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, want);
}

static void test_legacy_format(void **state)
{
    struct clnrm_test *t = parse_ok(
        "[test.metadata]\nname = \"web\"\ndescription = \"d\"\n"
        "timeout = \"90s\"\n"
        "[services.db]\nplugin = \"generic_container\"\nimage = \"img:1\"\n"
        "env = { A = \"1\", B = 2 }\nports = [5432]\n"
        "health_check = { cmd = [\"pg_isready\"], interval = 2, retries = 5, "
        "timeout = \"3s\" }\n"
        "[[steps]]\nname = \"s1\"\ncommand = [\"sh\", \"-c\", \"a && b\"]\n"
        "expected_output_regex = \"ok\"\nexpected_exit_code = 3\n"
        "service = \"db\"\ntimeout = \"500ms\"\nworkdir = \"/w\"\n"
        "env = { X = \"y\" }\ncontinue_on_failure = true\n"
        "[assertions]\nanything = 1\n",
        NULL);

    assert_string_equal(t->name, "web");
    assert_int_equal(t->format, CLNRM_FORMAT_LEGACY);
    assert_int_equal(t->timeout_ms, 90000);
    assert_int_equal(t->n_services, 1);
    assert_false(t->implicit_service);
    assert_string_equal(t->services[0].image, "img:1");
    assert_int_equal(t->services[0].env.n, 2);
    assert_string_equal(t->services[0].env.items[1].value, "2");
    assert_int_equal(t->services[0].ports[0], 5432);
    assert_int_equal(t->services[0].ready.kind, CLNRM_READY_CMD);
    assert_int_equal(t->services[0].ready.interval_ms, 2000);
    assert_int_equal(t->services[0].ready.retries, 5);
    assert_int_equal(t->services[0].ready.try_timeout_ms, 3000);
    assert_int_equal(t->n_steps, 1);
    /* The argv is kept exactly, never joined into one string. */
    assert_int_equal(t->steps[0].argv.n, 3);
    assert_string_equal(t->steps[0].argv.v[2], "a && b");
    assert_null(t->steps[0].argv.v[3]);
    assert_int_equal(t->steps[0].expected_exit_code, 3);
    assert_int_equal(t->steps[0].timeout_ms, 500);
    assert_string_equal(t->steps[0].workdir, "/w");
    assert_true(t->steps[0].continue_on_failure);
    assert_true(clnrm_test_needs_network(t));
    clnrm_test_free(t);
}

static void test_implicit_service_and_defaults(void **state)
{
    struct clnrm_test *t = parse_ok(
        "[test]\nname = \"x\"\n[[steps]]\ncommand = [\"true\"]\n", NULL);

    assert_true(t->implicit_service);
    assert_string_equal(t->services[0].image, CLNRM_DEFAULT_IMAGE);
    assert_false(clnrm_test_needs_network(t));
    assert_true(t->security.drop_all_caps);
    assert_true(t->security.no_new_privileges);
    assert_int_equal(t->security.pids_limit, CLNRM_DEFAULT_PIDS_LIMIT);
    assert_int_equal(t->security.memory_mb, CLNRM_DEFAULT_MEMORY_MB);
    assert_string_equal(t->steps[0].name, "step 1");
    assert_ptr_equal(clnrm_step_service(t, &t->steps[0]), &t->services[0]);
    clnrm_test_free(t);
}

static void test_name_from_file(void **state)
{
    struct clnrm_test *t = NULL;
    const char *text = "[[steps]]\ncommand = [\"true\"]\n";

    assert_int_equal(clnrm_test_parse(text, strlen(text),
                                      "dir/my_test.clnrm.toml", NULL, &t, NULL,
                                      NULL),
                     CLNRM_OK);
    assert_string_equal(t->name, "my_test");
    clnrm_test_free(t);
}

static void test_v1_format(void **state)
{
    struct clnrm_diags d = { 0 };
    struct clnrm_test *t =
        parse_ok("[meta]\nname = \"v1\"\nversion = \"1\"\n"
                 "[service.box]\nimage = \"clnrm-base:latest\"\n"
                 "[[scenario]]\nname = \"a\"\nservice = \"box\"\n"
                 "run = \"sh -c 'echo \\\"x y\\\"'\"\ntimeout_ms = 1500\n"
                 "policy = { max_memory_mb = 128, security_level = \"low\" }\n"
                 "[[scenario]]\nname = \"b\"\n"
                 "steps = [{ name = \"b1\", run = \"echo b1\" }, "
                 "{ name = \"b2\", command = [\"echo\", \"b2\"] }]\n"
                 "[otel]\nexporter = \"stdout\"\n",
                 &d);

    assert_int_equal(t->format, CLNRM_FORMAT_V1);
    assert_string_equal(t->name, "v1");
    assert_int_equal(t->n_steps, 3);
    assert_int_equal(t->steps[0].argv.n, 3);
    assert_string_equal(t->steps[0].argv.v[2], "echo \"x y\"");
    assert_string_equal(t->steps[0].service, "box");
    assert_int_equal(t->steps[0].timeout_ms, 1500);
    assert_string_equal(t->steps[1].name, "b1");
    assert_string_equal(t->steps[2].argv.v[1], "b2");
    assert_int_equal(t->security.memory_mb, 128);
    assert_false(t->security.drop_all_caps);
    /* [otel] is noted, not warned about. */
    assert_int_equal(clnrm_diags_count(&d, CLNRM_DIAG_WARN), 0);
    assert_int_equal(clnrm_diags_count(&d, CLNRM_DIAG_NOTE), 1);
    clnrm_diags_release(&d);
    clnrm_test_free(t);
}

static void test_unknown_key_warning(void **state)
{
    struct clnrm_diags d = { 0 };
    struct clnrm_test *t = parse_ok("[test.metadata]\nname = \"x\"\n"
                                    "[[steps]]\ncommand = [\"true\"]\n"
                                    "comand = [\"x\"]\n",
                                    &d);

    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].level, CLNRM_DIAG_WARN);
    assert_string_equal(d.items[0].msg,
                        "t.clnrm.toml:5:1: unknown key \"comand\" in "
                        "[[steps]] (did you mean \"command\"?)");
    clnrm_diags_release(&d);
    clnrm_test_free(t);
}

static void test_strict_mode(void **state)
{
    parse_err("[test.metadata]\nname = \"x\"\nnmae = 1\n"
              "[[steps]]\ncommand = [\"true\"]\n",
              true,
              "t.clnrm.toml:3:1: unknown key \"nmae\" in "
              "[test.metadata] (did you mean \"name\"?)");
}

static void test_bad_types(void **state)
{
    parse_err("[[steps]]\ncommand = 5\n", false,
              "t.clnrm.toml:2:11: \"command\" must be an array of strings, "
              "not integer");
    parse_err("[[steps]]\ncommand = [\"a\", 1]\n", false, "t.clnrm.toml:2:17:");
    parse_err("[[steps]]\ncommand = [\"a\"]\nexpected_exit_code = \"0\"\n",
              false, "t.clnrm.toml:3:");
    parse_err("[[steps]]\ncommand = [\"a\"]\nexpected_exit_code = 300\n", false,
              "between 0 and 255");
    parse_err("[[steps]]\ncommand = [\"a\"]\ntimeout = \"soon\"\n", false,
              "t.clnrm.toml:3:11: \"timeout\" must be a duration");
    parse_err("[[steps]]\ncommand = [\"a\"]\nexpected_output_regex = \"(\"\n",
              false, "t.clnrm.toml:3:25: bad regex");
    parse_err("[test]\nname = \"x\"\n", false, "no steps");
    parse_err("[[steps]]\ncommand = []\n", false, "empty");
    parse_err("[[steps]]\ncommand = [\"a\"]\nservice = \"dbb\"\n"
              "[services.db]\nimage = \"i\"\n",
              false, "unknown service \"dbb\" (did you mean \"db\"?)");
    parse_err("[test.security]\nprivileged = true\n[[steps]]\n"
              "command = [\"a\"]\n",
              false,
              "t.clnrm.toml:2:14: privileged = true needs "
              "--allow-privileged");
    parse_err("[services.a]\nimage = \"a b?\"\n[[steps]]\n"
              "command = [\"a\"]\n",
              false, "t.clnrm.toml:2:9: image \"a b?\" is not an image");
    parse_err("[[steps]\n", false, "t.clnrm.toml:1:");
}

static void test_security_tables(void **state)
{
    struct clnrm_test *t =
        parse_ok("[test.security]\ncap_add = [\"NET_ADMIN\"]\npids_limit = 64\n"
                 "read_only_rootfs = true\n[limits]\ncpu_millicores = 500\n"
                 "memory_mb = 100\n[[steps]]\ncommand = [\"true\"]\n",
                 NULL);

    assert_int_equal(t->security.cap_add.n, 1);
    assert_string_equal(t->security.cap_add.v[0], "NET_ADMIN");
    assert_int_equal(t->security.pids_limit, 64);
    assert_int_equal(t->security.memory_mb, 100);
    assert_true(t->security.read_only_rootfs);
    assert_true(t->security.cpus > 0.49 && t->security.cpus < 0.51);
    clnrm_test_free(t);
}

static void test_readiness_variants(void **state)
{
    struct clnrm_test *t =
        parse_ok("[services.a]\nwait_for_log = \"ready\"\n"
                 "[services.b]\nwait_for_port = 80\n"
                 "[services.c]\nhealth_check = \"test -f /x\"\n"
                 "[[steps]]\ncommand = [\"true\"]\n",
                 NULL);

    assert_int_equal(t->services[0].ready.kind, CLNRM_READY_LOG);
    assert_int_equal(t->services[1].ready.kind, CLNRM_READY_PORT);
    assert_int_equal(t->services[1].ready.port, 80);
    assert_int_equal(t->services[2].ready.kind, CLNRM_READY_CMD);
    assert_int_equal(t->services[2].ready.cmd.n, 3);
    clnrm_test_free(t);
    parse_err("[services.a]\nwait_for_log = \"x\"\nwait_for_port = 1\n"
              "[[steps]]\ncommand = [\"true\"]\n",
              false, "use only one of");
}

static void split_is(const char *line, int n, ...)
{
    struct cr_strv sv;
    va_list ap;

    assert_int_equal(clnrm_split_command(line, &sv, NULL), CLNRM_OK);
    assert_int_equal(sv.n, n);
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(sv.v[i], va_arg(ap, const char *));
    va_end(ap);
    cr_strv_release(&sv);
}

static void test_split_command(void **state)
{
    struct cr_strv sv;
    struct cr_error e = { 0 };

    split_is("echo hello world", 3, "echo", "hello", "world");
    split_is("  a\t b  ", 2, "a", "b");
    split_is("sh -c 'a && b | c'", 3, "sh", "-c", "a && b | c");
    split_is("echo \"x \\\"y\\\" $HOME\"", 2, "echo", "x \"y\" $HOME");
    split_is("a\\ b c", 2, "a b", "c");
    split_is("x''y \"\"", 2, "xy", "");
    split_is("'it'\\''s'", 1, "it's");
    split_is("", 0);
    assert_int_equal(clnrm_split_command("echo 'open", &sv, &e), CLNRM_E_INPUT);
    assert_non_null(strstr(e.msg, "unterminated quote"));
    assert_int_equal(clnrm_split_command("echo \"open", &sv, &e),
                     CLNRM_E_INPUT);
    assert_int_equal(clnrm_split_command("trailing\\", &sv, &e), CLNRM_E_INPUT);
}

/* A CPU count that is not a finite number from 0 up would become undefined
 * behaviour or a negative NanoCpus in the container spec. */
static void test_cpus_refused(void **state)
{
    parse_err("[security]\ncpus = inf\n[[steps]]\ncommand = [\"a\"]\n", false,
              "t.clnrm.toml:2:8: \"cpus\" must be");
    parse_err("[security]\ncpus = -1.5\n[[steps]]\ncommand = [\"a\"]\n", false,
              "t.clnrm.toml:2:8: \"cpus\" must be");
    parse_err("[security]\ncpus = nan\n[[steps]]\ncommand = [\"a\"]\n", false,
              "t.clnrm.toml:2:8: \"cpus\" must be");
    parse_err("[security]\ncpus = -inf\n[[steps]]\ncommand = [\"a\"]\n", false,
              "t.clnrm.toml:2:8: \"cpus\" must be");
    parse_err("[meta]\nname = \"x\"\n[[scenario]]\nname = \"s\"\nrun = \"a\"\n"
              "policy = { max_cpu_usage = -5.0 }\n",
              false, "t.clnrm.toml:6:28: \"max_cpu_usage\" must be");
    parse_err("[meta]\nname = \"x\"\n[[scenario]]\nname = \"s\"\nrun = \"a\"\n"
              "policy = { max_cpu_usage = inf }\n",
              false, "t.clnrm.toml:6:28: \"max_cpu_usage\" must be");
}

/* A file with n services s0..s(n-1), two lines each, and one step. */
static char *many_services(size_t n)
{
    size_t cap = n * 40 + 64, len = 0;
    char *text = malloc(cap);

    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "[services.s%zu]\nimage = \"i\"\n", i);
    snprintf(text + len, cap - len, "[[steps]]\ncommand = [\"a\"]\n");
    return text;
}

/* The services of a test size the boot threads: CLNRM_MAX_SERVICES of them
 * load, one more is refused at the position of the first one too many. */
static void test_service_limit(void **state)
{
    char *text = many_services(CLNRM_MAX_SERVICES);
    struct clnrm_test *t = parse_ok(text, NULL);

    assert_int_equal(CLNRM_MAX_SERVICES, 64);
    assert_int_equal(t->n_services, CLNRM_MAX_SERVICES);
    clnrm_test_free(t);
    free(text);
    text = many_services(CLNRM_MAX_SERVICES + 1);
    parse_err(text, false, "t.clnrm.toml:129:");
    parse_err(text, false, "at most 64 services");
    free(text);
}

static void test_durations(void **state)
{
    int64_t ms = -1;

    assert_int_equal(clnrm_parse_duration("30s", &ms), 0);
    assert_int_equal(ms, 30000);
    assert_int_equal(clnrm_parse_duration("250ms", &ms), 0);
    assert_int_equal(ms, 250);
    assert_int_equal(clnrm_parse_duration("2m", &ms), 0);
    assert_int_equal(ms, 120000);
    assert_int_equal(clnrm_parse_duration("1.5s", &ms), 0);
    assert_int_equal(ms, 1500);
    assert_int_equal(clnrm_parse_duration("7", &ms), 0);
    assert_int_equal(ms, 7000);
    assert_int_equal(clnrm_parse_duration("1h", &ms), 0);
    assert_int_equal(ms, 3600000);
    assert_int_equal(clnrm_parse_duration("soon", &ms), -1);
    assert_int_equal(clnrm_parse_duration("-1s", &ms), -1);
    assert_int_equal(clnrm_parse_duration("5 parsecs", &ms), -1);
}

/* What a file may ask for only with the user's --allow-* flag. */
static void test_allow_flags(void **state)
{
    static const char priv[] = "[test.security]\nprivileged = true\n"
                               "[[steps]]\ncommand = [\"a\"]\n";
    static const char sock[] =
        "[services.a]\nimage = \"i\"\nvolumes = [\"/var/run/docker.sock:"
        "/s\"]\n[[steps]]\ncommand = [\"a\"]\n";
    static const char net[] = "[test.security]\npid_mode = \"host\"\n"
                              "[[steps]]\ncommand = [\"a\"]\n";
    struct clnrm_load_opts o = { .allow = CLNRM_ALLOW_PRIVILEGED |
                                          CLNRM_ALLOW_DOCKER_SOCK };
    struct clnrm_test *t = NULL;

    parse_err(sock, false,
              "t.clnrm.toml:3:12: volume /var/run/docker.sock gives the "
              "test the Docker engine's socket; that needs "
              "--allow-docker-socket");
    parse_err(net, false,
              "t.clnrm.toml:2:12: pid_mode = \"host\" shares the host's "
              "namespace and needs --allow-host-pid");
    /* Each namespace has its own flag; a host network refuses ports. */
    o.allow = CLNRM_ALLOW_HOST_NETWORK | CLNRM_ALLOW_HOST_IPC;
    assert_int_equal(
        clnrm_test_parse(net, strlen(net), "t.clnrm.toml", &o, &t, NULL, NULL),
        CLNRM_E_INPUT);
    o.allow |= CLNRM_ALLOW_HOST_PID;
    assert_int_equal(
        clnrm_test_parse(net, strlen(net), "t.clnrm.toml", &o, &t, NULL, NULL),
        CLNRM_OK);
    assert_true(t->security.host_pid);
    assert_false(t->security.host_network || t->security.host_ipc);
    assert_false(clnrm_test_needs_network(t));
    clnrm_test_free(t);
    {
        static const char hn[] =
            "[test.security]\nnetwork_mode = \"host\"\n[services.a]\n"
            "image = \"i\"\n[services.b]\nimage = \"i\"\n"
            "[[steps]]\ncommand = [\"a\"]\n";
        static const char hp[] =
            "[test.security]\nnetwork_mode = \"host\"\n[services.a]\n"
            "image = \"i\"\nports = [80]\n[[steps]]\ncommand = [\"a\"]\n";
        struct cr_error e = { 0 };
        assert_int_equal(clnrm_test_parse(hn, strlen(hn), "t.clnrm.toml", &o,
                                          &t, NULL, NULL),
                         CLNRM_OK);
        assert_true(t->security.host_network);
        assert_false(clnrm_test_needs_network(t)); /* two services, no net */
        clnrm_test_free(t);
        assert_int_equal(
            clnrm_test_parse(hp, strlen(hp), "t.clnrm.toml", &o, &t, NULL, &e),
            CLNRM_E_INPUT);
        assert_non_null(strstr(e.msg, "t.clnrm.toml:3:1: service \"a\" "
                                      "publishes ports"));
    }
    o.allow = CLNRM_ALLOW_PRIVILEGED | CLNRM_ALLOW_DOCKER_SOCK;
    assert_int_equal(clnrm_test_parse(priv, strlen(priv), "t.clnrm.toml", &o,
                                      &t, NULL, NULL),
                     CLNRM_OK);
    assert_true(t->security.privileged);
    clnrm_test_free(t);
    assert_int_equal(clnrm_test_parse(sock, strlen(sock), "t.clnrm.toml", &o,
                                      &t, NULL, NULL),
                     CLNRM_OK);
    clnrm_test_free(t);
}

/* Ports: every form maps to a container port and where it is published
 * (host port 0: the engine picks; the loopback unless an address is
 * written). */
static void test_port_forms(void **state)
{
    struct clnrm_test *t = parse_ok(
        "[test.metadata]\nname = \"p\"\n[services.web]\nimage = \"i:1\"\n"
        "ports = [80, \"81\", \"8082:82\", \"0.0.0.0:8083:83/tcp\", "
        "\"127.0.0.2::84\", \"[::1]:8085:85\", "
        "{ target = 86, published = \"8086\", host_ip = \"127.0.0.3\" }, "
        "{ target = 87 }]\n"
        "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
        NULL);
    static const int ctr[] = { 80, 81, 82, 83, 84, 85, 86, 87 };
    static const unsigned host[] = { 0, 0, 8082, 8083, 0, 8085, 8086, 0 };
    static const char *const ip[] = { "127.0.0.1", "127.0.0.1", "127.0.0.1",
                                      "0.0.0.0",   "127.0.0.2", "::1",
                                      "127.0.0.3", "127.0.0.1" };
    const struct clnrm_service *s = &t->services[0];

    (void)state;
    assert_int_equal(s->n_ports, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(s->ports[i], ctr[i]);
        assert_int_equal(s->publish[i].host_port, host[i]);
        assert_string_equal(s->publish[i].host_ip, ip[i]);
    }
    clnrm_test_free(t);
    parse_err("[services.w]\nimage = \"i\"\nports = [\"70000:80\"]\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "t.clnrm.toml:3:10: port \"70000:80\" is not PORT");
    parse_err("[services.w]\nimage = \"i\"\nports = [\"x:1:80\"]\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "\"x\" is not an IP address");
    parse_err("[services.w]\nimage = \"i\"\nports = [{ published = 1 }]\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "a port table needs target");
    parse_err("[services.w]\nimage = \"i\"\n"
              "ports = [{ target = 1, protocol = \"udp\" }]\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "only TCP ports are published");
}

/* depends_on: names, conditions and positions; what waits for what. */
static void test_depends_forms(void **state)
{
    struct clnrm_test *t = parse_ok(
        "[services.db]\nimage = \"i\"\nwait_for_port = 5432\n"
        "[services.mq]\nimage = \"i\"\n"
        "[services.app]\nimage = \"i\"\ndepends_on = [\"db\", \"mq\"]\n"
        "[services.web]\nimage = \"i\"\n"
        "depends_on = { db = { condition = \"service_started\" }, "
        "app = {} }\n"
        "wait_for_log = \"up\"\n"
        "[services.app2]\nimage = \"i\"\ndepends_on = { web = { condition = "
        "\"service_healthy\" } }\n"
        "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
        NULL);
    size_t order[8];
    const struct clnrm_service *app = &t->services[2], *web = &t->services[3];

    (void)state;
    assert_true(clnrm_dep_waits_ready(t, app, 0));  /* db has a check */
    assert_false(clnrm_dep_waits_ready(t, app, 1)); /* mq has none */
    assert_false(clnrm_dep_waits_ready(t, web, 0)); /* service_started */
    assert_int_equal(web->deps[1].cond, CLNRM_DEP_DEFAULT);
    assert_false(clnrm_dep_waits_ready(t, web, 1)); /* app has no check */
    assert_int_equal(t->services[4].deps[0].cond, CLNRM_DEP_READY);
    assert_true(clnrm_dep_waits_ready(t, &t->services[4], 0));
    assert_int_equal(app->deps[1].line, 8);
    assert_int_equal(app->deps[1].col, 21);
    assert_int_equal(clnrm_service_order(t, order), 0);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 3);
    assert_int_equal(order[4], 4);
    clnrm_test_free(t);
    parse_err("[services.a]\nimage = \"i\"\n"
              "depends_on = { b = { condition = \"service_completed_"
              "successfully\" } }\n[services.b]\nimage = \"i\"\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "t.clnrm.toml:3:34: condition must be");
    parse_err("[services.a]\nimage = \"i\"\ndepends_on = { b = 1 }\n"
              "[services.b]\nimage = \"i\"\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false, "a depends_on entry must be a table");
    parse_err("[services.a]\nimage = \"i\"\ndepends_on = [\"b\"]\n"
              "[services.b]\nimage = \"i\"\ndepends_on = [\"a\"]\n"
              "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
              false,
              "t.clnrm.toml:6:15: depends_on forms a cycle: a -> b -> a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_legacy_format),
        cmocka_unit_test(test_implicit_service_and_defaults),
        cmocka_unit_test(test_name_from_file),
        cmocka_unit_test(test_v1_format),
        cmocka_unit_test(test_unknown_key_warning),
        cmocka_unit_test(test_strict_mode),
        cmocka_unit_test(test_bad_types),
        cmocka_unit_test(test_allow_flags),
        cmocka_unit_test(test_security_tables),
        cmocka_unit_test(test_cpus_refused),
        cmocka_unit_test(test_service_limit),
        cmocka_unit_test(test_readiness_variants),
        cmocka_unit_test(test_split_command),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_port_forms),
        cmocka_unit_test(test_depends_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
