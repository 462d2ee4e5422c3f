/*
 * clnrm_discover: finds test files and selects the ones a run takes.
 *
 * Directories are walked recursively for files named *.clnrm.toml, skipping
 * .git, node_modules, target and every directory whose name starts with
 * "build" (build trees hold copies of the sources). A file named explicitly
 * is taken whatever its name. The result is sorted bytewise and free of
 * duplicates, so every machine sees the same order.
 *
 * Ownership: the paths found are copies owned by the caller's struct
 * cr_strv; the input paths are only borrowed during the call.
 */
#ifndef CLNRM_DISCOVER_H
#define CLNRM_DISCOVER_H

#include "clnrm_error.h"
#include "clnrm_spec.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Appends the test files under each of the n paths to out (release with
 * cr_strv_release), sorted and deduplicated. A path that does not exist
 * gives CLNRM_E_INPUT naming it.
 */
enum clnrm_code clnrm_discover(const char *const *paths, size_t n,
                               struct cr_strv *out, struct cr_error *err);

/* True when a directory entry called name is skipped by discovery. */
bool clnrm_discover_skip_dir(const char *name);

/* True when name ends with ".clnrm.toml". */
bool clnrm_discover_is_test(const char *name);

/*
 * Parses "I/N" (1 <= I <= N <= 10000). Returns 0, or -1 when malformed.
 */
int clnrm_shard_parse(const char *s, unsigned *index, unsigned *count);

/*
 * True when the item at position pos (0-based) of a sorted list belongs to
 * shard index of count (1-based): item k goes to shard k mod count + 1,
 * which balances shards to within one item and needs no coordination.
 */
bool clnrm_shard_take(size_t pos, unsigned index, unsigned count);

#endif
