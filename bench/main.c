/* bench: command-line entry point. The suite table lives here (the registry:
 * one row per suite library); bench.h says how to add a suite. */
#include "bench.h"
#include "bench_clnrm.h"
#include "bench_engine.h"
#include "bench_engine_data.h"
#include "bench_flamegraph.h"
#include "bench_taskrun.h"
#include "bench_toml.h"
#include "bench_watch.h"
#include "cr_alloc.h"

static const struct bench_suite suites[] = {
    { "harness", bench_suite_harness, "the harness's own overhead", 0 },
    { "toml", bench_suite_toml, "cr_toml parse throughput", 0 },
    { "taskrun", bench_suite_taskrun,
      "taskrun load, plan and [env] cost on 1,000- to 50,000-task makefiles",
      0 },
    { "clnrm", bench_suite_clnrm,
      "test files, output regexes, JUnit/JSON reports of 1,000 steps", 0 },
    { "engine-data", bench_suite_engine_data,
      "engine JSON replies and exec stream demultiplexing, from memory", 0 },
    { "flamegraph", bench_suite_flamegraph,
      "perf script collapse, SVG render and top of a generated profile", 0 },
    { "watch", bench_suite_watch,
      "clnrm dev without containers: a save to the watcher's batch", 0 },
    { "engine", bench_suite_engine,
      "container lifecycle: clnrm engine client vs docker CLI", 1 },
};

int main(int argc, char **argv)
{
    cr_alloc_set(NULL); /* cJSON through the allocation hook */
    return bench_main(suites, sizeof(suites) / sizeof(suites[0]), argc, argv);
}
