/* Unit tests of DOCKER_HOST parsing, the ustar writer, the base image root,
 * the loading of libcurl and API version comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_fs.h"

#include "engine.h"
#include "engine_baseimage.h"
#include "engine_curl.h"
#include "engine_tar.h"

static void parse_ok(const char *v, bool tls, struct engine_addr *a)
{
    struct cr_error e = { 0 };

    assert_int_equal(engine_addr_parse(v, tls, a, &e), ENGINE_OK);
}

static void test_addr_unix(void **state)
{
    struct engine_addr a;

    (void)state;
    parse_ok(NULL, false, &a);
    assert_int_equal(a.transport, ENGINE_UNIX);
    assert_string_equal(a.socket_path, "/var/run/docker.sock");
    assert_string_equal(a.display, "unix:///var/run/docker.sock");
    parse_ok("", false, &a);
    assert_string_equal(a.socket_path, "/var/run/docker.sock");
    parse_ok("unix://", false, &a);
    assert_string_equal(a.socket_path, "/var/run/docker.sock");
    parse_ok("unix:///tmp/d.sock", false, &a);
    assert_string_equal(a.socket_path, "/tmp/d.sock");
    parse_ok("unix://run/d.sock", false, &a);
    assert_string_equal(a.socket_path, "/run/d.sock");
    assert_string_equal(a.display, "unix:///run/d.sock");
}

static void test_addr_tcp(void **state)
{
    struct engine_addr a;

    (void)state;
    parse_ok("tcp://127.0.0.1:2375", false, &a);
    assert_int_equal(a.transport, ENGINE_TCP);
    assert_string_equal(a.host, "127.0.0.1");
    assert_int_equal(a.port, 2375);
    assert_false(a.tls);
    parse_ok("tcp://docker.example", false, &a);
    assert_int_equal(a.port, 2375);
    assert_string_equal(a.display, "tcp://docker.example:2375");
    parse_ok("tcp://docker.example", true, &a);
    assert_int_equal(a.port, 2376);
    assert_true(a.tls);
    parse_ok("localhost:4243", false, &a);
    assert_int_equal(a.transport, ENGINE_TCP);
    assert_string_equal(a.host, "localhost");
    assert_int_equal(a.port, 4243);
    parse_ok("tcp://[::1]:9999/", false, &a);
    assert_string_equal(a.host, "::1");
    assert_int_equal(a.port, 9999);
    assert_string_equal(a.display, "tcp://[::1]:9999");
}

static void test_addr_errors(void **state)
{
    const char *bad[] = {
        "ssh://me@host", "npipe:////./pipe/x", "fd://",       "tcp://h:0",
        "tcp://h:99999", "tcp://h:port",       "tcp://:2375", "tcp://h:1/path",
        "tcp://[::1",    "::1:2375",           NULL
    };
    struct engine_addr a;
    struct cr_error e = { 0 };
    char longpath[200];

    (void)state;
    for (const char **b = bad; *b; b++) {
        memset(&e, 0, sizeof(e));
        assert_int_equal(engine_addr_parse(*b, false, &a, &e),
                         ENGINE_E_INVALID);
        assert_true(e.msg[0] != '\0');
    }
    assert_int_equal(engine_addr_parse("ssh://me@host", false, &a, &e),
                     ENGINE_E_INVALID);
    assert_non_null(strstr(e.msg, "unsupported DOCKER_HOST ssh://me@host"));
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = '\0';
    memcpy(longpath, "unix:///", 8);
    assert_int_equal(engine_addr_parse(longpath, false, &a, &e),
                     ENGINE_E_INVALID);
}

/* Reads a header field as octal. */
static unsigned long field(const unsigned char *h, size_t off, size_t len)
{
    char tmp[16] = { 0 };

    memcpy(tmp, h + off, len);
    return strtoul(tmp, NULL, 8);
}

