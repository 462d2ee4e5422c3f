/* taskrun_core_tasks: cargo-make core task names (taskrun_core_tasks.h). */
#include "taskrun_core_tasks.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The core tasks taskrun provides, as TOML the loader reads beneath the
 * makefile. The set is the one real makefiles use (measured on the sample
 * in /work/shared/makefiles: "default", through it dev-test-flow and its
 * flow, and "docs"), and the cargo commands next to them; each runs what
 * cargo-make's descriptor documents for it. Left out: flows that need
 * cargo-make's own machinery (ci-flow, publish-flow, coverage, workspace
 * and print-env tasks), install-clippy (a Rust toolchain install, like
 * install_crate) and [config] init_task = "init" / end_task = "end", which
 * would add two empty steps to every plan.
 */
static const char core_toml[] =
    "[env]\n"
    "CARGO_MAKE_CARGO_ALL_FEATURES = \"--all-features\"\n"
    "CARGO_MAKE_CARGO_VERBOSE = \"--verbose\"\n"
    "CARGO_MAKE_CARGO_VERBOSE_FLAGS = { source = \"${CARGO_MAKE_CI}\", "
    "default_value = \"\", mapping = { \"true\" = "
    "\"${CARGO_MAKE_CARGO_VERBOSE}\" } }\n"
    "CARGO_MAKE_CARGO_BUILD_TEST_FLAGS = "
    "\"${CARGO_MAKE_CARGO_ALL_FEATURES}\"\n"
    "CARGO_MAKE_CLIPPY_ARGS = \"\"\n"
    "\n"
    "[tasks.empty]\n"
    "description = \"Does nothing\"\n"
    "category = \"Tools\"\n"
    "[tasks.init]\n"
    "description = \"Hook: empty unless the makefile defines it\"\n"
    "category = \"Hooks\"\n"
    "[tasks.end]\n"
    "description = \"Hook: empty unless the makefile defines it\"\n"
    "category = \"Hooks\"\n"
    "[tasks.default]\n"
    "description = \"Runs dev-test-flow\"\n"
    "category = \"Development\"\n"
    "alias = \"dev-test-flow\"\n"
    "[tasks.dev-test-flow]\n"
    "description = \"Formats, builds and tests\"\n"
    "category = \"Development\"\n"
    "dependencies = [\"format-flow\", \"pre-build\", \"build\", "
    "\"post-build\", \"test-flow\"]\n"
    "[tasks.pre-format]\n"
    "category = \"Development\"\n"
    "[tasks.format]\n"
    "description = \"cargo fmt\"\n"
    "category = \"Development\"\n"
    "command = \"cargo\"\n"
    "args = [\"fmt\"]\n"
    "[tasks.post-format]\n"
    "category = \"Development\"\n"
    "[tasks.format-flow]\n"
    "description = \"pre-format, format, post-format\"\n"
    "category = \"Development\"\n"
    "dependencies = [\"pre-format\", \"format\", \"post-format\"]\n"
    "[tasks.check-format]\n"
    "description = \"cargo fmt -- --check\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"fmt\", \"--\", \"--check\"]\n"
    "[tasks.pre-build]\n"
    "category = \"Build\"\n"
    "[tasks.build]\n"
    "description = \"cargo build\"\n"
    "category = \"Build\"\n"
    "command = \"cargo\"\n"
    "args = [\"build\", \"@@remove-empty(CARGO_MAKE_CARGO_VERBOSE_FLAGS)\", "
    "\"@@split(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, )\"]\n"
    "[tasks.build-release]\n"
    "description = \"cargo build --release\"\n"
    "category = \"Build\"\n"
    "command = \"cargo\"\n"
    "args = [\"build\", \"--release\", "
    "\"@@split(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, )\"]\n"
    "[tasks.post-build]\n"
    "category = \"Build\"\n"
    "[tasks.pre-test]\n"
    "category = \"Test\"\n"
    "[tasks.test]\n"
    "description = \"cargo test\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"test\", \"@@remove-empty(CARGO_MAKE_CARGO_VERBOSE_FLAGS)\", "
    "\"@@split(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, )\"]\n"
    "[tasks.test-thread-safe]\n"
    "description = \"test, with RUST_TEST_THREADS unset\"\n"
    "category = \"Test\"\n"
    "env = { RUST_TEST_THREADS = { unset = true } }\n"
    "run_task = \"test\"\n"
    "[tasks.test-single-threaded]\n"
    "description = \"cargo test -- --ignored, one test thread\"\n"
    "category = \"Test\"\n"
    "env = { RUST_TEST_THREADS = \"1\" }\n"
    "command = \"cargo\"\n"
    "args = [\"test\", \"@@remove-empty(CARGO_MAKE_CARGO_VERBOSE_FLAGS)\", "
    "\"@@split(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, )\", \"--\", "
    "\"--ignored\"]\n"
    "[tasks.test-custom]\n"
    "description = \"Hook for a custom test command\"\n"
    "category = \"Test\"\n"
    "[tasks.test-multi-phases-cleanup]\n"
    "category = \"Test\"\n"
    "private = true\n"
    "env = { RUST_TEST_THREADS = { unset = true } }\n"
    "[tasks.test-multi-phases-flow]\n"
    "description = \"test, or the test phases when "
    "CARGO_MAKE_TEST_USE_MUTLI_TEST_PHASES is true\"\n"
    "category = \"Test\"\n"
    "run_task = [{ name = [\"test-thread-safe\", \"test-single-threaded\", "
    "\"test-custom\", \"test-multi-phases-cleanup\"], condition = { "
    "env_true = [\"CARGO_MAKE_TEST_USE_MUTLI_TEST_PHASES\"] } }, "
    "{ name = \"test\" }]\n"
    "[tasks.post-test]\n"
    "category = \"Test\"\n"
    "[tasks.test-flow]\n"
    "description = \"pre-test, test-multi-phases-flow, post-test\"\n"
    "category = \"Test\"\n"
    "dependencies = [\"pre-test\", \"test-multi-phases-flow\", "
    "\"post-test\"]\n"
    "[tasks.test-with-args]\n"
    "description = \"cargo test with the arguments after --\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"test\", \"${@}\"]\n"
    "[tasks.pre-check]\n"
    "category = \"Test\"\n"
    "[tasks.check]\n"
    "description = \"cargo check\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"check\"]\n"
    "[tasks.post-check]\n"
    "category = \"Test\"\n"
    "[tasks.check-flow]\n"
    "description = \"pre-check, check, post-check\"\n"
    "category = \"Test\"\n"
    "dependencies = [\"pre-check\", \"check\", \"post-check\"]\n"
    "[tasks.clippy]\n"
    "description = \"cargo clippy\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"clippy\", \"@@split(CARGO_MAKE_CLIPPY_ARGS, )\"]\n"
    "[tasks.pre-bench]\n"
    "category = \"Test\"\n"
    "[tasks.bench]\n"
    "description = \"cargo bench\"\n"
    "category = \"Test\"\n"
    "command = \"cargo\"\n"
    "args = [\"bench\", \"@@split(CARGO_MAKE_CARGO_BUILD_TEST_FLAGS, )\"]\n"
    "[tasks.post-bench]\n"
    "category = \"Test\"\n"
    "[tasks.bench-flow]\n"
    "description = \"pre-bench, bench, post-bench\"\n"
    "category = \"Test\"\n"
    "dependencies = [\"pre-bench\", \"bench\", \"post-bench\"]\n"
    "[tasks.pre-clean]\n"
    "category = \"Cleanup\"\n"
    "[tasks.clean]\n"
    "description = \"cargo clean\"\n"
    "category = \"Cleanup\"\n"
    "command = \"cargo\"\n"
    "args = [\"clean\"]\n"
    "[tasks.post-clean]\n"
    "category = \"Cleanup\"\n"
    "[tasks.pre-docs]\n"
    "category = \"Documentation\"\n"
    "[tasks.docs]\n"
    "description = \"cargo doc --no-deps\"\n"
    "category = \"Documentation\"\n"
    "command = \"cargo\"\n"
    "args = [\"doc\", \"--no-deps\"]\n"
    "[tasks.post-docs]\n"
    "category = \"Documentation\"\n"
    "[tasks.pre-package]\n"
    "category = \"Publish\"\n"
    "[tasks.package]\n"
    "description = \"cargo package\"\n"
    "category = \"Publish\"\n"
    "command = \"cargo\"\n"
    "args = [\"package\"]\n"
    "[tasks.post-package]\n"
    "category = \"Publish\"\n";

