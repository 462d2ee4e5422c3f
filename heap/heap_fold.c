/* heap: folded allocation stacks. See heap_fold.h. */
#include "heap_fold.h"

#include <stdbool.h>
#include <string.h>

static const char *const cost_names[] = { "allocations", "peak", "leaked",
                                          "temporary" };

const char *heap_cost_name(enum heap_cost c)
{
    return cost_names[c];
}

/*
 * Splits "stack; COUNT" at its last space; false when the count is not
 * digits. *stack_len leaves out the separators heaptrack puts after the
 * leaf; the count starts at *count_at.
 */
static bool split(const char *l, size_t n, size_t *stack_len, size_t *count_at,
                  bool *zero)
{
    size_t sp = n, i;

    while (sp > 0 && l[sp - 1] != ' ')
        sp--;
    if (sp == 0 || sp == n)
        return false;
    *zero = true;
    for (i = sp; i < n; i++) {
        if (l[i] < '0' || l[i] > '9')
            return false;
        if (l[i] != '0')
            *zero = false;
    }
    *count_at = sp;
    *stack_len = sp - 1;
    while (*stack_len > 0 && l[*stack_len - 1] == ';')
        (*stack_len)--;
    return *stack_len > 0;
}

enum heap_code heap_fold_normalize(const char *text, size_t len,
                                   struct cr_buf *out, size_t *stacks,
                                   struct cr_error *err)
{
    size_t at = 0, kept = 0;

    while (at < len) {
        const char *l = text + at, *nl = memchr(l, '\n', len - at);
        size_t n = nl ? (size_t)(nl - l) : len - at, stack_len, count_at;
        bool zero;

        at += n + (nl ? 1 : 0);
        if (n && l[n - 1] == '\r')
            n--;
        if (!split(l, n, &stack_len, &count_at, &zero) || zero)
            continue;
        /* The stack, one space, the count (which follows the last space). */
        if (cr_buf_append(out, l, stack_len) || cr_buf_putc(out, ' ') ||
            cr_buf_append(out, l + count_at, n - count_at) ||
            cr_buf_putc(out, '\n'))
            return heap_error_set(err, HEAP_E_NOMEM, "out of memory");
        kept++;
    }
    if (stacks)
        *stacks = kept;
    return HEAP_OK;
}
