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

#endif
