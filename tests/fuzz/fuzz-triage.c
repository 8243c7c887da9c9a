/* fuzz-triage.c: libFuzzer harness for the triage rules a force edits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-feed.h"
#include "rcrp-fuzz.h"
#include "rcrp-triage.h"

static const char * const categories[] = {
  "concern_for_welfare", "walked_out_of_healthcare", "awol_mental_health",
  "medical_incident", "mental_health_other",
};

/* One call of each category, with what a call may already say, for rules
 * that load to be used as the panel uses them. */
static GPtrArray *
sample_calls (void)
{
  static GPtrArray *calls;

  if (calls == NULL)
    {
      calls = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
        {
          g_autofree char *text =
            g_strdup_printf ("{\"schema\": \"rcrp.call/1\", \"cad_ref\": \"FZ-%u\", "
                             "\"received_at\": \"2026-11-22T14:03:11Z\", \"category\": \"%s\", "
                             "\"initial_grade\": 2, \"summary\": \"Sample\", "
                             "\"risk_indicators\": [\"suicidal_intent\", \"weapon\"]}",
                             i, categories[i]);
          g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
          g_autoptr(GPtrArray) parsed = rcrp_feed_parse_bytes (bytes, "sample", NULL);

          /* A sample the feed refuses would make the harness test nothing. */
          if (parsed == NULL)
            g_error ("sample call %u is not valid", i);
          g_ptr_array_add (calls, g_object_ref (g_ptr_array_index (parsed, 0)));
        }
    }

  return calls;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(RcrpTriageRules) rules = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *calls = sample_calls ();

  rules = rcrp_triage_rules_new_from_bytes (bytes, "fuzz.json", &error);

  if ((rules == NULL) == (error == NULL))
    g_error ("the rules parser returned %s with %s", rules != NULL ? "rules" : "nothing",
             error != NULL ? "an error" : "no error");

  if (rules == NULL)
    return 0;

  for (guint i = 0; i < calls->len; i++)
    {
      RcrpCall *call = g_ptr_array_index (calls, i);
      g_autoptr(RcrpTriageAnswers) answers = rcrp_triage_answers_new_for_call (rules, call);
      g_autoptr(RcrpRecommendation) recommendation = rcrp_triage_recommend (rules, call, answers);
      g_auto(GStrv) open = rcrp_triage_rules_open_thresholds (rules, rcrp_call_get_category (call), answers);

      (void) rcrp_triage_rules_get_questions (rules, rcrp_call_get_category (call));
    }

  return 0;
}
