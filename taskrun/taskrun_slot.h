/*
 * taskrun_slot: typed access to TOML values for the loader modules (see
 * taskrun_loader.h). Strings returned or appended are new copies from
 * cr_malloc that the caller (or the model object they go into) owns; slots
 * themselves are borrowed from the loader's documents.
 */
#ifndef TASKRUN_SLOT_H
#define TASKRUN_SLOT_H

#include "taskrun_loader.h"

/*
 * Typed getters: a missing value (s.v NULL) leaves *out alone; a wrong type
 * is a positioned error in l->err. Out of memory returns TASKRUN_E_NOMEM
 * without a message: callers (taskrun__decode_task) set it.
 */

/* Reports that s (the value of key) must be what ("a string"). */
enum taskrun_code taskrun__want(struct taskrun_loader *l, struct taskrun_slot s,
                                const char *key, const char *what);
enum taskrun_code taskrun__get_str(struct taskrun_loader *l,
                                   struct taskrun_slot s, const char *key,
                                   char **out);
enum taskrun_code taskrun__get_bool(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool *out);
/* An array of scalars, or (with one_ok) one scalar, appended to out. */
enum taskrun_code taskrun__get_strv(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool one_ok, struct cr_strv *out);
enum taskrun_code taskrun__get_kv(struct taskrun_loader *l,
                                  struct taskrun_slot s, const char *key,
                                  struct taskrun_kv **out, size_t *n);
/* The value under key in s's table (v NULL when absent). */
struct taskrun_slot taskrun__sub(struct taskrun_slot s, const char *key);
/* sv's strings joined with sep; caller frees; NULL when out of memory. */
char *taskrun__join_lines(const struct cr_strv *sv, const char *sep);
/* A scalar as text ("true", "3"); NULL for other types (tables, arrays,
 * dates) and when out of memory: taskrun__has_text tells which. */
char *taskrun__scalar(const struct cr_toml_value *v);
/* Whether taskrun__scalar turns v into text (string, number, boolean). */
bool taskrun__has_text(const struct cr_toml_value *v);

#endif
