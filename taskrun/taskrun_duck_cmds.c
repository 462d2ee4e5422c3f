/*
 * taskrun_duck_cmds: the duckscript command table, and the commands on
 * strings, numbers, variables, arrays, sets and assertions. The commands
 * that touch the system are in taskrun_duck_sys.c.
 */
#include "cr_alloc.h"
#include "taskrun_duck_int.h"
#include "taskrun_duck_coll.h"
#include "taskrun_duck_str.h"
#include "taskrun_duck_sys.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD(name)                                                              \
    static enum duck_rc cmd_##name(struct taskrun_duck *d, int argc,           \
                                   char **argv, struct cr_buf *out,            \
                                   bool *has_out)
#define UNUSED (void)d, (void)argc, (void)argv, (void)out, (void)has_out

/* ---- output, variables ------------------------------------------------ */

/* print and println's style options, with their value: accepted and
 * ignored (task output is often not a terminal). */
static bool style_option(const char *a)
{
    static const char *const opts[] = { "-s",   "--style",
                                        "-c",   "--color",
                                        "-bgc", "--background-color" };
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (strcmp(a, opts[i]) == 0)
            return true;
    return false;
}

/* Writes argv[first..] joined by spaces; *count gets how many. */
static enum duck_rc print_args(struct taskrun_duck *d, int argc, char **argv,
                               bool newline, bool styled, int *count)
{
    struct cr_buf b = { 0 };
    int rc = 0, first = 1;
    while (styled && first + 1 < argc && style_option(argv[first]))
        first += 2;
    *count = argc - first;
    for (int i = first; i < argc && !rc; i++)
        rc = cr_buf_printf(&b, "%s%s", i > first ? " " : "", argv[i]);
    if (!rc && newline)
        rc = cr_buf_putc(&b, '\n');
    if (rc) {
        cr_buf_release(&b);
        return DUCK_NOMEM;
    }
    const char *p = cr_buf_str(&b);
    size_t left = b.len;
    while (left > 0) {
        ssize_t n = write(d->io.out_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* a closed output is not the script's failure */
        p += n;
        left -= (size_t)n;
    }
    cr_buf_release(&b);
    return DUCK_OK;
}

CMD(echo)
{
    int n;
    enum duck_rc rc = print_args(d, argc, argv, true, false, &n);
    return rc ? rc : taskrun_duck__put_num(out, has_out, n);
}

CMD(print)
{
    int n;
    enum duck_rc rc = print_args(d, argc, argv, false, true, &n);
    return rc ? rc : taskrun_duck__put_num(out, has_out, n);
}

CMD(println)
{
    int n;
    enum duck_rc rc = print_args(d, argc, argv, true, true, &n);
    return rc ? rc : taskrun_duck__put_num(out, has_out, n);
}

CMD(get_last_error)
{
    (void)argc, (void)argv;
    return d->last_error[0] ? taskrun_duck__put(out, has_out, d->last_error)
                            : DUCK_OK;
}

/* set VALUE, or set A or B or C: the first true one, else the last. */
CMD(set)
{
    if (argc < 2)
        return DUCK_OK;
    int i = 1;
    while (!taskrun_duck__truthy(argv[i]) && i + 1 < argc) {
        if (strcmp(argv[i + 1], "or") != 0 || i + 2 >= argc)
            return taskrun_duck__fail(d, DUCK_SOFT,
                                      "set: expected VALUE [or VALUE]...");
        i += 2;
    }
    return taskrun_duck__put(out, has_out, argv[i]);
}

CMD(noop)
{
    UNUSED;
    return DUCK_OK;
}

CMD(exit)
{
    UNUSED;
    long long v = 0;
    if (argc > 1 && !taskrun_duck__to_num(argv[1], &v))
        return taskrun_duck__fail(d, DUCK_FATAL, "exit: \"%s\" is not a number",
                                  argv[1]);
    d->exit_code = (int)(v & 0xff);
    return DUCK_EXIT;
}

CMD(is_defined)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 1, "is_defined NAME");
    return rc ? rc
              : taskrun_duck__put_bool(out, has_out,
                                       taskrun_duck__get(d, argv[1]));
}