static void test_tar_layout(void **state)
{
    struct engine_tar t = { .mtime = 1234 };
    struct cr_error e = { 0 };
    const unsigned char *h;
    unsigned sum = 0;
    char longname[200];

    (void)state;
    assert_int_equal(engine_tar_add_dir(&t, "etc", 0755, &e), ENGINE_OK);
    assert_int_equal(engine_tar_add_file(&t, "etc/hello", 0644, "hi\n", 3, &e),
                     ENGINE_OK);
    assert_int_equal(engine_tar_add_symlink(&t, "bin/sh", "/bin/busybox", &e),
                     ENGINE_OK);
    /* 150 bytes: needs the ustar prefix field. */
    snprintf(longname, sizeof(longname), "%0120d/%s", 0,
             "a-name-of-some-length-x");
    assert_int_equal(engine_tar_add_file(&t, longname, 0600, "", 0, &e),
                     ENGINE_OK);
    assert_int_equal(engine_tar_finish(&t, &e), ENGINE_OK);
    /* dir + file(1 data block) + link + long + 2 end blocks */
    assert_int_equal(t.buf.len, 512 * 7);
    h = (const unsigned char *)t.buf.data;
    assert_string_equal((const char *)h, "etc/");
    assert_int_equal(h[156], '5');
    assert_memory_equal(h + 257,
                        "ustar\0"
                        "00",
                        8);
    assert_int_equal(field(h, 100, 8), 0755);
    assert_int_equal(field(h, 136, 12), 1234);
    for (size_t i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    assert_int_equal(field(h, 148, 8), sum);
    h += 512;
    assert_int_equal(field(h, 124, 12), 3);
    assert_memory_equal(h + 512, "hi\n", 3);
    h += 1024;
    assert_int_equal(h[156], '2');
    assert_string_equal((const char *)h + 157, "/bin/busybox");
    h += 512;
    assert_string_equal((const char *)h, "a-name-of-some-length-x");
    assert_int_equal(strlen((const char *)h + 345), 120);
    cr_buf_release(&t.buf);
}

static void test_tar_read_by_tar(void **state)
{
    struct engine_tar t = { 0 };
    struct cr_error e = { 0 };
    char path[] = "/tmp/clnrm-tar-XXXXXX", cmd[200], line[512];
    struct cr_buf listing = { 0 };
    FILE *p;
    int fd;

    (void)state;
    assert_int_equal(engine_tar_add_dir(&t, "d", 0700, &e), ENGINE_OK);
    assert_int_equal(engine_tar_add_file(&t, "d/f", 0640, "12345", 5, &e),
                     ENGINE_OK);
    assert_int_equal(engine_tar_add_symlink(&t, "d/l", "f", &e), ENGINE_OK);
    assert_int_equal(engine_tar_finish(&t, &e), ENGINE_OK);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, t.buf.data, t.buf.len), (ssize_t)t.buf.len);
    close(fd);
    snprintf(cmd, sizeof(cmd), "tar -tvf %s 2>&1", path);
    p = popen(cmd, "r");
    assert_non_null(p);
    while (fgets(line, sizeof(line), p))
        assert_int_equal(cr_buf_puts(&listing, line), 0);
    assert_int_equal(pclose(p), 0);
    unlink(path);
    assert_non_null(strstr(cr_buf_str(&listing), "drwx------"));
    assert_non_null(strstr(cr_buf_str(&listing), "-rw-r----- root/root"));
    assert_non_null(strstr(cr_buf_str(&listing), "d/l -> f"));
    cr_buf_release(&listing);
    cr_buf_release(&t.buf);
}

static void test_tar_name_limits(void **state)
{
    struct engine_tar t = { 0 };
    struct cr_error e = { 0 };
    char name[300];

    (void)state;
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(engine_tar_add_file(&t, name, 0644, "", 0, &e),
                     ENGINE_E_INVALID);
    assert_int_equal(engine_tar_add_file(&t, "", 0644, "", 0, &e),
                     ENGINE_E_INVALID);
    memset(name, 't', 150);
    name[150] = '\0';
    assert_int_equal(engine_tar_add_symlink(&t, "l", name, &e),
                     ENGINE_E_INVALID);
    assert_int_equal(t.buf.len, 0);
    cr_buf_release(&t.buf);
}

/* libcurl is loaded by engine_global_init; without it every call that
 * needs it fails with a reason instead of crashing. The steps share the
 * process-wide library state, so they run in this order. */
static void test_curl_loading(void **state)
{
    static const char *const missing[] = { "libcurl-missing.so.99", NULL };
    struct engine *eng = (struct engine *)&eng;
    struct cr_error e = { 0 };

    (void)state;
    assert_int_equal(engine_open(&eng, "unix:///nonexistent.sock", NULL, &e),
                     ENGINE_E_INVALID);
    assert_null(eng);
    assert_non_null(strstr(e.msg, "engine_global_init"));
    assert_int_equal(engine__curl_load(missing, &e), ENGINE_E_NOLIB);
    assert_non_null(strstr(e.msg, "cannot load libcurl-missing.so.99: "));
    assert_non_null(strstr(e.msg, "; apt-get install libcurl4"));
    /* A caller that carries on anyway hears the same reason. */
    e.msg[0] = '\0';
    assert_int_equal(engine_open(&eng, "unix:///nonexistent.sock", NULL, &e),
                     ENGINE_E_NOLIB);
    assert_non_null(strstr(e.msg, "cannot load libcurl-missing.so.99: "));
    assert_int_equal(engine_global_init(&e), ENGINE_OK);
    assert_int_equal(engine_open(&eng, "unix:///nonexistent.sock", NULL, &e),
                     ENGINE_E_UNREACHABLE);
    assert_string_equal(e.msg, "Cannot connect to the Docker daemon at "
                               "unix:///nonexistent.sock. Is the docker "
                               "daemon running?");
    engine_global_cleanup();
    assert_int_equal(engine_open(&eng, "unix:///nonexistent.sock", NULL, &e),
                     ENGINE_E_INVALID);
}

