/* bench: cr_toml parse throughput on a small and a generated large document. */
#include "bench_toml.h"
#include "cr_buf.h"
#include "cr_toml.h"

#include <stdio.h>
#include <string.h>

/* A realistic tasks.toml: what users of taskrun edit by hand. */
static const char tasks_toml[] =
    "# Tasks for the cleanroom project.\n"
    "[settings]\n"
    "shell = \"/bin/sh\"\n"
    "jobs = 4\n"
    "timeout = 30.5 # seconds\n"
    "env = { CC = \"cc\", CFLAGS = \"-O2 -g\", LANG = \"C.UTF-8\" }\n"
    "\n"
    "[tasks.configure]\n"
    "description = \"Configure the build tree\"\n"
    "command = \"cmake\"\n"
    "args = [\"-S\", \".\", \"-B\", \"build\", \"-G\", \"Ninja\",\n"
    "        \"-DCMAKE_BUILD_TYPE=Release\"]\n"
    "inputs = [\"CMakeLists.txt\", \"cmake/*.cmake\"]\n"
    "outputs = [\"build/build.ninja\"]\n"
    "\n"
    "[tasks.build]\n"
    "description = \"Compile everything\"\n"
    "command = \"cmake\"\n"
    "args = [\"--build\", \"build\", \"--parallel\"]\n"
    "deps = [\"configure\"]\n"
    "inputs = [\"common/**/*.c\", \"common/**/*.h\", \"clnrm/**/*.c\"]\n"
    "retries = 0\n"
    "\n"
    "[tasks.test]\n"
    "description = '''Run the unit tests\n"
    "and the conformance suite'''\n"
    "command = \"ctest\"\n"
    "args = [\"--test-dir\", \"build\", \"-L\", \"unit\", "
    "\"--output-on-failure\"]\n"
    "deps = [\"build\"]\n"
    "env.CTEST_PARALLEL_LEVEL = \"2\"\n"
    "env.TZ = 'UTC'\n"
    "\n"
    "[tasks.lint]\n"
    "command = \"sh\"\n"
    "args = [\"-c\", \"clang-format --dry-run -Werror $(git ls-files "
    "'*.c')\"]\n"
    "allow_failure = true\n"
    "\n"
    "[tasks.bench]\n"
    "command = \"build/bin/bench\"\n"
    "args = [\"toml\", \"-count\", \"10\"]\n"
    "deps = [\"build\"]\n"
    "created = 2026-11-21T23:55:00Z\n"
    "\n"
    "[[hooks]]\n"
    "on = \"failure\"\n"
    "run = \"notify-send \\\"task failed\\\"\"\n"
    "\n"
    "[[hooks]]\n"
    "on = \"success\"\n"
    "run = \"true\"\n";

static void parse_loop(struct bench_b *b, void *arg)
{
    const struct cr_buf *doc = arg;
    bench_set_bytes(b, (int64_t)doc->len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct cr_toml_doc *d;
        if (cr_toml_parse(doc->data, doc->len, "bench.toml", &d, NULL) !=
            CR_TOML_OK) {
            return;
        }
        cr_toml_free(d);
    }
}

/* One [[service]] entry of the generated document: every value kind. */
static int gen_service(struct cr_buf *out, int i)
{
    return cr_buf_printf(
        out,
        "[[service]]\n"
        "name = \"svc-%05d\"\n"
        "image = 'registry.local/team/app:%d.%d'\n"
        "replicas = %d\n"
        "cpu = %d.%03d\n"
        "memory_limit = 0x%x\n"
        "enabled = %s\n"
        "started = 2026-%02d-%02dT%02d:%02d:00.%03dZ\n"
        "ports = [%d, %d, %d]\n"
        "tags = [\"tier-%d\", \"zone-%c\", \"escaped\\t\\\"tag\\\"\"]\n"
        "labels = { team = \"t%d\", cost_center = %d, \"app.kubernetes.io\" "
        "= \"x\" }\n"
        "command = \"\"\"\n/usr/bin/app --id %d \\\n    --verbose\"\"\"\n"
        "# Health settings for service %d.\n"
        "[service.health]\n"
        "path = \"/healthz\"\n"
        "interval = 1_000\n"
        "thresholds = [[1, 2], [3.5, 4.25e-3]]\n"
        "note = \"Caf\\u00e9 \xe2\x98\x95 unicode text\"\n\n",
        i, i % 10, i % 7, i % 5 + 1, i % 4, i % 1000, 65536 + i,
        i % 3 ? "true" : "false", i % 12 + 1, i % 28 + 1, i % 24, i % 60,
        i % 1000, 8000 + i % 100, 9000 + i % 100, 443, i % 4, 'a' + i % 26,
        i % 50, i, i, i);
}

/* A multi-megabyte document: many tables, arrays, strings and numbers. */
static int generate(struct cr_buf *out, size_t target)
{
    if (cr_buf_puts(out, "title = \"generated\"\n[meta]\nversion = 3\n\n"))
        return -1;
    for (int i = 0; out->len < target; i++) {
        if (gen_service(out, i) != 0) {
            return -1;
        }
    }
    return 0;
}

int bench_suite_toml(struct bench_ctx *ctx)
{
    struct cr_buf small = { (char *)tasks_toml, sizeof(tasks_toml) - 1, 0 };
    struct cr_buf large;
    struct cr_error err;
    struct cr_toml_doc *d;
    cr_buf_init(&large);
    if (generate(&large, (size_t)4 << 20) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    /* Both documents must parse, or the numbers would measure errors. */
    if (cr_toml_parse(small.data, small.len, "tasks.toml", &d, &err) ||
        (cr_toml_free(d), 0) ||
        cr_toml_parse(large.data, large.len, "large.toml", &d, &err)) {
        fprintf(stderr, "bench: %s\n", err.msg);
        cr_buf_release(&large);
        return 1;
    }
    cr_toml_free(d);
    bench_run(ctx, "TomlParse/tasks", parse_loop, &small);
    bench_run(ctx, "TomlParse/large", parse_loop, &large);
    cr_buf_release(&large);
    return 0;
}
