/* rcrp-test-decision.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-decision.h"
#include "rcrp-triage.h"

/* Setup for tests that record a decision not to send police and are not
 * about the threshold: answers every threshold question of every category
 * no, as a coordinator ruling police out would, keeping any answers the
 * decision has already. The store refuses such a decision without it. */
static inline void
rcrp_test_rule_out_police (RcrpDecision *decision)
{
  g_autoptr(RcrpTriageRules) rules = rcrp_triage_rules_new_default (NULL);
  g_autoptr(RcrpTriageAnswers) answers = NULL;
  g_autofree char *json = NULL;
  const char *given = rcrp_decision_get_answers_json (decision);

  g_assert_nonnull (rules);
  answers = given != NULL ? rcrp_triage_answers_new_from_json (given, NULL) : rcrp_triage_answers_new ();
  g_assert_nonnull (answers);

  for (guint c = 0; c < RCRP_N_CATEGORIES; c++)
    {
      GPtrArray *questions = rcrp_triage_rules_get_questions (rules, c);

      for (guint i = 0; i < questions->len; i++)
        {
          RcrpTriageQuestion *question = g_ptr_array_index (questions, i);

          if (rcrp_triage_question_get_is_threshold (question) &&
              rcrp_triage_answers_get (answers, rcrp_triage_question_get_id (question)) == RCRP_ANSWER_UNANSWERED)
            rcrp_triage_answers_set (answers, rcrp_triage_question_get_id (question), RCRP_ANSWER_NO);
        }
    }

  json = rcrp_triage_answers_to_json (answers);
  rcrp_decision_set_answers_json (decision, json);
}