const char *taskrun_core_tasks_toml(void)
{
    return core_toml;
}

bool taskrun_is_core_task(const char *name)
{
    /* Names and name families of cargo-make's descriptor makefiles. */
    static const char *const names[] = {
        "empty",
        "init",
        "end",
        "default",
        "build",
        "test",
        "clean",
        "format",
        "clippy",
        "check",
        "docs",
        "doc",
        "bench",
        "audit",
        "outdated",
        "publish",
        "package",
        "coverage",
        "install",
        "codecov",
        "wait",
        "delete-lock",
        "bintray-upload",
        "verify-project",
        "upgrade-dependencies",
        "unused-dependencies",
        "legacy-migration",
    };
    static const char *const prefixes[] = {
        "pre-",         "post-",     "install-",  "workspace-", "ci-",
        "do-",          "wasm-",     "zip-",      "git-",       "crate-",
        "conditioned-", "examples-", "bench-",    "test-",      "check-",
        "build-",       "docs-",     "coverage-", "codecov-",   "print-",
        "publish-",     "github-",   "upload-",   "setup-",     "outdated-",
        "unused-",      "audit-",    "format-",   "clippy-",    "clean-",
        "copy-",        "delete-",   "verify-",   "end-",       "init-",
        "dev-",
    };
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    for (size_t i = 0; i < COUNT(prefixes); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, "-flow") == 0;
}
