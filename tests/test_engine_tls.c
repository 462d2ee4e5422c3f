/* Integration test of a TLS engine: socat terminates TLS (client
 * certificates verified) in front of the unix socket, with certificates
 * made by openssl for this run. Skipped when socat or openssl is missing. */
#include "test_engine_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char dir[64];   /* certificates of the trusted CA */
static char other[80]; /* a second, untrusted CA */
static pid_t socat_pid;
static int port;

static bool listening(int p)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)p);
    ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

/* A CA, a server certificate for 127.0.0.1 and a client certificate. */
static int make_certs(const char *d)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd),
             "(cd %s && "
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem "
             "-out ca.pem -days 2 -subj /CN=clnrm-test-ca && "
             "openssl req -newkey rsa:2048 -nodes -keyout server-key.pem "
             "-out server.csr -subj /CN=127.0.0.1 && "
             "printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage="
             "serverAuth\\n' > server.ext && "
             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem "
             "-CAcreateserial -out server.pem -days 2 -extfile server.ext && "
             "openssl req -newkey rsa:2048 -nodes -keyout key.pem "
             "-out client.csr -subj /CN=client && "
             "printf 'extendedKeyUsage=clientAuth\\n' > client.ext && "
             "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem "
             "-CAcreateserial -out cert.pem -days 2 -extfile client.ext) "
             ">/dev/null 2>&1",
             d);
    return system(cmd) == 0 ? 0 : -1;
}

static void start_socat(void)
{
    char listen[96], opts[512];

    port = free_port();
    snprintf(listen, sizeof(listen),
             "OPENSSL-LISTEN:%d,bind=127.0.0.1,"
             "reuseaddr,fork,",
             port);
    snprintf(opts, sizeof(opts),
             "%scert=%s/server.pem,key=%s/server-key.pem,"
             "cafile=%s/ca.pem,verify=1",
             listen, dir, dir, dir);
    socat_pid = fork();
    assert_true(socat_pid >= 0);
    if (socat_pid == 0) {
        execl("/usr/bin/socat", "socat", "-lf", "/dev/null", opts,
              "UNIX-CONNECT:/var/run/docker.sock", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100 && !listening(port); i++)
        usleep(50000);
}

static int tls_setup(void **state)
{
    if (access("/usr/bin/socat", X_OK) != 0 ||
        system("openssl version >/dev/null 2>&1") != 0)
        return 0; /* the test skips itself */
    snprintf(dir, sizeof(dir), "/tmp/clnrm-tls-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(other, sizeof(other), "%s/other", dir);
    if (mkdir(other, 0700) != 0 || make_certs(dir) != 0 ||
        make_certs(other) != 0)
        return -1;
    return fixture_setup(state);
}

static int tls_teardown(void **state)
{
    char cmd[128];

    if (socat_pid > 0) {
        kill(socat_pid, SIGTERM);
        waitpid(socat_pid, NULL, 0);
    }
    if (dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            return -1;
    }
    return eng ? fixture_teardown(state) : 0;
}

static void test_tls_engine(void **state)
{
    static const char *const argv[] = { "sh", "-c", "echo tls", NULL };
    struct engine_exec_spec es = { .argv = argv };
    struct engine_exec_result r = { 0 };
    struct engine *tls = NULL;
    struct cr_error e = { 0 };
    char host[64], *id;

    (void)state;
    if (!eng)
        skip();
    start_socat();
    snprintf(host, sizeof(host), "tcp://127.0.0.1:%d", port);
    setenv("DOCKER_TLS_VERIFY", "1", 1);
    setenv("DOCKER_CERT_PATH", dir, 1);
    CHECK(engine_open(&tls, host, NULL, err));
    CHECK(engine_ping(tls, err));
    id = start_sleeper();
    CHECK(engine_exec(tls, id, &es, 0, &r, err));
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(cr_buf_str(&r.out), "tls\n");
    engine_exec_result_release(&r);
    remove_quietly(id);
    engine_close(tls);
    /* A server certificate from a CA we do not trust is refused. */
    setenv("DOCKER_CERT_PATH", other, 1);
    assert_int_equal(engine_open(&tls, host, NULL, &e), ENGINE_E_TLS);
    assert_non_null(strstr(e.msg, "TLS connection to the Docker daemon"));
    /* No certificates at all: said before connecting. */
    setenv("DOCKER_CERT_PATH", "/nonexistent", 1);
    assert_int_equal(engine_open(&tls, host, NULL, &e), ENGINE_E_TLS);
    assert_non_null(strstr(e.msg, "/nonexistent/ca.pem"));
    unsetenv("DOCKER_TLS_VERIFY");
    unsetenv("DOCKER_CERT_PATH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_engine),
    };
    return cmocka_run_group_tests(tests, tls_setup, tls_teardown);
}
