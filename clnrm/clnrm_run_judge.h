/*
 * clnrm_run_judge: how a finished step is judged: exit code first, then
 * expected_output_regex (stdout or stderr matches) and
 * expected_output_regex_not (neither may match).
 */
#ifndef CLNRM_RUN_JUDGE_H
#define CLNRM_RUN_JUDGE_H

#include "clnrm_result.h"
#include "clnrm_spec.h"

/* Checks a finished step's exit code and output (in sr) against s's
 * expectations; sets sr->status and sr->message. */
void clnrm_step_judge(const struct clnrm_step *s, struct clnrm_step_result *sr);

/* SIGKILL's exit status (128 + 9): the only one an OOM kill gives. */
#define CLNRM_KILLED_EXIT 137

/* Marks a judged step that did not pass as killed by the kernel for going
 * over the test's memory limit (memory_mb, 0: none): sets oom_killed and
 * says so in the message. */
void clnrm_step_mark_oom(struct clnrm_step_result *sr, int64_t memory_mb);

/* The oom_kill count in the text of a memory cgroup's memory.events (v2)
 * or memory.oom_control (v1); -1 when neither line is there. */
long clnrm_oom_kill_count(const char *text);

#endif
