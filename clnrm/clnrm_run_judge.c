/* clnrm_run_judge: a finished step against its expectations. See
 * clnrm_runner.h. */
#include "clnrm_run_judge.h"

#include "clnrm_regex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Compiles a step's regex; a failure (the loader already checked the
 * syntax, so only memory or PCRE2 limits remain) fails the step rather
 * than letting an unchecked expectation pass. */
static struct clnrm_regex *judge_regex(const char *pattern,
                                       struct clnrm_step_result *sr)
{
    struct clnrm_regex *re = NULL;
    struct cr_error e = { 0 };

    if (clnrm_regex_compile(pattern, &re, &e) != CLNRM_OK) {
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message),
                 "cannot use regex /%.200s/: %.250s", pattern, e.msg);
        return NULL;
    }
    return re;
}

void clnrm_step_judge(const struct clnrm_step *s, struct clnrm_step_result *sr)
{
    const char *out = cr_buf_str(&sr->out), *err = cr_buf_str(&sr->err);
    struct clnrm_regex *re;

    sr->status = CLNRM_STATUS_PASS;
    sr->message[0] = '\0';
    if (sr->exit_code != s->expected_exit_code) {
        sr->status = CLNRM_STATUS_FAIL;
        snprintf(sr->message, sizeof(sr->message),
                 "expected exit code %d, got %d", s->expected_exit_code,
                 sr->exit_code);
        return;
    }
    if (s->expected_output_regex != NULL &&
        (re = judge_regex(s->expected_output_regex, sr)) != NULL) {
        if (clnrm_regex_search_either(re, out, sr->out.len, err, sr->err.len) !=
            1) {
            sr->status = CLNRM_STATUS_FAIL;
            snprintf(sr->message, sizeof(sr->message),
                     "expected output matching /%s/ (stdout or stderr), "
                     "found none",
                     s->expected_output_regex);
        }
        clnrm_regex_free(re);
    }
    if (sr->status == CLNRM_STATUS_PASS &&
        s->expected_output_regex_not != NULL &&
        (re = judge_regex(s->expected_output_regex_not, sr)) != NULL) {
        /* A search error counts as a match: never pass unchecked. */
        int in_out = clnrm_regex_search(re, out, sr->out.len);
        int in_err = clnrm_regex_search(re, err, sr->err.len);
        if (in_out != 0 || in_err != 0) {
            sr->status = CLNRM_STATUS_FAIL;
            snprintf(sr->message, sizeof(sr->message),
                     "output matched forbidden /%s/ (in %s)",
                     s->expected_output_regex_not,
                     in_out != 0 ? "stdout" : "stderr");
        }
        clnrm_regex_free(re);
    }
}

void clnrm_step_mark_oom(struct clnrm_step_result *sr, int64_t memory_mb)
{
    size_t len = strlen(sr->message);

    sr->oom_killed = true;
    if (memory_mb > 0)
        snprintf(sr->message + len, sizeof(sr->message) - len,
                 " (OOM-killed: out of memory, over the test's memory_mb = "
                 "%lld)",
                 (long long)memory_mb);
    else
        snprintf(sr->message + len, sizeof(sr->message) - len,
                 " (OOM-killed: out of memory)");
}

long clnrm_oom_kill_count(const char *text)
{
    const char *p = text;
    long n = -1;

    /* memory.events also has "oom" and "oom_group_kill": the whole word
     * at the start of a line is wanted. */
    while (p != NULL && *p) {
        if (strncmp(p, "oom_kill ", 9) == 0) {
            n = n < 0 ? 0 : n;
            n += strtol(p + 9, NULL, 10);
        }
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : NULL;
    }
    return n;
}