/* Builds the image root from busybox into a fresh tar; returns the code
 * and frees the tar. */
static enum engine_code rootfs(const char *busybox, int *napplets,
                               struct cr_error *e)
{
    struct engine_tar tar = { 0 };
    enum engine_code rc = engine_baseimage_rootfs(busybox, &tar, napplets, e);

    cr_buf_release(&tar.buf);
    return rc;
}

/* busybox is run without a shell, so its path may hold a quote or a
 * space (the file keeps its name: busybox picks the applet from it); a
 * missing or unrunnable binary says what to install. */
static void test_baseimage_busybox_path(void **state)
{
    char dir[] = "/tmp/clnrm-bb-XXXXXX", sub[64], odd[96], plain[96];
    struct cr_error e = { 0 };
    char *data = NULL;
    size_t len = 0;
    int n = 0;

    (void)state;
    if (cr_fs_read(ENGINE_BASEIMAGE_BUSYBOX, &data, &len) != 0)
        skip();
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/it's here", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(odd, sizeof(odd), "%s/busybox", sub);
    snprintf(plain, sizeof(plain), "%s/not-executable", dir);
    assert_int_equal(cr_fs_write_atomic(odd, data, len, 0755), 0);
    assert_int_equal(chmod(odd, 0755), 0);
    assert_int_equal(cr_fs_write_atomic(plain, data, len, 0644), 0);
    assert_int_equal(chmod(plain, 0644), 0);
    cr_free(data);
    assert_int_equal(rootfs(odd, &n, &e), ENGINE_OK);
    assert_true(n > 50);
    assert_int_equal(rootfs(plain, &n, &e), ENGINE_E_IO);
    assert_non_null(strstr(e.msg, "cannot run "));
    assert_non_null(strstr(e.msg, "install the busybox-static package"));
    assert_int_equal(rootfs("/nonexistent/busybox", &n, &e), ENGINE_E_IO);
    assert_string_equal(e.msg, "cannot read /nonexistent/busybox; install the "
                               "busybox-static package");
    unlink(odd);
    unlink(plain);
    rmdir(sub);
    rmdir(dir);
}

/* API versions compare as numbers, not as strings. */
static void test_api_version_cmp(void **state)
{
    (void)state;
    assert_true(engine_api_version_cmp("1.9", "1.41") < 0);
    assert_true(engine_api_version_cmp("1.41", "1.9") > 0);
    assert_int_equal(engine_api_version_cmp("1.41", "1.41"), 0);
    assert_true(engine_api_version_cmp("1.30", "1.41") < 0);
    assert_true(engine_api_version_cmp("2.0", "1.41") > 0);
    assert_true(engine_api_version_cmp("1.100", "1.99") > 0);
    assert_int_equal(engine_api_version_cmp("1.041", "1.41"), 0);
    /* Unreadable versions sort first, and equal to each other. */
    assert_true(engine_api_version_cmp("", "1.0") < 0);
    assert_true(engine_api_version_cmp("1.41", NULL) > 0);
    assert_true(engine_api_version_cmp("1.41.0", "1.0") < 0);
    assert_true(engine_api_version_cmp("v1.41", "1.0") < 0);
    assert_true(engine_api_version_cmp("1.", "1.0") < 0);
    assert_int_equal(engine_api_version_cmp("x", "1"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addr_unix),
        cmocka_unit_test(test_addr_tcp),
        cmocka_unit_test(test_addr_errors),
        cmocka_unit_test(test_tar_layout),
        cmocka_unit_test(test_tar_read_by_tar),
        cmocka_unit_test(test_tar_name_limits),
        cmocka_unit_test(test_curl_loading),
        cmocka_unit_test(test_baseimage_busybox_path),
        cmocka_unit_test(test_api_version_cmp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