CMD(unset)
{
    (void)out, (void)has_out;
    for (int i = 1; i < argc; i++)
        if (taskrun_duck__set(d, argv[i], NULL) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(get_by_name)
{
    const char *v = argc > 1 ? taskrun_duck__get(d, argv[1]) : NULL;
    return v ? taskrun_duck__put(out, has_out, v) : DUCK_OK;
}

CMD(set_by_name)
{
    enum duck_rc rc =
        taskrun_duck__need(d, argc, 1, "set_by_name NAME [VALUE]");
    if (rc)
        return rc;
    if (taskrun_duck__set(d, argv[1], argc > 2 ? argv[2] : NULL) != 0)
        return DUCK_NOMEM;
    return argc > 2 ? taskrun_duck__put(out, has_out, argv[2]) : DUCK_OK;
}

CMD(is_windows)
{
    UNUSED;
    return taskrun_duck__put_bool(out, has_out, false);
}

CMD(os_family)
{
    UNUSED;
    return taskrun_duck__put(out, has_out, "linux");
}

/* ---- assertions and errors ------------------------------------------- */

static enum duck_rc assertion(struct taskrun_duck *d, bool ok, const char *what,
                              int argc, char **argv, int msg_at)
{
    if (ok)
        return DUCK_OK;
    if (argc > msg_at)
        return taskrun_duck__fail(d, DUCK_FATAL, "%s", argv[msg_at]);
    return taskrun_duck__fail(d, DUCK_FATAL, "assertion failed: %s", what);
}

CMD(assert)
{
    (void)out, (void)has_out;
    char what[300];
    snprintf(what, sizeof(what), "\"%s\" is not true", argc > 1 ? argv[1] : "");
    return assertion(d, argc > 1 && taskrun_duck__truthy(argv[1]), what, argc,
                     argv, 2);
}

CMD(assert_false)
{
    (void)out, (void)has_out;
    char what[300];
    snprintf(what, sizeof(what), "\"%s\" is not false",
             argc > 1 ? argv[1] : "");
    return assertion(d, argc < 2 || !taskrun_duck__truthy(argv[1]), what, argc,
                     argv, 2);
}

CMD(assert_eq)
{
    (void)out, (void)has_out;
    const char *a = argc > 1 ? argv[1] : "", *b = argc > 2 ? argv[2] : "";
    char what[400];
    snprintf(what, sizeof(what), "\"%.150s\" is not \"%.150s\"", a, b);
    return assertion(d, strcmp(a, b) == 0, what, argc, argv, 3);
}

CMD(assert_fail)
{
    (void)out, (void)has_out;
    return assertion(d, false, "assert_fail", argc, argv, 1);
}

CMD(trigger_error)
{
    (void)out, (void)has_out;
    return taskrun_duck__fail(d, DUCK_SOFT, "%s", argc > 1 ? argv[1] : "Error");
}

/* ---- the table ------------------------------------------------------- */

static const struct {
    const char *name;
    duck_cmd_fn fn;
} commands[] = {
#define SYS_ROW(name) { #name, taskrun_duck__cmd_##name },
    DUCK_SYS_COMMANDS(SYS_ROW)
#undef SYS_ROW
        { "echo", cmd_echo },
    { "println", cmd_println },
    { "print", cmd_print },
    { "set", cmd_set },
    { "noop", cmd_noop },
    { "exit", cmd_exit },
    { "is_defined", cmd_is_defined },
    { "unset", cmd_unset },
    { "get_by_name", cmd_get_by_name },
    { "set_by_name", cmd_set_by_name },
    { "is_windows", cmd_is_windows },
    { "os_family", cmd_os_family },
    { "trim", taskrun_duck__cmd_trim },
    { "trim_start", taskrun_duck__cmd_trim_start },
    { "trim_end", taskrun_duck__cmd_trim_end },
    { "length", taskrun_duck__cmd_length },
    { "strlen", taskrun_duck__cmd_length },
    { "is_empty", taskrun_duck__cmd_is_empty },
    { "eq", taskrun_duck__cmd_eq },
    { "equals", taskrun_duck__cmd_eq },
    { "contains", taskrun_duck__cmd_contains },
    { "starts_with", taskrun_duck__cmd_starts_with },
    { "ends_with", taskrun_duck__cmd_ends_with },
    { "indexof", taskrun_duck__cmd_indexof },
    { "last_indexof", taskrun_duck__cmd_last_indexof },
    { "substring", taskrun_duck__cmd_substring },
    { "concat", taskrun_duck__cmd_concat },
    { "replace", taskrun_duck__cmd_replace },
    { "uppercase", taskrun_duck__cmd_uppercase },
    { "lowercase", taskrun_duck__cmd_lowercase },
    { "join_path", taskrun_duck__cmd_join_path },
    { "calc", taskrun_duck__cmd_calc },
    { "greater_than", taskrun_duck__cmd_greater_than },
    { "less_than", taskrun_duck__cmd_less_than },
    { "array", taskrun_duck__cmd_array },
    { "range", taskrun_duck__cmd_range },
    { "array_length", taskrun_duck__cmd_array_length },
    { "array_size", taskrun_duck__cmd_array_length },
    { "array_is_empty", taskrun_duck__cmd_array_is_empty },
    { "array_get", taskrun_duck__cmd_array_get },
    { "array_set", taskrun_duck__cmd_array_set },
    { "array_push", taskrun_duck__cmd_array_push },
    { "array_add", taskrun_duck__cmd_array_push },
    { "array_put", taskrun_duck__cmd_array_push },
    { "array_pop", taskrun_duck__cmd_array_pop },
    { "array_remove", taskrun_duck__cmd_array_remove },
    { "array_clear", taskrun_duck__cmd_array_clear },
    { "array_join", taskrun_duck__cmd_array_join },
    { "array_contains", taskrun_duck__cmd_array_contains },
    { "set_new", taskrun_duck__cmd_set_new },
    { "set_put", taskrun_duck__cmd_array_push },
    { "set_add", taskrun_duck__cmd_array_push },
    { "set_contains", taskrun_duck__cmd_set_contains },
    { "set_size", taskrun_duck__cmd_array_length },
    { "set_is_empty", taskrun_duck__cmd_array_is_empty },
    { "split", taskrun_duck__cmd_split },
    { "release", taskrun_duck__cmd_release },
    { "assert", cmd_assert },
    { "assert_false", cmd_assert_false },
    { "assert_eq", cmd_assert_eq },
    { "assert_fail", cmd_assert_fail },
    { "trigger_error", cmd_trigger_error },
    { "get_last_error", cmd_get_last_error },
    { "is_array", taskrun_duck__cmd_is_array },
    { "is_map", taskrun_duck__cmd_is_map },
    { "map", taskrun_duck__cmd_map },
    { "map_put", taskrun_duck__cmd_map_put },
    { "map_add", taskrun_duck__cmd_map_put },
    { "map_get", taskrun_duck__cmd_map_get },
    { "map_remove", taskrun_duck__cmd_map_remove },
    { "map_size", taskrun_duck__cmd_map_size },
    { "map_is_empty", taskrun_duck__cmd_map_is_empty },
    { "map_keys", taskrun_duck__cmd_map_keys },
    { "map_contains_key", taskrun_duck__cmd_map_contains_key },
    { "map_contains_value", taskrun_duck__cmd_map_contains_value },
    { "map_clear", taskrun_duck__cmd_array_clear },
    { "set_clear", taskrun_duck__cmd_array_clear },
    { "is_dir", taskrun_duck__cmd_is_directory },
    { "is_set", taskrun_duck__cmd_is_set },
    { "set_remove", taskrun_duck__cmd_set_remove },
    { "set_to_array", taskrun_duck__cmd_set_to_array },
    { "set_from_array", taskrun_duck__cmd_set_from_array },
    { "basename", taskrun_duck__cmd_basename },
    { "dirname", taskrun_duck__cmd_dirname },
};

duck_cmd_fn taskrun_duck__command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn;
    return NULL;
}
